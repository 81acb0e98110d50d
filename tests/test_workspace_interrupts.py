"""The home screen's list of unfinished runs names where a run stopped by title, also when it
stopped inside a non-normal checklist (not by the interrupt's id)."""

from __future__ import annotations

from pathlib import Path

from procedo.journal import Journal
from procedo.model import load_file
from procedo.workspace import Workspace
from tui_interrupt_support import press_paths


def test_a_run_stopped_inside_an_interrupt_is_listed_by_its_title(tmp_path: Path) -> None:
    paths = press_paths(tmp_path)
    loaded = load_file(paths.processes / "press.toml")
    with Journal(paths.db) as journal:
        inside = journal.start_run(loaded, "Ann")
        inside.raise_interrupt("fire")
        inside.pause()
        normal = journal.start_run(loaded, "Bob")
        normal.pause()
        ids = (inside.run_id, normal.run_id)
    workspace = Workspace(paths)
    try:
        stopped = {run.run_id: run.node_title for run in workspace.unfinished()}
    finally:
        workspace.close()
    assert [stopped[i] for i in ids] == ["! Fire alarm", "Isolate the press"]
