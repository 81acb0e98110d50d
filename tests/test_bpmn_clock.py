"""The time keys through a BPMN export and back (``procedo:`` attributes, docs/diagrams.md),
and a value in a hand-edited file that is not a positive number of minutes left out and said."""

from __future__ import annotations

from clock_defs import clock_definition
from procedo.importers.bpmn import import_bpmn
from procedo.model import parse_definition
from procedo.render.bpmn import definition_to_bpmn


def test_the_clock_process_comes_back_the_same() -> None:
    original = clock_definition()
    (imported,) = import_bpmn(definition_to_bpmn(original))
    again = parse_definition(imported.toml, default_id=original.id)
    assert again.process.remind == original.process.remind
    assert again.steps == original.steps
    assert again.decisions == original.decisions
    assert again.interrupts == original.interrupts


def test_the_export_names_each_key() -> None:
    xml = definition_to_bpmn(clock_definition())
    assert 'remind_minutes="20" remind_text="Post a status update"' in xml
    assert 'procedo:target_minutes="10"' in xml
    assert 'procedo:timeout_minutes="30" procedo:timeout_suggest="No, roll back"' in xml
    assert 'wait_minutes="2"' in xml


def test_a_bad_number_is_left_out_and_reported() -> None:
    xml = (
        definition_to_bpmn(clock_definition())
        .replace('procedo:target_minutes="10"', 'procedo:target_minutes="soon"')
        .replace('wait_minutes="2"', 'wait_minutes="-2"')
    )
    (imported,) = import_bpmn(xml)
    again = parse_definition(imported.toml, default_id="deploy")
    assert again.steps["prepare"].target_minutes is None
    assert again.steps["prepare"].items[0].wait_minutes is None
    said = "\n".join(imported.report)
    assert "target_minutes='soon' is not a positive number of minutes: left out" in said
    assert "wait_minutes='-2' is not a positive number of minutes: left out" in said
