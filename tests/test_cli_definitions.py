"""The definition commands: validate, list, new, the processes folder, version and help."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procedo import __version__
from procedo.cli import cli
from procedo.model import load_file

BUNDLED = Path(__file__).resolve().parent.parent / "processes"
BAD_NEXT = 'next = "impact"'


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run every command in an empty folder with no procedo variables set."""
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.setenv("PROCEDO_DB", str(tmp_path / "journal.db"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled processes, safe to change."""
    target = tmp_path / "processes"
    shutil.copytree(BUNDLED, target)
    return target


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="procedo")
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def break_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert BAD_NEXT in text
    path.write_text(text.replace(BAD_NEXT, 'next = "impcat"'), encoding="utf-8")


# -- validate -------------------------------------------------------------------------------


def test_validate_a_valid_folder(folder: Path) -> None:
    result = run("validate", str(folder))
    count = len(list(folder.glob("*.toml")))
    assert result.exit_code == 0
    assert result.output == f"All {count} file(s) valid: {count} process(es).\n"


def test_validate_reports_each_problem_then_a_summary(folder: Path) -> None:
    bad = folder / "incident-response.toml"
    break_file(bad)
    count = len(list(folder.glob("*.toml")))
    result = run("validate", str(folder))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:24: steps.triage.next: 'impcat' is not a node of this process "
        "(did you mean 'impact'?)",
        f"1 problem(s) in 1 of {count} file(s); {count - 1} valid process(es).",
    ]


def test_validate_single_files(folder: Path) -> None:
    good = folder / "refund-approval.toml"  # (lockout calls another file: see the call tests)
    bad = folder / "incident-response.toml"
    break_file(bad)
    assert run("validate", str(good)).output == "All 1 file(s) valid: 1 process(es).\n"
    result = run("validate", str(good), str(bad))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 problem(s) in 1 of 2 file(s); 1 valid process(es)."


def test_validate_a_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    result = run("validate", str(missing))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{missing}: no such file or folder"


def test_validate_a_folder_without_process_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# not a process\n", encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == f"No process files (*.toml) found in {tmp_path}.\n"


def test_validate_json(folder: Path) -> None:
    bad = folder / "incident-response.toml"
    break_file(bad)
    result = run("validate", "--json", str(folder))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data == {
        "valid": False,
        "files": len(list(folder.glob("*.toml"))),
        "files_with_problems": 1,
        "problems": [
            {
                "file": str(bad),
                "line": 24,
                "column": None,
                "key": "steps.triage.next",
                "message": "'impcat' is not a node of this process (did you mean 'impact'?)",
            }
        ],
    }


def test_validate_json_when_all_is_valid(folder: Path) -> None:
    result = run("validate", str(folder), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["valid"] is True
    assert data["problems"] == []
    assert (data["files"], data["files_with_problems"]) == (len(list(folder.glob("*.toml"))), 0)


def test_validate_json_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text('[process]\ntitle = "x\n', encoding="utf-8")
    result = run("validate", "--json", str(bad))
    assert result.exit_code == 1
    [problem] = json.loads(result.output)["problems"]
    assert (problem["line"], problem["column"], problem["key"]) == (2, 11, "")
    assert problem["message"].startswith("TOML syntax error: ")


@pytest.mark.parametrize(
    "args",
    [["validate", "--no-such-option"], ["no-such-command"], ["new"], ["list", "extra"]],
)
def test_bad_usage_exits_with_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.output


def test_validate_defaults_to_the_processes_folder(isolated: Path, folder: Path) -> None:
    shutil.copytree(folder, isolated / "processes")
    assert run("validate").exit_code == 0
    break_file(isolated / "processes" / "incident-response.toml")
    result = run("validate")
    assert result.exit_code == 1
    assert result.output.startswith("processes/incident-response.toml:24: ")


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe\x00binary",
        b"a = " + b"[" * 3000 + b"]" * 3000,
        b"[process]\ntitle = 3\n[[steps]]\n",
        b'[process]\ntitle = "x"\n[steps.a]\ntitle = "a"\nnext = "a"\n',
        b"",
        b"a = [}",
    ],
)
def test_bad_input_never_prints_a_traceback(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(raw)
    for args in (["validate", str(path)], ["validate", "--json", str(path)]):
        result = run(*args)
        assert result.exit_code == 1
        assert "Traceback" not in result.output


# -- list -----------------------------------------------------------------------------------


def test_list_shows_each_process(folder: Path) -> None:
    result = run("--processes", str(folder), "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "VERSION", "STEPS", "DECISIONS", "FILE"]
    row = next(line for line in lines if line.startswith("lockout-tagout "))
    definition = load_file(folder / "lockout-tagout.toml").definition
    assert definition.title in row
    assert row.split()[-3:] == [
        str(len(definition.steps)),
        str(len(definition.decisions)),
        str(folder / "lockout-tagout.toml"),
    ]
    assert len(lines) == 1 + len(list(folder.glob("*.toml")))


def test_list_json(folder: Path) -> None:
    result = run("list", "--json", "--processes", str(folder))
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["problems"] == []
    by_id = {row["id"]: row for row in data["processes"]}
    assert set(by_id) == {p.stem for p in folder.glob("*.toml")}
    assert by_id["incident-response"] == {
        "id": "incident-response",
        "title": "Customer-facing incident response",
        "version": "1.2",
        "steps": 2,
        "decisions": 2,
        "ends": 3,
        "file": str(folder / "incident-response.toml"),
    }


def test_list_leaves_out_invalid_files_and_says_so(folder: Path) -> None:
    break_file(folder / "incident-response.toml")
    result = run("list", "--processes", str(folder))
    assert result.exit_code == 0
    assert "incident-response" not in result.stdout
    assert "1 file(s) with problems are not listed" in result.stderr
    data = json.loads(run("list", "--json", "--processes", str(folder)).stdout)
    assert [p["key"] for p in data["problems"]] == ["steps.triage.next"]


def test_list_without_a_folder(tmp_path: Path) -> None:
    missing = tmp_path / "none"
    result = run("list", "--processes", str(missing))
    assert result.exit_code == 0
    assert result.output == f"No processes folder at {missing} (create one, or use --processes).\n"


# -- the processes folder: option and environment --------------------------------------------


def test_processes_option_before_and_after_the_command(folder: Path) -> None:
    before = run("--processes", str(folder), "validate")
    after = run("validate", "--processes", str(folder))
    assert before.exit_code == after.exit_code == 0
    assert before.output == after.output


def test_processes_environment_variable(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_PROCESSES", str(folder))
    data = json.loads(run("list", "--json").output)
    assert len(data["processes"]) == len(list(folder.glob("*.toml")))
    # The option wins over the variable.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("list", "--processes", str(empty)).output == f"No valid processes in {empty}.\n"


# -- new ------------------------------------------------------------------------------------


def test_new_writes_a_valid_starter(tmp_path: Path) -> None:
    target_dir = tmp_path / "fresh"
    result = run("--processes", str(target_dir), "new", "night-shift")
    target = target_dir / "night-shift.toml"
    assert result.exit_code == 0
    assert result.output == (f"Wrote {target}. Edit it, then run `procedo validate {target}`.\n")
    loaded = load_file(target)
    assert loaded.id == "night-shift"
    assert loaded.definition.title == "Night shift"
    steps = loaded.definition.steps.values()
    assert any(item.critical for step in steps for item in step.items)
    assert run("validate", str(target)).exit_code == 0


def test_new_refuses_to_overwrite(folder: Path) -> None:
    target = folder / "lockout-tagout.toml"
    before = target.read_bytes()
    result = run("new", "lockout-tagout", "--processes", str(folder))
    assert result.exit_code == 1
    assert result.stderr == f"procedo: {target} already exists; not overwriting it\n"
    assert target.read_bytes() == before


@pytest.mark.parametrize("bad_id", ["Night-Shift", "_night", "night shift", "../escape", ""])
def test_new_refuses_an_invalid_id(tmp_path: Path, bad_id: str) -> None:
    result = run("--processes", str(tmp_path), "new", bad_id)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"procedo: {bad_id!r} is not a valid process id: ")
    assert list(tmp_path.glob("*.toml")) == []


# -- version and help -----------------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"procedo, version {__version__}\n"


def test_help_lists_the_definition_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "list", "new"):
        assert f"  {command} " in result.output


def test_python_dash_m_procedo_help_in_a_real_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCEDO_")}
    result = subprocess.run(
        [sys.executable, "-m", "procedo", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: ")
    assert "validate" in result.stdout
    assert result.stderr == ""


def test_real_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"[process]\ntitle = \xff\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROCEDO_")}
    result = subprocess.run(
        [sys.executable, "-m", "procedo", "validate", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(f"{bad}:2: not UTF-8 text (byte 0xff at offset 18)")
