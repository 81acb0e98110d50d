"""The workspace is the one way both faces open the journal and the catalog.

The app (``Workspace(paths)``) and every CLI command (``ProcedoContext.workspace()``) go
through :func:`procedo.workspace.open_journal` and :func:`procedo.workspace.load_folder`;
importing the workspace costs nothing a command has not asked for yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import procedo.workspace as workspace_module
from procedo.cli import cli, tui_commands
from procedo.config import Paths
from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.querying import query_in_thread
from tui_support import FakeClock, app_for

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A folder of two processes and a journal with one run of refund-approval."""
    folder = tmp_path / "processes"
    folder.mkdir()
    for name in ("refund-approval.toml", "lockout-tagout.toml", "tester-proving.toml"):
        (folder / name).write_text((REPO / "processes" / name).read_text("utf-8"), "utf-8")
    db = tmp_path / "journal.db"
    with Journal(db) as journal:
        loaded = load_file(folder / "refund-approval.toml")
        trigger = loaded.definition.triggers[0].id if loaded.definition.triggers else None
        journal.start_run(loaded, "Ann", trigger, inputs={"amount": "120"})
    return Paths(processes=folder, db=db)


class Opened:
    """Records every journal and catalog the workspace opens."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.journals: list[tuple[Path, bool, bool]] = []
        self.folders: list[Path] = []
        open_journal, load_folder = workspace_module.open_journal, workspace_module.load_folder

        def journal_spy(path: Path, *, interactive: bool = True, create: bool = True) -> Any:
            self.journals.append((Path(path), interactive, create))
            return open_journal(path, interactive=interactive, create=create)

        def folder_spy(folder: Path) -> Any:
            self.folders.append(Path(folder))
            return load_folder(folder)

        monkeypatch.setattr(workspace_module, "open_journal", journal_spy)
        monkeypatch.setattr(workspace_module, "load_folder", folder_spy)


def procedo(paths: Paths, *args: str) -> str:
    options = ["--processes", str(paths.processes), "--db", str(paths.db)]
    result = CliRunner().invoke(cli, [*options, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_cli_command_opens_through_the_workspace(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = Opened(monkeypatch)
    launched: list[dict[str, object]] = []
    monkeypatch.setattr(tui_commands, "_launch", lambda obj, **kwargs: launched.append(kwargs))
    run_id = json.loads(procedo(paths, "runs", "--json"))["runs"][0]["id"]
    procedo(paths, "show", run_id[:8])
    procedo(paths, "verify")
    procedo(paths, "resume", run_id[:8])
    # A command waits as long as a command may (not the app's 3 s) and never creates a journal.
    assert opened.journals == [(paths.db, False, False)] * 4
    assert opened.folders == []  # none of these needs the catalog
    procedo(paths, "list")
    procedo(paths, "run", "lockout-tagout", "--operator", "Ann")
    procedo(paths, "diagram", "lockout-tagout", "--format", "text")
    assert opened.folders == [paths.processes] * 3
    assert launched[0] == {"resume": run_id}
    assert launched[1]["start"].process_id == "lockout-tagout"  # type: ignore[attr-defined]


async def test_the_app_and_the_cli_open_the_same_journal_and_catalog(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = Opened(monkeypatch)
    listed = json.loads(procedo(paths, "list", "--json"))["processes"]
    runs = json.loads(procedo(paths, "runs", "--json"))["runs"]
    app = app_for(paths, clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        workspace = app.workspace
        assert workspace is not None
        assert [p.id for p in workspace.catalog.processes] == [p["id"] for p in listed]
        assert [r["id"] for r in workspace.journal.runs()] == [r["id"] for r in runs]
        assert opened.journals[-1] == (paths.db, True, True)  # the app's own connection
        # A slow read (history, metrics) runs in a worker thread, on a connection of its own.
        read: list[list[str]] = []
        query_in_thread(
            app.screen, lambda j: [r["id"] for r in j.runs()], read.append, group="test"
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert read == [[r["id"] for r in runs]]
    # The same files, each face with its own busy timeout; only the app may create the file;
    # the worker's reader waits like a command.
    assert opened.folders == [paths.processes, paths.processes]
    assert opened.journals == [
        (paths.db, False, False),  # procedo runs
        (paths.db, True, True),  # the app
        (paths.db, False, False),  # the app's worker thread
    ]


def test_a_lazy_workspace_opens_nothing_until_asked(paths: Paths) -> None:
    workspace = workspace_module.Workspace.for_command(paths)
    assert workspace._journal is None and workspace._catalog is None
    assert workspace.has_journal
    assert {p.id for p in workspace.catalog.processes} == {
        "refund-approval",
        "lockout-tagout",
        "tester-proving",
    }
    assert workspace._journal is None  # the catalog did not open the journal
    with workspace:
        assert len(workspace.journal.runs()) == 1


def test_a_command_never_creates_a_missing_journal(tmp_path: Path) -> None:
    from procedo.journal import JournalError

    missing = tmp_path / "nothing-here.db"
    workspace = workspace_module.Workspace.for_command(Paths(tmp_path, missing))
    assert not workspace.has_journal
    with pytest.raises(JournalError, match="no journal at"):
        workspace.journal  # noqa: B018
    assert not missing.exists()


def test_importing_the_workspace_imports_no_journal_model_or_sqlite_utils() -> None:
    code = textwrap.dedent(
        """
        import sys
        import procedo.workspace
        heavy = ("pydantic", "sqlite_utils", "procedo.journal", "procedo.model", "textual")
        print(",".join(sorted(n for n in sys.modules if n.startswith(heavy))))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
