"""The WHO Surgical Safety Checklist walked by its keys (issue 11): Sign In, Time Out and Sign
Out each stop the run until every sign-off is given through the sign-off dialog (signer id and
PIN); the summary and the record then show each signature beside what it covers."""

from __future__ import annotations

from pathlib import Path

from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.tui import StartRequest
from procedo.tui.screens.summary import SummaryScreen
from tui_bundled_walk_support import summary_text
from tui_support import app_for, first_new_option, make_paths, walk_to_end

HOLD_POINTS = ("sign-in", "time-out", "sign-out")


async def test_the_three_hold_points_are_signed_by_keys(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("surgical-safety", "Olga", "scheduled"))
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause()
        passed = await walk_to_end(pilot, first_new_option, keys=True)
        assert isinstance(app.screen, SummaryScreen)
        run = app.screen.run
        shown = summary_text(app)
    assert [node for node in passed if node in HOLD_POINTS] == list(HOLD_POINTS)
    definition = run.definition
    asked = sum(len(definition.steps[node].signoff) for node in HOLD_POINTS)
    assert asked >= 6
    with Journal(paths.db) as journal:
        signs = journal.rows("SELECT node, value FROM events WHERE kind = 'sign' ORDER BY seq")
        assert verify_journal(journal).intact
    assert len(signs) == asked
    assert [row["node"] for row in signs] == [
        node for node in HOLD_POINTS for _ in definition.steps[node].signoff
    ]
    assert "Signatures" in shown
    for node in HOLD_POINTS:
        title = definition.steps[node].title
        assert title in shown
    assert shown.count("(walk-") >= asked  # "Walk Nurse 1 (walk-nurse-1), performed, ..."
