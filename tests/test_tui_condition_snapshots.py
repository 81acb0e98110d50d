"""Snapshots of what conditions add to the screens (issue 10): a decision with a suggestion,
a step with an inactive item and a deviation, the start screen with inputs."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from condition_defs import condition_paths
from procedo.tui import StartRequest
from tui_support import FakeClock, app_for, settle, wait_until

FIXED_RUN_ID = uuid.UUID("00000000-0000-4000-8000-000000000010")


@pytest.fixture(autouse=True)
def fixed_run_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs get the same id every time, and the start screen the same operator name."""
    monkeypatch.setattr("procedo.engine.run.uuid.uuid4", lambda: FIXED_RUN_ID)
    monkeypatch.setenv("PROCEDO_OPERATOR", "operator")


def _refund_app(tmp_path: Path, inputs: dict[str, str]):
    start = StartRequest("refund", "Alice", inputs=inputs)
    return app_for(condition_paths(tmp_path), start=start, clock=FakeClock(step=0))


def test_step_with_an_inactive_item_and_a_deviation(snap_compare, tmp_path: Path) -> None:
    async def deviate(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("space", *"230", "enter")
        await pilot.pause()
        await pilot.press("space")  # the plain check: the manager's item is off
        await pilot.pause()

    app = _refund_app(tmp_path, {"amount": "120", "customer": "ACME [VIP]"})
    assert snap_compare(app, terminal_size=(100, 30), run_before=deviate)


def test_decision_with_a_suggestion(snap_compare, tmp_path: Path) -> None:
    async def to_decision(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("space", *"0", "enter")
        await pilot.pause()
        await pilot.press("space", "space", "c")
        await pilot.pause()

    app = _refund_app(tmp_path, {"amount": "300", "customer": "ACME"})
    assert snap_compare(app, terminal_size=(100, 30), run_before=to_decision)


def test_start_screen_with_inputs(snap_compare, tmp_path: Path) -> None:
    async def typed(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await wait_until(
            pilot, lambda: pilot.app.screen.query("#input-amount-error"), "the start screen"
        )
        await pilot.press("tab", "tab")  # on to the customer field (past the amount)
        await pilot.pause()

    app = _refund_app(tmp_path, {"amount": "-5"})  # prefilled, and out of bounds
    assert snap_compare(app, terminal_size=(100, 34), run_before=typed)
