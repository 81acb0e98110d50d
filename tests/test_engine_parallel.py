"""Parallel blocks in the engine: the split, each branch's own position, the join, a branch
that ends the run, nested blocks, pauses, automatic decisions, and replay equal to live."""

from __future__ import annotations

import dataclasses
import itertools
import tomllib
from typing import Any

import pytest

from procedo.engine import COMPLETED, MemorySink, Refused, Run, replay
from procedo.engine.branches import branch_views
from procedo.model import ProcessDefinition

T0 = 1_795_000_000_000

ONBOARD = """
[process]
id = "onboard"
title = "Onboarding"
start = "offer"

[steps.offer]
title = "Offer accepted"
next = "prepare"
items = ["Signed offer filed"]

[parallel.prepare]
title = "Prepare the first day"
branches = ["laptop", "paperwork"]
join = "first-day"

[steps.laptop]
title = "Prepare the laptop"
next = "accounts"
items = ["Order the laptop", "Install the image"]

[steps.accounts]
title = "Create the accounts"
next = "first-day"
items = ["Mail account"]

[parallel.paperwork]
title = "Paperwork"
branches = ["tax", "bank"]
join = "filed"

[steps.tax]
title = "Tax form"
next = "filed"
items = ["Tax form signed"]

[steps.bank]
title = "Bank details"
next = "check-bank"
items = [{ text = "IBAN", record = "text", id = "iban" }]

[decisions.check-bank]
question = "Are the bank details complete?"
auto = true
options = [
  { label = "Yes", next = "filed", when = "size(iban) > 4" },
  { label = "No", next = "bank", default = true },
]

[steps.filed]
title = "Paperwork filed"
next = "first-day"
items = ["Copy to payroll"]

[steps.first-day]
title = "First day"
next = "done"
items = ["Welcome at the door"]

[decisions.give-up]
question = "Unused"
options = [{ label = "Stop", next = "cancelled" }, { label = "Go", next = "done" }]

[ends.done]
title = "Started"
outcome = "success"

[ends.cancelled]
title = "Cancelled"
outcome = "failure"
"""


def definition(text: str = ONBOARD) -> ProcessDefinition:
    """The models only (the engine's concern; the graph checks have tests of their own)."""
    return ProcessDefinition.model_validate(tomllib.loads(text))


def start(text: str = ONBOARD) -> tuple[Run, MemorySink]:
    clock = itertools.count(T0, 1000)
    sink = MemorySink()
    run = Run.start(definition(text), "d" * 64, sink, "Ann", clock=lambda: next(clock))
    return run, sink


def facts(state: Any) -> dict[str, Any]:
    """The state without the focus (a view that the operator may move without an event)."""
    data = dataclasses.asdict(state)
    data.pop("focus")
    return data


def same_on_replay(run: Run, sink: MemorySink) -> None:
    state = replay(run.definition, "d" * 64, run.run_id, sink.events)
    assert facts(state) == facts(run.state)


def tick_all(run: Run) -> None:
    step = run.current_step
    assert step is not None
    for index in run.open_items():
        run.check(index)


def to_split(run: Run) -> None:
    run.check(0)
    run.complete()


def test_a_split_opens_every_branch_at_its_first_node() -> None:
    run, sink = start()
    to_split(run)
    state = run.state
    opened = {p.branch: state.visits[p.path[-1]].node for p in state.open_positions()}
    assert opened == {"prepare:1": "laptop", "prepare:2/paperwork:1": "tax",
                      "prepare:2/paperwork:2": "bank"}  # fmt: skip
    assert state.focus == "prepare:1" and state.current_node == "laptop"
    assert [p.status for p in state.positions.values()] == ["split", "open", "split", "open",
                                                            "open"]  # fmt: skip
    split = [v for v in state.visits if v.kind == "parallel"]
    assert [(v.node, v.outcome, v.branch) for v in split] == [
        ("prepare", "split", ""),
        ("paperwork", "split", "prepare:2"),
    ]
    assert [e.branch for e in sink.events] == [None, None, None]  # the split's move: main line
    same_on_replay(run, sink)


def test_each_branch_keeps_its_own_marks_and_events_name_their_branch() -> None:
    run, sink = start()
    to_split(run)
    run.check(0)  # laptop: order
    run.switch("prepare:2/paperwork:1")
    assert run.state.current_node == "tax" and run.open_items() == [0]
    run.check(0)
    run.switch("prepare:1")
    assert run.open_items() == [1]
    assert [(e.kind, e.node, e.branch) for e in sink.events[-2:]] == [
        ("check", "laptop", "prepare:1"),
        ("check", "tax", "prepare:2/paperwork:1"),
    ]
    same_on_replay(run, sink)


def test_switching_to_a_branch_that_is_not_open_is_refused() -> None:
    run, _ = start()
    to_split(run)
    with pytest.raises(Refused, match="that branch is not open"):
        run.switch("prepare:2")  # split: waiting for its own branches
    with pytest.raises(Refused):
        run.switch("nowhere")


def test_a_branch_at_its_join_waits_and_the_join_opens_when_all_arrived() -> None:
    run, sink = start()
    to_split(run)
    tick_all(run)
    run.complete()  # laptop -> accounts
    tick_all(run)
    run.complete()  # accounts -> first-day: the join, prepare:1 waits
    state = run.state
    assert state.positions["prepare:1"].status == "arrived"
    assert state.focus == "prepare:2/paperwork:1"  # the work is elsewhere now
    tick_all(run)
    run.complete()  # tax -> filed (join of paperwork)
    assert run.state.focus == "prepare:2/paperwork:2"
    run.record(0, "DE89370400440532013000")
    run.complete()  # bank -> check-bank (auto: Yes) -> filed: paperwork joins
    state = run.state
    assert "prepare:2/paperwork:1" not in state.positions
    assert state.focus == "prepare:2" and state.current_node == "filed"
    auto = [e for e in sink.events if e.kind == "auto_choose"]
    assert [(e.node, e.value, e.branch) for e in auto] == [
        ("check-bank", "Yes", "prepare:2/paperwork:2")
    ]
    tick_all(run)
    run.complete()  # filed -> first-day: prepare joins
    state = run.state
    assert list(state.positions) == [""] and not state.parallel
    assert state.current_node == "first-day"
    assert [v.node for v in state.visits if v.node == "first-day"] == ["first-day"]
    assert sink.events[-1].branch == "prepare:2"  # the last branch's move opened the join
    tick_all(run)
    run.complete()
    assert run.state.status == COMPLETED and sink.events[-1].branch is None
    same_on_replay(run, sink)


def test_back_does_not_cross_a_split_or_a_join() -> None:
    run, _ = start()
    to_split(run)
    with pytest.raises(Refused, match="first node of the branch"):
        run.back()
    tick_all(run)
    run.complete()
    run.back()  # inside a branch: fine
    assert run.state.current_node == "laptop"
    run.complete()
    tick_all(run)
    run.complete()
    for branch in ("prepare:2/paperwork:1", "prepare:2/paperwork:2"):
        run.switch(branch)
        if run.state.current_node == "tax":
            tick_all(run)
            run.complete()
        else:
            run.record(0, "NL91ABNA0417164300")
            run.complete()
    tick_all(run)
    run.complete()
    assert run.state.current_node == "first-day"
    with pytest.raises(Refused, match="going back across a join is not possible"):
        run.back()


def test_the_auto_decision_in_a_branch_loops_back_without_asking() -> None:
    run, sink = start()
    to_split(run)
    run.switch("prepare:2/paperwork:2")
    run.record(0, "x")
    run.complete()  # check-bank: size("x") > 4 fails: default "No" -> bank again
    assert run.state.current_node == "bank" and run.state.focus == "prepare:2/paperwork:2"
    assert [v.node for v in run.state.visits if v.branch == "prepare:2/paperwork:2"] == [
        "bank", "check-bank", "bank"]  # fmt: skip
    same_on_replay(run, sink)


BRANCH_ENDS = ONBOARD.replace(
    '[steps.tax]\ntitle = "Tax form"\nnext = "filed"',
    '[steps.tax]\ntitle = "Tax form"\nnext = "give-up"',
)


def test_a_branch_that_reaches_an_end_ends_the_whole_run() -> None:
    run, sink = start(BRANCH_ENDS)
    to_split(run)
    run.switch("prepare:2/paperwork:1")
    tick_all(run)
    run.complete()  # tax -> give-up
    run.choose(0)  # Stop -> cancelled
    state = run.state
    assert (state.status, state.end_node, state.success) == (COMPLETED, "cancelled", False)
    assert sink.events[-1].kind == "finish" and sink.events[-1].branch == "prepare:2/paperwork:1"
    open_then = {v.node: v.outcome for v in state.visits if v.node in ("laptop", "bank")}
    assert open_then == {"laptop": "ended", "bank": "ended"}
    assert all(v.left_ms is not None for v in state.visits)
    same_on_replay(run, sink)


def test_a_pause_counts_against_every_open_branch() -> None:
    run, sink = start()
    to_split(run)
    run.pause()
    run.resume()
    state = run.state
    paused = {state.visits[p.path[-1]].node: state.visits[p.path[-1]].paused_ms
              for p in state.open_positions()}  # fmt: skip
    assert paused == {"laptop": 1000, "tax": 1000, "bank": 1000}
    assert all(e.branch == "prepare:1" for e in sink.events[-2:])
    same_on_replay(run, sink)


def test_the_branch_views_list_every_branch_with_its_progress() -> None:
    run, _ = start()
    to_split(run)
    run.check(0)
    views = branch_views(run.definition, run.state)
    assert [
        (v.number, v.key, v.title, v.node_title, v.done, v.total, v.focused) for v in views
    ] == [
        (1, "prepare:1", "Prepare the laptop", "Prepare the laptop", 1, 2, True),
        (2, "prepare:2/paperwork:1", "Tax form", "Tax form", 0, 1, False),
        (3, "prepare:2/paperwork:2", "Bank details", "Bank details", 0, 1, False),
    ]


ROLES = """
[process]
title = "Roles"
start = "split"

[roles]
it = "IT"
hr = "HR"

[parallel.split]
title = "Both"
branches = ["a", "b"]
join = "done"

[steps.a]
title = "A"
role = "it"
next = "done"
items = ["x"]

[steps.b]
title = "B"
role = "hr"
next = "done"
items = ["y"]

[ends.done]
title = "Done"
outcome = "success"
"""


def test_each_branch_has_its_own_hand_over_point() -> None:
    run, sink = start(ROLES)
    assert run.state.awaiting_role == "it"
    run.accept_role()
    run.switch("split:2")
    assert run.state.awaiting_role == "hr"
    with pytest.raises(Refused, match="HR is next"):
        run.check(0)
    run.hand_over("Bea")
    assert run.state.awaiting_role is None and run.state.acting_role == "hr"
    run.switch("split:1")
    assert run.state.acting_role == "it"
    assert [(e.kind, e.branch) for e in sink.events[1:]] == [
        ("accept_role", "split:1"),
        ("handover", "split:2"),
    ]
    same_on_replay(run, sink)
