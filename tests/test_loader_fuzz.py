"""Property tests: whatever the input, loading fails only with DefinitionError, never a crash.

Every problem that is reported must also point inside the file: a line number is either absent
or a line the file has.
"""

from __future__ import annotations

import datetime as dt
import signal
import string
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from procedo.model import DefinitionError, ProcessDefinition, load_file, parse_definition
from procedo.model.toml_index import TomlLineIndex

BUNDLED = sorted((Path(__file__).resolve().parent.parent / "processes").glob("*.toml"))
BUNDLED_TEXTS = [path.read_text(encoding="utf-8") for path in BUNDLED]

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Keys procedo knows, so generated documents reach the models and the graph checks, not only
# the "unknown key" error.
KNOWN_KEYS = [
    "process", "roles", "triggers", "steps", "decisions", "ends", "id", "title", "version",
    "summary", "owner", "start", "target_minutes", "resources", "role", "instructions", "next",
    "items", "text", "critical", "record", "unit", "min", "max", "choices", "details",
    "question", "options", "label", "outcome", "success", "failure", "number", "choice", "a",
    "b", "done",
]  # fmt: skip
SYNTAX_HEAVY = "[]{}\"'=.,\n\r\t #\\-_:+" + string.ascii_lowercase[:6] + "0123456789"


def total_lines(text: str) -> int:
    return text.count("\n") + 1


def assert_loads_or_reports(text: str) -> None:
    """``parse_definition`` returns a definition or raises DefinitionError with sane problems."""
    try:
        definition = parse_definition(text, source="fuzz.toml", default_id="fuzz")
    except DefinitionError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file == "fuzz.toml"
            assert problem.message
            assert isinstance(str(problem), str)
            if problem.line is not None:
                assert 1 <= problem.line <= total_lines(text.removeprefix("\ufeff"))
    else:
        assert isinstance(definition, ProcessDefinition)
        assert definition.ends


# -- arbitrary text -------------------------------------------------------------------------


@FAST
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    assert_loads_or_reports(text)


@FAST
@given(st.text(alphabet=SYNTAX_HEAVY, max_size=200))
def test_bracket_and_quote_heavy_text(text: str) -> None:
    assert_loads_or_reports(text)


@FAST
@given(st.text(alphabet=SYNTAX_HEAVY, max_size=120))
def test_text_after_a_valid_process_table(tail: str) -> None:
    assert_loads_or_reports('[process]\ntitle = "Fuzz"\n' + tail)


# -- arbitrary TOML documents ---------------------------------------------------------------

keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=12))
scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(KNOWN_KEYS),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
)
documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(keys, children, max_size=4),
        ),
        max_leaves=12,
    ),
    max_size=6,
)


@FEWER
@given(documents)
def test_arbitrary_toml_documents(document: dict[str, Any]) -> None:
    assert_loads_or_reports(tomli_w.dumps(document))


node_ids = st.sampled_from(["a", "b", "c", "done", "Bad id", ""])
item = st.one_of(
    st.text(max_size=10),
    st.fixed_dictionaries(
        {"text": st.text(max_size=10)},
        optional={
            "role": st.sampled_from(["op", "lead", "x"]),
            "critical": st.one_of(st.booleans(), st.integers(0, 1)),
            "record": st.sampled_from(["text", "number", "choice", "other"]),
            "unit": st.text(max_size=3),
            "min": st.one_of(st.integers(-5, 5), st.floats(allow_nan=True)),
            "max": st.one_of(st.integers(-5, 5), st.text(max_size=2)),
            "choices": st.lists(st.sampled_from(["x", "y", ""]), max_size=3),
            "details": st.text(max_size=5),
        },
    ),
)
definition_like = st.fixed_dictionaries(
    {},
    optional={
        "process": st.fixed_dictionaries(
            {"title": st.text(max_size=8)},
            optional={
                "id": st.sampled_from(["p", "P q", ""]),
                "start": node_ids,
                "target_minutes": st.one_of(st.integers(-2, 90), st.floats(), st.booleans()),
                "resources": st.lists(st.text(max_size=5), max_size=2),
            },
        ),
        "roles": st.dictionaries(st.sampled_from(["op", "lead"]), st.text(max_size=5)),
        "triggers": st.lists(
            st.fixed_dictionaries(
                {"id": st.sampled_from(["t", "u", "T"]), "title": st.text(max_size=5)},
                optional={"start": node_ids},
            ),
            max_size=3,
        ),
        "steps": st.dictionaries(
            node_ids,
            st.fixed_dictionaries(
                {"title": st.text(max_size=5), "next": node_ids},
                optional={
                    "role": st.sampled_from(["op", "lead", "x"]),
                    "items": st.lists(item, max_size=4),
                },
            ),
            max_size=3,
        ),
        "decisions": st.dictionaries(
            node_ids,
            st.fixed_dictionaries(
                {
                    "question": st.text(max_size=5),
                    "options": st.lists(
                        st.fixed_dictionaries(
                            {"label": st.sampled_from(["Yes", "No", "yes"]), "next": node_ids}
                        ),
                        max_size=3,
                    ),
                }
            ),
            max_size=3,
        ),
        "ends": st.dictionaries(
            node_ids,
            st.fixed_dictionaries(
                {"title": st.text(max_size=5), "outcome": st.sampled_from(["success", "x"])}
            ),
            max_size=2,
        ),
    },
)


@FAST
@given(definition_like)
def test_documents_shaped_like_definitions(document: dict[str, Any]) -> None:
    assert_loads_or_reports(tomli_w.dumps(document))


# -- mutated bundled files ------------------------------------------------------------------


def mutate(text: str, data: st.DataObject) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        if not lines:
            break
        where = data.draw(st.integers(0, len(lines) - 1), label="line")
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "cut"]))
        if action == "delete":
            del lines[where]
        elif action == "duplicate":
            lines.insert(where, lines[where])
        elif action == "swap":
            other = data.draw(st.integers(0, len(lines) - 1), label="other")
            lines[where], lines[other] = lines[other], lines[where]
        else:
            cut = data.draw(st.integers(0, len(lines[where])), label="column")
            lines[where] = lines[where][:cut]
    return "".join(lines)


@FEWER
@given(st.sampled_from(BUNDLED_TEXTS), st.data())
def test_mutated_bundled_files(text: str, data: st.DataObject) -> None:
    assert_loads_or_reports(mutate(text, data))


# -- arbitrary bytes through a real file -----------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "fuzz.toml"


def assert_file_loads_or_reports(path: Path, raw: bytes) -> None:
    path.write_bytes(raw)
    try:
        loaded = load_file(path, display="fuzz.toml")
    except DefinitionError as error:
        assert error.problems
        for problem in error.problems:
            if problem.line is not None:
                assert 1 <= problem.line <= raw.count(b"\n") + 1
    else:
        assert loaded.text.encode("utf-8") in (raw, raw.removeprefix(b"\xef\xbb\xbf"))


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes(scratch: Path, raw: bytes) -> None:
    assert_file_loads_or_reports(scratch, raw)


@FEWER
@given(st.sampled_from(BUNDLED_TEXTS), st.data(), st.binary(min_size=1, max_size=4))
def test_bundled_file_with_stray_bytes(
    scratch: Path, text: str, data: st.DataObject, junk: bytes
) -> None:
    raw = text.encode("utf-8")
    at = data.draw(st.integers(0, len(raw)), label="offset")
    assert_file_loads_or_reports(scratch, raw[:at] + junk + raw[at:])


# -- the key-to-line index ------------------------------------------------------------------


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging when the block runs too long (where SIGALRM exists)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


paths = st.lists(st.one_of(st.sampled_from(KNOWN_KEYS), st.integers(0, 5)), max_size=5)


def assert_index_in_file(text: str, path: list[str | int]) -> None:
    with time_limit(5):
        index = TomlLineIndex(text)
    for line in index.lines.values():
        assert 1 <= line <= total_lines(text)
    found = index.line_of(path)
    assert found is None or 1 <= found <= total_lines(text)


@FAST
@given(st.text(), paths)
def test_line_index_never_raises_on_arbitrary_text(text: str, path: list[str | int]) -> None:
    assert_index_in_file(text, path)


@FAST
@given(st.text(alphabet=SYNTAX_HEAVY + "\"'\\uU", max_size=200), paths)
def test_line_index_never_raises_on_syntax_heavy_text(text: str, path: list[str | int]) -> None:
    assert_index_in_file(text, path)


@FEWER
@given(st.sampled_from(BUNDLED_TEXTS), st.data(), paths)
def test_line_index_never_raises_on_mutated_files(
    text: str, data: st.DataObject, path: list[str | int]
) -> None:
    assert_index_in_file(mutate(text, data), path)


@pytest.mark.parametrize(
    "text",
    ["a = [}", "a = [1, }", 'a = "\\UFFFFFFFF"', 'a = "\\u12"', "[[a", "a = {b = ]}", "a." * 5],
)
def test_line_index_stops_on_text_that_is_not_toml(text: str) -> None:
    """Regression: a stray closing brace inside an array used to make the scanner spin."""
    assert_index_in_file(text, ["a", 0])


def test_line_index_survives_deep_nesting() -> None:
    text = "a = " + "[" * 5000 + "]" * 5000
    assert_index_in_file(text, ["a"])
    assert_loads_or_reports(text)


def key_paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key path in parsed TOML data: table keys and array positions."""
    children: Any
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return []
    found: list[tuple[str | int, ...]] = []
    for key, child in children:
        found.append((*prefix, key))
        found.extend(key_paths(child, (*prefix, key)))
    return found


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_line_index_knows_every_key_of_the_bundled_files(path: Path) -> None:
    import tomllib

    text = path.read_text(encoding="utf-8")
    index = TomlLineIndex(text)
    lines = text.splitlines()
    for key_path in key_paths(tomllib.loads(text)):
        assert key_path in index.lines, key_path
        last = key_path[-1]
        if isinstance(last, str):
            # The line holds the key itself (or the table header that names it).
            assert last in lines[index.lines[key_path] - 1], (key_path, index.lines[key_path])


@FEWER
@given(documents)
def test_line_index_finds_the_keys_of_generated_documents(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    index = TomlLineIndex(text)
    assume(document)
    for key_path in key_paths(document):
        # tomli_w writes every key, so the index must place each path on some line.
        assert index.line_of(key_path) is not None, key_path


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ('[process]\ntitle = "x"\ntarget_minutes = ' + "9" * 5000 + "\n", "4300"),
        ("a = " + "[" * 100_000 + "\n", "nested too deeply"),
    ],
    ids=["huge-integer", "deep-nesting"],
)
def test_pathological_files_are_reported_not_raised(text: str, reported: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source="odd.toml")
    (problem,) = caught.value.problems
    assert problem.file == "odd.toml" and reported in problem.message
