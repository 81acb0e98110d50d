"""The fold says which visits an event touched; the sink rewrites exactly those rows.

No ``changed_visits`` on the state any more: ``apply_event`` returns the indexes, the run
hands them to the sink with the events, and the sink needs only a connection (not the Journal).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from procedo.engine import Event, MemorySink, Run, RunState, apply_event, replay
from procedo.journal import Journal
from procedo.journal.rows import visit_row
from procedo.journal.sink import JournalSink
from procedo.model import LoadedProcess, load_file

LOOP = """
[process]
id = "loop"
title = "Loop"
version = "1"

[steps.prep]
title = "Prepare"
next = "measure"
items = ["Wash hands"]

[steps.measure]
title = "Measure"
next = "ok"
items = ["Read the gauge"]

[decisions.ok]
question = "Is the reading fine?"
options = [
  { label = "Yes", next = "done" },
  { label = "No, measure again", next = "measure" },
]

[ends.done]
title = "Reading taken"
outcome = "success"
"""


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000_000

    def __call__(self) -> int:
        self.now += 1000
        return self.now


class SpySink(MemorySink):
    """Keeps the visits each commit was told about."""

    def __init__(self) -> None:
        super().__init__()
        self.touched: list[frozenset[int]] = []

    def commit(self, events: Sequence[Event], state: RunState, visits: frozenset[int]) -> None:
        self.touched.append(visits)
        super().commit(events, state, visits)


@pytest.fixture
def loop(tmp_path: Path) -> LoadedProcess:
    path = tmp_path / "loop.toml"
    path.write_text(LOOP, encoding="utf-8")
    return load_file(path)


def test_each_operation_hands_the_sink_the_visits_it_touched(loop: LoadedProcess) -> None:
    sink = SpySink()
    run = Run.start(loop.definition, loop.sha256, sink, "Ann", clock=Clock())
    run.check(0)
    run.note("on the run")
    run.complete()  # prep (0) is left, measure (1) entered
    run.back()  # measure (1) is left as 'back', prep (0) is current again
    run.pause()
    run.resume()  # the pause is added to the current visit (0)
    assert sink.touched == [
        frozenset({0}),
        frozenset({0}),
        frozenset(),
        frozenset({0, 1}),
        frozenset({0, 1}),
        frozenset(),
        frozenset({0}),
    ]


def test_apply_event_returns_the_touched_visits_and_replay_agrees(loop: LoadedProcess) -> None:
    sink = SpySink()
    run = Run.start(loop.definition, loop.sha256, sink, "Ann", clock=Clock())
    run.check(0)
    run.complete()
    run.check(0)
    run.complete()  # measure (1) -> decision ok (2)
    run.choose(1)  # loops back: ok (2) is left, a fresh measure visit (3) begins
    state = RunState.blank(run.run_id, "loop", "1", loop.sha256)
    touched = [apply_event(state, loop.definition, event) for event in sink.events]
    assert touched[-1] == {2, 3}
    assert [frozenset(t) for t in touched] == sink.touched  # one event per commit here
    assert not hasattr(state, "changed_visits")
    again = replay(loop.definition, loop.sha256, run.run_id, sink.events)
    assert dataclasses.asdict(again) == dataclasses.asdict(run.state)


def visits_in(journal: Journal, run_id: str) -> list[dict[str, Any]]:
    return journal.rows("SELECT * FROM visits WHERE run_id = ? ORDER BY visit", (run_id,))


def test_the_sink_writes_both_visits_of_a_loop_back(tmp_path: Path, loop: LoadedProcess) -> None:
    with Journal(tmp_path / "j.db") as journal:
        journal.clock = Clock()
        run = journal.start_run(loop, "Ann")
        run.check(0)
        run.complete()
        run.check(0)
        run.complete()
        run.choose(1)  # the loop: the decision visit is left, a second measure visit begins
        rows = visits_in(journal, run.run_id)
        assert [(r["node"], r["outcome"], r["next_node"]) for r in rows] == [
            ("prep", "completed", "measure"),
            ("measure", "completed", "ok"),
            ("ok", "chosen", "measure"),
            ("measure", None, None),
        ]
        assert rows[2]["choice"] == 1
        run.back()  # the second measure visit is left as 'back'; the decision is open again
        rows = visits_in(journal, run.run_id)
        expected = [visit_row(run.state, visit) for visit in run.state.visits]
        assert [{k: r[k] for k in expected[0]} for r in rows] == expected
        assert (rows[2]["outcome"], rows[2]["choice"], rows[2]["left_at"]) == (None, None, None)
        assert rows[3]["outcome"] == "back"


def test_the_sink_holds_a_connection_not_the_journal(tmp_path: Path, loop: LoadedProcess) -> None:
    with Journal(tmp_path / "j.db") as journal:
        run = journal.start_run(loop, "Ann")
        sink = run.sink
        assert isinstance(sink, JournalSink)
        assert sink.conn is journal.db.conn
        assert sink.token == journal.token
        assert not any(isinstance(value, Journal) for value in vars(sink).values())
