"""The bundled WHO Surgical Safety Checklist: its three hold points, roles and sign-offs, and a
walk of it through the engine, signed at every hold point."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.engine import COMPLETED, MemorySink, Run
from procedo.model import ProcessDefinition, load_file
from procedo.model.signature import Signature, SignerIdentity

PATH = Path(__file__).resolve().parent.parent / "processes" / "surgical-safety.toml"
T0 = 1_795_000_000_000
HOLD_POINTS = ("sign-in", "time-out", "sign-out")


@pytest.fixture(scope="module")
def definition() -> ProcessDefinition:
    return load_file(PATH).definition  # raises on any problem


def test_it_loads_with_the_who_phases_in_order(definition: ProcessDefinition) -> None:
    assert definition.id == "surgical-safety"
    assert definition.start == "sign-in"
    titles = [definition.steps[s].title for s in HOLD_POINTS]
    assert titles == [
        "Sign In: before induction of anaesthesia",
        "Time Out: before skin incision",
        "Sign Out: before the patient leaves the operating room",
    ]
    assert definition.steps["sign-in"].next == "time-out"
    assert definition.steps["sign-out"].next == "left"
    assert {e.outcome for e in definition.ends.values()} == {"success", "failure"}


def test_its_roles_are_the_theatre_team(definition: ProcessDefinition) -> None:
    assert set(definition.roles) == {"surgeon", "anaesthetist", "nurse"}
    assert all(definition.steps[s].role == "nurse" for s in HOLD_POINTS)


def test_every_hold_point_has_its_sign_offs(definition: ProcessDefinition) -> None:
    def signoffs(step: str) -> list[tuple[str, str, bool]]:
        return [(s.role, s.meaning, s.distinct) for s in definition.steps[step].signoff]

    assert signoffs("sign-in") == [
        ("anaesthetist", "verified", False),
        ("nurse", "performed", False),
    ]
    assert [role for role, _, _ in signoffs("time-out")] == ["surgeon", "anaesthetist", "nurse"]
    assert {meaning for _, meaning, _ in signoffs("time-out")} == {"verified"}
    assert signoffs("sign-out") == [
        ("nurse", "performed", False),
        ("surgeon", "reviewed", True),
        ("anaesthetist", "reviewed", False),
    ]
    # only the hold points stop for signatures
    others = [s for s in definition.steps if s not in HOLD_POINTS]
    assert others and not any(definition.steps[s].signoff for s in others)


def test_the_critical_items_and_the_one_override(definition: ProcessDefinition) -> None:
    sign_in = definition.steps["sign-in"].items
    critical = [i.text for i in sign_in if i.critical]
    assert "Patient has confirmed identity, site, procedure and consent" in critical
    assert "Anaesthesia safety check completed" in critical
    overridable = [
        (step.title, item.text, item.override.role)
        for step in definition.steps.values()
        for item in step.items
        if item.override is not None
    ]
    assert overridable == [
        (
            "Sign In: before induction of anaesthesia",
            "Pulse oximeter on patient and functioning",
            "surgeon",
        )
    ]
    counts = next(i for i in definition.steps["sign-out"].items if "sponge" in i.text)
    assert counts.critical and counts.override is None


def test_the_risks_are_recorded_as_the_form_asks_them(definition: ProcessDefinition) -> None:
    recorded = {i.text: i.choices for i in definition.steps["sign-in"].items if i.record}
    assert recorded["Does the patient have a known allergy?"] == ("No", "Yes")
    assert recorded["Difficult airway or aspiration risk?"][1] == (
        "Yes, and equipment and assistance available"
    )
    assert "Risk of more than 500 mL blood loss (7 mL/kg in children)?" in recorded


SIGNERS = {
    "nurse": SignerIdentity("nnia", "Nia Nurse", ("nurse",)),
    "anaesthetist": SignerIdentity("aabe", "Abe Anaesthetist", ("anaesthetist",)),
    "surgeon": SignerIdentity("ssue", "Sue Surgeon", ("surgeon",)),
}


def _do_items(run: Run) -> None:
    for index, line in enumerate(run.lines()):
        item = line.spec
        if item.record == "choice":
            run.record(index, item.choices[0])
        elif item.record == "number":
            run.record(index, "300")
        elif item.record == "text":
            run.record(index, "Laparoscopic appendicectomy")
        else:
            run.check(index)


def _sign_all(run: Run, definition: ProcessDefinition) -> None:
    node = run.state.current_node
    step = definition.steps.get(node) or definition.decisions[node]
    for index, signoff in enumerate(step.signoff):
        run.sign(index, SIGNERS[signoff.role])


def test_a_walk_signed_at_the_three_hold_points(definition: ProcessDefinition) -> None:
    now = [T0]

    def clock() -> int:
        now[0] += 1000
        return now[0]

    sink = MemorySink()
    run = Run.start(definition, "h", sink, "Nia Nurse", "scheduled", clock=clock)
    for step in ("sign-in", "time-out"):
        assert run.state.current_node == step
        _do_items(run)
        _sign_all(run, definition)
        run.complete()
    run.accept_role()  # the surgeon decides
    run.choose(0)
    run.accept_role()  # back to the nurse
    assert run.state.current_node == "sign-out"
    _do_items(run)
    _sign_all(run, definition)
    run.complete()
    assert run.state.status == COMPLETED and run.state.end_node == "left"
    signed = [e for e in sink.events if e.kind == "sign"]
    assert [(e.node, e.item) for e in signed] == [
        ("sign-in", 0),
        ("sign-in", 1),
        ("time-out", 0),
        ("time-out", 1),
        ("time-out", 2),
        ("sign-out", 0),
        ("sign-out", 1),
        ("sign-out", 2),
    ]
    by_hash = {e.hash: e.seq for e in sink.events}
    for event in signed:  # each covers the event just before it
        sig = Signature.from_json(event.value)
        assert sig is not None and by_hash[sig.covers] == event.seq - 1
        assert sig.signer == SIGNERS[sig.role].id


def test_the_surgeon_overrides_a_missing_pulse_oximeter(definition: ProcessDefinition) -> None:
    sink = MemorySink()
    run = Run.start(definition, "h", sink, "Nia Nurse", "emergency", clock=lambda: T0)
    oximeter = next(i for i, line in enumerate(run.lines()) if line.spec.override is not None)
    run.override(oximeter, "No oximeter in the room; life-saving emergency", SIGNERS["surgeon"])
    event = sink.events[-1]
    assert (event.kind, event.node, event.item) == ("override", "sign-in", oximeter)
    sig = Signature.from_json(event.value)
    assert sig is not None and (sig.signer, sig.role, sig.meaning) == (
        "ssue",
        "surgeon",
        "override",
    )
    assert run.state.current.mark(oximeter).done
