"""The summary (the run's last screen and the run detail's facts) of a run with interrupts and
deferred items: each interrupt's stay in the path with its time and how it ended, the values
recorded inside an interrupt and those of deferred items done later, and each deferred item
with its reason, where it was to be done and where it was done (or "open")."""

from __future__ import annotations

from pathlib import Path

from interrupt_journal import build
from procedo.journal import Journal
from procedo.journal.run_record import load_run_record
from procedo.tui.screens.summary import summary_parts
from procedo.tui.text import line


def summary(tmp_path: Path, name: str) -> str:
    db = tmp_path / "journal.db"
    ids = build(db, tmp_path)
    with Journal(db) as journal:
        record = load_run_record(journal, ids[name])
    return line(*summary_parts(record.definition, record.state)).plain


def test_the_summary_shows_interrupts_and_deferred_items(tmp_path: Path) -> None:
    shown = summary(tmp_path, "leak")
    assert "2. Oil leak  3 min — finished: back where it interrupted" in shown
    assert "Litres spilled: 2.5" in shown  # recorded inside the interrupt
    deferred = shown.split("Deferred items\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert deferred == [
        "  Photograph the seals — camera flat  (from Service the press, to be done at Close out)",
        "     deferred by Ann at 2026-11-18 12:11:40",
        "     ticked at Close out, 2026-11-18 12:13:40 by Ann",
        "  File the work order — office shut  (from Service the press, to be done at any later "
        "step)",
        "     deferred by Ann at 2026-11-18 12:11:40",
        "     not applicable (filed online) at Close out, 2026-11-18 12:15:40 by Ann",
    ]
    skipped = shown.split("Not applicable\n", 1)[1].split("\n\n", 1)[0]
    assert skipped == "  File the work order — filed online"


def test_an_interrupt_that_led_away_and_an_open_one(tmp_path: Path) -> None:
    shown = summary(tmp_path, "stacked")
    assert (
        "Service the press  0 s — left: an interrupt led to Abandoned: the lockout stays" in shown
    )
    assert "Fire alarm  3 min — finished: on to Abandoned: the lockout stays" in shown
    assert "Deferred items" not in shown


def test_an_open_deferred_item_says_open(tmp_path: Path) -> None:
    from interrupt_defs import INTERRUPTS, interrupts_definition
    from procedo.engine import MemorySink, Run
    from procedo.model import content_hash

    run = Run.start(interrupts_definition(), content_hash(INTERRUPTS), MemorySink(), "Ann")
    run.check(0)
    run.check(1)
    run.record(2, "7")
    run.complete()
    run.defer(2, "office shut")
    shown = line(*summary_parts(run.definition, run.state)).plain
    lines = shown.split("Deferred items (1 open)\n", 1)[1].splitlines()
    assert lines[0] == (
        "  File the work order — office shut  (from Service the press, to be done at any later "
        "step)"
    )
    assert lines[1].startswith("     deferred by Ann at ")
    assert lines[2] == "     OPEN: do it at any later step"
