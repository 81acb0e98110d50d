"""The run screen knows the clock (issue 13, Pilot): the step's time against past runs, the
estimated finish, an item's wait (an early tick refused), a reminder (a notice, the bell
unless --quiet, r to acknowledge, journaled) and a decision's timeout suggestion."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from procedo.journal import Journal
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from tui_support import FakeClock, app_for, make_paths, static_text, wait_until, widget_text

MIN = 60_000
INCIDENT = StartRequest("incident-response", "Ann", "pager")


def clock_line(app: object) -> str:
    return static_text(app.screen, "#step-clock")  # type: ignore[attr-defined]


async def run_screen(pilot: Pilot[None]) -> RunScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunScreen), "the run screen")
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    return screen


def walk_triage(screen: RunScreen) -> None:
    """Every item of the triage (a plausible value where one is asked), then complete it."""
    run = screen.run
    step = run.definition.steps["triage"]
    for index, item in enumerate(step.items):
        if item.record == "choice":
            run.record(index, item.choices[0])
        elif item.record:
            run.record(index, "2")
        else:
            run.check(index)
    run.complete()


async def test_the_step_time_says_there_is_no_history_then_the_usual_figures(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    clock = FakeClock()
    app = app_for(paths, start=INCIDENT, clock=clock)
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await run_screen(pilot)
        await wait_until(pilot, lambda: "no completed runs yet" in clock_line(app), "no history")
        assert clock_line(app).startswith("Step 0:00")
        assert "target 10:00" in clock_line(app)
        clock.advance(3 * MIN)
        walk_triage(screen)
        screen.run.accept_role()
        screen.run.choose(1)  # no customer impact: a completed run
        screen.refresh_view()
    with Journal(paths.db) as journal:
        assert journal.rows("SELECT COUNT(*) AS n FROM runs WHERE status = 'completed'")[0]["n"]
    clock.advance(MIN)
    app = app_for(paths, start=INCIDENT, clock=clock)
    async with app.run_test(size=(120, 34)) as pilot:
        await run_screen(pilot)
        await wait_until(pilot, lambda: "usual" in clock_line(app), "the usual figures")
        line = clock_line(app)
        assert "usual 3:00 · p90 3:00 (1 run)" in line, line
        assert "finish in about 3:00" in line, line
        clock.advance(4 * MIN)
        await wait_until(pilot, lambda: clock_line(app).startswith("Step 4:00"), "a tick")
        assert app.screen.query_one("#step-clock").has_class("-late") is False  # one run only


async def test_a_wait_counts_down_and_refuses_an_early_tick(tmp_path: Path) -> None:
    clock = FakeClock()
    app = app_for(make_paths(tmp_path), start=INCIDENT, clock=clock)
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await run_screen(pilot)
        walk_triage(screen)
        screen.run.accept_role()
        screen.run.choose(0)  # customers affected: mitigate
        screen.run.accept_role()
        screen.refresh_view()
        await pilot.pause()
        await pilot.press("space")  # roll back the last deploy: the watch starts
        await wait_until(pilot, lambda: "5:00 left" in clock_line(app), "the countdown")
        clock.advance(108_000)
        await wait_until(pilot, lambda: "3:12 left" in clock_line(app), "the countdown moved")
        await pilot.press("space")
        await pilot.pause()
        status = widget_text(app, "#status")
        assert "'Watch the error rate for 5 minutes' waits 5 min: 3:12 left" in status, status
        assert not screen.run.state.current.mark(1).done  # type: ignore[union-attr]
        clock.advance(3 * MIN + 12_000)
        await wait_until(pilot, lambda: "left" not in clock_line(app), "the wait over")
        await pilot.press("space")
        await wait_until(
            pilot,
            lambda: screen.run.state.current.mark(1).done,  # type: ignore[union-attr]
            "ticked once the wait is over",
        )


async def test_a_reminder_notices_once_rings_and_r_acknowledges_it(tmp_path: Path) -> None:
    clock = FakeClock()
    paths = make_paths(tmp_path)
    app = app_for(paths, start=INCIDENT, clock=clock)
    rung: list[int] = []
    app.bell = lambda: rung.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await run_screen(pilot)
        assert "r Reminder done" not in widget_text(app, "Footer")
        clock.advance(20 * MIN)
        await wait_until(pilot, lambda: "Post a status update" in clock_line(app), "due")
        assert "(1)" in clock_line(app) and "r: done" in clock_line(app)
        await wait_until(pilot, lambda: "r Reminder done" in widget_text(app, "Footer"), "r")
        assert rung == [1]
        clock.advance(2_000)
        await pilot.pause(0.05)
        await wait_until(pilot, lambda: "Post a status update" in clock_line(app), "still due")
        assert rung == [1]  # said once, not every second
        await pilot.press("r")
        await wait_until(pilot, lambda: "Post a status" not in clock_line(app), "acknowledged")
        assert "reminder 'Post a status update in the incident channel' done" in widget_text(
            app, "#status"
        )
        run_id = screen.run.run_id
    with Journal(paths.db) as journal:
        kinds = [r["kind"] for r in journal.rows(
            "SELECT kind FROM events WHERE run_id = ? ORDER BY seq", (run_id,))]  # fmt: skip
    assert "remind_ack" in kinds


async def test_quiet_shows_the_reminder_without_the_bell(tmp_path: Path) -> None:
    from procedo.tui import make_app

    clock = FakeClock()
    app = make_app(make_paths(tmp_path), start=INCIDENT, clock=clock, quiet=True)
    rung: list[int] = []
    app.bell = lambda: rung.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 34)) as pilot:
        await run_screen(pilot)
        clock.advance(20 * MIN)
        await wait_until(pilot, lambda: "Post a status update" in clock_line(app), "due")
        assert rung == []


async def test_a_decision_timeout_shows_its_suggestion_when_it_falls_due(tmp_path: Path) -> None:
    clock = FakeClock()
    app = app_for(make_paths(tmp_path), start=INCIDENT, clock=clock)
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await run_screen(pilot)
        walk_triage(screen)
        screen.run.accept_role()
        screen.refresh_view()
        await pilot.pause()
        assert "no answer for 10 min" not in widget_text(app, "#node")
        clock.advance(10 * MIN + 1_000)
        await wait_until(
            pilot, lambda: "no answer for 10 min" in widget_text(app, "#node"), "the suggestion"
        )
        assert "Yes" in widget_text(app, "#node")
