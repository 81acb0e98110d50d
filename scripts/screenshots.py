"""Drive the real app headless and save SVG screenshots into screenshots/ (make screenshots).

Uses the same ``make_app`` factory as the CLI and the tests, a fixed clock and a throwaway
journal, so the pictures change only when the app does. The history and metrics are taken
after eight weeks of seeded runs (screenshot_journal.py), so they show what they are for.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from screenshot_journal import fill_journal
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from procedo.config import Paths
from procedo.engine import Run
from procedo.tui import StartRequest, make_app
from procedo.tui.screens.run import RunScreen

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

    def save(app: App[None], name: str) -> None:
        target = OUT / f"{name}.svg"
        app.save_screenshot(str(target))
        saved.append(target)

    app = make_app(paths, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#processes", DataTable)
        table.move_cursor(row=table.get_row_index("incident-response"))
        await pilot.pause()
        save(app, "home")

    start = StartRequest("incident-response", "Alice", "pager")
    app = make_app(paths, start=start, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock.now += 95_000
        # the cursor moves to the next open item by itself after each tick or value
        await pilot.press("space", "space", "space", "space")
        await pilot.pause()
        await pilot.press(*"09:41 UTC", "enter")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.press(*"12.5", "enter")
        clock.now += 140_000
        await pilot.pause()
        save(app, "step")
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("1", "c")
        await act_as_next_role(pilot)  # the decision is the incident commander's
        save(app, "decision")
        await pilot.press("1")
        await act_as_next_role(pilot)  # mitigating is the on-call engineer's again
        await pilot.press("d")
        await pilot.pause()
        save(app, "map")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"No deploy in the last 24 h", "enter")
        await pilot.pause()
        clock.now += 600_000
        await pilot.press("space", "c")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        save(app, "summary")

    await _shoot_branches_and_call(paths, clock, save)
    fill_journal(paths.processes, paths.db, FIXED_MS)  # the history and metrics need runs
    app = make_app(paths, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        save(app, "history")
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one("#processes", DataTable)
        table.move_cursor(row=table.get_row_index("incident-response"))
        await pilot.press("m")
        await pilot.pause(0.5)
        save(app, "metrics")
    return saved


def _do_step(run: Run) -> None:
    """Act as the step's role, do every item that applies (a plausible value where one is
    asked), complete the step: the way to the screens worth showing, through the engine."""
    if run.state.awaiting_role is not None:
        run.accept_role()
    step = run.current_step
    assert step is not None, run.state.current_node
    checks = run.item_checks()[: len(step.items)]  # the own items (deferred lines follow)
    for index, (item, check) in enumerate(zip(step.items, checks, strict=True)):
        if not check.active:
            continue
        if item.record == "choice":
            run.record(index, item.choices[0])
        elif item.record == "number":
            run.record(index, "0" if item.min is None or item.min <= 0 else f"{item.min:g}")
        elif item.record:
            run.record(index, "A-1207")
        else:
            run.check(index)
    run.complete()


async def _shoot_branches_and_call(paths: Paths, clock: _Clock, save: Callable[..., None]) -> None:
    """Onboarding inside its parallel block (the branch bar), and lockout's called run (the
    breadcrumb): runs of ids of their own (every other shot's run has the one fixed id)."""
    ids = (uuid.UUID(f"4f1c2a9e-0000-4000-8000-0000000001{n:02d}") for n in range(99))
    with mock.patch("procedo.engine.run.uuid.uuid4", side_effect=lambda: next(ids)):
        await _shoot_branches(paths, clock, save)
        await _shoot_call(paths, clock, save)
        await _shoot_interrupt(paths, clock, save)
        await _shoot_signoff(paths, clock, save)


async def _shoot_branches(paths: Paths, clock: _Clock, save: Callable[..., None]) -> None:
    start = StartRequest("employee-onboarding", "Hana", "signed-contract")
    app = make_app(paths, start=start, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        run = screen.run
        _do_step(run)
        if run.state.awaiting_role is not None:
            run.accept_role()
        run.choose(1)  # standard access only: on to the parallel block
        if run.state.awaiting_role is not None:
            run.accept_role()
        screen.run.check(0)
        screen.run.check(1)
        screen.refresh_view()
        await pilot.pause()
        save(app, "branches")


async def _shoot_call(paths: Paths, clock: _Clock, save: Callable[..., None]) -> None:
    start = StartRequest("lockout-tagout", "Oskar", "planned")
    app = make_app(paths, start=start, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        while screen.run.state.current_node != "prove-tester":
            _do_step(screen.run)
        if screen.run.state.awaiting_role is not None:
            screen.run.accept_role()
        screen.refresh_view()
        await pilot.pause()
        await pilot.press("c")  # the call: the tester's own run opens over the lockout
        await pilot.pause(0.3)
        await pilot.press("space")
        await pilot.pause()
        save(app, "call")


async def _shoot_interrupt(paths: Paths, clock: _Clock, save: Callable[..., None]) -> None:
    """Lockout's fire alarm raised at the isolation, with an injury queued behind it (the
    banner), two of its items done."""
    start = StartRequest("lockout-tagout", "Oskar", "planned")
    app = make_app(paths, start=start, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        run = screen.run
        while run.state.current_node != "isolate":
            _do_step(run)
        if run.state.awaiting_role is not None:
            run.accept_role()
        run.check(0)
        run.check(1)
        run.raise_interrupt("fire-alarm", 2)
        clock.now += 60_000
        run.check(0)
        run.check(1)
        run.raise_interrupt("injury")  # a warning too: it waits for the fire alarm
        screen.refresh_view()
        await pilot.pause()
        save(app, "interrupt")


async def _shoot_signoff(paths: Paths, clock: _Clock, save: Callable[..., None]) -> None:
    """The WHO checklist's Sign In: its items done, the anaesthetist's sign-off given, the
    sign-off dialog open for the nurse's with the signer id typed."""
    from procedo.journal.signers import add_signer
    from procedo.model.signature import SignerIdentity

    start = StartRequest("surgical-safety", "Olga", "scheduled")
    app = make_app(paths, start=start, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        run = screen.run
        journal = app.workspace.journal
        for signer_id, name, role in (("abe", "Abe Okafor", "anaesthetist"),
                                      ("nina", "Nina Berg", "nurse")):  # fmt: skip
            add_signer(journal, signer_id, name, [role], "135790", now_ms=clock.now)
        step = run.current_step
        assert step is not None
        for index, item in enumerate(step.items):
            clock.now += 20_000
            run.record(index, item.choices[0]) if item.record == "choice" else run.check(index)
        run.sign(0, SignerIdentity("abe", "Abe Okafor", ("anaesthetist",)))
        screen.refresh_view()
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"nina")
        await pilot.pause()
        save(app, "signoff")


async def act_as_next_role(pilot: Pilot[None]) -> None:
    """At a hand-over point: wait out its guard against early keys, then act as the role."""
    await pilot.pause(0.7)
    await pilot.press("enter")
    await pilot.pause()


def _shoot_browser(paths: Paths) -> Path | None:
    """``procedo serve`` in Debian's Chromium, when it is installed: screenshots/browser.png."""
    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium not found: screenshots/browser.png left as it is", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "procedo", "--processes", str(paths.processes)]
    token = secrets.token_urlsafe(32)  # serve refuses the page without it
    server = subprocess.Popen(
        [*command, "--db", str(paths.db), "serve", "--port", str(port)],
        env={**os.environ, "PROCEDO_SERVE_TOKEN": token},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    target = OUT / "browser.png"
    try:
        for _ in range(300):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(f"http://127.0.0.1:{port}/?token={token}", wait_until="domcontentloaded")
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            page.wait_for_timeout(2500)
            page.screenshot(path=str(target))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return target


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
        browser = _shoot_browser(paths)
        if browser is not None:
            saved.append(browser)
    for path in saved:
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
