"""The run reads what it recorded: inputs, expected values, switched-off items, suggestions,
overrides and automatic choices, each on both sides of its boundary, and replayed."""

from __future__ import annotations

import copy
import json
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedo.engine import InvalidValue, MemorySink, Refused, Run, replay
from procedo.engine.judge import scope_texts
from procedo.model import DefinitionError, ProcessDefinition, parse_definition

T0 = 1_795_000_000_000

REFUND = """
[process]
id = "refund"
title = "Refund"

[inputs.amount]
title = "Amount asked"
record = "number"
unit = "EUR"
min = 0
max = 100000

[steps.check]
title = "Check the refund of {amount} EUR"
next = "limit"
items = [
  { id = "residual", text = "Residual", record = "number", unit = "V", min = 0, max = 1000,
    expect = "residual < 1" },
  { text = "Manager signs", when = "amount > 250" },
  "File the form",
]

[decisions.limit]
question = "Above the limit?"
auto = true
options = [
  { label = "Escalate", next = "escalate", when = "amount > 250" },
  { label = "Approve", next = "done", default = true },
]

[steps.escalate]
title = "Escalate"
next = "done"

[ends.done]
title = "Done"
outcome = "success"
"""

ROUTED = """
[process]
id = "routed"
title = "Routed"

[steps.measure]
title = "Measure"
next = "safe"
items = [
  { id = "volts", text = "Voltage", record = "number", unit = "V", min = 0, max = 1000,
    expect = "volts < 1" },
]

[decisions.safe]
question = "May work start?"
options = [
  { label = "Yes", next = "work", when = "volts < 1" },
  { label = "No, isolate again", next = "measure", when = "volts >= 1" },
]

[steps.work]
title = "Work"
next = "done"
items = [{ id = "tag", text = "Asset tag", record = "text" }]

[ends.done]
title = "Done"
outcome = "success"
"""


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        self.now += 1000
        return self.now


def definition(text: str) -> ProcessDefinition:
    return parse_definition(text, source="test.toml")


def start(text: str, **inputs: str) -> tuple[Run, MemorySink]:
    sink = MemorySink()
    run = Run.start(definition(text), "hash", sink, "Ann", inputs=inputs, clock=Clock())
    return run, sink


def kinds(sink: MemorySink, last: int) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(e.kind, e.node, e.item, e.value) for e in sink.events[-last:]]


def replayed(run: Run, sink: MemorySink) -> None:
    """The journal alone rebuilds the live state (no condition is evaluated by the fold)."""
    state = replay(run.definition, "hash", run.run_id, sink.events)
    assert state == run.state


# -- start inputs -----------------------------------------------------------------------------


def test_a_start_input_is_journaled_after_the_start_and_read_by_placeholders() -> None:
    run, sink = start(REFUND, amount="300,5")
    assert kinds(sink, 2) == [("start", "check", None, None), ("input", "amount", None, "300.5")]
    assert run.state.inputs == {"amount": "300.5"}
    assert run.scope() == {"amount": "300.5"}
    replayed(run, sink)


def test_a_missing_unknown_or_invalid_input_refuses_the_start_and_writes_nothing() -> None:
    sink = MemorySink()
    with pytest.raises(Refused, match=r"give the start input: amount \(Amount asked\)"):
        Run.start(definition(REFUND), "hash", sink, "Ann")
    with pytest.raises(Refused, match="'colour' is not an input of this process"):
        Run.start(definition(REFUND), "hash", sink, "Ann", inputs={"amount": "1", "colour": "x"})
    with pytest.raises(InvalidValue, match="amount: -1 EUR is below the minimum 0 EUR"):
        Run.start(definition(REFUND), "hash", sink, "Ann", inputs={"amount": "-1"})
    assert sink.events == []


# -- items: when and expect -----------------------------------------------------------------


@pytest.mark.parametrize(("amount", "active"), [("250", False), ("250.01", True), ("0", False)])
def test_an_item_when_switches_it_on_only_above_the_boundary(amount: str, active: bool) -> None:
    run, _ = start(REFUND, amount=amount)
    check = run.item_checks()[1]
    assert check.active is active
    if active:
        assert run.open_items() == [0, 1, 2]
        run.check(1)
    else:
        assert check.why_inactive == f"amount > 250 is false (amount = {amount} EUR)"
        assert run.open_items() == [0, 2]
        with pytest.raises(Refused, match="'Manager signs' is not needed now: amount > 250"):
            run.check(1)
        with pytest.raises(Refused, match="not needed now"):
            run.mark_not_applicable(1, "no")


def test_an_inactive_item_is_journaled_as_inactive_when_the_step_completes() -> None:
    run, sink = start(REFUND, amount="100")
    run.record(0, "0.2")
    run.check(2)
    run.complete()
    completing = [(e.kind, e.item) for e in sink.events if e.kind in ("inactive", "complete")]
    assert completing == [("inactive", 1), ("complete", None)]
    mark = run.state.visits[0].mark(1)
    assert (mark.inactive, mark.checked, mark.na_reason) == (True, False, None)
    replayed(run, sink)


@pytest.mark.parametrize(("value", "deviation"), [("0.999", False), ("1", True), ("1.001", True)])
def test_expect_marks_a_deviation_on_its_side_of_the_boundary(value: str, deviation: bool) -> None:
    run, _ = start(REFUND, amount="10")
    run.record(0, value)
    check = run.item_checks()[0]
    assert check.deviation is deviation
    run.check(2)
    if not deviation:
        run.complete()
        return
    assert check.why_deviation == f"expected residual < 1, but residual = {value} V"
    with pytest.raises(Refused, match=r"'Residual' is a deviation .*give a reason to accept it"):
        run.complete()


def test_an_explained_deviation_lets_the_step_complete_and_keeps_the_reason() -> None:
    run, sink = start(REFUND, amount="10")
    run.record(0, "230")
    run.check(2)
    run.explain(0, "meter under repair; checked by hand")
    assert kinds(sink, 1) == [("deviation", "check", 0, "230")]
    assert sink.events[-1].reason == "meter under repair; checked by hand"
    run.complete()
    mark = run.state.visits[0].mark(0)
    assert (mark.deviation, mark.deviation_reason) == (True, "meter under repair; checked by hand")
    replayed(run, sink)


def test_a_new_value_clears_the_explanation_of_the_old_one() -> None:
    run, _ = start(REFUND, amount="10")
    run.record(0, "230")
    run.explain(0, "first reading")
    run.record(0, "231")
    run.check(2)
    with pytest.raises(Refused, match="is a deviation"):
        run.complete()
    run.record(0, "0.5")  # a value that meets expect needs no reason at all
    run.complete()
    assert run.state.visits[0].mark(0).deviation is False


def test_explain_is_refused_without_a_deviation_or_a_reason() -> None:
    run, _ = start(REFUND, amount="10")
    with pytest.raises(Refused, match="'Residual' has no deviation to explain"):
        run.explain(0, "x")
    run.record(0, "0.5")
    with pytest.raises(Refused, match="has no deviation to explain"):
        run.explain(0, "x")
    run.record(0, "5")
    with pytest.raises(Refused, match="the reason must not be empty"):
        run.explain(0, "   ")


def test_a_deviation_the_flow_routes_needs_no_reason_and_is_journaled_as_routed() -> None:
    run, sink = start(ROUTED)
    run.record(0, "230")
    assert run.item_checks()[0].routed
    run.complete()
    deviation = next(e for e in sink.events if e.kind == "deviation")
    assert (deviation.value, deviation.reason) == ("230", None)
    suggestion = run.suggestion()
    assert suggestion is not None
    assert (suggestion.option, suggestion.holding) == (1, (1,))
    assert suggestion.why == "volts >= 1 holds (volts = 230 V)"
    replayed(run, sink)


# -- decisions: suggestion, override, auto --------------------------------------------------


def test_confirming_the_suggestion_journals_the_values_it_read() -> None:
    run, sink = start(ROUTED)
    run.record(0, "0.2")
    run.complete()
    run.choose(0)
    assert kinds(sink, 2) == [
        ("basis", "safe", 0, '{"volts":"0.2"}'),
        ("choose", "safe", 0, "Yes"),
    ]
    visit = run.state.visits[1]
    assert (visit.chosen_by, visit.override_reason) == ("operator", None)
    assert visit.basis is not None and visit.basis.values == {"volts": "0.2"}
    replayed(run, sink)


def test_another_option_than_the_suggestion_needs_a_reason_and_is_an_override() -> None:
    run, sink = start(ROUTED)
    run.record(0, "0.2")
    run.complete()
    before = len(sink.events)
    with pytest.raises(Refused, match=r"'Yes' is suggested .*choosing 'No, isolate again'"):
        run.choose(1)
    with pytest.raises(Refused, match="needs a reason"):
        run.choose(1, "  ")
    assert len(sink.events) == before
    run.choose(1, "the meter is suspect")
    assert sink.events[-1].reason == "the meter is suspect"
    visit = run.state.visits[1]
    assert (visit.choice, visit.override_reason) == (1, "the meter is suspect")
    replayed(run, sink)


@pytest.mark.parametrize(
    ("amount", "option", "end_path"),
    [("250", 1, ["check", "limit", "done"]), ("251", 0, ["check", "limit", "escalate"])],
)
def test_an_auto_decision_chooses_itself_on_either_side(
    amount: str, option: int, end_path: list[str]
) -> None:
    run, sink = start(REFUND, amount=amount)
    run.record(0, "0.1")
    for index in run.open_items():
        if index != 0:
            run.check(index)
    run.complete()
    assert run.state.path_nodes() == end_path
    decision = run.state.visits[1]
    assert (decision.chosen_by, decision.choice) == ("process", option)
    auto = [e for e in sink.events if e.kind in ("basis", "auto_choose")]
    assert [(e.kind, e.item) for e in auto] == [("basis", option), ("auto_choose", option)]
    assert json.loads(auto[0].value or "") == {"amount": amount}
    replayed(run, sink)


def test_back_to_an_auto_decision_lets_the_operator_look_again() -> None:
    run, _ = start(REFUND, amount="300")
    run.record(0, "0.1")
    run.check(1)
    run.check(2)
    run.complete()
    assert run.state.current_node == "escalate"
    run.back()
    assert run.state.current_node == "limit"
    suggestion = run.suggestion()
    assert suggestion is not None and suggestion.option == 0


AMBIGUOUS = """
[process]
id = "amb"
title = "Ambiguous"

[steps.s]
title = "S"
next = "d"
items = [
  { id = "x", text = "X", record = "number" },
  { id = "note", text = "Note", record = "text", critical = false },
]

[decisions.d]
question = "Which?"
auto = true
options = [
  { label = "Big", next = "e", when = "x > 10" },
  { label = "Huge", next = "e", when = "x > 100" },
  { label = "Other", next = "e", default = true },
]

[ends.e]
title = "E"
outcome = "success"
"""


@pytest.mark.parametrize(
    ("x", "automatic", "suggested"),
    [("5", True, 2), ("50", True, 0), ("500", False, 0)],
)
def test_auto_asks_when_more_than_one_option_holds(x: str, automatic: bool, suggested: int) -> None:
    """The loader refuses an auto decision whose options can hold together when it can see
    it; should one slip through (a stored definition), the engine still asks."""
    unchecked = ProcessDefinition.model_validate(tomllib.loads(AMBIGUOUS))
    with pytest.raises(DefinitionError, match="both 'Big' and 'Huge' hold when x = 101"):
        definition(AMBIGUOUS)
    run = Run.start(unchecked, "hash", MemorySink(), "Ann", clock=Clock())
    run.record(0, x)
    run.record(1, "n")
    run.complete()
    if automatic:
        assert run.state.visits[1].chosen_by == "process"
        assert run.state.visits[1].choice == suggested
    else:
        assert run.state.current_node == "d"
        suggestion = run.suggestion()
        assert suggestion is not None
        assert (suggestion.option, suggestion.holding) == (suggested, (0, 1))


def test_a_value_a_condition_reads_cannot_be_marked_not_applicable() -> None:
    """Validation counts such an item as recorded on every path: the engine keeps it so."""
    unchecked = ProcessDefinition.model_validate(tomllib.loads(AMBIGUOUS))
    run = Run.start(unchecked, "hash", MemorySink(), "Ann", clock=Clock())
    assert run.allowed(0).not_applicable.reason == (
        "'X' is read by a condition: record its value (it cannot be marked not applicable)"
    )
    with pytest.raises(Refused, match="'X' is read by a condition"):
        run.mark_not_applicable(0, "no reading")
    run.mark_not_applicable(1, "nothing to note")  # 'note' is read by no condition


# -- the scope --------------------------------------------------------------------------------


def test_the_scope_holds_the_last_value_on_the_path_and_forgets_undone_visits() -> None:
    run, _ = start(ROUTED)
    run.record(0, "5")
    run.complete()
    run.choose(1)  # isolate again: a second visit of measure
    assert scope_texts(run.definition, run.state) == {"volts": "5"}
    assert run.previous_values() == {0: "5"}
    run.record(0, "0.5")
    assert run.scope() == {"volts": "0.5"}
    run.uncheck(0)
    assert run.scope() == {"volts": "5"}  # the earlier visit's value again
    run.back()  # the second measure visit is undone: back at the decision
    assert run.scope() == {"volts": "5"}


# -- replay: a property -----------------------------------------------------------------------

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["record", "check", "complete", "choose", "explain", "back", "uncheck"]),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(["0", "0.5", "1", "230", "999"]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amount=st.sampled_from(["0", "250", "251", "9999"]), actions=ACTIONS)
def test_any_run_with_conditions_replays_to_the_same_state(
    amount: str, actions: list[tuple[str, int, str]]
) -> None:
    for text, inputs in ((REFUND, {"amount": amount}), (ROUTED, {})):
        run, sink = start(text, **inputs)
        for action, index, value in actions:
            try:
                if action == "record":
                    run.record(index, value)
                elif action in ("check", "uncheck"):
                    getattr(run, action)(index)
                elif action == "complete":
                    run.complete()
                elif action == "choose":
                    run.choose(index % 2, "a reason" if value == "1" else None)
                elif action == "explain":
                    run.explain(index, "accepted")
                else:
                    run.back()
            except Refused:
                pass
        replayed(run, sink)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_an_operation_never_changes_the_state_it_started_from(
    actions: list[tuple[str, int, str]],
) -> None:
    """The engine changes a copy (sharing the visits the fold cannot touch) and adopts it
    only once durable: the state an operation started from stays as it was."""
    run, _ = start(ROUTED)
    for action, index, value in actions:
        before = run.state
        frozen = copy.deepcopy(before)
        try:
            if action == "record":
                run.record(0, value)
            elif action == "complete":
                run.complete()
            elif action == "choose":
                run.choose(index % 2, "a reason")
            elif action == "back":
                run.back()
            elif action == "uncheck":
                run.uncheck(0)
            else:
                run.note(f"note {value}", on="node")
        except Refused:
            pass
        assert before == frozen
        assert [v.items for v in before.visits] == [v.items for v in frozen.visits]


def test_a_condition_that_does_not_compile_is_never_judged() -> None:
    """A definition stored with an old journal may hold a condition the loader now refuses:
    the run neither crashes nor trusts it (the item stays on, nothing is automatic)."""
    definition_ = definition(REFUND)
    broken = definition_.model_copy(deep=True)
    step = broken.steps["check"]
    items = list(step.items)
    items[1] = items[1].model_copy(update={"when": "amount >"})
    object.__setattr__(step, "items", tuple(items))
    options = list(broken.decisions["limit"].options)
    options[0] = options[0].model_copy(update={"when": "amount > 'x'"})
    object.__setattr__(broken.decisions["limit"], "options", tuple(options))
    sink = MemorySink()
    run = Run.start(broken, "hash", sink, "Ann", inputs={"amount": "100"})
    assert run.item_checks()[1].active  # unknown keeps the item on
    run.record(0, "0.1")
    run.check(1)
    run.check(2)
    run.complete()
    assert run.state.current_node == "limit"  # not automatic: a condition could not be judged
    suggestion = run.suggestion()
    assert suggestion is not None and suggestion.unknown == (0,)
    assert suggestion.why == "a condition could not be judged (amount = 100 EUR): the default"


BACK_AND_ROLES = """
[process]
id = "back"
title = "Back"

[roles]
mgr = "Manager"

[steps.a]
title = "A"
next = "d"
items = [
  { id = "kind", text = "Kind", record = "choice", choices = ["Frozen", "Chilled"] },
  { text = "Frozen check", when = "kind == 'Frozen'" },
]

[decisions.d]
question = "Cold enough?"
role = "mgr"
auto = true
options = [
  { label = "Frozen route", next = "e", when = "kind == 'Frozen'" },
  { label = "Chilled route", next = "e", default = true },
]

[ends.e]
title = "E"
outcome = "success"
"""


def test_back_reopens_a_step_with_its_switched_off_items_switched_on_again() -> None:
    run, sink = start(BACK_AND_ROLES)
    run.record(0, "Chilled")
    run.complete()  # 'Frozen check' journaled inactive
    run.back()
    assert run.state.current.mark(1).inactive is False  # type: ignore[union-attr]
    run.record(0, "Frozen")
    assert run.open_items() == [1]
    with pytest.raises(Refused, match="1 item still open: 'Frozen check'"):
        run.complete()
    run.check(1)
    run.complete()
    replayed(run, sink)


def test_an_auto_decision_with_a_role_waits_for_the_role_then_chooses() -> None:
    run, sink = start(BACK_AND_ROLES)
    run.record(0, "Frozen")
    run.check(1)
    run.complete()
    assert (run.state.current_node, run.state.awaiting_role) == ("d", "mgr")
    assert not any(e.kind == "auto_choose" for e in sink.events)
    run.accept_role()
    assert run.state.status == "completed"
    assert [e.kind for e in sink.events[-4:]] == ["accept_role", "basis", "auto_choose", "finish"]
    replayed(run, sink)


def test_only_arriving_at_an_auto_decision_makes_it_choose() -> None:
    run, _ = start(BACK_AND_ROLES)
    run.record(0, "Chilled")
    run.complete()
    run.accept_role()  # chooses: the run arrived and the role was taken up
    assert run.state.finished
    run2, sink2 = start(REFUND, amount="300")
    run2.record(0, "0.1")
    run2.check(1)
    run2.check(2)
    run2.complete()
    run2.back()
    assert run2.state.current_node == "limit"
    run2.note("looking at it again", on="node")
    run2.pause()
    run2.resume()
    assert run2.state.current_node == "limit"  # nothing chose for the operator
    assert [e.kind for e in sink2.events].count("auto_choose") == 1
    replayed(run2, sink2)


def test_the_path_tells_a_deviation_and_a_switched_off_item_as_such() -> None:
    from procedo.render.run_path import path_entries

    run, _ = start(REFUND, amount="100")
    run.record(0, "230")
    run.explain(0, "meter fault")
    run.check(2)
    run.complete()
    deeds = path_entries(run.definition, run.state)[0].deeds
    assert "deviation on Residual (230): accepted: meter fault" in deeds
    assert "Manager signs switched off (not needed)" in deeds
    assert not any(d.startswith("ticked Residual") for d in deeds)
