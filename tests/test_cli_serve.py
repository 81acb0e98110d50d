"""`procedo serve` without a browser: loopback by default, a warning elsewhere, clear errors,
a URL with a random token at every launch."""

from __future__ import annotations

import os
import re
import shlex
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.cli.serve_command import TOKEN_ENV, is_loopback

BUNDLED = Path(__file__).resolve().parent.parent / "processes"


class FakeServer:
    """Stands in for textual-serve's Server and records how it was built."""

    made: list[FakeServer] = []

    def __init__(self, command: str, host: str, port: int, title: str, token: str) -> None:
        self.command, self.host, self.port, self.title = command, host, port, title
        self.token = token
        self.served = False
        self.env_token: str | None = None
        FakeServer.made.append(self)

    def serve(self) -> None:
        self.served = True
        self.env_token = os.environ.get(TOKEN_ENV)


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    FakeServer.made = []
    monkeypatch.setattr("procedo.cli.serve_guard.GuardedServer", FakeServer)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    return FakeServer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("example.com", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serves_this_procedo_with_the_same_paths_on_loopback(
    fake_server: type[FakeServer], tmp_path: Path
) -> None:
    port = _free_port()
    db = tmp_path / "j.db"
    args = ["--processes", str(BUNDLED), "--db", str(db), "serve", "--port", str(port)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (server,) = fake_server.made
    assert server.served and (server.host, server.port) == ("127.0.0.1", port)
    argv = shlex.split(server.command)
    assert argv[:3] == [sys.executable, "-m", "procedo"]
    assert argv[3:] == ["--processes", str(BUNDLED.resolve()), "--db", str(db.resolve())]
    assert "warning" not in result.stderr
    assert f"http://127.0.0.1:{port}/?token={server.token}" in result.stderr


def test_every_launch_prints_a_new_random_token_in_its_url(fake_server: type[FakeServer]) -> None:
    port = _free_port()
    outputs = [CliRunner().invoke(cli, ["serve", "--port", str(port)]) for _ in range(2)]
    tokens = [server.token for server in fake_server.made]
    assert tokens[0] != tokens[1]
    for result, token in zip(outputs, tokens, strict=True):
        assert result.exit_code == 0, result.output
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # secrets.token_urlsafe(32)
        assert result.stderr.count(token) == 1  # printed once, in the URL


def test_a_token_from_the_environment_is_used_and_not_passed_on(
    fake_server: type[FakeServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "scripted-token-0123456789")
    result = CliRunner().invoke(cli, ["serve", "--port", str(_free_port())])
    assert result.exit_code == 0, result.output
    (server,) = fake_server.made
    assert server.token == "scripted-token-0123456789"
    assert "?token=scripted-token-0123456789 " in result.stderr
    assert server.env_token is None  # the app run for each tab does not inherit it


@pytest.mark.parametrize("token", ["short", "has spaces in it 0123", 'quote"and&amp-0123456789'])
def test_a_weak_or_odd_token_is_refused(fake_server: type[FakeServer], token: str) -> None:
    result = CliRunner().invoke(cli, ["serve", "--token", token])
    assert result.exit_code == 2
    assert "at least 16 characters" in result.stderr
    assert fake_server.made == []


def test_warns_when_bound_beyond_loopback(fake_server: type[FakeServer]) -> None:
    port = _free_port()
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0" in result.stderr
    assert "whoever can reach this port" in result.stderr
    (server,) = fake_server.made
    assert server.host == "0.0.0.0"
    hostname = socket.gethostname()
    for name in ["127.0.0.1", hostname]:
        assert f"http://{name}:{port}/?token={server.token}" in result.stderr
    assert "http://0.0.0.0" not in result.stderr


def test_a_port_in_use_is_a_clear_error_and_nothing_is_served(
    fake_server: type[FakeServer],
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code != 0
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert fake_server.made == []


def test_an_unknown_host_is_a_clear_error(fake_server: type[FakeServer]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "no-such-host.invalid"])
    assert result.exit_code == 2
    assert "cannot serve on 'no-such-host.invalid'" in result.stderr
    assert fake_server.made == []


def test_a_port_out_of_range_is_refused() -> None:
    result = CliRunner().invoke(cli, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000" in result.output + result.stderr
