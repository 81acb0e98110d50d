"""The bundled processes' conditions, walked with the Run API on both sides of each boundary.

Each walk records values just inside and just outside a condition, and checks what the run
does with them: the suggestion, the automatic choice, the deviation, the inactive item, and the
end reached. A replay of every walk reaches the same state.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from procedo.engine import MemorySink, Refused, Run, replay
from procedo.model import ProcessDefinition, content_hash, load_file
from procedo.model.signature import SignerIdentity

BUNDLED = Path(__file__).resolve().parent.parent / "processes"


def _load(name: str) -> tuple[ProcessDefinition, str]:
    path = BUNDLED / f"{name}.toml"
    return load_file(path).definition, content_hash(path.read_text(encoding="utf-8"))


LOTO, LOTO_HASH = _load("lockout-tagout")
LAB, LAB_HASH = _load("lab-sample-intake")
REFUND, REFUND_HASH = _load("refund-approval")
RELEASE, RELEASE_HASH = _load("software-release")
TESTER, TESTER_HASH = _load("tester-proving")


def _start(
    definition: ProcessDefinition,
    digest: str,
    trigger: str | None,
    inputs: Mapping[str, str] | None = None,
) -> Run:
    ticks = iter(range(1_795_000_000_000, 1_795_000_000_000 + 10**9, 1000))
    return Run.start(
        definition,
        digest,
        MemorySink(),
        "Tess",
        trigger,
        clock=lambda: next(ticks),
        inputs=inputs,
    )


def _ready(run: Run) -> None:
    if run.state.awaiting_role is not None:
        run.accept_role()


def fill(run: Run, values: Mapping[str, str], reasons: Mapping[str, str] | None = None) -> None:
    """Do every active item of the current step (a value by its id from ``values``, else a
    plain one), explain the deviations named in ``reasons``, and complete the step."""
    _ready(run)
    step = run.current_step
    assert step is not None, run.state.current_node
    for index, item in enumerate(step.items):
        if not run.item_checks()[index].active:
            continue
        if item.record is None:
            run.check(index)
        elif item.id is not None and item.id in values:
            run.record(index, values[item.id])
        elif item.record == "choice":
            run.record(index, item.choices[0])
        elif item.record == "number":
            run.record(index, f"{item.min if item.min is not None else 1:g}")
        else:
            run.record(index, "A-1")
    for index, item in enumerate(step.items):
        if item.id is not None and reasons and item.id in reasons:
            run.explain(index, reasons[item.id])
    sign_all(run)
    run.complete()


def sign_all(run: Run) -> None:
    """Give every sign-off of the node the run is at, each by a signer of its role (the
    hold points are not what these walks test: tests/test_signoff_engine.py is)."""
    for status in run.signoffs():
        if status.given is None:
            role = status.signoff.role
            run.sign(status.index, SignerIdentity(f"{role}-signer", f"Signer {role}", (role,)))


def choose(run: Run, option: int, reason: str | None = None) -> None:
    _ready(run)
    run.choose(option, reason)


def deviations(run: Run) -> dict[str, str]:
    """The id of every item of the current step whose value misses ``expect``, with the why."""
    step = run.current_step
    assert step is not None
    return {
        item.id or str(index): check.why_deviation
        for index, (item, check) in enumerate(zip(step.items, run.item_checks(), strict=True))
        if check.deviation
    }


def visit_of(run: Run, node: str) -> int:
    return max(v.index for v in run.state.visits if v.node == node)


def assert_replays(run: Run) -> None:
    events = run.sink.events  # type: ignore[attr-defined]
    again = replay(run.definition, run.state.definition_hash, run.run_id, events)
    assert again.current_node == run.state.current_node
    assert again.status == run.state.status
    assert [(v.node, v.choice, v.chosen_by, v.basis) for v in again.visits] == [
        (v.node, v.choice, v.chosen_by, v.basis) for v in run.state.visits
    ]


# -- lockout/tagout -------------------------------------------------------------------------


def _prove_the_tester(run: Run, volts: str = "230") -> None:
    """At the calling step: call, walk the child run of tester-proving, and go on."""
    assert run.state.current_node == "prove-tester"
    _ready(run)
    run.complete()
    call = run.open_call()
    assert call is not None and call[1] == "tester-proving"
    ticks = iter(range(1_796_000_000_000, 1_796_000_000_000 + 10**9, 1000))
    child = Run.start(TESTER, TESTER_HASH, MemorySink(), "Tess", run_id=call[0],
                      parent=(run.run_id, call[2]), clock=lambda: next(ticks))  # fmt: skip
    fill(child, {"rating_v": "1000"})
    fill(child, {"proving_v": volts})  # routed: the decision reads it
    if child.state.current_node == "faulty":
        fill(child, {})
    assert child.state.finished
    run.end_call(child.state)


def _loto_to_verify(workers: str = "2", accumulator: str = "0") -> Run:
    run = _start(LOTO, LOTO_HASH, "planned")
    fill(run, {"asset": "P-12", "workers": workers})
    fill(run, {})  # shut down
    fill(run, {})  # isolate
    reasons = {} if accumulator == "0" else {"accumulator_bar": "gauge offset, second gauge 0"}
    fill(run, {"accumulator_bar": accumulator}, reasons)
    _prove_the_tester(run)
    assert run.state.current_node == "verify-zero"
    return run


@pytest.mark.parametrize(
    ("volts", "bar", "next_node"),
    [
        ("0", "0", "maintenance"),
        ("0.99", "0", "maintenance"),
        ("1", "0", "isolate"),
        ("230", "0", "isolate"),
        ("0", "0.1", "isolate"),
        ("0.5", "3", "isolate"),
    ],
)
def test_lockout_zero_energy_is_decided_by_the_readings(
    volts: str, bar: str, next_node: str
) -> None:
    run = _loto_to_verify()
    fill(run, {"residual_v": volts, "residual_bar": bar})  # routed: the decision reads them
    decision = run.state.visits[visit_of(run, "zero-energy")]
    assert decision.chosen_by == "process"
    assert decision.choice == (0 if next_node == "maintenance" else 1)
    assert decision.basis is not None
    assert decision.basis.values == {"residual_v": volts, "residual_bar": bar}
    assert run.state.current_node == next_node
    verify = run.state.visits[visit_of(run, "verify-zero")]
    assert verify.items[2].deviation == (float(volts) >= 1)
    assert verify.items[3].deviation == (float(bar) > 0)
    assert_replays(run)


def test_lockout_a_live_reading_loops_back_and_the_next_visit_shows_the_last_values() -> None:
    run = _loto_to_verify()
    fill(run, {"residual_v": "230", "residual_bar": "0"})
    assert run.state.current_node == "isolate"
    fill(run, {})
    fill(run, {"accumulator_bar": "0"})
    _prove_the_tester(run)
    assert run.state.current_node == "verify-zero"
    assert run.previous_values() == {2: "230", 3: "0"}
    fill(run, {"residual_v": "0", "residual_bar": "0"})
    assert run.state.current_node == "maintenance"
    assert run.current_step is not None and "{asset}" in run.current_step.title
    assert run.scope()["asset"] == "P-12"


def test_lockout_pressure_left_in_the_accumulator_needs_a_reason() -> None:
    run = _start(LOTO, LOTO_HASH, "planned")
    fill(run, {"workers": "1"})
    fill(run, {})
    fill(run, {})
    _ready(run)
    run.check(0)
    run.record(1, "0.2")
    run.check(2)
    run.check(3)
    assert "accumulator_bar" in deviations(run)
    assert run.item_checks()[1].needs_reason
    with pytest.raises(Refused):
        run.complete()
    run.explain(1, "gauge reads 0.2 at rest; a second gauge reads 0")
    run.complete()
    mark = run.state.visits[visit_of(run, "release-stored")].items[1]
    assert mark.deviation and mark.deviation_reason == (
        "gauge reads 0.2 at rest; a second gauge reads 0"
    )
    assert run.state.current_node == "prove-tester"
    assert_replays(run)


@pytest.mark.parametrize(("workers", "active"), [("2", False), ("3", True), ("1", False)])
def test_lockout_the_group_lock_box_item_only_with_more_than_two_workers(
    workers: str, active: bool
) -> None:
    run = _start(LOTO, LOTO_HASH, "planned")
    fill(run, {"workers": workers})
    fill(run, {})
    _ready(run)
    assert run.state.current_node == "isolate"
    box = len(LOTO.steps["isolate"].items) - 1
    assert LOTO.steps["isolate"].items[box].when == "workers > 2"
    assert run.item_checks()[box].active is active
    if not active:
        assert "workers = 2" in run.item_checks()[box].why_inactive or workers == "1"
        with pytest.raises(Refused):
            run.check(box)
    fill(run, {})
    mark = run.state.visits[visit_of(run, "isolate")].items.get(box)
    if active:
        assert mark is not None and mark.checked and not mark.inactive
    else:
        assert mark is not None and mark.inactive and not mark.checked
    assert run.state.current_node == "release-stored"


# -- lab sample intake ----------------------------------------------------------------------


def _lab(transport: str, arrival: str, logger: str, listed: str = "12", got: str = "12") -> Run:
    run = _start(LAB, LAB_HASH, "courier")
    values = {
        "transport": transport,
        "arrival_temp": arrival,
        "logger_max": logger,
        "containers_listed": listed,
        "containers": got,
    }
    reasons = {"containers": "2 tubes missing, sender phoned"} if listed != got else {}
    fill(run, values, reasons)
    return run


@pytest.mark.parametrize(
    ("transport", "arrival", "logger", "in_range"),
    [
        ("Frozen", "-20", "-20", True),
        ("Frozen", "-19.9", "-25", False),
        ("Frozen", "-25", "-19.9", False),
        ("Frozen", "-15", "-15", False),  # the issue's -15 °C for a Frozen shipment
        ("Refrigerated", "2", "8", True),
        ("Refrigerated", "8", "8", True),
        ("Refrigerated", "1.9", "5", False),
        ("Refrigerated", "8.1", "8", False),
        ("Refrigerated", "5", "8.1", False),
        ("Ambient", "15", "25", True),
        ("Ambient", "25", "20", True),
        ("Ambient", "14.9", "20", False),
        ("Ambient", "25.1", "20", False),
        ("Ambient", "20", "25.1", False),
    ],
)
def test_lab_temperatures_against_the_transport_condition(
    transport: str, arrival: str, logger: str, in_range: bool
) -> None:
    run = _lab(transport, arrival, logger)
    unpack = run.state.visits[visit_of(run, "unpack")]
    decision = run.state.visits[visit_of(run, "temperature-ok")]
    assert decision.chosen_by == "process"
    assert decision.choice == (0 if in_range else 1)
    assert decision.basis is not None
    assert decision.basis.values["transport"] == transport
    assert decision.basis.values["arrival_temp"] == arrival
    assert run.state.current_node == ("inspect" if in_range else "qa-review")
    missed = unpack.items[3].deviation or unpack.items[4].deviation
    assert missed is not in_range
    frozen_item = unpack.items[7]
    assert frozen_item.inactive is (transport != "Frozen")
    assert_replays(run)


def test_lab_out_of_range_temperatures_go_to_quality_who_may_accept() -> None:
    run = _lab("Frozen", "-15", "-12")
    assert run.state.current_node == "qa-review"
    choose(run, 0)  # the quality officer accepts: no condition on this decision
    assert run.state.current_node == "inspect"


@pytest.mark.parametrize(("listed", "got"), [("12", "11"), ("12", "13")])
def test_lab_a_container_count_that_differs_needs_a_reason(listed: str, got: str) -> None:
    run = _start(LAB, LAB_HASH, "courier")
    _ready(run)
    values = ["", "", "Refrigerated", "5", "6", listed, got]
    for index, value in enumerate(values):
        if value:
            run.record(index, value)
        else:
            run.check(index)
    assert set(deviations(run)) == {"containers"}
    assert "containers_listed = 12" in deviations(run)["containers"]
    assert not run.item_checks()[7].active  # not frozen
    with pytest.raises(Refused):
        run.complete()
    run.explain(6, "one tube broken in transit, sender phoned")
    run.complete()
    assert run.state.current_node == "inspect"
    mark = run.state.visits[0].items[6]
    assert mark.deviation and mark.deviation_reason == "one tube broken in transit, sender phoned"


def test_lab_the_same_count_is_no_deviation() -> None:
    run = _lab("Ambient", "20", "22", "12", "12")
    assert not any(m.deviation for m in run.state.visits[0].items.values())
    assert run.state.current_node == "inspect"


# -- refund approval ------------------------------------------------------------------------


def test_refund_needs_the_amount_at_the_start() -> None:
    with pytest.raises(Refused, match="amount"):
        _start(REFUND, REFUND_HASH, "customer-request")
    with pytest.raises(Refused):
        _start(REFUND, REFUND_HASH, "customer-request", {"amount": "0"})  # below min 0.01


@pytest.mark.parametrize(
    ("amount", "next_node"),
    [("0.01", "issue-refund"), ("250", "issue-refund"), ("250.01", "lead-approval")],
)
def test_refund_the_agent_limit_is_decided_by_the_amount(amount: str, next_node: str) -> None:
    run = _start(REFUND, REFUND_HASH, "customer-request", {"amount": amount})
    fill(run, {})
    choose(run, 0)  # eligible: yes
    check = run.state.visits[visit_of(run, "amount-check")]
    assert check.chosen_by == "process"
    assert check.basis is not None and check.basis.values == {"amount": amount}
    assert run.state.current_node == next_node
    assert_replays(run)


def test_refund_5000_can_no_longer_pass_as_250_or_less() -> None:
    run = _start(REFUND, REFUND_HASH, "customer-request", {"amount": "5000"})
    fill(run, {})
    choose(run, 0)
    assert run.state.current_node == "lead-approval"  # chosen by the process, not the agent
    suggestion = run.suggestion()
    assert suggestion is not None and suggestion.option == 1  # needs finance approval
    assert "amount > 2000" in suggestion.why
    with pytest.raises(Refused):
        run.choose(0)  # approving alone is an override: it needs a reason
    choose(run, 1)
    assert run.state.current_node == "finance-approval"


@pytest.mark.parametrize(("amount", "suggested"), [("2000", None), ("2000.01", 1)])
def test_refund_finance_is_suggested_above_2000(amount: str, suggested: int | None) -> None:
    run = _start(REFUND, REFUND_HASH, "customer-request", {"amount": amount})
    fill(run, {})
    choose(run, 0)
    assert run.state.current_node == "lead-approval"
    suggestion = run.suggestion()
    assert suggestion is not None and suggestion.option == suggested
    choose(run, 0, None if suggested is None else "the customer is a key account")
    lead = run.state.visits[visit_of(run, "lead-approval")]
    assert lead.override_reason == (None if suggested is None else "the customer is a key account")
    assert run.state.current_node == "issue-refund"


@pytest.mark.parametrize(
    ("refunded", "deviation"), [("300", False), ("300.00", False), ("299", True)]
)
def test_refund_the_amount_refunded_is_the_amount_asked(refunded: str, deviation: bool) -> None:
    run = _start(REFUND, REFUND_HASH, "customer-request", {"amount": "300"})
    fill(run, {})
    choose(run, 0)
    choose(run, 0)  # the lead approves
    assert run.state.current_node == "issue-refund"
    reasons = {"refunded": "partial refund agreed with the customer"} if deviation else {}
    fill(run, {"refunded": refunded}, reasons)
    mark = run.state.visits[visit_of(run, "issue-refund")].items[1]
    assert mark.deviation is deviation
    assert run.state.status == "completed" and run.state.current_node == "refunded"
    assert_replays(run)


def test_refund_the_chargeback_path_needs_the_amount_too() -> None:
    run = _start(REFUND, REFUND_HASH, "chargeback", {"amount": "80"})
    assert run.state.inputs == {"amount": "80"}
    assert run.state.current_node == "chargeback-evidence"


# -- software release -----------------------------------------------------------------------


def _release_to_go(
    pass_rate: str, performance: str = "Same", budget: str = "1", latency: str = "250"
) -> Run:
    inputs = {"error_budget": budget, "latency_objective": latency}
    run = _start(RELEASE, RELEASE_HASH, "scheduled", inputs)
    fill(run, {})  # freeze
    fill(run, {"version": "2.4.0"})
    fill(run, {"pass_rate": pass_rate, "performance": performance})  # routed by go-no-go
    assert run.state.current_node == "go-no-go"
    _ready(run)  # the release manager makes the call
    sign_all(run)  # the go/no-go is a hold point
    return run


@pytest.mark.parametrize(
    ("pass_rate", "performance", "suggested"),
    [
        ("100", "Same", 0),
        ("100", "Worse within budget", 0),
        ("99.99", "Better", 1),
        ("97.5", "Same", 1),  # the 97.5 % release
        ("100", "Worse beyond budget", 1),
    ],
)
def test_release_go_is_suggested_only_at_100_percent_within_budget(
    pass_rate: str, performance: str, suggested: int
) -> None:
    run = _release_to_go(pass_rate, performance)
    suggestion = run.suggestion()
    assert suggestion is not None and suggestion.option == suggested
    assert not suggestion.automatic(RELEASE.decisions["go-no-go"])  # the manager decides
    verify = run.state.visits[visit_of(run, "verify")]
    assert verify.items[1].deviation is (pass_rate != "100")
    if suggested == 1:
        with pytest.raises(Refused):
            run.choose(0)  # going anyway is an override
        run.choose(0, "the failing test is quarantined, bug 4411")
        go = run.state.visits[visit_of(run, "go-no-go")]
        assert go.override_reason == "the failing test is quarantined, bug 4411"
        assert go.basis is not None and go.basis.values["pass_rate"] == pass_rate
    else:
        run.choose(0)
    assert run.state.current_node == "canary"
    assert_replays(run)


@pytest.mark.parametrize(
    ("errors", "p99", "next_node"),
    [
        ("1", "300", "rollout"),  # both just at their objective
        ("0", "120", "rollout"),
        ("1.01", "200", "rollback"),
        ("0.5", "300.1", "rollback"),
        ("5", "900", "rollback"),
    ],
)
def test_release_the_canary_is_judged_against_the_service_objectives(
    errors: str, p99: str, next_node: str
) -> None:
    run = _release_to_go("100", budget="1", latency="300")
    run.choose(0)
    failing = next_node == "rollback"
    fill(run, {"canary_errors": errors, "canary_p99": p99})  # routed: canary-healthy reads them
    canary = run.state.visits[visit_of(run, "canary")]
    assert canary.items[2].deviation is (float(errors) > 1)
    assert canary.items[3].deviation is (float(p99) > 300)
    healthy = run.state.visits[visit_of(run, "canary-healthy")]
    assert healthy.chosen_by == "process"
    assert healthy.choice == (1 if failing else 0)
    assert healthy.basis is not None
    assert healthy.basis.values == {
        "canary_errors": errors,
        "error_budget": "1",
        "canary_p99": p99,
        "latency_objective": "300",
    }
    assert run.state.current_node == next_node
    fill(run, {})
    assert run.state.current_node == ("rolled-back" if failing else "released")
    assert_replays(run)


def test_release_a_hotfix_starts_at_build_and_still_reads_its_values() -> None:
    run = _start(
        RELEASE, RELEASE_HASH, "hotfix", {"error_budget": "0.5", "latency_objective": "200"}
    )
    fill(run, {"version": "2.4.1"})
    fill(run, {"pass_rate": "100", "performance": "Same"})
    assert run.suggestion() is not None and run.suggestion().option == 0  # type: ignore[union-attr]


def test_lockout_a_tester_that_fails_its_proof_leaves_the_machine_locked_out() -> None:
    run = _start(LOTO, LOTO_HASH, "planned")
    fill(run, {"asset": "P-12", "workers": "2"})
    fill(run, {})
    fill(run, {})
    fill(run, {"accumulator_bar": "0"})
    _prove_the_tester(run, volts="0")  # the tester shows nothing on the proving unit: faulty
    assert run.state.current_node == "left-locked"
    prove = run.state.visits[visit_of(run, "prove-tester")]
    assert (prove.child_outcome, prove.next_node) == ("failure", "left-locked")
    assert_replays(run)
