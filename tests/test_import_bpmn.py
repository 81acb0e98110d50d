"""BPMN 2.0 import: what each fixture (written for these tests) becomes, and that it loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.importers.bpmn import BpmnError, BpmnImport, import_bpmn
from procedo.model import ProcessDefinition, parse_definition
from procedo.model.placeholders import fill

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bpmn"


def imported(name: str, **options: str) -> list[tuple[BpmnImport, ProcessDefinition]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    results = import_bpmn(text, **options)
    return [(r, parse_definition(r.toml, default_id=r.process_id)) for r in results]


def one(name: str, **options: str) -> tuple[BpmnImport, ProcessDefinition]:
    [found] = imported(name, **options)
    return found


def reported(result: BpmnImport, *words: str) -> list[str]:
    return [line for line in result.report if all(w in line for w in words)]


def test_lanes_become_roles_and_tasks_steps_with_their_lane() -> None:
    result, definition = one("claims.bpmn")
    assert result.process_id == "insurance-claims"  # Process_claims is no valid id: the pool
    assert definition.title == "Insurance claims"
    assert definition.roles == {
        "claims-clerk": "Claims clerk",
        "senior-assessor": "Senior assessor",
    }
    receive = definition.steps["receive-the-claim"]
    assert receive.role == "claims-clerk"
    assert receive.instructions == "Open the claim in the inbox and check the policy number."
    assert [i.text for i in receive.items] == ["Receive the claim"]
    assert reported(result, "line 26:", "Task_receive", "one item naming the task")
    assert definition.steps["fast-track-payment"].role == "senior-assessor"
    assert reported(result, "serviceTask", "done by the operator")
    assert definition.start == "receive-the-claim"
    assert definition.triggers == ()  # one unnamed start event: no trigger


def test_exclusive_gateways_become_decisions_with_a_loop() -> None:
    _, definition = one("claims.bpmn")
    complete = definition.decisions["is-the-claim-complete"]
    assert complete.question == "Is the claim complete?"
    assert complete.role == "claims-clerk"
    assert [(o.label, o.next, o.default) for o in complete.options] == [
        ("Yes", "how-large-is-the-claim", True),
        ("No", "request-missing-documents", False),
    ]
    # the loop back: missing documents, then receive again
    assert definition.steps["request-missing-documents"].next == "receive-the-claim"
    # the merge gateway is passed through: both ways lead straight to the end
    assert definition.steps["assess-the-claim-in-full"].next == "claim-paid"
    assert definition.steps["fast-track-payment"].next == "claim-paid"
    assert {k: e.outcome for k, e in definition.ends.items()} == {
        "claim-paid": "success",
        "claim-rejected": "failure",  # the name says so
    }


def test_conditions_become_when_where_cel_says_them_else_details() -> None:
    result, definition = one("claims.bpmn")
    amount = definition.decisions["how-large-is-the-claim"]
    by_label = {o.label: o for o in amount.options}
    assert by_label["Over 1000 EUR"].when == "claim_amount > 1000"
    # an unnamed flow is labelled by where it leads; JUEL's 'and' is CEL's '&&'
    assert by_label["Fast-track payment"].when == 'claim_amount <= 1000 && region == "eu"'
    assert by_label["Odd case"].when is None
    assert 'Odd case: ${execution.getVariable("odd")}' in fill(amount.details, {})
    assert reported(result, "line 48:", "Flow_odd", "kept in the decision's details")
    # the names the conditions read are asked when a run starts
    assert {k: i.record for k, i in definition.inputs.items()} == {
        "claim_amount": "number",
        "region": "text",
    }
    assert reported(result, "claim_amount", "start input")


def test_braces_in_bpmn_text_stay_braces() -> None:
    _, definition = one("claims.bpmn")
    step = definition.steps["assess-the-claim-in-full"]
    assert step.title == "Assess the claim {{in full}}"  # no placeholder: a brace is a brace
    assert fill(step.title, {}) == "Assess the claim {in full}"
    assert step.items[0].text == step.title


def test_parallel_gateways_become_nested_parallel_blocks() -> None:
    result, definition = one("parallel.bpmn")
    assert definition.triggers[0].title == "New hire signed"
    assert definition.start == "split"
    outer = definition.parallel["split"]
    assert outer.title == "Prepare the first day"
    assert outer.branches == ("contract", "laptop")
    inner = definition.parallel["it-split"]
    assert inner.branches == ("accounts", "mail")
    assert definition.steps["laptop"].next == "it-split"
    # the inner join leads straight into the outer one: a join step is inserted for each
    assert definition.steps["accounts"].next == inner.join
    assert definition.steps["mail"].next == inner.join
    assert definition.steps[inner.join].next == outer.join
    assert definition.steps["badge"].next == outer.join
    assert definition.steps[outer.join].next == "extras"
    assert reported(result, "'it-join'", "is inserted as the join node")
    assert definition.joins == {inner.join: "it-split", outer.join: "split", "welcome": "extras"}


def test_an_inclusive_gateway_whose_flows_all_have_conditions_is_parallel() -> None:
    result, definition = one("parallel.bpmn")
    extras = definition.parallel["extras"]
    assert extras.branches == ("parking", "desk")
    assert extras.join == "welcome"
    assert 'Drives: = car = "yes"' in extras.details
    assert reported(result, "'extras'", "parallel branches")
    assert definition.steps["parking"].next == "welcome"


def test_an_inclusive_gateway_with_a_default_is_a_decision_and_complex_too() -> None:
    result, definition = one("inclusive_choice.bpmn")
    which = definition.decisions["which"]
    assert [(o.label, o.when, o.default) for o in which.options] == [
        ("Basic check", None, True),
        ("Deep check", "severity >= 3", False),
    ]
    assert reported(result, "'which'", "a decision where one option is chosen")
    # the converging inclusive gateway is a merge: both checks go on to the complex gateway
    assert definition.steps["basic"].next == definition.steps["deep"].next == "cx"
    assert [o.label for o in definition.decisions["cx"].options] == ["Yes", "No"]
    assert reported(result, "complexGateway", "a decision")


def test_start_events_become_triggers_each_with_its_start() -> None:
    result, definition = one("events.bpmn")
    assert [(t.id, t.title, t.start) for t in definition.triggers] == [
        ("alarm", "Alarm raised", None),
        ("drill", "Monthly drill", "settle"),
    ]
    assert definition.start == "assess"
    assert definition.start_for("drill") == "settle"
    assert reported(result, "'drill'", "a timer start")


def test_procedo_items_are_the_checklist() -> None:
    _, definition = one("events.bpmn")
    items = definition.steps["assess"].items
    assert [i.text for i in items] == ["Lock the main breaker", "Voltage", "Zone"]
    assert items[0].critical
    assert (items[1].id, items[1].record, items[1].unit, items[1].min, items[1].max) == (
        "residual_v", "number", "V", 0, 1000,
    )  # fmt: skip
    assert items[2].choices == ("north", "south | east")


def test_timers_and_events() -> None:
    result, definition = one("events.bpmn")
    settle = definition.steps["settle"]
    assert [i.text for i in settle.items] == ["Wait PT5M (timer)"]
    assert reported(result, "line 23:", "a timer", "waits are a later issue")
    # an event-based gateway: a decision between the events, which lead on past themselves
    wait = definition.decisions["wait"]
    assert [(o.label, o.next) for o in wait.options] == [
        ("Utility restored", "reclose"),
        ("Wait (timer PT2H)", "generator"),
    ]
    assert reported(result, "eventBasedGateway", "which event came first")
    tell = definition.steps["tell"]
    assert [i.text for i in tell.items] == ["Tell the control room (message sent)"]


def test_a_condition_not_recorded_on_every_path_is_kept_as_text() -> None:
    result, definition = one("events.bpmn")
    safe = definition.decisions["safe"]
    assert all(o.when is None for o in safe.options)  # the drill skips the voltage
    assert "No: residual_v >= 50" in safe.details
    assert reported(result, "line 72:", "'residual_v >= 50'", "kept in the decision's details")


def test_call_activities_subprocesses_loops_and_boundaries() -> None:
    result, definition = one("events.bpmn")
    generator = definition.steps["generator"]
    assert generator.call == "start-generator"
    assert generator.after_call("x", "success") == "reclose"
    assert generator.after_call("x", "failure") == "broken"
    assert definition.ends["broken"].outcome == "failure"  # an error end
    assert definition.ends["evacuate"].outcome == "failure"  # a terminate end
    assert definition.ends["ok"].outcome == "success"
    # the embedded sub-process is inlined: restored power leads to its first task
    assert reported(result, "subProcess 'restore'", "inlined")
    assert definition.steps["reclose"].next == "reclose-again"
    again = definition.decisions["reclose-again"]
    assert [(o.label, o.next) for o in again.options] == [("Again", "reclose"), ("Done", "sign")]
    assert [i.text for i in definition.steps["sign"].items] == [
        "Sign the log (1 of 2)",
        "Sign the log (2 of 2)",
    ]
    assert definition.steps["sign"].next == "notify"  # the sub-process's end: on to what follows
    assert reported(result, "'notify'", "without a fixed count", "done once")
    outcome = definition.decisions[definition.steps["notify"].next]
    assert [(o.label, o.next) for o in outcome.options] == [
        ("Done as planned", "tell"),
        ("Too late (timer PT1H)", "apologise"),
    ]
    assert reported(result, "boundaryEvent 'late'", "non-interrupting")


def test_several_pools_give_several_processes_and_calls_name_them() -> None:
    (shop, shop_def), (warehouse, warehouse_def) = imported("pools.bpmn")
    assert (shop.process_id, warehouse.process_id) == ("shop", "warehouse")
    assert shop_def.steps["ship"].call == "warehouse"  # calledElement, by the imported id
    assert reported(shop, "line 8:", "messageFlow 'mf-order'", "not mapped")
    assert reported(warehouse, "messageFlow 'mf-pick'")
    assert not reported(warehouse, "mf-order")
    assert reported(warehouse, "'orphan'", "left out")
    assert "orphan" not in warehouse_def.steps
    assert warehouse_def.steps["pack"].next == "done"
    assert reported(warehouse, "'pack'", "no flow goes on")


def test_one_process_chosen_by_id_or_name_and_given_an_id() -> None:
    [(result, definition)] = imported("pools.bpmn", process="Warehouse", process_id="stock")
    assert result.process_id == definition.id == "stock"
    assert "pick" in definition.steps
    [(result, _)] = imported("pools.bpmn", process="Shop_Process")
    assert result.process_id == "shop"
    with pytest.raises(
        BpmnError, match=r"no process 'Nope' in the file; it has 'Shop_Process' \(Shop\)"
    ):
        imported("pools.bpmn", process="Nope")
    with pytest.raises(BpmnError, match="choose one with --process"):
        imported("pools.bpmn", process_id="both")


def test_the_toml_is_what_loads() -> None:
    for name in ("claims.bpmn", "parallel.bpmn", "events.bpmn", "pools.bpmn"):
        for result, definition in imported(name):
            assert result.toml.startswith("# Imported from BPMN")
            again = parse_definition(result.toml, default_id=result.process_id)
            assert again == definition


def test_procedo_ids_and_gateway_documentation_are_read() -> None:
    text = """<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
        xmlns:procedo="https://procedo.dev/bpmn">
      <process id="Process_1" procedo:id="lockout">
        <laneSet><lane id="Lane_1" name="Electrician" procedo:id="sparky">
          <flowNodeRef>t</flowNodeRef><flowNodeRef>g</flowNodeRef></lane></laneSet>
        <startEvent id="s"/>
        <userTask id="Step_1" name="Isolate" procedo:id="1st-step">
          <extensionElements>
            <procedo:item text="Lock it" role="Electrician"/>
            <procedo:item text="Tag it" role="sparky" critical="true"/>
          </extensionElements>
        </userTask>
        <exclusiveGateway id="g" name="Dead?" default="no">
          <documentation>Test the tester first.</documentation>
        </exclusiveGateway>
        <endEvent id="e" name="Safe"/>
        <endEvent id="x" name="Unsafe: abort"/>
        <sequenceFlow id="a" sourceRef="s" targetRef="Step_1"/>
        <sequenceFlow id="b" sourceRef="Step_1" targetRef="g"/>
        <sequenceFlow id="yes" name="Yes" sourceRef="g" targetRef="e"/>
        <sequenceFlow id="no" name="No" sourceRef="g" targetRef="x"/>
      </process>
    </definitions>"""
    [result] = import_bpmn(text)
    definition = parse_definition(result.toml, default_id=result.process_id)
    assert definition.id == "lockout"
    assert definition.roles == {"sparky": "Electrician"}
    step = definition.steps["1st-step"]  # procedo:id: no NCName needed
    assert step.role is None  # Step_1 is in no lane (the lane names "t")
    assert [(i.text, i.role, i.critical) for i in step.items] == [
        ("Lock it", "sparky", False),
        ("Tag it", "sparky", True),
    ]
    decision = definition.decisions["g"]
    assert decision.role == "sparky"
    assert decision.details == "Test the tester first."
    assert [(o.label, o.default) for o in decision.options] == [("Yes", False), ("No", True)]
    assert definition.ends["x"].outcome == "failure"
    assert not reported(result, "Step_1")  # it has a checklist: nothing to say


def test_what_procedo_writes_in_its_namespace_reads_back_exactly() -> None:
    result, definition = one("procedo_own.bpmn")
    info = definition.process
    assert (info.id, info.version, info.owner, info.start, info.target_minutes) == (
        "1-restart", "2.1", "Plant ops", "check", 45,
    )  # fmt: skip
    assert info.summary == "  Bring the line back, step by step.  "  # kept as written
    assert info.resources == ("Line manual",)
    assert definition.inputs["line"].choices == ("A", "B")
    assert definition.roles == {"lead": "Shift lead"}  # Lane_none has no procedo:role: no role
    check = definition.steps["check"]
    assert (check.title, check.items, check.role) == ("Check  the  line", (), "lead")
    assert [(t.id, t.start) for t in definition.triggers] == [("manual", None), ("alarm", "prove")]
    prove = definition.steps["prove"]
    assert (prove.call, prove.next, prove.outcomes) == (
        "prove-tester", None, {"success": "both", "failure": "bad"},
    )  # fmt: skip
    which = definition.decisions["which"]
    assert which.auto and which.details == "The input says."
    assert which.options[0].when == 'line == "A"'  # the input's kind: no input guessed
    assert definition.parallel["both"].join == "done"  # procedo:closes: trusted as written
    assert definition.ends["bad"].outcome == "failure"
    assert len(result.report) == 1  # only the call: nothing else mapped differently
