"""The metrics screen's rows of interrupts and deferred items, through its data path
(``compute_metrics`` -> ``metrics_content``), in the words ``procedo stats`` prints."""

from __future__ import annotations

from pathlib import Path

from interrupt_journal import build
from procedo.journal import Journal
from procedo.journal.metrics import compute_metrics
from procedo.tui.screens.metrics import metrics_content


def test_the_screen_lists_each_interrupt_and_the_items_deferred_most(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    build(db, tmp_path)
    with Journal(db) as journal:
        shown = metrics_content(compute_metrics(journal, "press"), "Press maintenance").plain
    rows = shown.split("Interrupts (non-normal checklists)\n", 1)[1].split("\n\n", 1)[0]
    assert rows.splitlines()[:2] == [
        "     5× Oil leak (caution)  median 3 min · 5 returned, 0 led away, in 4 runs",
        "        at Isolate the press (3), Phone call (1), Service the press (1)",
    ]
    deferred = shown.split("Most often deferred\n", 1)[1].split("\n\n", 1)[0]
    assert deferred.splitlines()[0] == (
        "     2× Photograph the seals  1 open · done at Close out (1)  — camera flat (2)"
    )


def test_a_process_without_interrupts_shows_no_such_rows(tmp_path: Path) -> None:
    from fixtures_journal import build_history_journal

    db = tmp_path / "plain.db"
    build_history_journal(db, only=["R2"])
    with Journal(db) as journal:
        shown = metrics_content(compute_metrics(journal, "mini"), "Mini").plain
    assert "Interrupts" not in shown and "deferred" not in shown
