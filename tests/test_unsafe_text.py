"""A process file or a note must never take over the terminal (issue 9).

Definitions refuse control and text-direction characters and over-long texts, naming file,
line and key; the engine refuses them in notes, reasons, values and names; and what an older
journal already holds is shown as visible escapes (``\\x1b``, ``\\u202e``) by the TUI and the
CLI, never written raw. The hostile journal is made the way an older procedo would have made
it: with the checks of the day (none) put back for the time it is written.
"""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input

import procedo.engine.item_drafts as item_drafts_module
import procedo.engine.run as run_module
import procedo.journal.rows as rows_module
from procedo.cli import cli
from procedo.engine import InvalidValue, MemorySink, Refused, Run
from procedo.journal import Journal
from procedo.model import (
    DefinitionError,
    LoadedProcess,
    content_hash,
    load_catalog,
    parse_definition,
)
from procedo.model.parse_cache import ENV_CACHE_DIR
from procedo.model.text_checks import MAX_LINE, MAX_MULTILINE, MAX_NAME
from procedo.safe_text import first_unsafe, is_unsafe, json_text, visible
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.run_detail import RunDetailScreen
from procedo.tui.text import cell, line, lit
from tui_support import app_for, settle, widget_text

RAW = ("\x1b", "\x07", "\x08", "\x9b", "\u202e")
"""Characters that must never reach a terminal."""

VALID = """\
[process]
id = "plain"
title = "Plain process"
version = "1"
summary = "What it does.\\nOn two lines."
owner = "Ops"
resources = ["Torch", "Gloves"]

[roles]
op = "Operator"

[[triggers]]
id = "call"
title = "A call came in"

[steps.first]
title = "First step"
role = "op"
instructions = \"\"\"Do this,
then that.\"\"\"
next = "ask"
items = [
  "Tick me",
  { text = "Reading", record = "number", unit = "bar" },
  { text = "Grade", record = "choice", choices = ["A", "B"], details = "Look.\\nAgain." },
]

[decisions.ask]
question = "Fine?"
details = "Think."
options = [
  { label = "Yes", next = "done" },
  { label = "No", next = "first" },
]

[ends.done]
title = "Done"
outcome = "success"
"""

HOSTILE_TOML = r"""
[process]
id = "hostile"
title = "Plain \u001b]0;pwned\u0007 x"
summary = "\u001b[2J\u001b[31mRED\u001b[H"

[roles]
op = "Op \u202e rotarepo"

[steps.first]
title = "First \u001b[2J step"
role = "op"
instructions = "Do \u001b]0;pwned\u0007 this"
next = "done"
items = ["Tick \u202e me", { text = "Reading \u0008", record = "text" }]

[ends.done]
title = "Done \u009b end"
outcome = "success"
"""
NOTE = "line one \x1b]0;pwned\x07\nline two \u202e"
VALUE = "v \x1b[31m red"
OPERATOR = "Ann \x1b[2J"


def problems_of(text: str, source: str = "p.toml") -> list:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source=source, default_id="plain")
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), 1) if needle in row)


# -- safe_text: the one rule ----------------------------------------------------------------


def test_the_compiled_search_is_the_same_rule_as_is_unsafe() -> None:
    for code in range(0x3000):  # every C0/C1 control and bidi control is below U+3000
        char = chr(code)
        for multiline in (False, True):
            found = first_unsafe(f"ab{char}", multiline=multiline)
            assert (found == char) == is_unsafe(char, multiline=multiline), hex(code)


def test_json_text_escapes_controls_and_bidi_and_stays_the_same_json() -> None:
    data = {"t": "x\x1b]0;p\x07 \u202e \x9b \x7f \u2028 漢字 é\u00a0", "n": [1, None]}
    text = json_text(data, indent=2)
    assert json.loads(text) == data
    assert not any(char in text for char in (*RAW, "\x7f", "\u2028"))
    assert "\\u001b" in text and "\\u202e" in text and "漢字 é\u00a0" in text


def test_joiners_that_scripts_and_emoji_need_are_shown_as_they_are() -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ inside a word
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # a ZWJ emoji sequence
    for text in (persian, family):
        assert visible(text) == text
        assert json.loads(json_text(text)) == text and text in json_text(text)
    assert visible("a\u200bb\u202ec") == "a\\u200bb\\u202ec"  # other format characters: escaped


# -- validation -----------------------------------------------------------------------------


def test_the_valid_text_is_valid() -> None:
    assert parse_definition(VALID).title == "Plain process"


def test_the_issue_title_is_refused_with_file_line_and_key() -> None:
    text = VALID.replace('title = "Plain process"', 'title = "Plain \\u001b]0;pwned\\u0007 x"')
    [problem] = problems_of(text)
    assert problem.file == "p.toml"
    assert problem.key == "process.title"
    assert problem.line == line_of(text, "pwned")
    assert "\\x1b" in problem.message and "character 7" in problem.message
    assert "\x1b" not in str(problem)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('summary = "What', 'summary = "\\u001b[2J\\u001b[31mRED\\u001b[H What', "process.summary"),
        ('owner = "Ops"', 'owner = "O\\u202eps"', "process.owner"),
        ('version = "1"', 'version = "1\\u0008"', "process.version"),
        ('"Torch"', '"To\\u0085rch"', "process.resources.0"),
        ('op = "Operator"', 'op = "Oper\\u2066ator"', "roles.op"),
        ('op = "Operator"', '"o\\u001bp" = "Operator"', "roles.o\\x1bp"),
        ('title = "A call came in"', 'title = "A call\\r came in"', "triggers.0.title"),
        ('title = "First step"', 'title = "First \\u009b step"', "steps.first.title"),
        (
            'instructions = """Do this,',
            'instructions = """Do \\u001b this,',
            "steps.first.instructions",
        ),
        ('"Tick me"', '"Tick \\u202e me"', "steps.first.items.0"),
        ('text = "Reading"', 'text = "Rea\\u0007ding"', "steps.first.items.1.text"),
        ('unit = "bar"', 'unit = "b\\u001bar"', "steps.first.items.1.unit"),
        ('choices = ["A", "B"]', 'choices = ["A", "B\\u2069"]', "steps.first.items.2.choices.1"),
        ('details = "Look.', 'details = "\\u202dLook.', "steps.first.items.2.details"),
        ('question = "Fine?"', 'question = "Fine\\u001b?"', "decisions.ask.question"),
        ('details = "Think."', 'details = "Th\\u0000ink."', "decisions.ask.details"),
        ('label = "Yes"', 'label = "Y\\u001bes"', "decisions.ask.options.0.label"),
        ('title = "Done"', 'title = "Do\\u202ane"', "ends.done.title"),
        ("[ends.done]", '[ends.done]\nsurprise = "\\u001b"', "ends.done.surprise"),
    ],
)
def test_every_text_of_a_definition_refuses_unsafe_characters(old: str, new: str, key: str) -> None:
    assert old in VALID
    text = VALID.replace(old, new, 1)
    problems = [p for p in problems_of(text) if p.key == key]
    assert problems, [str(p) for p in problems_of(text)]
    assert any("must not contain" in p.message for p in problems), [str(p) for p in problems]
    assert problems[0].line == line_of(text, new.splitlines()[-1])


def test_only_summary_instructions_and_details_may_span_lines() -> None:
    assert "\n" in parse_definition(VALID).steps["first"].instructions  # and summary, details
    text = VALID.replace('title = "First step"', 'title = """First\nstep"""')
    [problem] = problems_of(text)
    assert problem.key == "steps.first.title"
    assert "must not contain a line break (character 6)" in problem.message


def test_a_tab_is_allowed() -> None:
    text = VALID.replace('title = "First step"', 'title = "First\\tstep"')
    assert parse_definition(text).steps["first"].title == "First\tstep"


@pytest.mark.parametrize(
    ("old", "key", "limit"),
    [
        ('title = "First step"', "steps.first.title", MAX_LINE),
        ('label = "Yes"', "decisions.ask.options.0.label", MAX_LINE),
        ('owner = "Ops"', "process.owner", MAX_NAME),
        ('op = "Operator"', "roles.op", MAX_NAME),
        ('details = "Think."', "decisions.ask.details", MAX_MULTILINE),
    ],
)
def test_every_text_has_a_length_limit(old: str, key: str, limit: int) -> None:
    name, _ = old.split(" = ")
    at_limit = VALID.replace(old, f'{name} = "{"x" * limit}"', 1)
    parse_definition(at_limit)
    over = VALID.replace(old, f'{name} = "{"x" * (limit + 1)}"', 1)
    [problem] = problems_of(over)
    assert problem.key == key
    assert problem.message == f"is {limit + 1:,} characters long: the limit is {limit:,}"


def test_a_long_key_is_refused() -> None:
    key = "r" * (MAX_NAME + 1)
    [problem] = problems_of(VALID.replace('op = "Operator"', f'op = "Operator"\n{key} = "R"'))
    assert problem.key == f"roles.{key}"
    assert problem.message.startswith("the key is 121 characters long")


def test_a_10_mb_title_is_refused_with_its_limit_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_CACHE_DIR, "off")
    text = VALID.replace('title = "Plain process"', f'title = "{"x" * 10_000_000}"')
    started = time.perf_counter()
    [problem] = problems_of(text)
    elapsed = time.perf_counter() - started
    assert problem.key == "process.title" and problem.line == 3
    assert problem.message == "is 10,000,000 characters long: the limit is 500"
    assert elapsed < 5, elapsed  # about 0.4 s on the 2-core machine, most of it reading TOML


def test_a_hostile_file_in_a_folder_is_reported_and_the_others_load(tmp_path: Path) -> None:
    (tmp_path / "plain.toml").write_text(VALID, encoding="utf-8")
    (tmp_path / "hostile.toml").write_text(HOSTILE_TOML, encoding="utf-8")
    catalog = load_catalog([tmp_path])
    assert [p.id for p in catalog.processes] == ["plain"]
    keys = {p.key for p in catalog.problems}
    assert {"process.title", "process.summary", "roles.op", "steps.first.title"} <= keys
    assert all(p.file.endswith("hostile.toml") for p in catalog.problems)


def test_a_stored_definition_still_loads_and_is_never_cached_as_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "cache"))
    lenient = parse_definition(HOSTILE_TOML, check_texts=False)
    assert lenient.title == "Plain \x1b]0;pwned\x07 x"
    with pytest.raises(DefinitionError):  # the lenient parse left nothing in the cache
        parse_definition(HOSTILE_TOML)


# -- engine ---------------------------------------------------------------------------------


def plain_run() -> Run:
    return Run.start(parse_definition(VALID), "hash", MemorySink(), "Ann", trigger="call")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("look \x1b]0;pwned\x07", "the note must not contain the control character \\x1b"),
        ("a\u202eb", "the note must not contain the control character \\u202e (RIGHT-TO-LEFT"),
        ("bell \x07", "the note must not contain the control character \\x07"),
        pytest.param("x" * (MAX_MULTILINE + 1), "the note is longer than 10000", id="long"),
    ],
)
def test_a_note_with_unsafe_characters_is_refused(text: str, message: str) -> None:
    run = plain_run()
    with pytest.raises(Refused) as caught:
        run.note(text)
    assert str(caught.value).startswith(message)
    assert [e.kind for e in run.sink.events] == ["start"]  # type: ignore[attr-defined]


def test_a_note_may_span_lines() -> None:
    run = plain_run()
    run.note("first line\r\nsecond line\n\tindented")
    assert run.state.notes[-1].text == "first line\nsecond line\n\tindented"


@pytest.mark.parametrize("bad", ["two\nlines", "esc \x1b[2J", "rtl \u2067"])
def test_reasons_are_one_line_and_safe(bad: str) -> None:
    for act in (
        lambda run: run.mark_not_applicable(0, bad),
        lambda run: run.pause(bad),
        lambda run: run.hand_over("Bob", bad),
        lambda run: run.take_over("Cat", bad),
        lambda run: run.abort(bad),
    ):
        run = plain_run()
        with pytest.raises(Refused, match=r"^the reason must not contain"):
            act(run)
        assert len(run.sink.events) == 1  # type: ignore[attr-defined]


def test_a_long_optional_reason_is_refused() -> None:
    with pytest.raises(Refused, match="the reason is longer than 10000 characters"):
        plain_run().pause("x" * (MAX_MULTILINE + 1))


@pytest.mark.parametrize(
    ("item", "raw"),
    [(1, "5\x1b[2J"), (2, "A\u202e"), (1, "5\n6"), pytest.param(2, "x" * 10_001, id="long")],
)
def test_a_value_with_unsafe_characters_is_refused(item: int, raw: str) -> None:
    run = plain_run()
    with pytest.raises(InvalidValue, match=r"^the value (must not contain|is longer)"):
        run.record(item, raw)


def test_a_text_value_is_refused_too() -> None:
    definition = parse_definition(HOSTILE_TOML, check_texts=False)
    run = Run.start(definition, "hash", MemorySink(), "Ann")
    with pytest.raises(InvalidValue, match=r"^the value must not contain the control character"):
        run.record(1, VALUE)
    assert run.record(1, "fine value") == "fine value"


def test_a_handover_name_is_checked() -> None:
    with pytest.raises(Refused, match=r"^the operator name must not contain"):
        plain_run().hand_over("Bob\x1b[2J")


# -- a journal written before these rules ---------------------------------------------------


def hostile_journal(db: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A journal as an older procedo wrote it: a hostile definition, operator, note, value,
    reason; the run is left paused and released. Returns the run id."""
    definition = parse_definition(HOSTILE_TOML, check_texts=False)
    path = db.parent / "hostile.toml"
    loaded = LoadedProcess(definition, path, HOSTILE_TOML, content_hash(HOSTILE_TOML))
    with monkeypatch.context() as old:
        old.setattr(rows_module, "parse_definition", functools.partial(
            parse_definition, check_texts=False))  # fmt: skip
        old.setattr(run_module, "clean_name", lambda name, what="": name)
        old.setattr(run_module, "clean_text", lambda text, what, **_: text)
        old.setattr(item_drafts_module, "normalise_value", lambda item, raw: raw)
        old.setattr(item_drafts_module, "clean_text", lambda text, what, **_: text)
        old.setattr(run_module, "optional_reason", lambda reason: reason)
        with Journal(db) as journal:
            run = journal.start_run(loaded, OPERATOR)
            run.check(0)
            run.record(1, VALUE)
            run.note(NOTE)
            run.pause("gone \x1b]0;pwned\x07 home")
            journal.release(run.run_id)
            return run.run_id


def test_a_hostile_journal_replays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "journal.db"
    run_id = hostile_journal(db, monkeypatch)
    with Journal(db) as journal:
        definition, state = journal.load_state(run_id)
    assert definition.title == "Plain \x1b]0;pwned\x07 x"
    assert state.operator == OPERATOR and state.notes[-1].text == NOTE
    assert state.status == "paused"


# -- the TUI --------------------------------------------------------------------------------


def test_the_content_builders_show_escapes() -> None:
    assert lit("a\x1b]0;x\x07b").plain == "a\\x1b]0;x\\x07b"
    assert lit("one\ntwo\u202e\tend").plain == "one\ntwo\\u202e    end"
    assert line(("t\x1b", "bold"), "\n", "n\x9b").plain == "t\\x1b\nn\\x9b"
    assert cell("a\nb\x08").plain == "a b\\x08"
    assert cell("Line\u2028Sep\x85").plain == "Line\\u2028Sep\\x85"  # not folded to spaces
    assert lit("C:\\temp [b]").plain == "C:\\temp [b]"  # ordinary text is unchanged


def screen_text(app: object) -> str:
    """Every character the current screen draws."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)


def assert_safe(text: str) -> None:
    found = [char for char in RAW if char in text]
    assert not found, found


async def test_the_tui_shows_a_hostile_journal_as_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procedo.config import Paths

    (tmp_path / "processes").mkdir()
    (tmp_path / "processes" / "plain.toml").write_text(VALID, encoding="utf-8")
    paths = Paths(processes=tmp_path / "processes", db=tmp_path / "journal.db")
    run_id = hostile_journal(paths.db, monkeypatch)
    app = app_for(paths)
    async with app.run_test(size=(180, 40)) as pilot:
        await pilot.pause()
        home = screen_text(app)
        assert_safe(home)
        assert "Plain \\x1b]0;pwned\\x07 x" in widget_text(app, "#unfinished")
        assert "Ann \\x1b[2J" in widget_text(app, "#unfinished")

        # the suggested operator (PROCEDO_OPERATOR here) never prefills a field with escapes
        monkeypatch.setenv("PROCEDO_OPERATOR", "Eve \x1b[2J")
        app.open_start("plain")
        await pilot.pause()
        assert_safe(screen_text(app))
        assert app.screen.query_one("#operator", Input).value == ""
        app.pop_screen()
        await pilot.pause()

        app.open_run_detail(run_id)
        await settle(pilot)
        assert isinstance(app.screen, RunDetailScreen)
        detail = screen_text(app)
        assert_safe(detail)
        assert "Plain \\x1b]0;pwned\\x07 x" in widget_text(app, "#detail-title")
        table = widget_text(app, "#timeline")
        assert "v \\x1b[31m red" in table and "gone \\x1b]0;pwned\\x07 home" in table
        record = app.screen.record
        assert record is not None
        note_row = next(i for i, e in enumerate(record.events) if e.kind == "note")
        app.screen.query_one("#timeline", DataTable).move_cursor(row=note_row)
        await pilot.pause()
        panel = screen_text(app)
        assert_safe(panel)
        assert "line one \\x1b]0;pwned\\x07" in widget_text(app, "#event-detail")
        assert "line two \\u202e" in widget_text(app, "#event-detail")

        app.pop_screen()
        await pilot.pause()
        app.open_history()
        await settle(pilot)  # the rows are in and the table fitted to its width
        assert_safe(screen_text(app))
        assert "Plain \\x1b]0;pwned\\x07 x" in widget_text(app, "#runs")

        app.pop_screen()
        await pilot.pause()
        app.resume_run(run_id)  # who goes on? The last operator's name is shown escaped
        await pilot.pause()
        assert "Last worked by Ann \\x1b[2J" in widget_text(app, ".dialog-hint")
        assert_safe(screen_text(app))
        assert app.screen.query_one("#operator, #dialog-input", Input).value == ""
        await pilot.press(*"Eve", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        walk = screen_text(app)
        assert_safe(walk)
        assert "First \\x1b[2J step" in widget_text(app, "#node-title")
        assert "Do \\x1b]0;pwned\\x07 this" in widget_text(app, "#node-instructions")
        assert "Tick \\u202e me" in widget_text(app, "#choices")
        assert "Op \\u202e rotarepo" in widget_text(app, "#node-meta")
        app.notify("bad \x1b]0;pwned\x07 name", markup=False)
        await pilot.pause()
        assert_safe(screen_text(app))


# -- the CLI --------------------------------------------------------------------------------


@pytest.fixture
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    monkeypatch.delenv("PROCEDO_DB", raising=False)
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "journal.db"
    return db, hostile_journal(db, monkeypatch)


@pytest.mark.parametrize(
    "args",
    [
        ["runs"],
        ["runs", "--json"],
        ["show", "{run}"],
        ["show", "{run}", "--json"],
        ["history"],
        ["history", "--csv"],
        ["history", "--json"],
        ["stats", "hostile"],
        ["stats", "hostile", "--json"],
    ],
)
def test_cli_outputs_never_carry_raw_controls(
    hostile_db: tuple[Path, str], args: list[str]
) -> None:
    db, run_id = hostile_db
    args = [a.replace("{run}", run_id[:8]) for a in args]
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    if "--json" in args:
        json.loads(result.output)  # still valid JSON
    assert "\\x1b" in result.output or "\\u001b" in result.output


def test_history_csv_escapes_each_cell(hostile_db: tuple[Path, str]) -> None:
    db, _ = hostile_db
    result = CliRunner().invoke(cli, ["--db", str(db), "history", "--csv"])
    assert "Plain \\x1b]0;pwned\\x07 x" in result.output
    assert "Ann \\x1b[2J" in result.output


def test_show_lists_the_note_and_value_escaped(hostile_db: tuple[Path, str]) -> None:
    db, run_id = hostile_db
    result = CliRunner().invoke(cli, ["--db", str(db), "show", run_id])
    assert "= line one \\x1b]0;pwned\\x07\\nline two \\u202e" in result.output
    assert "= v \\x1b[31m red" in result.output


def test_validate_and_list_name_the_problem_without_raw_controls(tmp_path: Path) -> None:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "hostile.toml").write_text(HOSTILE_TOML, encoding="utf-8")
    (folder / "plain.toml").write_text(VALID, encoding="utf-8")
    runner = CliRunner()
    for args in (["validate", str(folder)], ["validate", str(folder), "--json"], ["list"]):
        result = runner.invoke(cli, ["--processes", str(folder), *args])
        assert_safe(result.output)
    result = runner.invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "hostile.toml:4: process.title: must not contain the control character \\x1b" in (
        result.output
    )
    parsed = json.loads(runner.invoke(cli, ["validate", str(folder), "--json"]).output)
    assert not parsed["valid"]
