"""``procedo serve``: the same terminal app in a web browser, through textual-serve."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import shlex
import socket
import sys
from urllib.parse import quote

import click

from procedo.cli.common import ProcedoContext, add_path_options, fail, pass_procedo

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
TOKEN_ENV = "PROCEDO_SERVE_TOKEN"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_.~-]{16,}")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_token(token: str) -> str:
    """``token`` when it is long enough and URL-safe; otherwise a clear error (exit 2)."""
    if not TOKEN_SHAPE.fullmatch(token):
        fail(
            "a serve token needs at least 16 characters among A-Z a-z 0-9 _ . ~ - "
            "(leave it out for a random one)",
            code=2,
        )
    return token


def page_urls(host: str, port: int, token: str) -> list[str]:
    """The URLs to open: loopback and this machine's name when ``host`` is a wildcard."""
    try:
        wildcard = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        wildcard = False
    if wildcard:
        hosts = ["[::1]" if ":" in host else "127.0.0.1", socket.gethostname()]
    else:
        hosts = [f"[{host.strip('[]')}]" if ":" in host else host]
    return [f"http://{name}:{port}/?token={quote(token, safe='')}" for name in hosts]


def app_command(obj: ProcedoContext) -> str:
    """The shell command textual-serve runs for every browser tab: this procedo, these paths."""
    paths = obj.paths
    argv = [
        sys.executable,
        "-m",
        "procedo",
        "--processes",
        str(paths.processes.resolve()),
        "--db",
        str(paths.db.resolve()),
    ]
    return shlex.join(argv)


def _check_port_free(host: str, port: int) -> None:
    """Fail with a clear message when the address cannot be bound (in use, bad host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        fail(f"cannot serve on {host!r}: {error.strerror or error}", code=2)
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            fail(f"cannot serve on {host}:{port}: {error.strerror or error}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port."
)
@click.option(
    "--token",
    envvar=TOKEN_ENV,
    show_envvar=True,
    help="Token the page URL must carry (default: a new random one per launch). Prefer "
    "the environment variable: other local users can read a command line.",
)
@add_path_options
@pass_procedo
def serve_command(obj: ProcedoContext, host: str, port: int, token: str | None) -> None:
    """Serve the terminal app to web browsers (each tab runs its own procedo).

    Prints the URL to open: it carries a random token, new at every launch, without which the
    page and its WebSocket answer 403; the WebSocket also refuses pages of another origin.
    Binds to loopback by default. Whoever has the URL and can reach the address can start and
    drive runs under any operator name, so bind elsewhere only on a network you trust.
    """
    token = secrets.token_urlsafe(32) if token is None else check_token(token)
    os.environ.pop(TOKEN_ENV, None)  # the app run for each tab has no use for it
    _check_port_free(host, port)
    if not is_loopback(host):
        click.echo(
            f"procedo: warning: serving on {host}:{port}, not loopback, over plain HTTP: "
            "anyone watching the network can read the URL's token, and with it whoever can "
            "reach this port can start, change and abort runs in the journal.",
            err=True,
        )
    from procedo.cli.serve_guard import GuardedServer

    urls = page_urls(host, port, token)
    click.echo(f"procedo: serving on {' or '.join(urls)} (ctrl+c stops)", err=True)
    server = GuardedServer(app_command(obj), host=host, port=port, title="procedo", token=token)
    try:
        server.serve()
    except OSError as error:
        fail(f"cannot serve on {host}:{port}: {error.strerror or error}")
