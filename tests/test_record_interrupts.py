"""The record of interrupts and deferred items: the Markdown, JSON and CSV exports, ``procedo
show`` and ``procedo stats`` (text and JSON), and the figures: how often each interrupt
happens, where, its median duration, how it ends; which items are deferred most and why."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from interrupt_journal import MINUTE, build
from procedo.cli import cli
from procedo.engine.run_record import RunRecord
from procedo.journal import Journal
from procedo.journal.metrics import compute_metrics
from procedo.journal.run_record import load_run_record
from procedo.model.figures import NodeCount, ReasonCount
from procedo.render.export import to_csv, to_dict, to_markdown


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("interrupts")
    db = folder / "journal.db"
    return db, build(db, folder)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROCEDO_DB", raising=False)
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.chdir(tmp_path)


def record(built: tuple[Path, dict[str, str]], name: str) -> RunRecord:
    db, ids = built
    with Journal(db) as journal:
        return load_run_record(journal, ids[name])


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def section(markdown: str, heading: str) -> list[str]:
    """The table rows of a section (without its header and rule)."""
    text = markdown.split(f"## {heading}\n\n", 1)[1].split("\n\n", 1)[0]
    return text.splitlines()[2:]


def test_the_markdown_lists_every_interrupt_and_deferred_item(
    built: tuple[Path, dict[str, str]],
) -> None:
    text = to_markdown(record(built, "leak"))
    assert section(text, "Interrupts") == [
        "| Oil leak | caution | 2026-11-18 12:07:40 | Isolate the press | Bleed the accumulator "
        "| 3 min | returned |",
        "| Fire alarm | warning | 2026-11-18 12:13:40 | Close out | Remove the locks | 2 min "
        "| returned (Yes: resume) |",
    ]
    assert section(text, "Deferred items") == [
        "| Service the press | 2 | Photograph the seals | camera flat | Ann | 2026-11-18 12:11:40 "
        "| at Close out | ticked at Close out, 2026-11-18 12:13:40 by Ann |",
        "| Service the press | 3 | File the work order | office shut | Ann | 2026-11-18 12:11:40 "
        "| at any later step | not applicable (filed online) at Close out, 2026-11-18 12:15:40 "
        "by Ann |",
    ]
    # the item deferred and then marked not applicable at another step is in its table too
    assert "| Service the press | 3 | File the work order | filed online |" in text
    # the interrupt's stay is in the path with its own time and how it ended
    assert (
        "2. Interrupt: Oil leak (`leak`, 2026-11-18 12:07:40, 3 min): ticked Contain the leak; "
        "recorded Litres spilled: 2.5; finished: back where it interrupted"
    ) in text
    assert "| Oil leak | 2 | Litres spilled | 2.5 | Ann |" in text


def test_the_markdown_says_where_an_interrupt_led_and_what_was_left(
    built: tuple[Path, dict[str, str]],
) -> None:
    text = to_markdown(record(built, "stacked"))
    assert [row.split(" | ")[3:7] for row in section(text, "Interrupts")] == [
        ["Service the press", "File the work order", "2 min", "returned |"],
        ["Phone call", "", "5 min", "returned |"],
        ["Service the press", "", "3 min", "on to Abandoned: the lockout stays (No: abandon) |"],
    ]
    assert "## Deferred items" not in text
    assert "left: an interrupt led to Abandoned: the lockout stays" in text
    opened = to_markdown(record(built, "queued"))
    assert section(opened, "Interrupts")[1].endswith(
        "| Service the press | Change the filter |  | open |"
    )


def test_a_run_without_interrupts_has_no_such_sections(tmp_path: Path) -> None:
    from fixtures_journal import build_history_journal

    db = tmp_path / "plain.db"
    ids = build_history_journal(db, only=["R2"])
    with Journal(db) as journal:
        text = to_markdown(load_run_record(journal, ids["R2"]))
    assert "## Interrupts" not in text and "## Deferred items" not in text


def test_the_json_carries_each_interrupt_and_deferral(built: tuple[Path, dict[str, str]]) -> None:
    data = to_dict(record(built, "leak"))
    leak, fire = data["interrupts"]
    assert (leak["interrupt"], leak["interrupted_node"], leak["interrupted_item"]) == (
        "leak", "isolate", 2)  # fmt: skip
    assert (leak["interrupted_item_index"], leak["duration_ms"], leak["outcome"]) == (
        1, 3 * MINUTE, "returned")  # fmt: skip
    assert (fire["answer"], fire["after"], fire["return_seq"]) == ("Yes: resume", "return", 20)
    photo, order = data["deferrals"]
    assert (photo["item"], photo["item_index"], photo["reason"], photo["defer_to"]) == (
        2, 1, "camera flat", "close")  # fmt: skip
    assert (photo["done_node"], photo["open"], order["na_reason"]) == (
        "close",
        False,
        "filed online",
    )
    assert [v["interrupted_ms"] for v in data["visits"] if v["node"] == "isolate"] == [3 * MINUTE]
    values = [(v["node"], v["text"], v["value"]) for v in data["values"]]
    assert ("leak", "Litres spilled", "2.5") in values
    assert [(n["node"], n["item"], n["visit"]) for n in data["not_applicable"]] == [
        ("service", 3, 4)]  # fmt: skip
    opened = to_dict(record(built, "queued"))
    assert opened["interrupts"][1]["queued_at"] is not None
    assert opened["interrupts"][1]["outcome"] is None


def test_the_csv_names_the_interrupted_item_the_answer_and_the_interrupt_time(
    built: tuple[Path, dict[str, str]],
) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(record(built, "leak")))))
    raised = [r for r in rows if r["kind"] in ("interrupt", "return", "defer")]
    assert [(r["kind"], r["node_title"], r["item_text"], r["interrupt_ms"]) for r in raised] == [
        ("interrupt", "Oil leak", "Bleed the accumulator", ""),
        ("return", "Oil leak", "", str(3 * MINUTE)),
        ("defer", "Service the press", "Photograph the seals", ""),
        ("defer", "Service the press", "File the work order", ""),
        ("interrupt", "Fire alarm", "Remove the locks", ""),
        ("return", "Fire alarm", "Yes: resume", str(2 * MINUTE)),
    ]
    assert raised[0]["what"] == (
        "raised Oil leak, interrupting Isolate the press at Bleed the accumulator"
    )
    assert raised[3]["what"] == "deferred File the work order to a later step"
    inside = next(r for r in rows if r["kind"] == "record" and r["node"] == "leak")
    assert (inside["branch"], inside["branch_title"], inside["item_text"]) == (
        "!leak", "Oil leak", "Litres spilled")  # fmt: skip


def test_show_lists_the_interrupts_and_deferrals(built: tuple[Path, dict[str, str]]) -> None:
    db, ids = built
    result = run(db, "show", ids["leak"])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert (
        "interrupt Oil leak (caution) 2026-11-18 12:07:40 over Isolate the press at Bleed the "
        "accumulator, 3 min: returned"
    ) in lines
    assert (
        "deferred  Photograph the seals (from Service the press, 2026-11-18 12:11:40, because "
        "camera flat), to be done at Close out: ticked at Close out, 2026-11-18 12:13:40 by Ann"
    ) in lines
    data = json.loads(run(db, "show", ids["injury"], "--json").output)
    assert [(i["interrupt"], i["outcome"], i["after"]) for i in data["interrupts"]] == [
        ("leak", "returned", "return"),
        ("leak", "returned", "return"),
        ("injury", "after", "abandoned"),
    ]
    assert data["deferrals"] == []


def test_the_figures_of_interrupts_and_deferrals(built: tuple[Path, dict[str, str]]) -> None:
    db, _ = built
    with Journal(db) as journal:
        m = compute_metrics(journal, "press")
    found = {f.interrupt: f for f in m.interrupts}
    assert [f.interrupt for f in m.interrupts] == ["leak", "call", "fire", "injury"]
    leak = found["leak"]
    # 3, 1, 1, 5 and 3 minutes: the median is 3; in 4 runs; at isolate 3 times
    assert (leak.count, leak.runs, leak.returned, leak.led_away) == (5, 4, 5, 0)
    assert leak.median_ms == 3 * MINUTE and leak.priority == "caution"
    assert leak.at == (
        NodeCount("isolate", "Isolate the press", 3),
        NodeCount("call", "Phone call", 1),
        NodeCount("service", "Service the press", 1),
    )
    fire = found["fire"]
    assert (fire.returned, fire.led_away, fire.median_ms) == (1, 1, 2.5 * MINUTE)
    call = found["call"]  # the queued call still open has no duration yet
    assert (call.count, call.returned, call.median_ms) == (2, 1, 2 * MINUTE)
    # deferred in two runs each, one of them left open at a failure end
    assert [(d.text, d.count, d.open) for d in m.deferrals] == [
        ("Photograph the seals", 2, 1),
        ("File the work order", 2, 1),
    ]
    assert m.deferrals[0].reasons == (ReasonCount("camera flat", 2),)
    assert m.deferrals[0].done_at == (NodeCount("close", "Close out", 1),)
    # the interrupt's number item is a recorded number like a step's
    assert ("leak", "Litres spilled", 5) in [(n.node, n.text, n.count) for n in m.numbers]


def test_practice_runs_and_other_processes_are_out_of_scope(
    built: tuple[Path, dict[str, str]],
) -> None:
    db, _ = built
    with Journal(db) as journal:
        assert compute_metrics(journal, "mini").interrupts == ()
        assert compute_metrics(journal, "press", version="2").deferrals == ()
        assert len(compute_metrics(journal, None).interrupts) == 4


def test_stats_prints_the_figures_as_text_and_json(built: tuple[Path, dict[str, str]]) -> None:
    db, _ = built
    result = run(db, "stats", "press")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("Interrupts (non-normal checklists)")
    assert lines[start + 1] == (
        "     5× Oil leak (caution) (leak): median 3 min · 5 returned, 0 led away, in 4 runs; "
        "at Isolate the press (3), Phone call (1), Service the press (1)"
    )
    deferred = lines.index("Most often deferred")
    assert lines[deferred + 1] == (
        "     2× Photograph the seals (service): 1 open · done at Close out (1) — camera flat (2)"
    )
    data = json.loads(run(db, "stats", "press", "--json").output)
    assert [f["interrupt"] for f in data["interrupts"]] == ["leak", "call", "fire", "injury"]
    assert data["deferrals"][0]["reasons"] == [{"reason": "camera flat", "count": 2}]


def test_history_counts_each_runs_interrupts_and_deferred_items(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, ids = built
    data = json.loads(run(db, "history", "--json").output)
    counts = {
        r["run_id"]: (r["interrupts"], r["deferred"], r["deferred_open"]) for r in data["runs"]
    }
    assert counts == {
        ids["leak"]: (2, 2, 0),
        ids["injury"]: (3, 0, 0),
        ids["stacked"]: (3, 0, 0),
        ids["queued"]: (2, 0, 0),  # the call open now counts: it started
        ids["open"]: (0, 2, 2),
    }
    rows = list(csv.DictReader(io.StringIO(run(db, "history", "--csv").output)))
    assert {r["run_id"]: r["deferred"] for r in rows}[ids["leak"]] == "2"
    from fixtures_journal import build_history_journal

    plain = tmp_path / "plain.db"
    build_history_journal(plain, only=["R2"])
    (row,) = json.loads(run(plain, "history", "--json").output)["runs"]
    assert (row["interrupts"], row["deferred"], row["deferred_open"]) == (0, 0, 0)
