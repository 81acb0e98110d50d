"""Sign-offs and overrides travel: a handbook page imports back to them, a BPMN export too,
and the maps mark each hold point.

Issue 11's keys (``signoff`` on a step and a decision, ``override`` on a critical item, also
in a non-normal checklist) survive handbook -> ``procedo import`` and BPMN -> import, with
role names and meanings holding the characters the hold point's line uses itself.
"""

from __future__ import annotations

import re

import pytest

import procedo.importers.bpmn as bpmn_import
from bpmn_reader import export_to_toml
from procedo.importers.markdown import MarkdownImportError, import_markdown
from procedo.model import ProcessDefinition, parse_definition
from procedo.model.signoff import Override, SignOff
from procedo.render.bpmn import definition_to_bpmn
from procedo.render.dot import render_dot
from procedo.render.handbook import render_handbook
from procedo.render.mermaid import render_mermaid
from procedo.render.text_map import render_text_map

AWKWARD = 'checked "twice" [per SOP {7}], (see log), ok'
"""A free-text meaning with quotes, brackets, braces, parentheses and commas."""

TOML = f"""
[process]
id = "hold"
title = "Hold points"
start = "prepare"

[roles]
operator = "Operator"
lead = "Lead (shift, day)"
supervisor = "Supervisor"

[steps.prepare]
title = "Prepare"
role = "operator"
next = "go"
signoff = [
  {{ role = "lead", meaning = {AWKWARD!r} }},
  {{ role = "supervisor", meaning = "approved", distinct = true }},
]
items = [
  "Lay out the tools",
  {{ text = "Isolate the supply", critical = true, override = {{ role = "supervisor" }} }},
]

[decisions.go]
question = "Go ahead?"
role = "lead"
signoff = [{{ role = "supervisor", meaning = "someone who took no part" }}]
options = [
  {{ label = "Yes", next = "done" }},
  {{ label = "No", next = "stopped" }},
]

[ends.done]
title = "Done"
outcome = "success"

[ends.stopped]
title = "Stopped"
outcome = "failure"

[interrupts.leak]
title = "Leak"
priority = "caution"
items = [{{ text = "Close the valve", critical = true, override = {{ role = "lead" }} }}]
"""


@pytest.fixture(scope="module")
def original() -> ProcessDefinition:
    definition = parse_definition(TOML, source="hold.toml")
    assert definition.steps["prepare"].signoff == (
        SignOff(role="lead", meaning=AWKWARD),
        SignOff(role="supervisor", meaning="approved", distinct=True),
    )
    assert definition.steps["prepare"].items[1].override == Override(role="supervisor")
    assert definition.interrupts["leak"].items[0].override == Override(role="lead")
    return definition


def test_the_handbook_shows_each_hold_point_and_override_readably(
    original: ProcessDefinition,
) -> None:
    page = render_handbook(original)
    assert (
        "**Hold point:** signed by Lead \\(shift\\, day\\) "
        '(checked "twice" \\[per SOP {7}\\]\\, \\(see log\\)\\, ok), '
        "Supervisor (approved, someone who took no part)"
    ) in page
    assert "**Hold point:** signed by Supervisor (someone who took no part)" in page
    assert "*(may be overridden by: Supervisor)*" in page
    assert "*(may be overridden by: Lead \\(shift, day\\))*" in page


def test_a_handbook_page_imports_back_to_the_same_keys(original: ProcessDefinition) -> None:
    result = import_markdown(render_handbook(original), process_id="hold", source="hold.md")
    again = result.definition
    assert again.steps == original.steps
    assert again.decisions == original.decisions
    assert again.interrupts == original.interrupts
    assert again.roles == original.roles
    assert parse_definition(result.toml, default_id="hold") == again


def test_without_anchors_the_roles_come_back_by_name(original: ProcessDefinition) -> None:
    page = re.sub(r'<a id="[^"]*"></a>', "", render_handbook(original))
    again = import_markdown(page, process_id="hold").definition
    (prepare,) = [s for s in again.steps.values() if s.title == "Prepare"]
    signers = [(again.role_name(s.role), s.meaning, s.distinct) for s in prepare.signoff]
    assert signers == [("Lead (shift, day)", AWKWARD, False), ("Supervisor", "approved", True)]
    assert prepare.items[1].override is not None
    assert again.role_name(prepare.items[1].override.role) == "Supervisor"


def test_a_hand_written_hold_point_reads_too() -> None:
    text = (
        "# Sign\n\nRoles:\n\n- Nurse (coordinator)\n- Surgeon\n\n## Check\n\n"
        "Hold point: Signed by Nurse (coordinator) (performed), Surgeon (verified, "
        "Someone who took no part)\n\n- [ ] ⚠ Count *(override: Surgeon)*\n"
    )
    definition = import_markdown(text, process_id="sign").definition
    (step,) = definition.steps.values()
    assert [(definition.role_name(s.role), s.meaning, s.distinct) for s in step.signoff] == [
        ("Nurse (coordinator)", "performed", False),
        ("Surgeon", "verified", True),
    ]
    assert step.items[0].override is not None
    assert definition.role_name(step.items[0].override.role) == "Surgeon"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Hold point: signed by Surgeon", "write a role and its meaning"),
        ("Hold point: signed by Surgeon (approved, twice)", "only 'someone who took no part'"),
        ("Hold point: signed by", "names no signer"),
    ],
)
def test_a_hold_point_that_cannot_be_read_is_a_clear_error(line: str, message: str) -> None:
    with pytest.raises(MarkdownImportError, match=re.escape(message)):
        import_markdown(f"## Check\n\n{line}\n\n- [ ] x\n", process_id="x")


def test_a_hold_point_on_an_end_is_refused() -> None:
    text = "## Check\n\n- [ ] x\n\n## Done\n\nOutcome: success\n\nHold point: signed by A (b)\n"
    with pytest.raises(MarkdownImportError, match="no step or decision"):
        import_markdown(text, process_id="x")


def test_a_bpmn_export_imports_back_to_the_same_definition(original: ProcessDefinition) -> None:
    xml = definition_to_bpmn(original)
    assert '<procedo:signoff role="supervisor" meaning="approved" distinct="true" />' in xml
    assert 'override_role="supervisor"' in xml
    (imported,) = bpmn_import.import_bpmn(xml)
    again = parse_definition(imported.toml, source="hold.toml", default_id="hold")
    assert again == original
    assert definition_to_bpmn(again) == xml


def test_the_reference_reader_reads_the_keys_as_documented(original: ProcessDefinition) -> None:
    again = parse_definition(export_to_toml(definition_to_bpmn(original)), source="hold.toml")
    assert again.steps == original.steps
    assert again.decisions == original.decisions
    assert again.interrupts == original.interrupts


def test_a_bpmn_signoff_without_a_meaning_is_left_out_and_reported(
    original: ProcessDefinition,
) -> None:
    xml = definition_to_bpmn(original).replace(' meaning="approved"', "")
    (imported,) = bpmn_import.import_bpmn(xml)
    again = parse_definition(imported.toml, source="hold.toml", default_id="hold")
    assert [s.role for s in again.steps["prepare"].signoff] == ["lead"]
    assert any("procedo:signoff without a role or a meaning" in r for r in imported.report)


def test_the_maps_mark_each_hold_point(original: ProcessDefinition) -> None:
    lines = "\n".join(line.text for line in render_text_map(original))
    for text in (render_mermaid(original), render_dot(original), lines):
        assert text.count("✍ hold point: ") == 2, text
        assert "hold point: 2 signatures" in text
        assert "hold point: 1 signature" in text
