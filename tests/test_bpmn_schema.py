"""The BPMN exports validated against the OMG's BPMN 2.0 XSD (BPMN20.xsd with BPMNDI, DC, DI
and Semantic), with lxml.

The schema is not in the repository: ``make bpmn-schema-test`` fetches the copy SpiffWorkflow
ships and points PROCEDO_BPMN_XSD at it. Skipped, saying why, without the schema or lxml,
unless PROCEDO_BPMN_XSD_TEST=required.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bpmn_support import BUNDLED, HOSTILE, REPO, load
from procedo.render.bpmn import definition_to_bpmn

XSD = Path(
    os.environ.get(
        "PROCEDO_BPMN_XSD",
        REPO / ".cache/bpmn-xsd/SpiffWorkflow/bpmn/parser/schema/BPMN20.xsd",
    )
)
REQUIRED = os.environ.get("PROCEDO_BPMN_XSD_TEST") == "required"


@pytest.fixture(scope="module")
def schema() -> Any:
    try:
        from lxml import etree
    except ImportError:
        etree = None
    missing = [] if etree is not None else ["lxml (pip install lxml)"]
    if not XSD.exists():
        missing.append(f"the BPMN 2.0 XSD at {XSD} (make bpmn-schema-test fetches it)")
    if missing:
        message = "needs " + " and ".join(missing)
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    assert etree is not None
    return etree.XMLSchema(etree.parse(str(XSD)))


def _errors(schema: Any, text: str) -> list[str]:
    from lxml import etree

    valid = schema.validate(etree.fromstring(text.encode("utf-8")))
    return [] if valid else [f"line {e.line}: {e.message}" for e in schema.error_log]


@pytest.mark.parametrize("path", [*BUNDLED, HOSTILE], ids=lambda p: p.stem)
def test_every_export_is_valid_bpmn(schema: Any, path: Path) -> None:
    assert _errors(schema, definition_to_bpmn(load(path))) == []


def test_the_schema_refuses_a_file_in_the_wrong_order(schema: Any) -> None:
    """The check bites: a task's documentation after its extensionElements is invalid."""
    text = definition_to_bpmn(load(HOSTILE))
    start = text.index("<bpmn:documentation>Do &lt;this&gt;")
    end = text.index("</bpmn:documentation>", start) + len("</bpmn:documentation>")
    moved = text[:start] + text[end:]
    close = moved.index("</bpmn:extensionElements>", start) + len("</bpmn:extensionElements>")
    moved = moved[:close] + text[start:end] + moved[close:]
    assert _errors(schema, text) == []
    assert any("documentation" in error for error in _errors(schema, moved))
