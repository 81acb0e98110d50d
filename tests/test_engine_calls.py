"""A calling step in the engine: the call, the child run linked to its parent, the parent
going on where the child's end leads, an aborted child, and replay of both."""

from __future__ import annotations

import dataclasses
import itertools
import tomllib

import pytest

from procedo.engine import COMPLETED, MemorySink, Refused, ReplayError, Run, replay
from procedo.model import ProcessDefinition

T0 = 1_795_000_000_000

PARENT = """
[process]
id = "lockout"
title = "Lockout"
start = "isolate"

[steps.isolate]
title = "Isolate"
next = "prove"
items = ["Switch off"]

[steps.prove]
title = "Prove the tester"
call = "tester"
outcomes = { success = "work", broken = "stop" }
items = ["Fetch the tester"]

[steps.work]
title = "Work"
next = "done"
items = ["Do it"]

[ends.done]
title = "Done"
outcome = "success"

[ends.stop]
title = "Stopped"
outcome = "failure"
"""

CHILD = """
[process]
id = "tester"
title = "Prove the tester"
start = "probe"

[steps.probe]
title = "Probe a live source"
next = "ok"
items = ["Probe"]

[decisions.ok]
question = "Does it read?"
options = [{ label = "Yes", next = "good" }, { label = "No", next = "broken" }]

[ends.good]
title = "Tester good"
outcome = "success"

[ends.broken]
title = "Tester broken"
outcome = "failure"
"""


def model(text: str) -> ProcessDefinition:
    return ProcessDefinition.model_validate(tomllib.loads(text))


CLOCK = itertools.count(T0, 1000)


def tick() -> int:
    return next(CLOCK)


def parent_at_call() -> tuple[Run, MemorySink]:
    sink = MemorySink()
    run = Run.start(model(PARENT), "p" * 64, sink, "Ann", clock=tick)
    run.check(0)
    run.complete()
    run.check(0)
    run.complete()  # the step's items are done: the call starts
    return run, sink


def child_of(parent: Run) -> tuple[Run, MemorySink]:
    call = parent.open_call()
    assert call is not None
    child_id, process, step = call
    sink = MemorySink()
    child = Run.start(model(CHILD), "c" * 64, sink, "Ann", run_id=child_id, clock=tick,
                      parent=(parent.run_id, step))  # fmt: skip
    assert process == "tester"
    return child, sink


def test_completing_a_calling_step_calls_and_the_step_waits() -> None:
    parent, sink = parent_at_call()
    call = sink.events[-1]
    assert (call.kind, call.node, call.reason) == ("call", "prove", "tester")
    assert parent.open_call() == (call.value, "tester", "prove")
    assert parent.state.current_node == "prove"
    for action in (lambda: parent.uncheck(0), parent.complete, parent.back):
        with pytest.raises(Refused, match="runs 'tester' as a run of its own"):
            action()
    assert not parent.allowed(0).complete.ok


def test_the_child_names_its_parent_and_the_parent_goes_on_at_the_outcome() -> None:
    parent, parent_sink = parent_at_call()
    child, child_sink = child_of(parent)
    assert [e.kind for e in child_sink.events] == ["start", "called_by"]
    assert (child.state.parent_run, child.state.parent_step) == (parent.run_id, "prove")
    with pytest.raises(Refused, match="still open"):
        parent.end_call(child.state)
    child.check(0)
    child.complete()
    child.choose(0)  # Yes -> good (success)
    parent.end_call(child.state)
    end = parent_sink.events[-1]
    assert (end.kind, end.node, end.value, end.reason) == ("call_end", "prove", "work", "success")
    visit = parent.state.visits[-2]
    assert (visit.node, visit.child_run, visit.child_outcome, visit.outcome) == (
        "prove", child.run_id, "success", "completed")  # fmt: skip
    assert parent.state.current_node == "work"
    rebuilt = replay(parent.definition, "p" * 64, parent.run_id, parent_sink.events)
    assert dataclasses.asdict(rebuilt) == dataclasses.asdict(parent.state)
    again = replay(child.definition, "c" * 64, child.run_id, child_sink.events)
    assert dataclasses.asdict(again) == dataclasses.asdict(child.state)


def test_an_end_id_outcome_wins_over_the_outcome() -> None:
    parent, sink = parent_at_call()
    child, _ = child_of(parent)
    child.check(0)
    child.complete()
    child.choose(1)  # No -> broken: outcomes names the end id
    parent.end_call(child.state)
    assert [(e.kind, e.value) for e in sink.events[-2:]] == [
        ("call_end", "stop"),
        ("finish", "failure"),
    ]
    assert parent.state.status == COMPLETED and parent.state.success is False


def test_an_aborted_child_leaves_the_step_open_to_call_again() -> None:
    parent, sink = parent_at_call()
    child, _ = child_of(parent)
    child.abort("tester lost")
    parent.end_call(child.state)
    assert (sink.events[-1].kind, sink.events[-1].reason, sink.events[-1].value) == (
        "call_end", "aborted", None)  # fmt: skip
    assert parent.state.current_node == "prove" and parent.open_call() is None
    parent.complete()  # call again
    assert sink.events[-1].kind == "call" and parent.open_call() is not None


def test_end_call_refuses_a_run_that_was_not_called_here() -> None:
    parent, _ = parent_at_call()
    stranger = Run.start(model(CHILD), "c" * 64, MemorySink(), "Ann", clock=tick)
    with pytest.raises(Refused, match="no step of this run waits for run"):
        parent.end_call(stranger.state)


def test_a_called_by_out_of_place_does_not_replay() -> None:
    parent, sink = parent_at_call()
    forged = dataclasses.replace(sink.events[-1], kind="called_by", value="x", node="prove")
    with pytest.raises(ReplayError, match="links a parent run out of place"):
        replay(parent.definition, "p" * 64, parent.run_id, [*sink.events[:-1], forged])
