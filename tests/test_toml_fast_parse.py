"""procedo's TOML parser (rtoml where it agrees, else tomli) gives exactly tomli's documents.

Same dict, same key order, same types (datetimes and their offsets, ints, floats with inf and
nan, nested tables, arrays of tables), and the same error for what tomli refuses, including
what rtoml alone would accept (TOML 1.1).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import rtoml
import tomli
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedo.model import DefinitionError, catalog_check, parse_definition, toml_parse
from procedo.model.loader import _texts_surely_fine
from procedo.model.text_checks import text_findings

BUNDLED = sorted((Path(__file__).resolve().parent.parent / "processes").glob("*.toml"))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same(left: Any, right: Any) -> bool:
    """Equal, with the same types all the way down (nan equal to nan, same sign)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, float):
        return (math.isnan(left) and math.isnan(right)) or (
            left == right and math.copysign(1, left) == math.copysign(1, right)
        )
    if isinstance(left, dt.datetime | dt.time) and left.tzinfo is not None:
        return (
            left == right
            and type(left.tzinfo) is type(right.tzinfo)
            and (left.utcoffset() == right.utcoffset())
        )
    return bool(left == right)


def outcome(text: str) -> tuple[str, Any]:
    try:
        return ("ok", tomli.loads(text))
    except tomli.TOMLDecodeError as error:
        return ("error", str(error))
    except (RecursionError, ValueError) as error:
        return ("other", type(error).__name__)


def assert_as_tomli(text: str) -> None:
    expected = outcome(text)
    try:
        got: tuple[str, Any] = ("ok", toml_parse.loads(text))
    except tomli.TOMLDecodeError as error:
        got = ("error", str(error))
    except (RecursionError, ValueError) as error:
        got = ("other", type(error).__name__)
    assert got[0] == expected[0], (text, got, expected)
    assert same(got[1], expected[1]) if got[0] == "ok" else got == expected


OFFSETS = [
    dt.UTC,
    dt.timezone(dt.timedelta(hours=-8)),
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
]
keys = st.text(max_size=8)
scalars = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from(OFFSETS),
    ),
    st.times(),
)
documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(keys, children, max_size=4),
            st.lists(st.dictionaries(keys, children, max_size=3), min_size=1, max_size=3),
        ),
        max_leaves=12,
    ),
    max_size=6,
)


@SETTINGS
@given(documents, st.booleans(), st.booleans())
def test_valid_documents_parse_as_tomli_parses_them(
    document: dict[str, Any], multiline: bool, crlf: bool
) -> None:
    text = tomli_w.dumps(document, multiline_strings=multiline)
    assert_as_tomli(text.replace("\n", "\r\n") if crlf else text)


SYNTAX = "[]{}\"'=.,\n\r\t #\\-_:+" + "abcdefxe" + "0123456789"


@SETTINGS
@given(st.text(alphabet=SYNTAX, max_size=120))
def test_arbitrary_syntax_gives_tomli_s_result_or_error(text: str) -> None:
    assert_as_tomli(text)


@SETTINGS
@given(st.sampled_from([p.read_text(encoding="utf-8") for p in BUNDLED]), st.data())
def test_edited_bundled_files_give_tomli_s_result_or_error(text: str, data: st.DataObject) -> None:
    where = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 3))
    insert = data.draw(st.text(alphabet=SYNTAX, max_size=4))
    assert_as_tomli(text[:where] + insert + text[where + cut :])


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_processes_parse_as_tomli_parses_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert same(toml_parse.loads(text), tomli.loads(text))


TOML_1_1 = [
    'a = "\\e"',
    'a = "\\x41"',
    "a = { b = 1,\n c = 2 }",
    "a = { b = 1, }",
    'a = { b = "}",\n c = "{" }',
    "a = { b = 1 # note\n}",
    "a = [ { b = { c = 1 },\n d = 2 } ]",
]


@pytest.mark.parametrize("text", TOML_1_1)
def test_toml_1_1_reads_as_tomli_reads_it(text: str) -> None:
    assert same(toml_parse.loads(text), tomli.loads(text))


TOMLI_ONLY = [
    "a = 1e400",  # inf
    'a = """\r\nx\r\ny"""',  # CRLF in a multi-line string is LF
    "a = 1979-05-27T07:32:00-08:00\nb = 1979-05-27T07:32:00Z",  # datetime.timezone
    'a = "\ud800"',  # a lone surrogate (from a journal's text, not a file)
    "\ufeffa = 1",  # tomli refuses a byte order mark
    "a = 1979-05-27T07:32:00.1234567891Z",
]


@pytest.mark.parametrize("text", TOMLI_ONLY)
def test_what_rtoml_reads_differently_is_read_by_tomli(text: str) -> None:
    try:
        alone = rtoml.loads(text)
    except Exception:  # rtoml refuses it where tomli reads it, or says so differently
        alone = None
    expected = outcome(text)
    assert alone is None or expected[0] != "ok" or not same(alone, expected[1])
    assert_as_tomli(text)


def test_a_syntax_error_in_a_definition_keeps_tomli_s_message_and_line() -> None:
    text = '[process]\nid = "x"\ntitle = "T"\nstart = "a"\n\n[steps.a]\ntitle = "A"\nnext = \n'
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source="x.toml")
    (problem,) = caught.value.problems
    assert problem.message == "TOML syntax error: Invalid value"
    assert (problem.line, problem.column) == (8, 8)


def test_deep_nesting_is_still_reported_as_too_deep() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition("a = " + "[" * 5000 + "]" * 5000, source="x.toml")
    assert caught.value.problems[0].message == "the file is nested too deeply to read"


# -- the texts seen at once (the loader's shortcut past the walk of every string) -----------

long_texts = st.text(alphabet=st.sampled_from("ab '\"\t\x1b\u202e\n\\"), max_size=130)
text_documents = st.dictionaries(
    st.one_of(keys, st.text(alphabet="ab-_", min_size=115, max_size=125)),
    st.recursive(
        st.one_of(long_texts, st.text(alphabet="ab c'", min_size=110, max_size=130)),
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=3)
        ),
        max_leaves=8,
    ),
    max_size=4,
)


@SETTINGS
@given(text_documents, st.booleans())
def test_texts_seen_fine_at_once_are_fine_one_by_one(document: dict[str, Any], ml: bool) -> None:
    text = tomli_w.dumps(document, multiline_strings=ml)
    if _texts_surely_fine(text):
        assert text_findings(tomli.loads(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        'a = "' + "x" * 121 + '"',
        "a = '" + "x" * 121 + "'",
        "k" * 121 + " = 1",
        'a = "\\u001b"',
        'a = "\x1b"',
        'a = """x\ny"""',
        'title = "\u202e"',
    ],
)
def test_texts_that_may_be_wrong_are_walked(text: str) -> None:
    assert not _texts_surely_fine(text)


def test_texts_within_every_limit_are_seen_fine_at_once() -> None:
    assert _texts_surely_fine('a = "' + "x" * 120 + "\"\nb = 'its'\n" + "k" * 120 + " = 1\n")


# -- how many workers validate uses ---------------------------------------------------------


@pytest.mark.parametrize(("load", "expected"), [(0.0, 2), (0.4, 2), (0.6, 1), (3.5, 1)])
def test_the_pool_counts_only_the_cores_not_busy(
    monkeypatch: pytest.MonkeyPatch, load: float, expected: int
) -> None:
    monkeypatch.setattr(catalog_check.os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(catalog_check.os, "getloadavg", lambda: (load, 0.0, 0.0))
    assert catalog_check.default_workers() == expected
