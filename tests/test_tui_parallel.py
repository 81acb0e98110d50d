"""The run screen inside a parallel block: the branch bar, tab / shift+tab and g to switch,
each branch's own cursor and marks, the focus following the engine at the join."""

from __future__ import annotations

from pathlib import Path

from procedo.journal import Journal
from procedo.tui.screens.dialogs import ChoicePrompt
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_branch_support import start_request, to_split
from tui_support import act_as_next_role, app_for, fill_step, make_paths, widget_text

IT, FACILITIES = "prepare-day-one:1", "prepare-day-one:2"


async def test_onboarding_walks_its_branches_with_the_keys_to_the_end(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=start_request("employee-onboarding"))
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await to_split(pilot, accept=False)
        assert "Prepare the first day: 2 branches at once; now: branch 1" in widget_text(
            app, "#status"
        )
        await act_as_next_role(pilot, keys=False)
        state = screen.run.state
        assert state.parallel and state.focus == IT
        bar = widget_text(app, "#branch-bar")
        assert "Prepare the first day" in bar
        assert "▶ 1 Create accounts and prepare equipment · IT support · 0/7" in bar
        assert "2 Desk, building pass and first-day logistics · Facilities coordinator · 0/4" in bar

        await pilot.press("space", "space")  # IT: items 1 and 2 ticked, the cursor on 3
        await pilot.pause()
        assert screen.panel.highlighted == 2
        await pilot.press("tab")
        await pilot.pause()
        assert screen.run.state.focus == FACILITIES
        assert screen.run.state.current_node == "facilities"
        assert "now: branch 2" in widget_text(app, "#status")
        assert "▶ 2 Desk" in widget_text(app, "#branch-bar")
        await act_as_next_role(pilot)  # the facilities branch's own hand-over point
        await pilot.press("space")
        await pilot.pause()
        assert screen.panel.highlighted == 1

        await pilot.press("shift+tab")  # back to IT: its marks and its cursor kept
        await pilot.pause()
        assert screen.run.state.focus == IT
        visit = screen.run.state.current
        assert visit is not None and visit.node == "it-accounts"
        assert [visit.mark(i).done for i in range(3)] == [True, True, False]
        assert screen.panel.highlighted == 2
        assert "2/7" in widget_text(app, "#branch-bar")

        await pilot.press("g")  # the picker: 2 chooses the second branch
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is screen and screen.run.state.focus == FACILITIES
        assert screen.panel.highlighted == 1
        assert screen.run.state.current.mark(0).done  # type: ignore[union-attr]

        screen.action_next_branch(1)
        await fill_step(pilot, keys=False)  # IT completes: at the join, the focus moves on
        assert screen.run.state.focus == FACILITIES
        status = widget_text(app, "#status")
        assert "Create accounts and prepare equipment is at the join" in status
        assert "now: branch 2, Desk, building pass and first-day logistics" in status
        assert "1 Create accounts and prepare equipment · at the join" in widget_text(
            app, "#branch-bar"
        )
        await pilot.press("tab")  # one open branch left: tab does not switch
        await pilot.pause()
        assert screen.run.state.focus == FACILITIES

        await fill_step(pilot, keys=False)  # the last branch arrives: the join opens
        state = screen.run.state
        assert not state.parallel and state.current_node == "day-one-ready"
        assert "the join opens: Is everything ready" in widget_text(app, "#status")
        assert not screen.query_one("#branch-bar").display
        await act_as_next_role(pilot, keys=False)
        screen.action_choose(0)
        await pilot.pause()
        await act_as_next_role(pilot, keys=False)
        await fill_step(pilot, keys=False)  # first week
        assert isinstance(app.screen, SummaryScreen)
        run_id = screen.run.run_id
    with Journal(paths.db) as journal:
        rows = journal.rows(
            "SELECT node, branch FROM visits WHERE run_id = ? ORDER BY visit", (run_id,)
        )
    branches = {row["node"]: row["branch"] for row in rows}
    assert branches["it-accounts"] == IT and branches["facilities"] == FACILITIES
    assert branches["day-one-ready"] is None


async def test_outside_a_block_the_branch_keys_do_not_apply(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path), start=start_request("employee-onboarding"))
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert not screen.query_one("#branch-bar").display
        assert screen.check_action("next_branch", (1,)) is False
        assert screen.check_action("pick_branch", ()) is False
        await pilot.press("tab", "g")  # tab: the screen's own (focus); g: nothing
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
