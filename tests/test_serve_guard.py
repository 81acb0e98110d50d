"""The guard around textual-serve: the token, the WebSocket's Origin, URLs from the Host used."""

from __future__ import annotations

import logging
import shlex
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from procedo.cli.serve_guard import GuardedServer, RedactToken, same_origin

TOKEN = "t0k3n-for-tests-only-abcdefghijkl"
APP = shlex.join([sys.executable, "-m", "procedo"])
UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


class FakeAppService:
    """Stands in for the app a WebSocket starts: these tests are about who may connect."""

    started: list[tuple[int, int]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    async def start(self, width: int, height: int) -> None:
        FakeAppService.started.append((width, height))

    async def stop(self) -> None:
        pass


@pytest.fixture(autouse=True)
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    FakeAppService.started = []
    monkeypatch.setattr("textual_serve.server.AppService", FakeAppService)
    return FakeAppService.started


async def _client(host: str = "127.0.0.1") -> TestClient:
    server = GuardedServer(APP, host=host, port=8000, title="procedo", token=TOKEN)
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    test_client = await _client()
    try:
        yield test_client
    finally:
        await test_client.close()


def _origin(client: TestClient) -> str:
    return f"http://127.0.0.1:{client.port}"


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?token={TOKEN}x"])
async def test_the_page_without_the_token_is_refused(client: TestClient, query: str) -> None:
    response = await client.get(f"/{query}")
    assert response.status == 403
    assert "open the URL printed at start" in await response.text()
    assert "Set-Cookie" not in response.headers


async def test_the_page_with_the_token_loads_and_sets_a_strict_cookie(client: TestClient) -> None:
    response = await client.get(f"/?token={TOKEN}")
    assert response.status == 200
    assert 'id="terminal"' in await response.text()
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"procedo-token-8000={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert response.headers["Referrer-Policy"] == "no-referrer"


async def test_a_websocket_from_another_origin_is_refused_even_with_the_token(
    client: TestClient, fake_app: list[tuple[int, int]]
) -> None:
    assert (await client.get(f"/?token={TOKEN}")).status == 200  # the cookie too
    for origin in ["http://evil.example", "null", f"https://127.0.0.1:{client.port}"]:
        headers = {**UPGRADE, "Origin": origin}
        response = await client.get(f"/ws?token={TOKEN}", headers=headers)
        assert response.status == 403, origin
        assert "another origin" in await response.text()
    assert fake_app == []


async def test_a_websocket_without_the_token_is_refused(client: TestClient) -> None:
    assert (await client.get(f"/?token={TOKEN}x")).status == 403  # no cookie from this
    for headers in [UPGRADE, {**UPGRADE, "Origin": _origin(client)}]:
        response = await client.get("/ws?token=wrong", headers=headers)
        assert response.status == 403
        assert "missing or wrong token" in await response.text()
        assert (await client.get("/ws", headers=headers)).status == 403


async def test_the_page_origin_with_its_cookie_upgrades(
    client: TestClient, fake_app: list[tuple[int, int]]
) -> None:
    assert (await client.get(f"/?token={TOKEN}")).status == 200  # sets the cookie
    # ws_connect raises WSServerHandshakeError unless the server answers 101 Switching Protocols
    websocket = await client.ws_connect("/ws?width=90&height=30", origin=_origin(client))
    try:
        await websocket.send_json(["ping", "1"])
        assert await websocket.receive_json() == ["pong", "1"]
    finally:
        await websocket.close()
    assert fake_app == [(90, 30)]


async def test_a_client_without_origin_upgrades_with_the_token_in_the_url(
    client: TestClient,
) -> None:
    websocket = await client.ws_connect(f"/ws?token={TOKEN}")  # 101, or it raises
    try:
        await websocket.send_json(["ping", "2"])
        assert await websocket.receive_json() == ["pong", "2"]
    finally:
        await websocket.close()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws")
    assert refused.value.status == 403


async def test_a_download_needs_the_token(client: TestClient) -> None:
    assert (await client.get("/download/some-key")).status == 403
    assert (await client.get(f"/download/some-key?token={TOKEN}")).status == 404


async def test_on_a_wildcard_host_the_page_uses_the_host_the_browser_used() -> None:
    test_client = await _client(host="0.0.0.0")
    try:
        headers = {"Host": "192.0.2.7:8000"}
        page = await (await test_client.get(f"/?token={TOKEN}", headers=headers)).text()
        bad = await test_client.get(f"/?token={TOKEN}", headers={"Host": 'x"><script>:1'})
    finally:
        await test_client.close()
    assert "0.0.0.0" not in page
    assert 'src="http://192.0.2.7:8000/static/js/textual.js"' in page
    assert 'href="http://192.0.2.7:8000/static/css/xterm.css"' in page
    assert 'data-session-websocket-url="ws://192.0.2.7:8000/ws"' in page
    assert bad.status == 400


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("HTTP://LOCALHOST:8000", "localhost:8000", True),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("http://example.org", "example.org:80", True),
        ("http://example.org:80", "example.org", True),
        ("http://127.0.0.1:9000", "127.0.0.1:8000", False),
        ("http://localhost:8000", "127.0.0.1:8000", False),
        ("http://evil.example", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),
        ("", "127.0.0.1:8000", False),
    ],
)
def test_same_origin(origin: str, host: str, same: bool) -> None:
    from aiohttp.test_utils import make_mocked_request

    request = make_mocked_request("GET", "/ws", headers={"Host": host})
    assert same_origin(origin, request) is same


def test_the_token_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("procedo-test-access")
    logger.addFilter(RedactToken(TOKEN))
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info('"GET /?token=%s HTTP/1.1" 200', TOKEN)
    assert caplog.messages == ['"GET /?token=<token> HTTP/1.1" 200']
