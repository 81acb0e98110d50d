"""`procedo serve` in a real browser: tick an item of a real run and find it in the journal;
the page without its token, and a page of another origin opening the WebSocket, are refused.

Needs Debian's Chromium (``apt-get install chromium``; ``make browser-test`` installs it). When
it is missing the test is skipped, saying so, unless PROCEDO_BROWSER_TEST=required.
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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


def _events(db: Path, kind: str) -> list[tuple[str, str]]:
    """The (item, actor) of each event of ``kind`` in the journal, in order."""
    if not db.exists():
        return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        try:
            rows = connection.execute(
                "SELECT item, actor FROM events WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall()
        except sqlite3.OperationalError:  # schema not written yet
            return []
    return [(str(item), str(actor)) for item, actor in rows]


def _checks(db: Path) -> list[tuple[str, str]]:
    return _events(db, "check")


def _press_until(page: Page, key: str, done: Callable[[], object], timeout: float = 30) -> None:
    """Press ``key`` again every second until ``done()`` holds (a key sent before the app
    drew its next screen is lost): no fixed wait that a loaded machine outlasts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.keyboard.press(key)
        for _ in range(10):
            if done():
                return
            page.wait_for_timeout(100)
    raise AssertionError(f"pressing {key!r} did not do it within {timeout:g} s")


@dataclass
class Served:
    """A running ``procedo serve``: where it listens, its token, its journal."""

    port: int
    token: str
    db: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"


def _need_chromium() -> None:
    """Skip the test, saying how to install Chromium, when it is missing (fail if required)."""
    if CHROMIUM is None:
        message = "Chromium is not installed: apt-get install chromium (or make browser-test)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """A running ``procedo serve`` on a free port (of loopback unless parametrized), with a
    known token."""
    _need_chromium()
    processes = tmp_path / "processes"
    processes.mkdir()
    (processes / "browser-check.toml").write_text(PROCESS, encoding="utf-8")
    db = tmp_path / "journal.db"
    port = _free_port()
    token = secrets.token_urlsafe(32)
    env = {**os.environ, "PROCEDO_CACHE_DIR": "off", "USER": "webop", "LOGNAME": "webop"}
    env["PROCEDO_SERVE_TOKEN"] = token
    command = [sys.executable, "-m", "procedo", "--processes", str(processes), "--db", str(db)]
    server = subprocess.Popen(
        [*command, "serve", "--host", getattr(request, "param", "127.0.0.1"), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, server)
        yield Served(port, token, db)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the tests of this file (each test opens its own context in it:
    no cookie or page is shared); launching it took a second or two per test."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield launched
        finally:
            launched.close()


def test_a_tick_pressed_in_the_browser_lands_in_the_journal(
    served: Served, browser: Browser, tmp_path: Path
) -> None:
    db = served.db
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        page = context.new_page()
        page.goto(served.url, wait_until="domcontentloaded")
        page.wait_for_selector("body.-first-byte", timeout=30_000)
        page.mouse.click(600, 400)  # focus the terminal canvas
        # home: start the highlighted (only) process; start screen: the remembered operator,
        # no trigger (an enter more on the run screen ticks nothing)
        _press_until(page, "Enter", lambda: _events(db, "start"))
        _press_until(page, " ", lambda: _checks(db))  # run screen: tick the first item
        page.screenshot(path=str(tmp_path / "browser.png"))
    finally:
        context.close()
    checks = _checks(db)
    assert checks, f"no tick reached the journal; screenshot in {tmp_path / 'browser.png'}"
    assert checks[0] == ("0", "webop")  # the first item, ticked by the served operator


@pytest.mark.parametrize("served", ["0.0.0.0"], indirect=True)
def test_on_all_addresses_the_page_loads_from_the_address_the_browser_used(
    served: Served, browser: Browser
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"http://localhost:{served.port}/?token={served.token}")
        page.wait_for_selector("body.-first-byte", timeout=30_000)  # the app is drawing
        websocket = page.get_attribute("#terminal", "data-session-websocket-url")
    finally:
        context.close()
    assert websocket == f"ws://localhost:{served.port}/ws"
    ours = [url for url in asked if "fonts.googleapis.com" not in url]
    assert f"http://localhost:{served.port}/static/js/textual.js" in ours
    assert all(url.startswith(f"http://localhost:{served.port}/") for url in ours), ours


def test_the_page_without_its_token_is_refused(served: Served, browser: Browser) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        for query in ["", "?token=guess"]:
            response = page.goto(f"http://127.0.0.1:{served.port}/{query}")
            assert response is not None and response.status == 403
            assert "open the URL printed at start" in page.inner_text("body")
            assert page.query_selector("#terminal") is None
    finally:
        context.close()


OTHER_PAGE = """<!DOCTYPE html><html><body><script>
window.results = {};
for (const [name, url] of Object.entries(%s)) {
  const socket = new WebSocket(url);
  socket.onopen = () => { window.results[name] = "open"; socket.close(); };
  socket.onclose = (event) => { window.results[name] ??= "refused " + event.code; };
}
</script></body></html>"""


@pytest.fixture
def other_origin() -> Iterator[tuple[int, dict[str, str]]]:
    """A page on another port (another origin) that opens the WebSocket URLs it is given."""
    urls: dict[str, str] = {}

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = (OTHER_PAGE % json.dumps(urls)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], urls
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_of_another_origin_cannot_open_the_websocket(
    served: Served, browser: Browser, other_origin: tuple[int, dict[str, str]]
) -> None:
    other_port, urls = other_origin
    ws = f"ws://127.0.0.1:{served.port}/ws"
    urls.update({"with the token": f"{ws}?token={served.token}", "with the cookie": ws})
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served.url)  # the operator's own tab: the browser now holds the cookie
        page.wait_for_selector("body.-first-byte", timeout=30_000)
        other = context.new_page()
        other.goto(f"http://127.0.0.1:{other_port}/")
        other.wait_for_function("Object.keys(window.results).length == 2", timeout=10_000)
        results = other.evaluate("window.results")
    finally:
        context.close()
    assert results == {"with the token": "refused 1006", "with the cookie": "refused 1006"}
    assert _checks(served.db) == []
