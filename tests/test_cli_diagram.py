"""procedo diagram: formats, --detail, --metrics, -o, and clear errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pydot
import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli
from procedo.model import load_file
from procedo.render.dot import render_dot
from procedo.render.mermaid import render_mermaid

REPO = Path(__file__).resolve().parent.parent
PROCESSES = REPO / "processes"
INCIDENT = PROCESSES / "incident-response.toml"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROCEDO_DB", raising=False)
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.chdir(tmp_path)


def run(*args: str, db: Path | None = None) -> Result:
    paths = ["--processes", str(PROCESSES), "--db", str(db or Path("no-journal.db"))]
    return CliRunner().invoke(cli, [*paths, *args], catch_exceptions=False)


def test_mermaid_is_the_default() -> None:
    result = run("diagram", "incident-response")
    assert result.exit_code == 0, result.output
    definition = load_file(INCIDENT).definition
    assert result.output == render_mermaid(definition)
    assert result.output.splitlines()[1] == "flowchart TD"


def test_dot_with_detail_parses() -> None:
    result = run("diagram", "incident-response", "--format", "dot", "--detail")
    assert result.exit_code == 0, result.output
    assert result.output == render_dot(load_file(INCIDENT).definition, detail=True)
    (graph,) = pydot.graph_from_dot_data(result.output)  # type: ignore[misc]
    assert "Acknowledge the page" in result.output
    assert graph.get_name() == '"incident-response"'


def test_text_format_prints_the_terminal_map() -> None:
    from procedo.render.text_map import render_text_map

    result = run("diagram", "incident-response", "--format", "text")
    assert result.exit_code == 0, result.output
    lines = render_text_map(load_file(INCIDENT).definition)
    assert result.output == "".join(f"{line.text}\n" for line in lines)
    assert "Triage the alert" in result.output


def test_a_file_path_works_too(tmp_path: Path) -> None:
    result = run("diagram", str(INCIDENT), "--format", "dot")
    assert result.exit_code == 0, result.output
    assert result.output.startswith('digraph "incident-response" {')


def test_output_file_is_written_and_replaced(tmp_path: Path) -> None:
    target = tmp_path / "map.mmd"
    target.write_text("old", encoding="utf-8")
    result = run("diagram", "incident-response", "--detail", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == render_mermaid(
        load_file(INCIDENT).definition, detail=True
    )
    assert f"Wrote {target}" in result.output  # on stderr (mixed in by CliRunner)


def test_unknown_process_is_a_clear_error() -> None:
    result = run("diagram", "no-such-process")
    assert result.exit_code == 1
    assert "procedo: no valid process 'no-such-process'" in result.output
    assert "incident-response" in result.output  # the known ids are listed
    assert "Traceback" not in result.output


def test_a_broken_definition_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "procs"
    folder.mkdir()
    (folder / "broken.toml").write_text("[process]\ntitle = 'x'\n[steps.a]\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--processes", str(folder), "diagram", "broken"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "broken.toml has problems" in result.output and "procedo validate" in result.output


def test_an_invalid_file_path_lists_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[process]\ntitle = 'x'\n[steps.a]\ntitle = 'A'\nnext = 'nowhere'\n")
    result = run("diagram", str(bad))
    assert result.exit_code == 1
    assert "is not a valid process" in result.output and "nowhere" in result.output


def test_a_write_error_is_reported(tmp_path: Path) -> None:
    result = run("diagram", "incident-response", "-o", str(tmp_path / "missing" / "map.dot"))
    assert result.exit_code == 1
    assert "procedo: cannot write" in result.output and "No such file" in result.output


def test_bad_format_is_a_usage_error() -> None:
    result = run("diagram", "incident-response", "--format", "svg")
    assert result.exit_code == 2
    assert "'svg' is not one of" in result.output


def test_no_traceback_from_the_console_script(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "procedo", "--processes", str(PROCESSES), "diagram", "nope"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("procedo: no valid process 'nope'")
