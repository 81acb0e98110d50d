"""textual-serve's Server with a per-launch token and a same-origin WebSocket.

The page (``/``) needs ``?token=``; loading it sets an HttpOnly, SameSite=Strict cookie holding
the token, because textual.js appends its own ``?width=&height=`` to the WebSocket URL and so
cannot carry a query token. ``/ws`` accepts the token from that cookie or from ``?token=``
(scripts), and refuses any ``Origin`` other than the page's own. Downloads need the token too;
``/static`` (textual.js, fonts) holds nothing secret. The page's script, style and WebSocket
URLs come from the Host the browser used, so ``--host 0.0.0.0`` works from another machine.
"""

from __future__ import annotations

import hmac
import logging
import re
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

TOKEN_PARAM = "token"
# host[:port] as a browser sends it: a name or IPv4 address, or a bracketed IPv6 address.
HOST_HEADER = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
DEFAULT_PORTS = {"http": "80", "https": "443"}


def token_matches(given: str | None, token: str) -> bool:
    """Whether ``given`` is the token, compared in constant time."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def own_origin(request: web.Request) -> str | None:
    """The page's own origin as the browser sees it (scheme://host[:port]), or None if odd."""
    host = request.host
    if not HOST_HEADER.fullmatch(host):
        return None
    return f"{request.scheme}://{host}".lower()


def same_origin(origin: str, request: web.Request) -> bool:
    """Whether an ``Origin`` header names the page's own scheme, host and port."""
    own = own_origin(request)
    if own is None:
        return False
    origin = origin.strip().lower()
    scheme = request.scheme.lower()
    default = DEFAULT_PORTS.get(scheme)
    # A browser omits the default port in Origin and in Host alike; accept either spelling.
    spellings = {own}
    if default and own.endswith(f":{default}"):
        spellings.add(own.removesuffix(f":{default}"))
    elif default:
        spellings.add(f"{own}:{default}")
    return origin in spellings


class RedactToken(logging.Filter):
    """Replaces the token in log records (aiohttp's access log shows each request line)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


class GuardedServer(Server):
    """A textual-serve Server that only a holder of ``token`` on the page's own origin can use."""

    def __init__(self, command: str, host: str, port: int, title: str, token: str) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token
        self.cookie_name = f"procedo-token-{port}"  # cookies ignore ports: one name per port

    def initialize_logging(self) -> None:
        """textual-serve's logging, with the token kept out of every line."""
        super().initialize_logging()
        redact = RedactToken(self.token)
        for name in ("aiohttp.access", "aiohttp.server", "aiohttp.web", "textual-serve"):
            logging.getLogger(name).addFilter(redact)

    async def on_startup(self, app: web.Application) -> None:
        """Say nothing: ``procedo serve`` has printed the URL (with its token) already."""

    def _has_token(self, request: web.Request, *, cookie: bool) -> bool:
        if token_matches(request.query.get(TOKEN_PARAM), self.token):
            return True
        return cookie and token_matches(request.cookies.get(self.cookie_name), self.token)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, for the token holder, with every URL on the Host the browser used."""
        if not self._has_token(request, cookie=False):
            raise web.HTTPForbidden(
                text="procedo serve: open the URL printed at start, with its ?token=\n"
            )
        origin = own_origin(request)
        if origin is None:
            raise web.HTTPBadRequest(text="procedo serve: unexpected Host header\n")
        response = aiohttp_jinja2.render_template(
            "app_index.html", request, self._page_context(request, origin)
        )
        response.set_cookie(
            self.cookie_name,
            self.token,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=request.secure,
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the URL holds the token
        return response

    def _page_context(self, request: web.Request, origin: str) -> dict[str, Any]:
        """textual-serve's template data, built from ``origin`` instead of ``public_url``."""
        router = request.app.router
        websocket = "ws" + origin.removeprefix("http")  # http->ws, https->wss
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket}{router['websocket'].url_for()}",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The app's WebSocket, for the token holder on the page's own origin only."""
        origin = request.headers.get("Origin")
        if origin is not None and not same_origin(origin, request):
            raise web.HTTPForbidden(text="procedo serve: WebSocket from another origin refused\n")
        if not self._has_token(request, cookie=True):
            raise web.HTTPForbidden(text="procedo serve: missing or wrong token\n")
        return await super().handle_websocket(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file the app offers, for the token holder only."""
        if not self._has_token(request, cookie=True):
            raise web.HTTPForbidden(text="procedo serve: missing or wrong token\n")
        return await super().handle_download(request)
