"""The summary and the Markdown export tell what happened in a run, visit by visit."""

from __future__ import annotations

import pytest

from procedo.engine import MemorySink, Run
from procedo.model.loader import load_file
from procedo.tui.screens.summary import summary_parts
from procedo.tui.text import line
from tui_support import BUNDLED, FIXED_MS, FakeClock


@pytest.fixture
def incident() -> tuple[Run, FakeClock]:
    """An incident-response run on a clock that moves only when told to."""
    definition = load_file(BUNDLED / "incident-response.toml").definition
    clock = FakeClock(start=FIXED_MS)
    run = Run.start(definition, "hash", MemorySink(), "ana", "pager", clock=clock)
    return run, clock


def summary_text(run: Run, now: int) -> str:
    return line(*summary_parts(run.definition, run.state, now)).plain


def test_an_active_run_is_in_progress_with_its_time_so_far(incident) -> None:
    run, clock = incident
    clock.advance(90_000)
    shown = summary_text(run, clock.now)
    assert "ABORTED" not in shown
    assert "In progress at Triage the alert" in shown
    assert "Duration  1 min 30 s so far" in shown


def test_a_paused_run_says_where_and_leaves_the_pause_out(incident) -> None:
    run, clock = incident
    clock.advance(40_000)
    run.pause()
    clock.advance(600_000)  # ten minutes paused do not count
    shown = summary_text(run, clock.now)
    assert "ABORTED" not in shown
    assert "Paused at Triage the alert" in shown
    assert "Duration  40 s so far" in shown
