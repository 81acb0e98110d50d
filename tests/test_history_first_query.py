"""The history screen starts its first query before its widgets are built, asks it once (the
process it was opened for included), and queries again when the filter changes or on r."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens import history
from procedo.tui.screens.history import HistoryScreen
from tui_support import FakeClock, app_for, make_paths, widget_text


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[tuple[Any, str]]]:
    """A journal with two incident runs and one refund run; the history queries recorded."""
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        journal.clock = FakeClock(step=1000)
        for name, trigger in (("incident-response", "pager"), ("refund-approval", None)):
            loaded = load_file(paths.processes / f"{name}.toml")
            trigger = trigger or loaded.definition.triggers[0].id
            for operator in ("Ann", "Bob")[: 2 if name == "incident-response" else 1]:
                inputs = {"amount": "120"} if name == "refund-approval" else None
                journal.start_run(loaded, operator, trigger, inputs=inputs).abort("test")
    calls: list[tuple[Any, str]] = []
    page = history.history_page

    def recorded(journal: Journal, flt: Any, **kwargs: Any) -> Any:
        calls.append((flt, threading.current_thread().name))
        return page(journal, flt, **kwargs)

    monkeypatch.setattr(history, "history_page", recorded)
    return paths, calls


async def test_the_first_page_is_asked_once_while_the_widgets_mount_then_on_change(asked) -> None:
    paths, calls = asked
    app = app_for(paths)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        app.open_history("incident-response")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert [(flt.process, thread) for flt, thread in calls] == [
            ("incident-response", "procedo-beside")
        ]
        assert screen.total == 2 and {r.process_id for r in screen.rows} == {"incident-response"}
        assert "Runs 1–2 of 2" in widget_text(app, "#history-status")
        assert screen.query_one("#process").value == "incident-response"  # type: ignore[attr-defined]
        screen.query_one("#process").clear()  # type: ignore[attr-defined]
        await settle(pilot)
        assert screen.total == 3 and len(calls) == 2
        screen.query_one("#practice").value = False  # type: ignore[attr-defined]
        await settle(pilot)
        screen.query_one("#practice").value = True  # type: ignore[attr-defined]
        await settle(pilot)
        assert [flt.include_practice for flt, _ in calls] == [True, True, False, True]
        await pilot.press("r")  # the same filter: asked again on request only
        await settle(pilot)
        assert len(calls) == 5 and screen.total == 3
