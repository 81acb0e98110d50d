"""``procedo diagram --format bpmn``: the BPMN export from the command line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bpmn_support import HOSTILE, NS, REPO, load
from procedo.cli import cli
from procedo.render.bpmn import definition_to_bpmn

PROCESSES = REPO / "processes"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROCEDO_DB", raising=False)
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> Result:
    paths = ["--processes", str(PROCESSES), "--db", "no-journal.db"]
    return CliRunner().invoke(cli, [*paths, *args], catch_exceptions=False)


def test_bpmn_is_printed() -> None:
    result = run("diagram", "refund-approval", "--format", "bpmn")
    assert result.exit_code == 0, result.output
    assert result.output == definition_to_bpmn(load(PROCESSES / "refund-approval.toml"))
    root = ET.fromstring(result.output)
    assert root.tag == f"{{{NS['bpmn']}}}definitions"


def test_bpmn_of_a_file_is_written_with_o(tmp_path: Path) -> None:
    target = tmp_path / "hostile.bpmn"
    result = run("diagram", str(HOSTILE), "--format", "bpmn", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == definition_to_bpmn(load(HOSTILE))
    assert "the bpmn map of 1st-process" in result.output


def test_metrics_do_not_go_with_bpmn() -> None:
    result = run("diagram", "refund-approval", "--format", "bpmn", "--metrics")
    assert result.exit_code == 2
    assert "--metrics does not apply to --format bpmn" in result.output
