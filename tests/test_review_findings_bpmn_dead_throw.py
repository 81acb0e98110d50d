"""Review finding: a BPMN flow that ends at a plain intermediate throw event (no event
definition, no flow out: a milestone drawn where the end event should be) crashed the import
with an IndexError (the mapper took it for a merge and followed its first outgoing flow);
``procedo import`` printed a traceback. It now leads to the implicit end, like a task or a
gateway with no flow out."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from procedo.cli import cli
from procedo.importers.bpmn import import_bpmn
from procedo.model import parse_definition

MILESTONE_LAST = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    targetNamespace="https://example.org">
  <bpmn:process id="notify" name="Notify">
    <bpmn:startEvent id="s" />
    <bpmn:task id="call" name="Call the control room" />
    <bpmn:intermediateThrowEvent id="told" name="Control room told" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="told" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_flow_ending_at_a_plain_throw_event_goes_to_the_implicit_end() -> None:
    [result] = import_bpmn(MILESTONE_LAST)
    definition = parse_definition(result.toml, default_id=result.process_id)
    step = definition.steps["call"]
    assert step.next in definition.ends and definition.ends[step.next].success
    assert any("no flow goes on from it" in line for line in result.report)


def test_procedo_import_writes_it_without_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "notify.bpmn"
    source.write_text(MILESTONE_LAST, "utf-8")
    target = tmp_path / "notify.toml"
    result = CliRunner().invoke(cli, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert target.exists()
