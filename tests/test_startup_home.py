"""Start-up and tick speed: the home figures' queries, deferred figures, narrow repaints."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.widgets.option_list import Option

from procedo.journal import Journal
from procedo.model import load_catalog
from procedo.tui.widgets.checklist import Checklist
from procedo.tui.widgets.updates import same_content, set_only_class, update_static
from procedo.workspace import Workspace
from tui_support import FakeClock, app_for, make_paths, wait_until


def _fill(db: Path, processes: Path, runs: list[tuple[int, str, int, int | None]]) -> None:
    """Runs as (process index, status, practice, success) rows, a day apart."""
    catalog = load_catalog([processes])
    with Journal(db) as journal:
        conn = journal.db.conn
        conn.execute("BEGIN IMMEDIATE")
        for loaded in catalog.processes:
            journal.insert_definition(conn, loaded.sha256, loaded.id, loaded.text, None)
        for n, (which, status, practice, success) in enumerate(runs):
            loaded = catalog.processes[which]
            definition = loaded.definition
            end = next(iter(definition.ends)) if status == "completed" else None
            started = f"2026-03-{1 + n:02d}T08:00:00.000Z"
            conn.execute(
                "INSERT INTO runs (id, process_id, process_version, definition_hash, operator, "
                "operators, trigger, practice, status, current_node, end_node, success, "
                "abort_reason, started_at, ended_at, duration_ms, updated_at, last_seq, "
                "last_hash) VALUES (" + ", ".join("?" * 19) + ")",
                (
                    str(uuid.UUID(int=n + 1)),
                    loaded.id,
                    definition.version,
                    loaded.sha256,
                    "op",
                    json.dumps(["op"]),
                    None,
                    practice,
                    status,
                    None if end else definition.start,
                    end,
                    success,
                    None,
                    started,
                    started if end else None,
                    60_000 if end else None,
                    started,
                    3,
                    "x",
                ),
            )
        conn.execute("COMMIT")


RUNS = [
    (0, "completed", 0, 1),
    (0, "completed", 0, 0),
    (0, "aborted", 0, None),
    (0, "completed", 1, 1),  # practice: left out, even though it is the latest
    (1, "paused", 0, None),
    (1, "completed", 1, 1),
    (2, "active", 1, None),
]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    paths = make_paths(tmp_path)
    _fill(paths.db, paths.processes, RUNS)
    ws = Workspace(paths)
    yield ws
    ws.close()


def test_summaries_match_one_plain_group_by(workspace: Workspace) -> None:
    expected: dict[str, dict[str, Any]] = {
        row["process_id"]: row
        for row in workspace.journal.rows(
            "SELECT process_id, MAX(started_at) AS last_run_at, "
            "SUM(status IN ('completed', 'aborted')) AS finished, "
            "SUM(status = 'completed' AND success = 1) AS succeeded "
            "FROM runs WHERE practice = 0 GROUP BY process_id"
        )
    }
    summaries = workspace.summaries()
    assert len(summaries) == len(workspace.catalog.processes)
    for summary in summaries:
        row = expected.get(summary.loaded.id, {})
        assert summary.last_run_at == row.get("last_run_at")
        assert summary.finished == int(row.get("finished") or 0)
        assert summary.succeeded == int(row.get("succeeded") or 0)
    first = workspace.catalog.processes[0].id
    by_id = {s.loaded.id: s for s in summaries}
    assert by_id[first].last_run_at == "2026-03-03T08:00:00.000Z"
    assert (by_id[first].finished, by_id[first].succeeded) == (3, 1)


def test_summaries_without_figures_only_list_the_catalog(workspace: Workspace) -> None:
    plain = workspace.summaries(figures=False)
    assert [s.loaded.id for s in plain] == [s.loaded.id for s in workspace.summaries()]
    assert all(s.last_run_at is None and s.finished == 0 for s in plain)


def test_the_home_figures_read_indexes_only(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries: list[tuple[str, Any]] = []
    rows = workspace.journal.rows

    def spy(sql: str, params: Any = ()) -> list[dict[str, Any]]:
        queries.append((sql, params))
        return rows(sql, params)

    monkeypatch.setattr(workspace.journal, "rows", spy)
    workspace.summaries()
    assert queries
    conn = workspace.journal.db.conn
    for sql, params in queries:
        plan = " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert plan.startswith("SEARCH runs USING"), plan  # a range of an index, never a scan
        assert "TEMP B-TREE" not in plan, plan
        assert "COVERING INDEX" in plan or "LIMIT" in sql, plan


def test_unfinished_runs_are_listed(workspace: Workspace) -> None:
    unfinished = workspace.unfinished()
    assert {u.status for u in unfinished} == {"active", "paused"}
    assert all(u.title and u.node_title for u in unfinished)
    assert not any(u.newer_definition for u in unfinished)


async def test_home_shows_the_lists_first_and_the_figures_right_after(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    _fill(paths.db, paths.processes, RUNS)
    calls: list[bool] = []
    original = Workspace.summaries

    def spy(self: Workspace, *, figures: bool = True) -> list[Any]:
        calls.append(figures)
        return original(self, figures=figures)

    app = app_for(paths, clock=FakeClock(step=0))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Workspace, "summaries", spy)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await wait_until(pilot, lambda: True in calls, "the figures read after the lists")
            table = app.screen.query_one("#processes", DataTable)
            assert calls[:2] == [False, True]
            first = app.workspace.catalog.processes[0]  # type: ignore[union-attr]
            row = table.get_row(first.id)
            assert str(row[3]).endswith("d ago")
            assert str(row[4]) == "33 %"
            cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
            assert "…" not in cells
            # Two unfinished runs: that list has the focus from the first frame.
            assert app.focused is not None and app.focused.id == "unfinished"


class _Shows(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("", id="text")
        yield Checklist(*[Option(Content(f"[ ] item {i}"), id=str(i)) for i in range(4)])


async def test_update_static_skips_same_content_and_layout_when_height_is_kept() -> None:
    app = _Shows()
    async with app.run_test(size=(60, 10)) as pilot:
        widget = app.query_one("#text", Static)
        assert update_static(widget, Content("one line"))
        await pilot.pause()
        layouts: list[bool] = []
        original = widget.refresh

        def spy(*regions: Any, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return original(*regions, **kwargs)

        widget.refresh = spy  # type: ignore[method-assign]
        assert not update_static(widget, Content("one line"))
        assert layouts == []
        assert update_static(widget, Content.assemble(("one line", "bold")))  # styles count
        assert update_static(widget, Content("another line"))
        assert layouts == [False, False]
        assert update_static(widget, Content("two\nlines"))
        assert layouts[-1] is True
        assert update_static(widget, Content("three"), fixed_height=True)
        assert layouts[-1] is False
        assert same_content(widget.content, Content("three"))
        assert not same_content("three", Content("three"))
        set_only_class(widget, "status-ok")
        set_only_class(widget, "status-ok")
        assert set(widget.classes) == {"status-ok"}


async def test_checklist_replaces_one_row_and_keeps_the_others() -> None:
    app = _Shows()
    async with app.run_test(size=(60, 10)) as pilot:
        checklist = app.query_one(Checklist)
        await pilot.pause()
        cache = checklist._option_render_cache
        others = [checklist.get_option_at_index(i) for i in (0, 2, 3)]
        assert all(any(key[0] is o for key in list(cache.keys())) for o in others)
        checklist.set_prompt(1, Content("[✓] item 1"))
        assert str(checklist.get_option_at_index(1).prompt) == "[✓] item 1"
        assert all(any(key[0] is o for key in list(cache.keys())) for o in others)
        await pilot.pause()
        lines = len(checklist._lines)
        checklist.set_prompt(2, Content("[ ] item 2\n    now two lines"))  # taller: full rebuild
        await pilot.pause()
        assert len(checklist._lines) == lines + 1
        assert str(checklist.get_option_at_index(2).prompt).startswith("[ ] item 2")
