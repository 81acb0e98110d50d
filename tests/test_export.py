"""Exports of one run: Markdown (printable, ends with the last hash), JSON and CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator

import pytest
from markdown_it import MarkdownIt

from fixtures_journal import MARKDOWN_NOTE, build_history_journal
from procedo.journal import Journal
from procedo.journal.run_record import RunRecord, load_run_record
from procedo.render.export import (
    CSV_COLUMNS,
    md,
    spreadsheet_safe,
    to_csv,
    to_json,
    to_markdown,
)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunRecord]]:
    path = tmp_path_factory.mktemp("export") / "journal.db"
    ids = build_history_journal(path)
    with Journal(path) as journal:
        yield {label: load_run_record(journal, run_id) for label, run_id in ids.items()}


def html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_ends_with_the_last_journal_hash(records: dict[str, RunRecord]) -> None:
    for record in records.values():
        text = to_markdown(record)
        assert text.endswith(f"Last journal hash (event {record.last_seq}): {record.last_hash}\n")
        assert record.last_hash == record.events[-1].hash == record.run["last_hash"]
        assert len(record.last_hash) == 64


def test_markdown_holds_the_record(records: dict[str, RunRecord]) -> None:
    record = records["R3"]
    text = to_markdown(record)
    assert text.startswith("# Run record: Mini check\n")
    for expected in [
        "- **Process:** Mini check (`mini`), version 1",
        f"- **Definition hash:** `{record.definition_hash}`",
        f"- **Run:** `{record.run_id}`",
        "- **Operators:** Ann, Cat",
        "- **Trigger:** `call`: A phone call",
        "- **Status:** completed: failure (No reading)",
        "- **Started:** 2026-11-04 09:00:00 UTC",
        "- **Ended:** 2026-11-04 09:09:00 UTC",
        "- **Duration:** 9 min (target 10 min: on target)",
        "1. Prepare (`prep`, 2026-11-04 09:00:00, 5 min): ticked Wash hands; marked Put on gloves"
        " not applicable (Visual check only); recorded Room temperature: 18 °C; completed",
        "3. Is the reading fine? (`ok`, 2026-11-04 09:08:00, 1 min): chose No, give up",
        "| 3 | 2026-11-04 09:01:00 | Ann | marked not applicable: Put on gloves |  | "
        "Visual check only |",
        "| 5 | 2026-11-04 09:02:00 | Ann | handed over | Cat | Shift change |",
        "| Prepare | 3 | Room temperature | 18 °C | Ann | 2026-11-04 09:01:00 |",
        "| Prepare | 2 | Put on gloves | Visual check only | Ann | 2026-11-04 09:01:00 |",
        "Reviewed by ______________________________ Date ______________",
    ]:
        assert expected in text, expected
    # One table row per event, under the header and the rule.
    events = text.split("## Events\n\n")[1].split("\n\n")[0].splitlines()
    assert len(events) == 2 + len(record.events)


def test_markdown_of_unfinished_and_aborted_runs(records: dict[str, RunRecord]) -> None:
    paused = to_markdown(records["R7"])
    assert "- **Status:** paused (unfinished), at Prepare" in paused
    assert "- **Ended:** not yet" in paused
    assert "**Duration:**" not in paused
    assert "1. Prepare (`prep`, 2026-11-08 09:00:00): ticked Wash hands; the run is here" in paused
    assert "## Recorded values\n\nNone.\n" in paused
    aborted = to_markdown(records["R4"])
    assert "- **Status:** aborted: Power cut" in aborted
    assert "- **Duration:** 3 min\n" in aborted, "an aborted run is never on target"
    assert "on target" not in aborted and "over target" not in aborted
    assert "| Prepare | 1 | Wash hands | Water off | Dan | 2026-11-05 09:01:00 |" in aborted
    practice = to_markdown(records["R5"])
    assert "(practice run)" in practice


def test_markdown_notes_and_the_path_with_back(records: dict[str, RunRecord]) -> None:
    text = to_markdown(records["R9"])
    assert (
        "2. Measure the sample (`measure`, 2026-11-10 09:02:00, 1 min): went back to Prepare\n"
        "3. Prepare (`prep`, 2026-11-10 09:03:00, 1 min, came back to it): completed\n"
        "4. Measure the sample (`measure`, 2026-11-10 09:04:00, 4 min): recorded Reading: 40 mg;"
        " recorded Reading: 4 mg; ticked Probe cleaned; completed\n"
    ) in text
    assert "| Measure the sample | 1 | Reading | 4 mg | Cat | 2026-11-10 09:06:00 |" in text
    assert "| 2026-11-07 09:03:00 | Bob | Reading | Probe recalibrated |" in to_markdown(
        records["R6"]
    )


def test_markdown_text_stays_text(records: dict[str, RunRecord]) -> None:
    text = to_markdown(records["R9"])
    escaped = md(MARKDOWN_NOTE)
    assert escaped == (
        r"\# Not a heading \| a pipe \`tick\` \[link\](http://x) \*star\* \_under\_ "
        r"\<b\>x\</b\>"
    )
    assert f"| the run | {escaped} |" in text
    rendered = html(text)
    assert "<h1>Not a heading" not in rendered
    assert 'href="http://x"' not in rendered
    assert "<code>tick</code>" not in rendered
    assert "<em>" not in rendered and "<b>" not in rendered
    assert "# Not a heading | a pipe `tick` [link](http://x) *star* _under_ &lt;b&gt;" in rendered
    # The note's pipe did not split its table row: the notes table has 4 cells per row.
    notes = rendered.split("<th>Note</th>")[1].split("</table>")[0]
    assert notes.count("<td>") == 4


@pytest.mark.parametrize(
    ("raw", "rendered_as"),
    [
        ("1. not a list", "<p>1. not a list</p>"),
        ("- not a list", "<p>- not a list</p>"),
        ("+ plus", "<p>+ plus</p>"),
        ("=== not a rule", "<p>=== not a rule</p>"),
        ("two\nlines", "<p>two<br>lines</p>"),
        ("a & b &amp;", "<p>a &amp; b &amp;amp;</p>"),
        ("back\\slash", "<p>back\\slash</p>"),
        ("  # padded", "<p># padded</p>"),
    ],
)
def test_md_escapes_block_syntax(raw: str, rendered_as: str) -> None:
    assert html(md(raw)).strip() == rendered_as


def test_json_holds_everything(records: dict[str, RunRecord]) -> None:
    record = records["R9"]
    data = json.loads(to_json(record))
    assert (data["format"], data["format_version"]) == ("procedo-run-export", 1)
    rows = [e.to_row() for e in record.events]
    assert [{**e, "item": e["item_index"]} for e in data["events"]] == [
        {**row, "item_index": row["item"]} for row in rows
    ]
    assert set(data["events"][0]) == {
        "run_id", "seq", "ts", "actor", "kind", "node", "item", "item_index", "value", "reason",
        "hash",
        "branch",
    }  # fmt: skip
    assert data["run"]["id"] == record.run_id and data["run"]["operators"] == ["Cat"]
    assert data["run"]["duration_ms"] == 10 * 60_000
    assert data["definition"]["hash"] == record.definition_hash
    assert "[steps.measure]" in data["definition"]["toml"]
    assert data["path"] == ["prep", "measure", "ok", "done"]
    assert [v["outcome"] for v in data["visits"]] == [
        "completed",
        "back",
        "completed",
        "chosen",
        "finished",
    ]
    assert [
        (v["item"], v["item_index"], v["text"], v["value"], v["unit"]) for v in data["values"]
    ] == [
        (4, 3, "Room temperature", "25", "°C"),
        (1, 0, "Reading", "4", "mg"),
    ]
    assert [(n["text"], n["reason"]) for n in data["not_applicable"]] == [
        ("Put on gloves", "Not needed")
    ]
    assert [n["text"] for n in data["notes"]] == [MARKDOWN_NOTE]
    assert (data["last_seq"], data["last_hash"]) == (17, record.last_hash)


def test_csv_has_one_row_per_event(records: dict[str, RunRecord]) -> None:
    record = records["R3"]
    rows = list(csv.DictReader(io.StringIO(to_csv(record))))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(record.events)
    for row, event in zip(rows, record.events, strict=True):
        assert row["seq"] == str(event.seq) and row["hash"] == event.hash
        assert row["kind"] == event.kind and row["value"] == (event.value or "")
    assert (rows[2]["kind"], rows[2]["item_text"], rows[2]["reason"]) == (
        "na",
        "Put on gloves",
        "Visual check only",
    )
    assert rows[0]["node_title"] == "Prepare"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("-5", "-5"),
        ("+7.25", "+7.25"),
        ("-1e3", "-1e3"),
        ("plain text", "plain text"),
        ("", ""),
        (None, None),
        (12, 12),
    ],
)
def test_csv_cells_never_run_as_spreadsheet_formulas(cell: object, shown: object) -> None:
    assert spreadsheet_safe(cell) == shown


def test_a_run_csv_guards_operator_text(records: dict[str, RunRecord]) -> None:
    record = records["R3"]
    first = dataclasses.replace(record.events[0], value="=1+1", reason="@cmd")
    guarded = dataclasses.replace(record, events=(first, *record.events[1:]))
    rows = list(csv.DictReader(io.StringIO(to_csv(guarded))))
    assert (rows[0]["value"], rows[0]["reason"]) == ("'=1+1", "'@cmd")
    assert rows[1]["hash"] == record.events[1].hash


def test_within_target_is_one_rule_at_the_millisecond_edge() -> None:
    from procedo.engine.targets import target_ms, within_target
    from procedo.model import parse_definition

    definition = parse_definition(
        '[process]\ntitle = "T"\ntarget_minutes = 0.0000083\n[steps.a]\ntitle = "A"\n'
        'next = "e"\n[ends.e]\ntitle = "E"\noutcome = "success"\n'
    )
    edge = target_ms(definition)
    assert edge == 0  # 0.0000083 min = 0.498 ms, rounded as the journal stores it
    assert within_target(definition, "completed", edge) is True
    assert within_target(definition, "completed", edge + 1) is False
    assert within_target(definition, "aborted", 0) is None
    assert within_target(definition, "active", None) is None


def test_items_are_numbered_from_1_in_every_export(records: dict[str, RunRecord]) -> None:
    record = records["R3"]  # event 4 records item 3 of Prepare, "Room temperature"
    rows = list(csv.DictReader(io.StringIO(to_csv(record))))
    assert (rows[3]["kind"], rows[3]["item"], rows[3]["item_text"]) == (
        "record",
        "3",
        "Room temperature",
    )
    event = json.loads(to_json(record))["events"][3]
    assert (event["item"], event["item_index"]) == (3, 2)
    assert "| Prepare | 3 | Room temperature | 18 °C |" in to_markdown(record)


def test_every_recorded_value_carries_its_unit(records: dict[str, RunRecord]) -> None:
    record = records["R3"]
    text = to_markdown(record)
    assert "| 4 | 2026-11-04 09:01:00 | Ann | recorded Room temperature | 18 °C |  |" in text
    assert "| recorded Reading | 10 mg |" in text
    rows = list(csv.DictReader(io.StringIO(to_csv(record))))
    assert [(r["value"], r["unit"]) for r in rows if r["kind"] == "record"] == [
        ("18", "°C"),
        ("10", "mg"),
    ]
    assert {r["unit"] for r in rows if r["kind"] != "record"} == {""}
    values = json.loads(to_json(record))["values"]
    assert [(v["value"], v["unit"]) for v in values] == [("18", "°C"), ("10", "mg")]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("version 1.0", "version 1.0"),
        ("1.0", "1.0"),
        ("12.5 V", "12.5 V"),
        ("12.5", "12.5"),
        ("-5 °C", "-5 °C"),
        ("a & b", "a & b"),
        ("Fish & chips!", "Fish & chips!"),
        ("1. not a list", "1\\. not a list"),
        ("- not a list", "\\- not a list"),
        ("---", "\\---"),
        ("a &amp; b", "a \\&amp; b"),
        ("*star*", "\\*star\\*"),
    ],
)
def test_md_escapes_only_what_markdown_would_read(raw: str, escaped: str) -> None:
    assert md(raw) == escaped
    assert html(escaped).strip() == f"<p>{raw.replace('&', '&amp;')}</p>"


def test_one_duration_rule_for_screen_and_export() -> None:
    from procedo.render.durations import duration as export_duration
    from procedo.tui.text import duration as screen_duration

    for ms, shown in [
        (80_999, "1 min 20 s"),  # counted down as the run clock does, never 1 min 21 s
        (600_000, "10 min"),
        (754_000, "12 min 34 s"),
        (3_900_000, "1 h 05 min"),
        (7_200_000, "2 h"),
        (45_400, "45 s"),
    ]:
        assert export_duration(ms) == screen_duration(ms) == shown
    assert (export_duration(None), screen_duration(None)) == ("", "–")


def test_counted_words_agree_with_their_count(records: dict[str, RunRecord]) -> None:
    from procedo.render.words import plural

    assert [plural(n, "visit") for n in (0, 1, 2)] == ["0 visits", "1 visit", "2 visits"]
    record = records["R3"]
    one = dataclasses.replace(record, events=record.events[:1])
    assert f"Journal of run {record.run_id}: 1 event. " in to_markdown(one)
    assert f"Journal of run {record.run_id}: 11 events. " in to_markdown(record)
