"""Drive the real app headless and save SVG screenshots into screenshots/ (make screenshots).

Uses the same ``make_app`` factory as the CLI and the tests, a fixed clock and a throwaway
journal, so the pictures change only when the app does.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from unittest import mock

from procedo.config import Paths
from procedo.tui import StartRequest, make_app

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "screenshots"
FIXED_MS = 1_795_000_000_000
SIZE = (100, 30)


class _Clock:
    def __init__(self) -> None:
        self.now = FIXED_MS

    def __call__(self) -> int:
        return self.now


async def _shoot(paths: Paths, clock: _Clock) -> list[Path]:
    saved: list[Path] = []

    def save(app: object, name: str) -> None:
        target = OUT / f"{name}.svg"
        app.save_screenshot(str(target))  # type: ignore[attr-defined]
        saved.append(target)

    app = make_app(paths, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#processes")
        table.move_cursor(row=table.get_row_index("incident-response"))  # type: ignore[attr-defined]
        await pilot.pause()
        save(app, "home")

    start = StartRequest("incident-response", "Alice", "pager")
    app = make_app(paths, start=start, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.now += 95_000
        await pilot.press("space", "down", "space", "down", "space", "down", "space")
        await pilot.pause()
        await pilot.press(*"09:41 UTC", "enter")
        await pilot.pause()
        await pilot.press("down", "space")
        await pilot.pause()
        await pilot.press(*"12.5", "enter")
        await pilot.pause()
        await pilot.press("down")
        clock.now += 140_000
        await pilot.pause()
        save(app, "step")
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("1", "c")
        await pilot.pause()
        save(app, "decision")
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"No deploy in the last 24 h", "enter")
        await pilot.pause()
        clock.now += 600_000
        await pilot.press("down", "space", "c")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        save(app, "summary")
    return saved


def main() -> int:
    """Write the screenshots; print their paths."""
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "processes"
        shutil.copytree(REPO / "processes", folder)
        paths = Paths(processes=folder, db=Path(tmp) / "journal.db")
        fixed = uuid.UUID("4f1c2a9e-0000-4000-8000-000000000042")
        with mock.patch("procedo.engine.run.uuid.uuid4", return_value=fixed):
            saved = asyncio.run(_shoot(paths, _Clock()))
    for path in saved:
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
