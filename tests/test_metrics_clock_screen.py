"""The metrics screen's clock sections (issue 13): where the time goes per node, role and
operator, and the trends as text bars, over tests/clock_fixture.py, driven with Pilot. They are
read in a worker of their own, so the other figures do not wait for them."""

from __future__ import annotations

from pathlib import Path

from clock_fixture import REPO, build_clock_journal
from procedo.tui.screens.metrics import MetricsScreen
from tui_support import app_for, make_paths, settle, wait_until, widget_text

HEADING = "Where the time goes (working, deciding, hand-overs, pauses, interrupts)"


async def test_the_time_split_and_the_trends_show_under_the_figures(tmp_path: Path) -> None:
    paths = make_paths(tmp_path, REPO / "tests" / "fixtures" / "clock")
    build_clock_journal(paths.db)
    app = app_for(paths)
    async with app.run_test(size=(140, 220)) as pilot:
        await pilot.pause()
        app.open_metrics("lab")
        await settle(pilot)
        assert isinstance(app.screen, MetricsScreen)
        await wait_until(pilot, lambda: HEADING in widget_text(app, "#metrics-clock"), "split")
        text = widget_text(app, "#metrics-clock")
        assert (
            "47 min All working 33 min · deciding 7 min · hand-over 2 min · paused 2 min · "
            "interrupts 3 min"
        ) in text
        assert (
            "32 min Prepare the batch (prep) working 27 min · paused 2 min · interrupts 3 min"
            in (text)
        )
        assert "Per role 38 min Technician working 33 min" in text
        assert "9 min Lead deciding 7 min · hand-over 2 min" in text
        assert "7 min Ann working 4 min · deciding 1 min · hand-over 2 min" in text
        assert "2026-W45 " + "█" * 20 + " 14 min 100 % 2 started, 2 finished" in text
        assert "2026-W46 " + "█" * 7 + " 5 min 0 % 3 started, 2 finished" in text
        assert "Trends per version" in text
        # The rest of the figures are in their own place, as before.
        assert "5 started · 3 completed · 1 aborted · 1 unfinished" in widget_text(
            app, "#metrics-figures"
        )
        await pilot.press("v")  # by version: each version's split and trends
        await settle(pilot)
        await wait_until(pilot, lambda: "Version 2" in widget_text(app, "#metrics-clock"), "v2")
        text = widget_text(app, "#metrics-clock")
        assert "Version 1" in text
        assert "5 min All working 2 min · deciding 3 min" in text.split("Version 2", 1)[1]


def test_names_from_the_definitions_and_operators_are_shown_literally() -> None:
    from procedo.model.clock_figures import ClockFigures, TimeSplit, TimeSplits, TrendPoint, Trends
    from procedo.tui.screens.metrics_clock import clock_content

    odd = "[bold red]Lead[/] $accent"
    split = TimeSplit("lead", odd, 1, 0, 60_000, 0, 0, 0)
    clock = ClockFigures(
        TimeSplits(total=split, roles=(split,), operators=(TimeSplit(odd, odd, 1, 60_000),)),
        Trends(versions=(TrendPoint("[i]2[/i]", 1, 1, 0, 1, 1.0, 60_000),)),
    )
    shown = clock_content([(None, clock)], many=False)
    assert shown.plain.count(odd) == 2 and "[i]2[/i]" in shown.plain
    assert not any("red" in str(span.style) for span in shown.spans)
