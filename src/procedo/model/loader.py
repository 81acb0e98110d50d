"""Read process definitions from TOML text, files and folders.

Every problem in every file is collected, each with its file, line and key, so an author can
fix them all in one pass. Nothing here raises anything but :class:`DefinitionError`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from procedo.model import toml_parse as toml_parser
from procedo.model.checks import check_definition
from procedo.model.definition import ProcessDefinition
from procedo.model.errors_text import error_message
from procedo.model.gc_pause import paused_gc
from procedo.model.parse_cache import cached_definition, store_definition
from procedo.model.problems import DefinitionError, Problem
from procedo.model.salvage import salvage_findings
from procedo.model.text_checks import MAX_NAME, text_findings
from procedo.model.toml_index import KeyPath, TomlLineIndex
from procedo.safe_text import unsafe_search, visible

_LONG_BASIC_STRING = re.compile(f'"[^"\\n]{{{MAX_NAME + 1},}}"')
_LONG_LITERAL_STRING = re.compile(f"'[^'\\n]{{{MAX_NAME + 1},}}'")
_LONG_BARE_KEY = re.compile(f"[A-Za-z0-9_-]{{{MAX_NAME + 1}}}")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)")


@dataclass(frozen=True, slots=True)
class LoadedProcess:
    """A valid definition with the file and exact text it came from."""

    definition: ProcessDefinition
    path: Path
    text: str
    sha256: str

    @property
    def id(self) -> str:
        """The process id."""
        return self.definition.id


@dataclass(slots=True)
class Catalog:
    """The result of loading a folder: the valid processes and every problem found."""

    processes: list[LoadedProcess] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, process_id: str) -> LoadedProcess | None:
        """The process with that id, if it loaded."""
        return next((p for p in self.processes if p.id == process_id), None)

    @property
    def files_with_problems(self) -> list[str]:
        """The files that have at least one problem, in order."""
        return list(dict.fromkeys(p.file for p in self.problems))


def content_hash(text: str) -> str:
    """The SHA-256 of a definition's text, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _format_path(path: KeyPath) -> str:
    """``steps.triage.items.2``; a key holding a control character shows it as an escape."""
    return ".".join(visible(str(part)) for part in path)


def parse_definition(
    text: str, *, source: str = "<text>", default_id: str = "", check_texts: bool = True
) -> ProcessDefinition:
    """Parse and validate TOML text; raise :class:`DefinitionError` with every problem.

    ``check_texts=False`` skips the limits on texts (length, unsafe characters), for a
    definition already stored in a journal: its runs must still replay, shown escaped.
    """
    with paused_gc():
        return _parse_definition(text, source, default_id, check_texts)


def _parse_definition(
    text: str, source: str, default_id: str, check_texts: bool
) -> ProcessDefinition:
    text = text.removeprefix("\ufeff")
    cached = cached_definition(text, default_id)
    if cached is not None:
        return cached
    try:
        data = toml_parser.loads(text)
    except toml_parser.TOMLDecodeError as error:
        raise DefinitionError([_syntax_problem(error, text, source)]) from None
    except (RecursionError, MemoryError, ValueError) as error:
        if isinstance(error, RecursionError):
            message = "the file is nested too deeply to read"
        elif isinstance(error, ValueError):  # e.g. an integer of more than 4300 digits
            message = f"the file cannot be read as TOML: {error}"
        else:
            message = "the file is too large to read"
        raise DefinitionError([Problem(source, message)]) from None
    text_problems = text_findings(data) if check_texts and not _texts_surely_fine(text) else []
    process_table = data.get("process")
    if isinstance(process_table, dict) and "id" not in process_table and default_id:
        data["process"] = {**process_table, "id": default_id}
    try:
        definition = ProcessDefinition.model_validate(data)
    except ValidationError as error:
        index = TomlLineIndex(text)  # built only when there is something to point at
        problems = [
            Problem(source, message, _format_path(path), index.line_of(path))
            for path, message in text_problems
        ]
        details = error.errors(include_url=False)
        for detail in details:
            path, message = error_message(detail)
            problems.append(Problem(source, message, _format_path(path), index.line_of(path)))
        # The well-formed parts still get their cross-checks: every problem in one pass.
        for path, message in salvage_findings(data, [tuple(d["loc"]) for d in details]):
            problems.append(Problem(source, message, _format_path(path), index.line_of(path)))
        problems.sort(
            key=lambda p: p.line if p.line is not None else 1 << 30
        )  # stable: in file order
        raise DefinitionError(problems) from None
    findings = [*text_problems, *check_definition(definition)]
    if findings:
        index = TomlLineIndex(text)
        problems = [
            Problem(source, message, _format_path(path), index.line_of(path))
            for path, message in findings
        ]
        if text_problems:  # two kinds of problem: put them back in file order
            problems.sort(key=lambda p: p.line if p.line is not None else 1 << 30)
        raise DefinitionError(problems)
    if check_texts:  # the cache holds only what passes every check
        store_definition(text, default_id, definition)
    return definition


def _texts_surely_fine(text: str) -> bool:
    """Whether every string the TOML ``text`` holds passes :func:`text_findings`, seen at once.

    Without escapes (no backslash) and multi-line strings, every string and key is a part of
    one line of the text as written; so with no unsafe character anywhere in the text and no
    run of more than ``MAX_NAME`` characters between quotes or in a bare key, none is unsafe
    or over its limit (the smallest is ``MAX_NAME``). Otherwise the strings are walked.
    """
    return (
        "\\" not in text
        and '"""' not in text
        and "'''" not in text
        and unsafe_search(multiline=True)(text) is None
        and _LONG_BASIC_STRING.search(text) is None
        and _LONG_LITERAL_STRING.search(text) is None
        and not any(
            _LONG_BARE_KEY.search(line) for line in text.split("\n") if len(line) > MAX_NAME
        )
    )


def _syntax_problem(error: toml_parser.TOMLDecodeError, text: str, source: str) -> Problem:
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    message = str(getattr(error, "msg", "") or error)
    found = _TOML_POSITION.search(message)
    if found:
        if found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        else:
            line = text.count("\n") + 1
        message = _TOML_POSITION.sub("", message)
    return Problem(source, f"TOML syntax error: {message}", line=line, column=column)


def decode_definition_bytes(raw: bytes, source: str) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is allowed) or raise a clear problem."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        message = f"not UTF-8 text (byte 0x{byte} at offset {error.start}); save the file as UTF-8"
        raise DefinitionError([Problem(source, message, line=line)]) from None


def load_file(path: Path | str, *, display: str | None = None) -> LoadedProcess:
    """Load one definition file; raise :class:`DefinitionError` with every problem."""
    path = Path(path)
    source = display or str(path)
    text = read_definition_text(path, source)
    definition = parse_definition(text, source=source, default_id=path.stem)
    return LoadedProcess(definition, path, text, content_hash(text))


def read_definition_text(path: Path, source: str) -> str:
    """A definition file's text; raise :class:`DefinitionError` when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DefinitionError(
            [Problem(source, f"cannot read the file: {error.strerror or error}")]
        ) from None
    return decode_definition_bytes(raw, source)


def definition_files(paths: Iterable[Path | str]) -> list[Path]:
    """The ``.toml`` files named by ``paths`` (files as given, folders searched, sorted)."""
    files: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            files.extend(sorted(p for p in entry.glob("*.toml") if p.is_file()))
        else:
            files.append(entry)
    return list(dict.fromkeys(files))


def load_catalog(paths: Iterable[Path | str]) -> Catalog:
    """Load every definition under ``paths``, keeping the valid ones and all problems."""
    catalog = Catalog()
    with paused_gc():
        _load_into(catalog, definition_files(paths))
    _drop_duplicate_ids(catalog)
    _drop_bad_calls(catalog)
    return catalog


def _drop_bad_calls(catalog: Catalog) -> None:
    """The calls across the catalog checked; a process with a problem there is left out."""
    from procedo.model.checks_calls import call_facts, catalog_call_problems

    if not any(loaded.definition.calls for loaded in catalog.processes):
        return
    texts = {loaded.path: loaded.text for loaded in catalog.processes}
    facts = [call_facts(loaded.definition, loaded.path) for loaded in catalog.processes]
    failed = [Path(file).stem for file in catalog.files_with_problems]
    checked = catalog_call_problems(facts, texts.__getitem__, not_loaded=failed)
    catalog.problems.extend(checked.problems)
    catalog.processes = [p for p in catalog.processes if p.id not in checked.dropped]


def _load_into(catalog: Catalog, files: list[Path]) -> None:
    for path in files:
        if not path.exists():
            catalog.problems.append(Problem(str(path), "no such file or folder"))
            continue
        try:
            catalog.processes.append(load_file(path))
        except DefinitionError as error:
            catalog.problems.extend(error.problems)


def _drop_duplicate_ids(catalog: Catalog) -> None:
    texts = {loaded.path: loaded.text for loaded in catalog.processes}
    entries = [(loaded.id, loaded.path) for loaded in catalog.processes]
    problems, duplicated = duplicate_id_problems(entries, texts.__getitem__)
    catalog.problems.extend(problems)
    catalog.processes = [p for p in catalog.processes if p.id not in duplicated]


def duplicate_id_problems(
    entries: Iterable[tuple[str, Path]], text_of: Callable[[Path], str]
) -> tuple[list[Problem], set[str]]:
    """A problem on each file whose process id another file uses too, and those ids.

    ``entries`` are the valid files' ``(id, path)`` in load order; ``text_of`` gives a
    file's text, asked only for the files named in a problem (to find the line).
    """
    by_id: dict[str, list[Path]] = {}
    for process_id, path in entries:
        by_id.setdefault(process_id, []).append(path)
    problems: list[Problem] = []
    duplicated: set[str] = set()
    for process_id, group in by_id.items():
        if len(group) < 2:
            continue
        duplicated.add(process_id)
        names = ", ".join(str(path) for path in group)
        for path in group:
            index = TomlLineIndex(text_of(path))
            problems.append(
                Problem(
                    str(path),
                    f"process id {process_id!r} is used by more than one file ({names})",
                    "process.id",
                    index.line_of(("process", "id")) or index.line_of(("process",)),
                )
            )
    return problems, duplicated
