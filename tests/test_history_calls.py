"""Called runs in the history: under their parent (``↳``) when the parent is on the page,
otherwise marked with the id of the run that called them; ``procedo history`` text, JSON
and CSV give the parent; the history screen draws the indent (one Pilot test)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.config import Paths
from procedo.journal.history import HistoryRow
from procedo.journal.history_calls import CallLink, called_runs, nest
from procedo.journal.store import Journal
from procedo.tui.screens.history import HistoryScreen
from procedo.workspace import Workspace
from record_fixture import Called, Clock, called_pair, iso, kit_run, write_paths

ROW = HistoryRow("", "p", "P", "1", "", None, [], "completed", "success", 1, None, None,
                 False, None, None)  # fmt: skip


def row(run_id: str, started: float) -> HistoryRow:
    return replace(ROW, run_id=run_id, started_at=iso(started))


def test_nest_puts_children_under_their_parent_oldest_first() -> None:
    rows = [row("c2", 9), row("x", 8), row("g", 7), row("c1", 6), row("p", 5), row("o", 4)]
    links = {
        "c1": CallLink("p", "a"),
        "c2": CallLink("p", "b"),
        "g": CallLink("c1", "s"),
        "o": CallLink("gone", "s"),
    }
    laid = [(n.row.run_id, n.depth, n.parent_shown) for n in nest(rows, links)]
    assert laid == [("x", 0, False), ("p", 0, False), ("c1", 1, True), ("g", 2, True),
                    ("c2", 1, True), ("o", 0, False)]  # fmt: skip
    assert nest(rows, {})[0].link is None
    cycle = {"a": CallLink("b", "s"), "b": CallLink("a", "s")}
    assert [n.row.run_id for n in nest([row("a", 1), row("b", 2)], cycle)] == ["a", "b"]


@pytest.fixture
def pairs(tmp_path: Path) -> tuple[Path, Called, Called]:
    paths = write_paths(tmp_path)
    with Workspace(paths) as workspace:
        clock = Clock()
        workspace.journal.clock = clock
        good = called_pair(workspace, clock, 0, good=True)
        kit_run(workspace, clock, 50, 1, 1)
        bad = called_pair(workspace, clock, 100, good=False)
    return tmp_path, good, bad


def history(folder: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["history", "--db", str(folder / "journal.db"), *args], prog_name="procedo"
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_history_shows_each_child_under_its_parent(pairs: tuple[Path, Called, Called]) -> None:
    folder, good, bad = pairs
    lines = history(folder).splitlines()
    assert [line.split()[:3] for line in lines[1:6]] == [
        [bad.parent.run_id[:8], "lockout", "1"],
        [bad.child.run_id[:8], "↳", "tester"],
        [lines[3].split()[0], "kit", "1"],
        [good.parent.run_id[:8], "lockout", "1"],
        [good.child.run_id[:8], "↳", "tester"],
    ]
    assert "failure" in lines[2] and "success" in lines[5]


def test_a_child_without_its_parent_on_the_page_names_it(
    pairs: tuple[Path, Called, Called],
) -> None:
    folder, good, bad = pairs
    lines = history(folder, "--process", "tester").splitlines()
    assert lines[1].startswith(
        f"{bad.child.run_id[:8]}  tester (called by {bad.parent.run_id[:8]})"
    )
    assert lines[2].startswith(
        f"{good.child.run_id[:8]}  tester (called by {good.parent.run_id[:8]})"
    )


def test_history_json_and_csv_give_the_parent(pairs: tuple[Path, Called, Called]) -> None:
    folder, good, _ = pairs
    runs = {r["run_id"]: r for r in json.loads(history(folder, "--json"))["runs"]}
    assert (runs[good.child.run_id]["parent_run"], runs[good.child.run_id]["parent_step"]) == (
        good.parent.run_id, "prove")  # fmt: skip
    assert runs[good.parent.run_id]["parent_run"] is None
    rows = {r["run_id"]: r for r in csv.DictReader(io.StringIO(history(folder, "--csv")))}
    assert rows[good.child.run_id]["parent_run"] == good.parent.run_id
    assert rows[good.child.run_id]["parent_step"] == "prove"
    assert rows[good.parent.run_id]["parent_run"] == ""


def test_called_runs_of_a_parent(pairs: tuple[Path, Called, Called]) -> None:
    folder, _, bad = pairs
    with Journal(folder / "journal.db") as journal:
        [child] = called_runs(journal, bad.parent.run_id)
        assert called_runs(journal, bad.child.run_id) == []
    assert (child.run_id, child.process_title, child.step, child.status, child.outcome) == (
        bad.child.run_id, "Prove the tester", "prove", "completed", "failure")  # fmt: skip


@pytest.mark.tui
async def test_the_history_screen_indents_a_child_under_its_parent(
    pairs: tuple[Path, Called, Called],
) -> None:
    from tui_support import app_for, settle

    folder, good, _ = pairs
    app = app_for(Paths(processes=folder / "processes", db=folder / "journal.db"))
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#runs")
        keys = [key.value for key in table.rows]  # type: ignore[attr-defined]
        assert keys.index(good.child.run_id) == keys.index(good.parent.run_id) + 1
        cells = table.get_row(good.child.run_id)  # type: ignore[attr-defined]
        assert str(cells[1]).startswith("↳ Prove the tester")
