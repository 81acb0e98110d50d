"""The hand-over point: when the role changes, the run waits until someone acts as that role."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from procedo.engine import MemorySink, Refused, ReplayError, Run, replay
from procedo.engine.events import Event
from procedo.model import content_hash, load_file

LAB = Path(__file__).resolve().parent.parent / "processes" / "lab-sample-intake.toml"
DEFINITION = load_file(LAB).definition
DIGEST = content_hash(LAB.read_text(encoding="utf-8"))


def _run(sink: MemorySink | None = None) -> Run:
    ticks = iter(range(1_795_000_000_000, 1_795_000_000_000 + 10**9, 1000))
    return Run.start(
        DEFINITION, DIGEST, sink or MemorySink(), "Tess", "courier", clock=lambda: next(ticks)
    )


def _fill_unpack(run: Run, *, in_range: bool = False) -> None:
    """A Frozen shipment at -30 °C; the logger read 5 °C (out of range) unless ``in_range``."""
    for index, item in enumerate(DEFINITION.steps["unpack"].items):
        if item.record == "choice":
            run.record(index, item.choices[0])
        elif item.record == "number":
            run.record(index, "-30" if index == 3 or (in_range and index == 4) else "5")
        else:
            run.check(index)
    run.complete()


def _at_qa_review() -> Run:
    run = _run()
    _fill_unpack(run)  # temperature-ok chooses No itself: the quality officer decides
    return run


def test_no_point_at_the_start_nor_between_nodes_of_one_role() -> None:
    run = _run()
    assert run.state.awaiting_role is None
    _fill_unpack(run, in_range=True)
    # temperature-ok (reception, like unpack) chose Yes itself: inspect, reception again
    assert run.state.current_node == "inspect"
    assert run.state.awaiting_role is None


def test_a_change_of_role_stops_the_run_until_someone_acts_as_the_role() -> None:
    run = _at_qa_review()
    assert (run.state.current_node, run.state.awaiting_role) == ("qa-review", "qa")
    count = len(run.sink.events)  # type: ignore[attr-defined]
    with pytest.raises(Refused, match="Quality officer is next"):
        run.choose(0)
    assert len(run.sink.events) == count  # type: ignore[attr-defined]
    run.note("waiting for the quality officer", on="node")  # a note is still welcome
    run.accept_role()
    accept = run.sink.events[-1]  # type: ignore[attr-defined]
    assert (accept.kind, accept.actor, accept.node, accept.value) == (
        "accept_role",
        "Tess",
        "qa-review",
        "qa",
    )
    assert run.state.awaiting_role is None
    run.choose(0)
    assert (run.state.current_node, run.state.awaiting_role) == ("inspect", "reception")


def test_ticks_and_complete_are_refused_at_the_point() -> None:
    run = _at_qa_review()
    run.accept_role()
    run.choose(0)  # back to reception at the inspect step
    assert run.state.awaiting_role == "reception"
    for action in (lambda: run.check(0), run.complete, lambda: run.record(4, "Serum")):
        with pytest.raises(Refused, match="Sample reception technician is next"):
            action()
    run.accept_role()
    run.check(0)
    with pytest.raises(Refused, match="no hand-over is waiting"):
        run.accept_role()


def test_handing_over_at_the_point_answers_it() -> None:
    run = _at_qa_review()
    run.hand_over("Quinn")
    assert run.state.awaiting_role is None
    run.choose(1)  # reject: the reception technician's step
    assert run.sink.events[-1].actor == "Quinn"  # type: ignore[attr-defined]
    assert run.state.awaiting_role == "reception"


def test_a_node_without_a_role_changes_nothing() -> None:
    definition = load_file(LAB.parent / "incident-response.toml").definition
    ticks = iter(range(1_795_000_000_000, 1_795_000_000_000 + 10**9, 1000))
    run = Run.start(definition, "d" * 64, MemorySink(), "Ann", "pager", clock=lambda: next(ticks))
    for index, item in enumerate(definition.steps["triage"].items):
        run.record(index, "5" if item.record == "number" else "EU") if item.record else run.check(
            index
        )
    run.complete()
    assert run.state.awaiting_role == "ic"
    run.accept_role()
    run.choose(0)  # mitigate: back to the on-call engineer
    run.accept_role()
    run.check(0)
    for _ in range(300):  # the watch item's wait_minutes: a tick a second
        next(ticks)
    run.check(1)
    run.complete()
    assert (run.state.current_node, run.state.awaiting_role) == ("fixed", None)  # no role
    run.choose(1)  # try again: mitigate, still the on-call engineer acting
    assert (run.state.current_node, run.state.awaiting_role) == ("mitigate", None)


def test_the_point_survives_a_crash_and_replays() -> None:
    run = _at_qa_review()
    events = list(run.sink.events)  # type: ignore[attr-defined]
    again = replay(DEFINITION, DIGEST, run.run_id, events)
    assert again.awaiting_role == "qa"
    run.accept_role()
    again = replay(DEFINITION, DIGEST, run.run_id, run.sink.events)  # type: ignore[attr-defined]
    assert again.awaiting_role is None
    assert dataclasses.asdict(again) == dataclasses.asdict(run.state)


def test_going_back_across_roles_opens_a_point_for_the_earlier_role() -> None:
    run = _at_qa_review()
    run.back()  # before anyone acted as quality officer: the technician simply goes on
    assert (run.state.current_node, run.state.awaiting_role) == ("temperature-ok", None)
    run.choose(1)
    run.accept_role()
    run.back()  # the quality officer sends it back: the technician is next again
    assert (run.state.current_node, run.state.awaiting_role) == ("temperature-ok", "reception")


def test_an_accept_role_for_another_role_does_not_replay() -> None:
    run = _at_qa_review()
    events: list[Event] = list(run.sink.events)  # type: ignore[attr-defined]
    forged = Event(
        run.run_id,
        len(events) + 1,
        events[-1].ts,
        "Tess",
        "accept_role",
        "qa-review",
        value="analyst",
    )
    forged = dataclasses.replace(forged, hash=forged.compute_hash(events[-1].hash))
    with pytest.raises(ReplayError, match="not waiting for"):
        replay(DEFINITION, DIGEST, run.run_id, [*events, forged])
