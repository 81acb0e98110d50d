"""`procedo serve` in a real browser: tick an item of a real run and find it in the journal.

Needs Debian's Chromium (``apt-get install chromium``; ``make browser-test`` installs it). When
it is missing the test is skipped, saying so, unless PROCEDO_BROWSER_TEST=required.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("PROCEDO_BROWSER_TEST") == "required"

PROCESS = """\
[process]
title = "Browser check [b]"
[steps.only]
title = "Tick from the browser"
next = "done"
items = ["First item [A-1]", "Second item"]
[ends.done]
title = "Done"
outcome = "success"
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"procedo serve exited early: {server.stderr.read()!r}")  # type: ignore[union-attr]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"procedo serve did not listen on port {port} in {timeout} s")


def _checks(db: Path) -> list[tuple[str, str]]:
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        try:
            rows = connection.execute(
                "SELECT item, actor FROM events WHERE kind = 'check' ORDER BY seq"
            ).fetchall()
        except sqlite3.OperationalError:  # schema not written yet
            return []
    return [(str(item), str(actor)) for item, actor in rows]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running ``procedo serve`` on a free loopback port: (url, journal path)."""
    if CHROMIUM is None:
        message = "Chromium is not installed: apt-get install chromium (or make browser-test)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    processes = tmp_path / "processes"
    processes.mkdir()
    (processes / "browser-check.toml").write_text(PROCESS, encoding="utf-8")
    db = tmp_path / "journal.db"
    port = _free_port()
    env = {**os.environ, "PROCEDO_CACHE_DIR": "off", "USER": "webop", "LOGNAME": "webop"}
    command = [sys.executable, "-m", "procedo", "--processes", str(processes), "--db", str(db)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}/", db
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_tick_pressed_in_the_browser_lands_in_the_journal(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    url, db = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            page.wait_for_timeout(1500)  # the app draws its home screen
            page.mouse.click(600, 400)  # focus the terminal canvas
            page.keyboard.press("Enter")  # home: start the highlighted (only) process
            page.wait_for_timeout(1000)
            page.keyboard.press("Enter")  # start screen: the remembered operator, no trigger
            page.wait_for_timeout(1500)
            page.keyboard.press(" ")  # run screen: tick the first item
            deadline = time.monotonic() + 20
            while not _checks(db) and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            page.screenshot(path=str(tmp_path / "browser.png"))
        finally:
            browser.close()
    checks = _checks(db)
    assert checks, f"no tick reached the journal; screenshot in {tmp_path / 'browser.png'}"
    assert checks[0] == ("0", "webop")  # the first item, ticked by the served operator
