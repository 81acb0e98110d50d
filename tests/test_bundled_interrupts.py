"""The bundled processes carry the non-normal checklists and deferrable items of their real
counterparts: the intended priorities, where each may interrupt and where each leads."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.model import ProcessDefinition, load_file
from procedo.model.definition import RETURN, AfterChoice

PROCESSES = Path(__file__).resolve().parent.parent / "processes"
LOCKED = (
    "isolate",
    "release-stored",
    "prove-tester",
    "verify-zero",
    "zero-energy",
    "maintenance",
    "restore",
)
HANDLING = ("unpack", "inspect", "request-correction", "accession")
IN_PRODUCTION = ("canary", "canary-healthy", "rollout", "rollback")

# process -> interrupt -> (priority, targets other than "return", during, after is a question)
EXPECTED: dict[str, dict[str, tuple[str, list[str], tuple[str, ...], bool]]] = {
    "lockout-tagout": {
        "fire-alarm": ("warning", ["abandoned"], LOCKED, True),
        "injury": ("warning", ["abandoned"], LOCKED, True),
    },
    "lab-sample-intake": {
        "leaking-container": ("caution", ["reject"], HANDLING, True),
        "biohazard-spill": ("warning", ["reject"], (), True),
    },
    "software-release": {
        "page": ("caution", [], IN_PRODUCTION, False),
    },
    "incident-response": {
        "second-incident": ("caution", [], (), False),
        "security-finding": ("warning", [], (), False),
    },
}
# process -> (step, item text) -> the step it comes back at
DEFERRABLE: dict[str, dict[tuple[str, str], str]] = {
    "lockout-tagout": {("maintenance", "Job card number"): "restore"},
    "software-release": {
        ("freeze", "Collect the merged changes into the release notes"): "rollout"
    },
    "lab-sample-intake": {},
    "incident-response": {},
}


def definition(process: str) -> ProcessDefinition:
    """The bundled definition of ``process``, loaded without problems."""
    loaded = load_file(PROCESSES / f"{process}.toml")
    assert loaded.definition is not None
    return loaded.definition


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_each_process_has_its_interrupts(process: str) -> None:
    found = definition(process).interrupts
    got = {
        key: (i.priority, i.targets(), i.during, isinstance(i.after, AfterChoice))
        for key, i in found.items()
    }
    assert got == EXPECTED[process]


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_every_interrupt_is_a_real_checklist_that_can_return(process: str) -> None:
    for key, interrupt in definition(process).interrupts.items():
        assert interrupt.title and interrupt.instructions, key
        assert 3 <= len(interrupt.items) <= 10, key
        after = interrupt.after
        nexts = [o.next for o in after.options] if isinstance(after, AfterChoice) else [after]
        assert RETURN in nexts, f"{key}: the operator can always go back to where they were"


def test_the_lockout_is_abandoned_only_to_a_failure_end_that_keeps_it() -> None:
    lockout = definition("lockout-tagout")
    end = lockout.ends["abandoned"]
    assert end.outcome == "failure"
    assert "lockout stays in place" in end.title
    fire = lockout.interrupts["fire-alarm"].after
    assert isinstance(fire, AfterChoice)
    assert "all-clear" in fire.question
    assert {o.next for o in fire.options} == {RETURN, "abandoned"}


def test_lockout_interrupts_apply_only_while_locks_are_on() -> None:
    lockout = definition("lockout-tagout")
    assert lockout.interrupts_at("maintenance") == ["fire-alarm", "injury"]
    for before_or_after in ("prepare", "shutdown", "restart-ok", "left-locked"):
        assert lockout.interrupts_at(before_or_after) == [], before_or_after


def test_a_spill_outranks_a_leak_in_the_lab() -> None:
    lab = definition("lab-sample-intake")
    assert lab.interrupts_at("inspect") == ["biohazard-spill", "leaking-container"]
    # a leak is found while containers are handled, never at a decision
    assert lab.interrupts_at("paperwork-ok") == ["biohazard-spill"]


def test_a_page_interrupts_only_while_production_changes() -> None:
    release = definition("software-release")
    assert release.interrupts_at("rollout") == ["page"]
    assert release.interrupts_at("verify") == []


def test_a_security_finding_outranks_a_second_incident() -> None:
    incident = definition("incident-response")
    assert incident.interrupts_at("mitigate") == ["security-finding", "second-incident"]


@pytest.mark.parametrize("process", sorted(DEFERRABLE))
def test_deferrable_items_are_the_intended_ones(process: str) -> None:
    found = {
        (step_id, item.text): item.defer_to
        for step_id, step in definition(process).steps.items()
        for item in step.items
        if item.defer_to is not None
    }
    assert found == DEFERRABLE[process]


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_no_critical_item_can_be_deferred(process: str) -> None:
    for checklist_id, checklist in definition(process).checklists.items():
        for item in checklist.items:
            assert not (item.critical and item.defer_to), (checklist_id, item.text)


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_an_item_comes_back_at_a_step_the_flow_reaches_later(process: str) -> None:
    d = definition(process)
    for step_id, step in d.steps.items():
        for item in step.items:
            if item.defer_to is None:
                continue
            assert item.defer_to in reachable_from(d, step_id), (step_id, item.text)


def reachable_from(d: ProcessDefinition, node: str) -> set[str]:
    """Every node the flow can reach from ``node`` (not counting ``node`` itself)."""
    seen: set[str] = set()
    todo = list(d.successors(node))
    while todo:
        following = todo.pop()
        if following not in seen:
            seen.add(following)
            todo.extend(d.successors(following))
    return seen


@pytest.mark.parametrize("process", sorted(EXPECTED))
def test_interrupt_texts_are_plain(process: str) -> None:
    for key, interrupt in definition(process).interrupts.items():
        after = interrupt.after
        texts = [interrupt.title, interrupt.instructions]
        texts += [t for item in interrupt.items for t in (item.text, item.details)]
        if isinstance(after, AfterChoice):
            texts += [after.question, *(o.label for o in after.options)]
        for text in texts:
            assert not set("[]<>{}") & set(text), (key, text)
            assert text == text.strip(), (key, text)
