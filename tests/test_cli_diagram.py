"""procedo diagram: formats, --detail, --metrics, -o, and clear errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pydot
import pytest
from click.testing import CliRunner, Result

from fixtures_journal import build_history_journal
from procedo.cli import cli
from procedo.journal import Journal
from procedo.journal.map_figures import map_figures
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


def test_output_file_is_written_and_replaced_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "map.mmd"
    target.write_text("old", encoding="utf-8")
    result = run("diagram", "incident-response", "--detail", "-o", str(target))
    assert result.exit_code == 1
    assert "already exists; add --force to replace it" in result.output
    assert target.read_text(encoding="utf-8") == "old"
    result = run("diagram", "incident-response", "--detail", "-o", str(target), "--force")
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


@pytest.fixture(scope="module")
def incident_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("diagram") / "journal.db"
    build_history_journal(path, only={"I1", "I2", "I3", "I4", "R1"})
    return path


def test_metrics_label_the_map(incident_journal: Path) -> None:
    result = run(
        "diagram", "incident-response", "--format", "dot", "--metrics", db=incident_journal
    )
    assert result.exit_code == 0, result.output
    with Journal(incident_journal) as journal:
        figures = map_figures(journal, "incident-response")
    assert result.output == render_dot(load_file(INCIDENT).definition, figures=figures)
    # I1 I2 I3 left the first decision three times: Yes twice, No once.
    assert '"impact" -> "mitigate" [label="Yes\\n2× · 67%"' in result.output
    assert '"fixed" -> "resolved" [label="Yes\\n1× · 33%"' in result.output
    assert "4 runs" in result.output
    # Mermaid and text get the same figures.
    mermaid = run("diagram", "incident-response", "--metrics", db=incident_journal)
    assert mermaid.output == render_mermaid(load_file(INCIDENT).definition, figures=figures)
    text = run("diagram", "incident-response", "--metrics", "--format", "text", db=incident_journal)
    assert text.exit_code == 0 and "Triage the alert" in text.output


def test_metrics_scope_options(incident_journal: Path) -> None:
    result = run("diagram", "incident-response", "--metrics", "--version", "9", db=incident_journal)
    assert result.exit_code == 0
    assert "no runs of 'incident-response' of version 9 in the journal yet" in result.output
    assert "never reached" in result.output
    misuse = run("diagram", "incident-response", "--include-practice", db=incident_journal)
    assert misuse.exit_code == 2 and "go with --metrics" in misuse.output


def test_metrics_without_a_journal(tmp_path: Path) -> None:
    result = run("diagram", "incident-response", "--metrics", db=tmp_path / "none.db")
    assert result.exit_code == 0
    assert "no journal at" in result.output and "the map shows no runs" in result.output
    assert not (tmp_path / "none.db").exists()  # not created by a read


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


def test_the_text_map_sends_no_escape_codes_to_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "odd.toml").write_text(
        '[process]\ntitle = "Odd"\n[steps.a]\ntitle = "Retitle \\u001b]0;pwned\\u0007 me"\n'
        'next = "e"\n[ends.e]\ntitle = "E"\noutcome = "success"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["--processes", str(folder), "diagram", "odd", "--format", "text"]
    )
    # such a title no longer validates; the refusal itself sends no escape code either
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "odd.toml has problems" in result.output
