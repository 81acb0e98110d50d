"""Snapshots of issue 14 on the run screen: the branch bar of a parallel block, and the
breadcrumb of a called run. The side map is hidden: it is drawn by the text map (not here)."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui_branch_support import start_request, to_call, to_split
from tui_support import FakeClock, app_for, make_paths


@pytest.fixture(autouse=True)
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs (a parent and its child) get the same ids every time; one operator name."""
    numbers = itertools.count(0x20)
    monkeypatch.setattr(
        "procedo.engine.run.uuid.uuid4",
        lambda: uuid.UUID(f"00000000-0000-4000-8000-{next(numbers):012x}"),
    )
    monkeypatch.setenv("PROCEDO_OPERATOR", "Tess")


def _app(tmp_path: Path, process: str):  # type: ignore[no-untyped-def]
    return app_for(make_paths(tmp_path), start=start_request(process), clock=FakeClock(step=0))


async def _no_map(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one("#flow-map").display = False
    await pilot.pause()


def test_branch_bar(snap_compare, tmp_path: Path) -> None:
    async def two_branches(pilot: Pilot[None]) -> None:
        await to_split(pilot)
        await pilot.press("space", "space", "tab")  # two ticks in IT, then the facilities
        await pilot.pause()
        await _no_map(pilot)

    assert snap_compare(
        _app(tmp_path, "employee-onboarding"), terminal_size=(100, 30), run_before=two_branches
    )


def test_breadcrumb_of_a_called_run(snap_compare, tmp_path: Path) -> None:
    async def in_the_child(pilot: Pilot[None]) -> None:
        await to_call(pilot)
        await _no_map(pilot)

    assert snap_compare(
        _app(tmp_path, "lockout-tagout"), terminal_size=(100, 30), run_before=in_the_child
    )
