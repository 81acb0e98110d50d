"""The run engine on its own: every operation, every refusal and its exact message, the fold."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from procedo.engine import (
    ABORTED,
    ACTIVE,
    COMPLETED,
    EVENT_KINDS,
    PAUSED,
    Event,
    InvalidValue,
    MemorySink,
    Refused,
    ReplayError,
    Run,
    RunState,
    chain_seed,
    iso_from_ms,
    ms_from_iso,
    replay,
)
from procedo.engine.errors import Unchanged
from procedo.model import ProcessDefinition, content_hash, load_file, parse_definition

BUNDLED = Path(__file__).resolve().parent.parent / "processes"
T0 = 1_795_000_000_000  # a fixed moment in November 2026

DEMO = """
[process]
id = "demo"
title = "Demo process"
version = "2"
start = "prep"

[[triggers]]
id = "routine"
title = "Routine check"

[[triggers]]
id = "urgent"
title = "Urgent check"
start = "ok"

[steps.prep]
title = "Prepare"
next = "ok"
items = [
  "Wash hands",
  { text = "Lock the door", critical = true },
  { text = "Temperature", record = "number", unit = "°C", min = -5, max = 40 },
  { text = "Colour", record = "choice", choices = ["Red", "Green"] },
  { text = "Batch", record = "text" },
]

[decisions.ok]
question = "Is everything in order?"
options = [
  { label = "Yes", next = "wrap" },
  { label = "Again", next = "prep" },
  { label = "No", next = "failed" },
]

[steps.wrap]
title = "Wrap up"
next = "done"
items = ["Sign the sheet"]

[ends.done]
title = "Done"
outcome = "success"

[ends.failed]
title = "Failed"
outcome = "failure"
"""

PLAIN = """
[process]
id = "plain"
title = "No triggers"

[steps.only]
title = "Only step"
next = "end"
items = ["Do it"]

[ends.end]
title = "End"
outcome = "success"
"""

WASH, LOCK, TEMP, COLOUR, BATCH = range(5)


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, start: int = T0) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += int(seconds * 1000)


class BatchSink(MemorySink):
    """Keeps every commit as one batch, to see what was written together."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[Event]] = []

    def commit(self, events: Sequence[Event], state: RunState, visits: frozenset[int]) -> None:
        self.batches.append(list(events))
        super().commit(events, state, visits)


class FailingSink(MemorySink):
    """A sink whose next commit can be made to fail."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_next = False

    def commit(self, events: Sequence[Event], state: RunState, visits: frozenset[int]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise OSError("disk on fire")
        super().commit(events, state, visits)


def demo() -> ProcessDefinition:
    return parse_definition(DEMO)


def start(
    definition: ProcessDefinition | None = None,
    *,
    trigger: str | None = "routine",
    operator: str = "Ann",
    practice: bool = False,
    clock: Callable[[], int] | None = None,
    sink: MemorySink | None = None,
) -> Run:
    definition = definition or demo()
    return Run.start(
        definition,
        content_hash(DEMO),
        sink if sink is not None else BatchSink(),
        operator,
        trigger,
        practice=practice,
        clock=clock or Clock(),
    )


def snapshot(run: Run) -> dict[str, Any]:
    data = dataclasses.asdict(run.state)
    return data


def events_of(run: Run) -> list[Event]:
    sink = run.sink
    assert isinstance(sink, MemorySink)
    return sink.events


def refused(run: Run, action: Callable[[], object], message: str) -> None:
    """``action`` is refused with exactly ``message`` and changes nothing."""
    before, count = snapshot(run), len(events_of(run))
    with pytest.raises(Refused) as caught:
        action()
    assert str(caught.value) == message
    assert snapshot(run) == before
    assert len(events_of(run)) == count


def fill_prep(run: Run) -> None:
    run.check(WASH)
    run.check(LOCK)
    run.record(TEMP, "20")
    run.record(COLOUR, "Red")
    run.record(BATCH, "B-1")


def rebuilt(run: Run) -> dict[str, Any]:
    state = replay(run.definition, run.state.definition_hash, run.run_id, events_of(run))
    data = dataclasses.asdict(state)
    return data


# -- start ----------------------------------------------------------------------------------


def test_start_commits_a_start_event_and_opens_the_first_visit() -> None:
    run = start(operator="  Ann   Smith ")
    [event] = events_of(run)
    assert (event.seq, event.kind, event.node, event.value, event.reason) == (
        1,
        "start",
        "prep",
        "routine",
        None,
    )
    assert event.actor == "Ann Smith"
    assert event.ts == iso_from_ms(T0) == "2026-11-18T11:06:40.000Z"
    state = run.state
    assert state.status == ACTIVE
    assert state.operator == "Ann Smith"
    assert state.operators == ["Ann Smith"]
    assert state.trigger == "routine"
    assert not state.practice
    assert state.current_node == "prep"
    assert state.path_nodes() == ["prep"]
    assert state.started_ms == T0
    assert run.open_items() == [0, 1, 2, 3, 4]


def test_the_hash_chain_starts_from_the_run_and_definition_seed() -> None:
    run = start()
    run.check(WASH)
    first, second = events_of(run)
    assert first.hash == first.compute_hash(chain_seed(run.run_id, content_hash(DEMO)))
    assert second.hash == second.compute_hash(first.hash)
    assert run.state.last_hash == second.hash
    assert chain_seed(run.run_id, "other") != chain_seed(run.run_id, content_hash(DEMO))


def test_a_trigger_may_start_at_a_node_of_its_own() -> None:
    run = start(trigger="urgent")
    assert run.state.current_node == "ok"
    assert run.state.trigger == "urgent"
    assert events_of(run)[0].node == "ok"


def test_a_process_with_triggers_needs_one() -> None:
    with pytest.raises(Refused) as caught:
        start(trigger=None)
    assert str(caught.value) == "choose what triggered this run: routine, urgent"


def test_an_unknown_trigger_is_refused() -> None:
    with pytest.raises(Refused) as caught:
        start(trigger="nope")
    assert (
        str(caught.value) == "'nope' is not a trigger of this process (triggers: routine, urgent)"
    )


def test_a_process_without_triggers_starts_without_one_and_refuses_any() -> None:
    plain = parse_definition(PLAIN)
    run = start(plain, trigger=None)
    assert run.state.trigger is None
    assert run.state.current_node == "only"
    with pytest.raises(Refused) as caught:
        start(plain, trigger="pager")
    assert str(caught.value) == "'pager' is not a trigger of this process (triggers: none)"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "the operator name must not be empty"),
        ("  \n\t ", "the operator name must not be empty"),
        ("x" * 121, "the operator name is longer than 120 characters"),
        ("Ann\x1b]0;root\x07", "the operator name must not contain the control character \\x1b"),
        (
            "Ann\u202enimda",
            "the operator name must not contain the control character \\u202e "
            "(RIGHT-TO-LEFT OVERRIDE)",
        ),
        ("Ann\nBob", "the operator name must not contain a line break (it is one line)"),
    ],
)
def test_the_operator_name_is_checked(name: str, message: str) -> None:
    sink = BatchSink()
    with pytest.raises(Refused) as caught:
        start(operator=name, sink=sink)
    assert str(caught.value) == message
    assert sink.events == []


def test_names_in_any_script_are_kept() -> None:
    name = "Zoë Nguyễn 漢字 می‌خواهم"  # a ZWNJ is part of Persian
    assert start(operator=name).state.operator == name


def test_a_practice_run_is_flagged_in_the_start_event() -> None:
    run = start(practice=True)
    assert run.state.practice
    assert events_of(run)[0].reason == "practice"
    assert rebuilt(run)["practice"] is True


def test_a_run_id_can_be_given() -> None:
    run = Run.start(demo(), "h", MemorySink(), "Ann", "routine", run_id="fixed-id")
    assert run.run_id == "fixed-id"


# -- check and uncheck ---------------------------------------------------------------------


def test_check_ticks_an_item_with_who_and_when() -> None:
    clock = Clock()
    run = start(clock=clock)
    clock.advance(5)
    run.check(WASH)
    mark = run.state.current.mark(WASH)  # type: ignore[union-attr]
    assert mark.checked and mark.done
    assert mark.by == "Ann"
    assert mark.at == iso_from_ms(T0 + 5000)
    event = events_of(run)[-1]
    assert (event.kind, event.node, event.item) == ("check", "prep", WASH)
    assert run.open_items() == [1, 2, 3, 4]


def test_check_refusals() -> None:
    run = start()
    refused(
        run, lambda: run.check(TEMP), "'Temperature' needs a value: record it instead of ticking it"
    )
    refused(run, lambda: run.check(5), "this step has no item 6")
    refused(run, lambda: run.check(-1), "this step has no item 0")
    run.check(WASH)
    refused(run, lambda: run.check(WASH), "'Wash hands' is already ticked")
    run.uncheck(WASH)
    run.mark_not_applicable(WASH, "no sink")
    refused(run, lambda: run.check(WASH), "'Wash hands' is marked not applicable; clear it first")


def test_uncheck_clears_a_tick_a_value_or_a_not_applicable_mark() -> None:
    run = start()
    run.check(WASH)
    run.record(TEMP, "12")
    run.mark_not_applicable(BATCH, "no batch today")
    for item in (WASH, TEMP, BATCH):
        run.uncheck(item)
        assert run.state.current.mark(item) == type(run.state.current.mark(item))()  # type: ignore[union-attr]
    assert [e.kind for e in events_of(run)[-3:]] == ["uncheck"] * 3
    refused(run, lambda: run.uncheck(WASH), "'Wash hands' is not ticked")
    refused(run, lambda: run.uncheck(9), "this step has no item 10")


def test_items_can_only_be_ticked_at_a_step() -> None:
    run = start(trigger="urgent")
    message = "there is no checklist here: the current node is not a step"
    refused(run, lambda: run.check(0), message)
    refused(run, lambda: run.uncheck(0), message)
    refused(run, lambda: run.record(0, "1"), message)
    refused(run, lambda: run.mark_not_applicable(0, "why"), message)
    refused(run, lambda: run.note("hi", on="item", item=0), message)


# -- record ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("20", "20"),
        (" 12,5 ", "12.5"),
        ("12.50", "12.5"),
        ("-5", "-5"),
        ("\u22123,25", "-3.25"),
        ("40", "40"),
        ("4e1", "40"),
        ("0.001", "0.001"),
        ("+7", "7"),
        ("0,125", "0.125"),  # no thousands separator follows a lone 0: a decimal comma
        ("-0,125", "-0.125"),
    ],
)
def test_record_parses_numbers_and_stores_them_canonically(raw: str, stored: str) -> None:
    run = start()
    assert run.record(TEMP, raw) == stored
    mark = run.state.current.mark(TEMP)  # type: ignore[union-attr]
    assert (mark.checked, mark.value) == (True, stored)
    assert events_of(run)[-1].value == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("41", "41 °C is above the maximum 40 °C"),
        ("40,5", "40.5 °C is above the maximum 40 °C"),
        ("-5.5", "-5.5 °C is below the minimum -5 °C"),
        ("1e9", "1000000000 °C is above the maximum 40 °C"),
        ("abc", "'abc' is not a number"),
        ("12 °C", "'12 °C' is not a number"),
        ("1,2,3", "'1,2,3' is not a number"),
        ("1,000.5", "'1,000.5' is not a number"),
        ("", "'' is not a number"),
        ("   ", "'' is not a number"),
        ("nan", "'nan' is not a number"),
        ("NaN", "'NaN' is not a number"),
        ("inf", "'inf' is not a number"),
        ("-Infinity", "'-Infinity' is not a number"),
        ("1e999", "'1e999' is too large"),
        ("1,000", "'1,000' is ambiguous: type 1000 or 1.000"),
        ("-2,500", "'-2,500' is ambiguous: type -2500 or -2.500"),
        ("1_0", "'1_0' is not a number"),
        ("1 000", "'1 000' is not a number"),
        ("0x1F", "'0x1F' is not a number"),
    ],
)
def test_record_refuses_bad_numbers(raw: str, message: str) -> None:
    run = start()
    before = len(events_of(run))
    with pytest.raises(InvalidValue) as caught:
        run.record(TEMP, raw)
    assert str(caught.value) == message
    assert len(events_of(run)) == before
    assert not run.state.current.mark(TEMP).done  # type: ignore[union-attr]


def test_a_number_without_unit_or_bounds_names_no_unit() -> None:
    definition = load_file(BUNDLED / "lab-sample-intake.toml").definition
    run = start(definition, trigger="courier")
    containers = next(
        i
        for i, item in enumerate(definition.steps["unpack"].items)
        if item.unit is None and item.min
    )
    with pytest.raises(InvalidValue) as caught:
        run.record(containers, "0")
    assert str(caught.value) == "0 is below the minimum 1"


def test_record_a_choice_matches_case_insensitively_and_stores_the_canonical_spelling() -> None:
    run = start()
    assert run.record(COLOUR, "  gREEN ") == "Green"
    assert run.state.current.mark(COLOUR).value == "Green"  # type: ignore[union-attr]
    assert events_of(run)[-1].value == "Green"
    refused(run, lambda: run.record(COLOUR, "green"), "'Colour' already has the value 'Green'")
    with pytest.raises(InvalidValue) as caught:
        run.record(COLOUR, "Blue")
    assert str(caught.value) == "'Blue' is not one of: Red, Green"
    assert run.record(COLOUR, "red") == "Red"


def test_record_text_is_trimmed_and_not_empty() -> None:
    run = start()
    assert run.record(BATCH, "  B-17 ") == "B-17"
    for empty in ("", "   ", "\n\t"):
        with pytest.raises(InvalidValue) as caught:
            run.record(BATCH, empty)
        assert str(caught.value) == "the value must not be empty"
    assert run.state.current.mark(BATCH).value == "B-17"  # type: ignore[union-attr]


def test_record_a_new_value_replaces_the_old_and_the_same_value_is_refused() -> None:
    run = start()
    run.record(TEMP, "20")
    refused(run, lambda: run.record(TEMP, "20,0"), "'Temperature' already has the value '20'")
    with pytest.raises(Unchanged):  # a Refused that a screen may show as a neutral no-op
        run.record(TEMP, "20")
    run.record(TEMP, "21")
    assert run.state.current.mark(TEMP).value == "21"  # type: ignore[union-attr]
    assert [e.value for e in events_of(run) if e.kind == "record"] == ["20", "21"]


def test_record_on_a_plain_item_is_refused() -> None:
    run = start()
    with pytest.raises(InvalidValue) as caught:
        run.record(WASH, "yes")
    assert str(caught.value) == "this item does not take a value; tick it instead"


def test_invalid_value_is_a_refusal() -> None:
    assert issubclass(InvalidValue, Refused)


# -- not applicable -------------------------------------------------------------------------


def test_mark_not_applicable_with_a_reason() -> None:
    run = start()
    run.mark_not_applicable(WASH, "  gloves worn  ")
    mark = run.state.current.mark(WASH)  # type: ignore[union-attr]
    assert (mark.checked, mark.na_reason, mark.done) == (False, "gloves worn", True)
    event = events_of(run)[-1]
    assert (event.kind, event.item, event.reason) == ("na", WASH, "gloves worn")
    refused(
        run,
        lambda: run.mark_not_applicable(WASH, "again"),
        "'Wash hands' is already marked not applicable",
    )


def test_a_critical_item_cannot_be_marked_not_applicable() -> None:
    run = start()
    refused(
        run,
        lambda: run.mark_not_applicable(LOCK, "no door"),
        "'Lock the door' is critical: it cannot be marked not applicable",
    )


def test_not_applicable_needs_a_reason() -> None:
    run = start()
    refused(run, lambda: run.mark_not_applicable(WASH, "   "), "the reason must not be empty")
    refused(
        run,
        lambda: run.mark_not_applicable(WASH, "x" * 10_001),
        "the reason is longer than 10000 characters",
    )


# -- notes ----------------------------------------------------------------------------------


def test_notes_on_the_run_the_node_and_an_item() -> None:
    run = start()
    run.note(" run note ")
    run.note("node note", on="node")
    run.note("item note", on="item", item=TEMP)
    kinds = [(e.kind, e.node, e.item, e.value) for e in events_of(run)[-3:]]
    assert kinds == [
        ("note", None, None, "run note"),
        ("note", "prep", None, "node note"),
        ("note", "prep", TEMP, "item note"),
    ]
    notes = run.state.notes
    assert [(n.text, n.node, n.item, n.visit, n.actor) for n in notes] == [
        ("run note", None, None, None, "Ann"),
        ("node note", "prep", None, 0, "Ann"),
        ("item note", "prep", TEMP, 0, "Ann"),
    ]
    assert not run.state.current.mark(TEMP).done  # type: ignore[union-attr]


def test_note_refusals() -> None:
    run = start()
    refused(run, lambda: run.note("  "), "the note must not be empty")
    refused(run, lambda: run.note("x" * 10_001), "the note is longer than 10000 characters")
    message = "a note goes on the run, the current node, or one item"
    refused(run, lambda: run.note("hi", on="item"), message)
    refused(run, lambda: run.note("hi", on="elsewhere"), message)
    refused(run, lambda: run.note("hi", on="item", item=7), "this step has no item 8")


def test_notes_are_allowed_while_paused_but_not_once_finished() -> None:
    run = start()
    run.pause()
    run.note("waiting for the key")
    run.note("on the item", on="item", item=WASH)
    assert run.state.status == PAUSED
    run.abort("no key")
    refused(run, lambda: run.note("late"), "the run is aborted: nothing more can be done in it")


# -- complete -------------------------------------------------------------------------------


def test_complete_names_what_is_missing() -> None:
    run = start()
    refused(
        run,
        run.complete,
        "5 items still open: 'Wash hands'; 'Lock the door'; 'Temperature' and 2 more",
    )
    run.check(WASH)
    run.check(LOCK)
    refused(run, run.complete, "3 items still open: 'Temperature'; 'Colour'; 'Batch'")
    run.record(TEMP, "3")
    run.mark_not_applicable(COLOUR, "monochrome")
    refused(run, run.complete, "1 item still open: 'Batch'")


def test_complete_moves_to_next_and_keeps_the_visit() -> None:
    clock = Clock()
    run = start(clock=clock)
    fill_prep(run)
    clock.advance(60)
    run.complete()
    event = events_of(run)[-1]
    assert (event.kind, event.node, event.value) == ("complete", "prep", "ok")
    state = run.state
    assert state.current_node == "ok"
    first = state.visits[0]
    assert (first.outcome, first.next_node, first.left_ms) == ("completed", "ok", T0 + 60_000)
    assert first.duration_ms == 60_000
    assert first.mark(WASH).checked


def test_complete_is_refused_at_a_decision() -> None:
    run = start(trigger="urgent")
    refused(run, run.complete, "only a step can be completed; at a decision, choose an option")


# -- choose ---------------------------------------------------------------------------------


def test_choose_moves_to_the_option_target() -> None:
    run = start(trigger="urgent")
    run.choose(0)
    event = events_of(run)[-1]
    assert (event.kind, event.node, event.item, event.value) == ("choose", "ok", 0, "Yes")
    assert run.state.current_node == "wrap"
    assert run.state.visits[0].choice == 0
    assert run.state.visits[0].outcome == "chosen"


def test_choose_refusals() -> None:
    run = start()
    refused(run, lambda: run.choose(0), "there is no decision to make here")
    other = start(trigger="urgent")
    refused(other, lambda: other.choose(3), "choose an option from 1 to 3")
    refused(other, lambda: other.choose(-1), "choose an option from 1 to 3")


# -- loops ----------------------------------------------------------------------------------


def test_a_loop_makes_a_fresh_visit_with_fresh_ticks_and_keeps_both() -> None:
    run = start()
    fill_prep(run)
    run.complete()
    run.choose(1)  # Again: back to prep, as a loop
    state = run.state
    assert state.current_node == "prep"
    assert [v.node for v in state.visits] == ["prep", "ok", "prep"]
    assert state.path == [0, 1, 2]
    assert state.current.index == 2  # type: ignore[union-attr]
    assert state.current.items == {}  # type: ignore[union-attr]
    assert run.open_items() == [0, 1, 2, 3, 4]
    assert state.visits[0].mark(TEMP).value == "20"
    run.check(WASH)
    assert state.visits[0].mark(WASH).by == "Ann"
    assert run.state.visits[2].mark(WASH).checked
    assert run.state.visited_nodes() == ["prep", "ok", "prep"]
    assert rebuilt(run) == snapshot(run)


def test_a_loop_in_a_bundled_process() -> None:
    definition = load_file(BUNDLED / "incident-response.toml").definition
    clock = Clock()
    run = start(definition, trigger="pager", clock=clock)
    for index, item in enumerate(definition.steps["triage"].items):
        if item.record == "number":
            run.record(index, "5")
        elif item.record == "choice":
            run.record(index, "EU")
        elif item.record == "text":
            run.record(index, "09:12")
        else:
            run.check(index)
    run.complete()
    run.accept_role()  # on-call engineer -> incident commander
    run.choose(0)
    run.accept_role()  # back to the on-call engineer
    for _ in range(2):
        run.check(0)
        clock.advance(5 * 60)  # the watch item's wait_minutes
        run.check(1)
        run.complete()
        run.choose(1)  # No, try again
    assert run.state.visited_nodes() == [
        "triage",
        "impact",
        "mitigate",
        "fixed",
        "mitigate",
        "fixed",
        "mitigate",
    ]
    assert run.open_items() == [0, 1]
    mitigations = [v for v in run.state.visits if v.node == "mitigate"]
    assert [len(v.items) for v in mitigations] == [2, 2, 0]
    assert rebuilt(run) == snapshot(run)


# -- back -----------------------------------------------------------------------------------


def test_back_reopens_the_previous_visit_with_its_ticks_and_keeps_the_abandoned_one() -> None:
    run = start()
    fill_prep(run)
    run.complete()
    run.back()
    event = events_of(run)[-1]
    assert (event.kind, event.node, event.value) == ("back", "ok", "prep")
    state = run.state
    assert state.current_node == "prep"
    assert state.path == [0]
    assert [v.node for v in state.visits] == ["prep", "ok"]
    reopened, abandoned = state.visits
    assert (reopened.left_ms, reopened.outcome, reopened.next_node) == (None, None, None)
    assert reopened.mark(TEMP).value == "20"
    assert run.open_items() == []
    assert (abandoned.outcome, abandoned.next_node) == ("back", "prep")
    assert abandoned.left_ms is not None
    run.uncheck(WASH)
    run.check(WASH)
    run.complete()
    assert [v.node for v in run.state.visits] == ["prep", "ok", "ok"]
    assert run.state.path == [0, 2]
    assert rebuilt(run) == snapshot(run)


def test_back_to_a_decision_clears_its_choice() -> None:
    run = start(trigger="urgent")
    run.choose(0)
    run.back()
    assert run.state.current_node == "ok"
    decision = run.state.current
    assert (decision.choice, decision.outcome) == (None, None)  # type: ignore[union-attr]
    run.choose(2)
    assert run.state.status == COMPLETED
    assert run.state.end_node == "failed"


def test_back_refusals() -> None:
    run = start()
    refused(run, run.back, "this is the first node: there is nothing to go back to")
    fill_prep(run)
    run.complete()
    run.pause()
    refused(run, run.back, "the run is paused: resume it first")


# -- hand over and take over ----------------------------------------------------------------


def test_hand_over_changes_the_actor_of_later_events() -> None:
    run = start()
    run.check(WASH)
    run.hand_over("  Bob ", "  end of shift ")
    handover = events_of(run)[-1]
    assert (handover.kind, handover.actor, handover.value, handover.reason) == (
        "handover",
        "Ann",
        "Bob",
        "end of shift",
    )
    run.check(LOCK)
    assert events_of(run)[-1].actor == "Bob"
    assert run.state.operator == "Bob"
    assert run.state.operators == ["Ann", "Bob"]
    assert run.state.current.mark(LOCK).by == "Bob"  # type: ignore[union-attr]
    assert run.state.current.mark(WASH).by == "Ann"  # type: ignore[union-attr]
    run.hand_over("Ann")
    assert events_of(run)[-1].reason is None
    assert run.state.operators == ["Ann", "Bob"]
    assert rebuilt(run) == snapshot(run)


def test_hand_over_refusals() -> None:
    run = start()
    refused(run, lambda: run.hand_over("Ann"), "Ann already has this run")
    refused(run, lambda: run.hand_over(" "), "the operator name must not be empty")
    run.pause()
    run.hand_over("Bob")
    assert run.state.status == PAUSED
    run.abort("stop")
    refused(run, lambda: run.hand_over("Cy"), "the run is aborted: nothing more can be done in it")


def test_take_over_is_journaled_with_the_new_operator_as_actor() -> None:
    run = start()
    run.take_over("Cy", "Ann's terminal died")
    event = events_of(run)[-1]
    assert (event.kind, event.actor, event.reason) == ("takeover", "Cy", "Ann's terminal died")
    assert run.state.operator == "Cy"
    assert run.state.operators == ["Ann", "Cy"]
    run.check(WASH)
    assert events_of(run)[-1].actor == "Cy"
    refused(run, lambda: run.take_over(""), "the operator name must not be empty")


# -- pause, resume, abort -------------------------------------------------------------------


def test_pause_and_resume_rules() -> None:
    run = start()
    refused(run, run.resume, "not allowed while the run is active")
    run.pause("  lunch ")
    assert events_of(run)[-1].reason == "lunch"
    assert run.state.status == PAUSED
    refused(run, run.pause, "the run is paused: resume it first")
    paused = "the run is paused: resume it first"
    refused(run, lambda: run.check(WASH), paused)
    refused(run, lambda: run.record(TEMP, "3"), paused)
    refused(run, lambda: run.mark_not_applicable(WASH, "x"), paused)
    refused(run, run.complete, paused)
    refused(run, lambda: run.choose(0), paused)
    run.resume()
    assert run.state.status == ACTIVE
    run.pause()
    assert events_of(run)[-1].reason is None


def test_abort_needs_a_reason_and_ends_the_run() -> None:
    run = start()
    refused(run, lambda: run.abort(" "), "the reason must not be empty")
    run.check(WASH)
    run.abort(" wrong machine ")
    event = events_of(run)[-1]
    assert (event.kind, event.node, event.reason) == ("abort", "prep", "wrong machine")
    state = run.state
    assert (state.status, state.abort_reason, state.success) == (ABORTED, "wrong machine", False)
    assert state.finished
    assert state.current.outcome == "aborted"  # type: ignore[union-attr]
    done = "the run is aborted: nothing more can be done in it"
    for action in (
        lambda: run.check(LOCK),
        lambda: run.uncheck(WASH),
        run.complete,
        run.back,
        run.pause,
        run.resume,
        lambda: run.abort("again"),
        lambda: run.take_over("Bob"),
    ):
        refused(run, action, done)


def test_a_paused_run_can_be_aborted() -> None:
    clock = Clock()
    run = start(clock=clock)
    clock.advance(10)
    run.pause()
    clock.advance(100)
    run.abort("cancelled")
    assert run.state.status == ABORTED
    assert run.state.duration_ms == 10_000


# -- reaching an end ------------------------------------------------------------------------


def test_reaching_an_end_emits_finish_in_the_same_commit() -> None:
    sink = BatchSink()
    run = start(sink=sink)
    fill_prep(run)
    run.complete()
    run.choose(0)
    run.check(0)
    run.complete()
    last = sink.batches[-1]
    assert [(e.kind, e.node, e.value) for e in last] == [
        ("complete", "wrap", "done"),
        ("finish", "done", "success"),
    ]
    assert [e.seq for e in last] == [last[0].seq, last[0].seq + 1]
    state = run.state
    assert (state.status, state.end_node, state.success) == (COMPLETED, "done", True)
    assert state.current_node == "done"
    assert state.current.outcome == "finished"  # type: ignore[union-attr]
    assert state.finished
    refused(run, lambda: run.note("late"), "the run is completed: nothing more can be done in it")
    refused(run, run.back, "the run is completed: nothing more can be done in it")
    assert rebuilt(run) == snapshot(run)


def test_choosing_a_failure_end_finishes_with_failure() -> None:
    sink = BatchSink()
    run = start(trigger="urgent", sink=sink)
    run.choose(2)
    assert [(e.kind, e.value) for e in sink.batches[-1]] == [
        ("choose", "No"),
        ("finish", "failure"),
    ]
    assert (run.state.status, run.state.success, run.state.end_node) == (COMPLETED, False, "failed")


def test_every_event_kind_is_documented_and_handled() -> None:
    assert set(EVENT_KINDS) == {
        "start",
        "check",
        "uncheck",
        "record",
        "na",
        "note",
        "complete",
        "choose",
        "back",
        "handover",
        "accept_role",
        "pause",
        "resume",
        "takeover",
        "abort",
        "finish",
        "input",
        "basis",
        "auto_choose",
        "deviation",
        "inactive",
        "call",
        "called_by",
        "call_end",
        "interrupt",
        "return",
        "defer",
        "remind_ack",
        "sign",
        "override",
    }


# -- time -----------------------------------------------------------------------------------


def test_active_duration_excludes_paused_time() -> None:
    clock = Clock()
    run = start(clock=clock)
    clock.advance(30)
    fill_prep(run)
    clock.advance(10)
    run.pause("break")
    clock.advance(600)
    assert run.state.active_ms(clock()) == 40_000
    run.resume()
    clock.advance(20)
    assert run.state.active_ms(clock()) == 60_000
    run.complete()
    prep = run.state.visits[0]
    assert prep.paused_ms == 600_000
    assert prep.duration_ms == 60_000
    clock.advance(5)
    run.choose(0)
    clock.advance(5)
    run.check(0)
    run.complete()
    state = run.state
    assert state.ended_ms == T0 + 670_000
    assert state.paused_ms == 600_000
    assert state.duration_ms == 70_000
    assert state.active_ms(clock() + 999_999) == 70_000
    assert rebuilt(run) == snapshot(run)


def test_timestamps_never_go_backwards() -> None:
    clock = Clock()
    run = start(clock=clock)
    clock.advance(-3600)
    run.check(WASH)
    first, second = events_of(run)
    assert second.ts == first.ts
    assert ms_from_iso(second.ts) == T0


def test_timestamps_are_utc_with_milliseconds() -> None:
    assert iso_from_ms(T0 + 7) == "2026-11-18T11:06:40.007Z"
    assert ms_from_iso("2026-11-18T11:06:40.007Z") == T0 + 7


# -- the sink and the fold ------------------------------------------------------------------


def test_a_failing_sink_leaves_the_state_unchanged() -> None:
    sink = FailingSink()
    run = start(sink=sink)
    before = snapshot(run)
    sink.fail_next = True
    with pytest.raises(OSError):
        run.check(WASH)
    assert snapshot(run) == before
    run.check(WASH)
    assert [e.seq for e in sink.events] == [1, 2]


def test_state_is_a_pure_fold_of_the_events() -> None:
    clock = Clock()
    run = start(clock=clock)
    steps: list[Callable[[], object]] = [
        lambda: run.check(WASH),
        lambda: run.note("n", on="item", item=WASH),
        lambda: run.hand_over("Bob", "shift"),
        lambda: run.check(LOCK),
        lambda: run.record(TEMP, "1,5"),
        lambda: run.mark_not_applicable(COLOUR, "n/a"),
        lambda: run.record(BATCH, "b"),
        run.pause,
        run.resume,
        run.complete,
        run.back,
        run.complete,
        lambda: run.choose(1),
        lambda: run.take_over("Cy"),
        lambda: run.abort("enough"),
    ]
    for action in steps:
        clock.advance(7)
        action()
        assert rebuilt(run) == snapshot(run)
    assert [e.seq for e in events_of(run)] == list(range(1, len(steps) + 2))


def test_replay_refuses_events_that_do_not_form_a_run() -> None:
    run = start()
    run.check(WASH)
    run.check(LOCK)
    start_event, first, second = events_of(run)
    definition, digest = run.definition, run.state.definition_hash
    with pytest.raises(ReplayError, match="event 3 follows event 1"):
        replay(definition, digest, run.run_id, [start_event, second])
    with pytest.raises(ReplayError, match="the first event of a run must be 'start'"):
        replay(definition, digest, run.run_id, [dataclasses.replace(first, seq=1)])
    with pytest.raises(ReplayError, match="unknown kind 'dance'"):
        replay(
            definition, digest, run.run_id, [start_event, dataclasses.replace(first, kind="dance")]
        )
    with pytest.raises(ReplayError, match="names item 9, not in the step"):
        replay(definition, digest, run.run_id, [start_event, dataclasses.replace(first, item=9)])
    with pytest.raises(ReplayError, match="'nowhere', which is not a node"):
        replay(definition, digest, run.run_id, [dataclasses.replace(start_event, node="nowhere")])
    with pytest.raises(ReplayError, match="event 2 has an unreadable time 'yesterday'"):
        replay(
            definition,
            digest,
            run.run_id,
            [start_event, dataclasses.replace(first, ts="yesterday")],
        )
    with pytest.raises(ReplayError, match="event 2 has an item that is not a number: 'x'"):
        replay(definition, digest, run.run_id, [start_event, dataclasses.replace(first, item="x")])


def test_an_operation_never_changes_a_state_object_handed_out_before() -> None:
    """The TUI may hold ``run.state``: operations work on a copy and swap it in."""
    clock = Clock()
    run = start(clock=clock)
    steps: list[Callable[[], object]] = [
        lambda: run.check(WASH),
        lambda: run.note("n", on="item", item=WASH),
        run.pause,
        run.resume,
        lambda: run.hand_over("Bob"),
        lambda: run.uncheck(WASH),
        lambda: fill_prep(run),
        run.complete,
        run.back,
        run.complete,
        lambda: run.choose(0),
        lambda: run.check(0),
        run.complete,
    ]
    for action in steps:
        clock.advance(3)
        held = run.state
        before = dataclasses.asdict(held)
        action()
        assert dataclasses.asdict(held) == before
        assert run.state is not held
