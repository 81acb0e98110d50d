"""Check many definition files for ``procedo validate``, on every core when there are many.

Validating needs only each file's problems and process id, not the models, so each file is
checked where it is read and only that small result travels back: with enough files, a pool
of forked processes shares them (sending models back would cost more than building them).
The problems, their order and the counts are exactly those of :func:`load_catalog`.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from procedo.model.checks_calls import CallFacts, call_facts, catalog_call_problems
from procedo.model.gc_pause import paused_gc
from procedo.model.loader import (
    decode_definition_bytes,
    definition_files,
    duplicate_id_problems,
    parse_definition,
    read_definition_text,
)
from procedo.model.problems import DefinitionError, Problem

POOL_MIN_FILES = 16
"""Fewer files than this are checked in this process: starting the pool would cost more."""


@dataclass(frozen=True, slots=True)
class FileCheck:
    """One file's result: its process id when valid, else its problems."""

    path: Path
    process_id: str | None
    problems: tuple[Problem, ...] = ()
    facts: CallFacts | None = None  # a valid file's calls and ends, for the catalog's check


@dataclass(slots=True)
class CatalogCheck:
    """What ``validate`` reports: every problem, the files and the valid process ids."""

    files: int = 0
    valid_ids: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def files_with_problems(self) -> list[str]:
        """The files that have at least one problem, in order."""
        return list(dict.fromkeys(p.file for p in self.problems))


def check_file(path: Path) -> FileCheck:
    """Check one file as :func:`load_file` loads it, keeping only what validation reports."""
    try:
        text = read_definition_text(path, str(path))
        definition = parse_definition(text, source=str(path), default_id=path.stem)
        return FileCheck(path, definition.id, facts=call_facts(definition, path))
    except DefinitionError as error:
        return FileCheck(path, None, tuple(error.problems))


def default_workers() -> int:
    """The cores this process may run on that are not busy already (at least one).

    A worker on a core another process keeps busy only adds the pool's cost (bench/README.md
    "Issue 15 (stop 23)": 2 workers with the second core busy, 0.86 s; one process, 0.44 s),
    so the cores are counted less the load average of the last minute, rounded.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average to read
        load = 0.0
    return max(1, min(cores, round(cores - load)))


def check_files(
    files: list[Path], *, workers: int | None = None, min_files: int = POOL_MIN_FILES
) -> list[FileCheck]:
    """Check ``files`` (which exist), in order; in a pool when there are enough of them.

    The pool forks, so its workers start with everything already imported; where fork is
    not available, with one core, or when other threads run (a fork would copy their locks
    held), the files are checked here.
    """
    workers = default_workers() if workers is None else workers
    workers = min(workers, len(files))
    forks = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if workers < 2 or len(files) < min_files or not forks:
        with paused_gc():
            return [check_file(path) for path in files]
    chunk = max(1, len(files) // (workers * 4))  # small chunks: the workers finish together
    # gc.freeze: a worker's collector never walks (so never copies) what it got by the fork
    with multiprocessing.get_context("fork").Pool(workers, initializer=gc.freeze) as pool:
        return pool.map(check_file, files, chunksize=chunk)


def check_catalog(
    paths: Iterable[Path | str],
    *,
    workers: int | None = None,
    min_files: int = POOL_MIN_FILES,
    alone: bool = False,
) -> CatalogCheck:
    """Check every definition under ``paths``: the problems of :func:`load_catalog`.

    ``alone``: the files are checked on their own, not as a catalog, so a call of a process
    that is not among them is a warning (it cannot be checked here), not a problem.
    """
    files = definition_files(paths)
    result = CatalogCheck(files=len(files))
    exists = [path.exists() for path in files]
    present = [path for path, there in zip(files, exists, strict=True) if there]
    checked = iter(check_files(present, workers=workers, min_files=min_files))
    valid: list[FileCheck] = []
    for path, there in zip(files, exists, strict=True):
        if not there:
            result.problems.append(Problem(str(path), "no such file or folder"))
            continue
        found = next(checked)
        if found.process_id is None:
            result.problems.extend(found.problems)
        else:
            valid.append(found)
    problems, duplicated = duplicate_id_problems(
        [(found.process_id or "", found.path) for found in valid], _text_of
    )
    result.problems.extend(problems)
    valid = [f for f in valid if f.process_id not in duplicated]
    facts = [f.facts for f in valid if f.facts is not None]
    if any(fact.calls for fact in facts):
        failed = [Path(file).stem for file in result.files_with_problems]
        checked = catalog_call_problems(
            facts, _text_of, not_loaded=failed, unknown_is_warning=alone
        )
        result.problems.extend(checked.problems)
        result.warnings.extend(checked.warnings)
        valid = [f for f in valid if f.process_id not in checked.dropped]
    result.valid_ids = [f.process_id or "" for f in valid]
    return result


def _text_of(path: Path) -> str:
    """A valid file's text again (only for a duplicate id's line)."""
    return decode_definition_bytes(path.read_bytes(), str(path))
