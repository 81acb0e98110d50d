"""procedo history, stats and export: output, exit codes, and no tracebacks on bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fixtures_journal import build_history_journal
from procedo.cli import cli

MIN = 60_000


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("cli") / "journal.db"
    return path, build_history_journal(path)


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROCEDO_DB", raising=False)
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.chdir(tmp_path)


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


# -- history --------------------------------------------------------------------------------


def test_history_table(built: tuple[Path, dict[str, str]]) -> None:
    db, ids = built
    result = run(db, "history", "--process", "mini", "--status", "completed")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "RUN", "PROCESS", "VER", "STARTED", "(UTC)", "OPERATORS", "STATUS", "OUTCOME", "DURATION",
        "TARGET",
    ]  # fmt: skip
    # R10 R9 R6 R5 R3 R2 R1, newest first.
    assert [line.split()[0] for line in lines[1:8]] == [
        ids[label][:8] for label in ("R10", "R9", "R6", "R5", "R3", "R2", "R1")
    ]
    r3 = next(line for line in lines if line.startswith(ids["R3"][:8]))
    assert "Ann, Cat" in r3 and "failure" in r3 and "9 min" in r3 and "on target" in r3
    assert "completed (practice)" in next(line for line in lines if line.startswith(ids["R5"][:8]))
    assert lines[-1] == "1-7 of 7 run(s), newest first."


def test_history_json_filters(built: tuple[Path, dict[str, str]]) -> None:
    db, ids = built
    result = run(db, "history", "--operator", "cat", "--outcome", "success", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == 1
    (row,) = data["runs"]
    assert (row["run_id"], row["duration_ms"], row["on_target"]) == (ids["R9"], 10 * MIN, False)
    result = run(db, "history", "--since", "2026-11-12", "--until", "2026-11-13", "--json")
    assert [r["run_id"] for r in json.loads(result.output)["runs"]] == [ids["I2"], ids["I1"]]
    result = run(db, "history", "--no-practice", "--limit", "3", "--offset", "1", "--json")
    data = json.loads(result.output)
    assert (data["total"], len(data["runs"]), data["offset"]) == (12, 3, 1)
    result = run(db, "history", "--search", "incident", "--json")
    assert json.loads(result.output)["total"] == 4


def test_history_csv(built: tuple[Path, dict[str, str]]) -> None:
    db, ids = built
    result = run(db, "history", "--process", "mini", "--operator", "Ann", "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["run_id"] for r in rows] == [ids["R5"], ids["R3"], ids["R1"]]
    assert rows[1]["operators"] == "Ann; Cat"
    assert (rows[1]["outcome"], rows[1]["duration_ms"], rows[1]["practice"]) == (
        "failure",
        str(9 * MIN),
        "False",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last week"], "'last week' is not a date"),
        (["--until", "2026-13-01"], "'2026-13-01' is not a date"),
        (["--json", "--csv"], "choose one of --json and --csv"),
        (["--status", "done"], "Invalid value for '--status'"),
        (["--limit", "0"], "Invalid value for '--limit'"),
    ],
)
def test_history_bad_input_is_a_usage_error(
    built: tuple[Path, dict[str, str]], args: list[str], message: str
) -> None:
    result = run(built[0], "history", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_history_without_a_journal(tmp_path: Path) -> None:
    result = run(tmp_path / "none.db", "history")
    assert (result.exit_code, result.output.startswith("No runs yet")) == (0, True)
    assert json.loads(run(tmp_path / "none.db", "history", "--json").output)["runs"] == []
    assert not (tmp_path / "none.db").exists()


def test_history_nothing_matches(built: tuple[Path, dict[str, str]]) -> None:
    result = run(built[0], "history", "--operator", "Nobody")
    assert (result.exit_code, result.output) == (0, "No runs match.\n")


# -- stats ----------------------------------------------------------------------------------


def test_stats_text(built: tuple[Path, dict[str, str]]) -> None:
    result = run(built[0], "stats", "mini")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("Mini check (mini), all versions (practice runs left out)")
    for expected in [
        "8 started · 5 completed · 1 aborted · 2 unfinished",
        "67 % (4 of 6 finished runs ended at a success)",
        "median 9 min · 90th percentile 15 min",
        "60 % (3 of 5 completed runs with a target)",
        "3× Put on gloves (prep) — Not needed (2); Visual check only (1)",
        "Measure the sample (measure): repeated in 1 run, up to 3 visits",
        "Room temperature (prep): median 20.5 °C · range 18–25 °C (6 values)",
        "Runs per operator: Ann 2, Bob 2, Cat 2, Eve 2, Dan 1",
        "Runs per trigger: call 5, visit 3",
    ]:
        assert expected in text, expected
    steps = text.split("Where the time goes (median per step)")[1]
    assert "Prepare (prep)" in steps.splitlines()[1]


def test_stats_json_matches_the_metrics(built: tuple[Path, dict[str, str]]) -> None:
    data = json.loads(run(built[0], "stats", "--json").output)
    assert (data["process_id"], data["started"], data["median_ms"]) == (None, 12, 9.5 * MIN)
    data = json.loads(run(built[0], "stats", "mini", "--include-practice", "--json").output)
    assert (data["started"], data["include_practice"]) == (10, True)
    data = json.loads(run(built[0], "stats", "mini", "--version", "2", "--json").output)
    assert (data["version"], data["started"], data["median_ms"]) == ("2", 4, 7.5 * MIN)


def test_stats_by_version(built: tuple[Path, dict[str, str]]) -> None:
    result = run(built[0], "stats", "mini", "--by-version")
    assert result.exit_code == 0
    assert "Mini check (mini), version 1 (practice runs left out)" in result.output
    assert "Mini check (mini), version 2 (practice runs left out)" in result.output
    data = json.loads(run(built[0], "stats", "mini", "--by-version", "--json").output)
    assert list(data["versions"]) == ["1", "2"]
    assert data["versions"]["1"]["success_rate"] == 0.5


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["stats", "nope"], 1, "no runs of 'nope' in the journal"),
        (["stats", "mini", "--version", "9"], 1, "'mini' has no runs of version '9'"),
        (["stats", "--by-version"], 2, "--version and --by-version need a PROCESS"),
        (["stats", "mini", "--version", "1", "--by-version"], 2, "choose one of"),
    ],
)
def test_stats_errors(
    built: tuple[Path, dict[str, str]], args: list[str], code: int, message: str
) -> None:
    result = run(built[0], *args)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


# -- export ---------------------------------------------------------------------------------


def test_export_to_stdout(built: tuple[Path, dict[str, str]]) -> None:
    db, ids = built
    result = run(db, "export", ids["R3"][:8])
    assert result.exit_code == 0
    assert result.output.startswith("# Run record: Mini check")
    assert (
        result.output.rstrip().split()[-1]
        == json.loads(run(db, "export", ids["R3"], "--format", "json").output)["last_hash"]
    )
    rows = list(csv.reader(io.StringIO(run(db, "export", ids["R3"], "--format", "csv").output)))
    # Header + R3's 11 events: start, check, na, record, handover, complete, record, check,
    # complete, choose, finish.
    assert len(rows) == 1 + 11


def test_export_to_a_file_never_overwrites_without_force(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, ids = built
    target = tmp_path / "r1.md"
    result = run(db, "export", ids["R1"], "-o", str(target))
    assert result.exit_code == 0
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Run record: Mini check")
    result = run(db, "export", ids["R2"], "-o", str(target))
    assert result.exit_code == 1
    assert "already exists; add --force to replace it" in result.output
    assert target.read_text(encoding="utf-8") == first
    result = run(db, "export", ids["R2"], "--format", "json", "-o", str(target), "--force")
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["run"]["id"] == ids["R2"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "zzz"], 1, "no run has an id starting with 'zzz'"),
        (["export", ""], 1, "give a run id"),
        (["export", "0", "--format", "pdf"], 2, "Invalid value for '--format'"),
    ],
)
def test_export_errors(
    built: tuple[Path, dict[str, str]], args: list[str], code: int, message: str
) -> None:
    result = run(built[0], *args)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


def test_export_into_a_missing_folder(built: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db, ids = built
    result = run(db, "export", ids["R1"], "-o", str(tmp_path / "no" / "such" / "r1.md"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_commands_run_as_a_program(built: tuple[Path, dict[str, str]]) -> None:
    db, _ = built
    out = subprocess.run(
        [sys.executable, "-m", "procedo", "--db", str(db), "history", "--since", "soon"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines()[-1] == (
        "procedo: 'soon' is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"
    )
