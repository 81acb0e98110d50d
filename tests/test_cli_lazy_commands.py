"""The CLI imports each command's module only when that command runs (or --help lists them)."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

import procedo.cli
from procedo.cli import COMMANDS, cli
from procedo.cli.lazy_group import load_command

SRC = Path(procedo.cli.__file__).resolve().parents[2]


def _python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (nothing imported yet); its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_the_cli_imports_no_command_nor_the_domain() -> None:
    out = _python(
        "import sys, procedo.cli\n"
        "print(' '.join(m for m in sys.modules if m.startswith(("
        "'procedo.journal', 'procedo.model', 'procedo.engine', 'procedo.cli.runs', "
        "'procedo.cli.history_commands', 'pydantic', 'sqlite_utils'))))"
    )
    assert out.strip() == ""


def test_a_command_runs_when_imported_lazily(tmp_path: Path) -> None:
    """``paths`` runs from a fresh interpreter in which its module was not imported before."""
    out = _python(
        "import sys, procedo.cli\n"
        "assert 'procedo.cli.runs' not in sys.modules\n"
        "try:\n"
        f"    procedo.cli.cli.main(['--db', {str(tmp_path / 'j.db')!r}, 'paths'])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print('runs imported:', 'procedo.cli.runs' in sys.modules)"
    )
    assert str(tmp_path / "j.db") in out
    assert out.strip().endswith("runs imported: True")


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:", 1)[1].split()
    for name in COMMANDS:
        assert name in listed, f"{name} is missing from procedo --help"


def test_each_lazy_name_is_the_command_it_loads() -> None:
    for name, target in COMMANDS.items():
        assert load_command(target).name == name, target


def test_every_command_in_the_cli_modules_is_registered() -> None:
    """A command defined in a procedo.cli module but left out of COMMANDS would be lost."""
    registered = set(COMMANDS.values())
    groups = [load_command(target) for target in registered]
    grouped = {id(c) for g in groups if isinstance(g, click.Group) for c in g.commands.values()}
    for info in pkgutil.iter_modules(procedo.cli.__path__):
        module = importlib.import_module(f"procedo.cli.{info.name}")
        for attribute, value in vars(module).items():
            if not isinstance(value, click.Command) or value is cli or id(value) in grouped:
                continue
            if getattr(value.callback, "__module__", "") == module.__name__:  # not re-exported
                target = f"{module.__name__}:{attribute}"
                assert target in registered, f"{target} is not in procedo.cli.COMMANDS"
