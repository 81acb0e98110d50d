"""The BPMN export keeps the whole process: the reference reader of tests/bpmn_reader.py,
which reads only what docs/diagrams.md says the export writes, gives back an equal definition."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpmn_reader import export_to_toml
from bpmn_support import BUNDLED, HOSTILE, load
from procedo.model import parse_definition
from procedo.render.bpmn import definition_to_bpmn


@pytest.mark.parametrize("path", [*BUNDLED, HOSTILE], ids=lambda p: p.stem)
def test_the_export_reads_back_to_an_equal_definition(path: Path) -> None:
    original = load(path)
    text = export_to_toml(definition_to_bpmn(original))
    again = parse_definition(text, source=f"{path.stem}.toml")
    for part in ("process", "roles", "triggers", "inputs", "steps", "decisions", "parallel"):
        assert getattr(again, part) == getattr(original, part), part
    assert again.ends == original.ends
    assert list(again.steps) == list(original.steps)
    assert again == original
    assert definition_to_bpmn(again) == definition_to_bpmn(original)
