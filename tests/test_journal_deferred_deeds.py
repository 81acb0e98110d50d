"""Through a file journal: a deferred item done at a later step is a deed of that stay in the
path (render/run_path.py), at the visit its ``deferrals`` row names as ``done_visit``; a queued
interrupt that started by itself has its ``interrupts`` row name the item it interrupted; the
run rebuilt from the journal equals the live one and verify finds every row as replayed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from interrupt_journal import Clock, press
from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.render.run_path import path_entries


def test_the_path_and_the_derived_rows_agree_on_a_deferred_item_done_later(
    tmp_path: Path,
) -> None:
    clock = Clock()
    with Journal(tmp_path / "journal.db") as journal:
        journal.clock = clock
        run = journal.start_run(press(tmp_path), "Ann")
        run.check(0)
        run.check(1)
        run.record(2, "7")
        run.complete()
        run.check(0)
        run.defer(1, "camera flat")  # to close
        run.raise_interrupt("fire", item=2)
        run.raise_interrupt("leak")  # waits: it starts by itself at the same item
        run.check(0)
        run.check(1)
        run.choose(0)
        run.check(0)
        run.record(1, "0.5")
        run.complete()
        assert run.state.resume_at == (1, 2)
        for line in (2, 3):
            run.check(line)
        run.complete()
        run.choose(0)
        clock.tick()
        run.check(1)  # the photos, deferred from service, done at close
        run.check(0)
        run.complete()
        assert run.state.success is True
        rows = journal.rows(
            "SELECT node, item, done_visit, done_node FROM deferrals WHERE run_id = ?",
            (run.run_id,),
        )
        assert rows == [{"node": "service", "item": 1, "done_visit": 5, "done_node": "close"}]
        interrupts = journal.rows(
            "SELECT interrupt, interrupted_node, interrupted_item FROM interrupts "
            "WHERE run_id = ? ORDER BY seq",
            (run.run_id,),
        )
        assert [tuple(r.values()) for r in interrupts] == [
            ("fire", "service", 2),
            ("leak", "service", 2),
        ]
        entries = path_entries(run.definition, run.state)
        stints = run.state.stints
        [close] = [e for e, s in zip(entries, stints, strict=True) if s.visit == 5]
        assert close.deeds == ["ticked Photograph the seals, Remove the locks"]
        [service] = [e for e, s in zip(entries, stints, strict=True) if s.node == "service"]
        assert "Photograph the seals" not in " ".join(service.deeds)
    with Journal(tmp_path / "journal.db") as reader:
        _, rebuilt = reader.load_state(run.run_id)
        assert dataclasses.asdict(rebuilt) == dataclasses.asdict(run.state)
        assert path_entries(run.definition, rebuilt) == entries
        report = verify_journal(reader)
        assert report.intact, [str(b) for b in report.breaches]
