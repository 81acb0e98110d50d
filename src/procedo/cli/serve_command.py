"""``procedo serve``: the same terminal app in a web browser, through textual-serve."""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys

import click

from procedo.cli.common import ProcedoContext, add_path_options, fail, pass_procedo

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
@add_path_options
@pass_procedo
def serve_command(obj: ProcedoContext, host: str, port: int) -> None:
    """Serve the terminal app to web browsers (each tab runs its own procedo).

    Binds to loopback by default. Whoever can reach the address can start and drive runs under
    any operator name, so bind elsewhere only on a network you trust.
    """
    _check_port_free(host, port)
    if not is_loopback(host):
        click.echo(
            f"procedo: warning: serving on {host}:{port}, not loopback: anyone who can reach "
            "this port can start, change and abort runs in the journal.",
            err=True,
        )
    from textual_serve.server import Server

    shown_host = f"[{host}]" if ":" in host else host
    click.echo(f"procedo: serving on http://{shown_host}:{port}/ (ctrl+c stops)", err=True)
    try:
        Server(app_command(obj), host=host, port=port, title="procedo").serve()
    except OSError as error:
        fail(f"cannot serve on {host}:{port}: {error.strerror or error}")
