"""``procedo run PROCESS --set ID=VALUE``: start inputs from the command line.

Each value is checked before the app opens (an unknown id or a bad value is an error with
exit code 2); the values reach the app's start request, and from it the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli, tui_commands
from procedo.config import Paths
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.start import StartScreen
from tui_support import app_for, make_paths


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return make_paths(tmp_path)


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(tui_commands, "_launch", lambda obj, **kwargs: calls.append(kwargs))
    return calls


def procedo(paths: Paths, *args: str) -> Result:
    options = ["--processes", str(paths.processes), "--db", str(paths.db)]
    return CliRunner().invoke(cli, [*options, *args], catch_exceptions=False)


def test_set_values_reach_the_start_request_normalised(
    paths: Paths, launched: list[dict[str, object]]
) -> None:
    result = procedo(paths, "run", "refund-approval", "--operator", "Ann", "--set", "amount=300.50")
    assert result.exit_code == 0, result.output
    request = launched[0]["start"]
    assert isinstance(request, StartRequest)
    assert request.inputs == {"amount": "300.5"}
    assert request.operator == "Ann"


def test_without_set_the_request_has_no_inputs(
    paths: Paths, launched: list[dict[str, object]]
) -> None:
    assert procedo(paths, "run", "lockout-tagout").exit_code == 0
    request = launched[0]["start"]
    assert isinstance(request, StartRequest) and request.inputs == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--set", "price=3"), "'price' is not a start input of refund-approval (inputs: amount)"),
        (("--set", "amount"), "--set takes ID=VALUE, not 'amount'"),
        (("--set", "=3"), "--set takes ID=VALUE, not '=3'"),
        (("--set", "amount=lots"), "--set amount:"),
        (("--set", "amount=0"), "--set amount:"),  # below min = 0.01
        (("--set", "amount=50000.01"), "--set amount:"),  # above max
        (("--set", "amount=3", "--set", "amount=4"), "--set amount is given twice"),
    ],
)
def test_a_bad_set_is_an_error_before_the_app_opens(
    paths: Paths, launched: list[dict[str, object]], args: tuple[str, ...], message: str
) -> None:
    result = procedo(paths, "run", "refund-approval", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert launched == []


def test_a_process_without_inputs_refuses_any_set(
    paths: Paths, launched: list[dict[str, object]]
) -> None:
    result = procedo(paths, "run", "lockout-tagout", "--set", "amount=3")
    assert result.exit_code == 2
    assert "(inputs: none)" in result.output
    assert launched == []


async def test_the_app_starts_the_run_with_the_given_inputs(paths: Paths) -> None:
    start = StartRequest("refund-approval", "Ann", "customer-request", inputs={"amount": "300"})
    app = app_for(paths, start=start)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert app.screen.run.state.inputs == {"amount": "300"}
        assert app.screen.run.scope()["amount"] == "300"


async def test_missing_inputs_open_the_start_screen_with_those_given(paths: Paths) -> None:
    app = app_for(paths, start=StartRequest("refund-approval", "Ann", "customer-request"))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)  # the amount is still to be asked
        assert app.screen.inputs == {}


async def test_the_start_screen_passes_the_given_inputs_on(paths: Paths) -> None:
    start = StartRequest("refund-approval", None, "customer-request", inputs={"amount": "80"})
    app = app_for(paths, start=start)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)  # no operator yet
        assert screen.inputs == {"amount": "80"}
        screen.query_one("#operator").value = "Bo"  # type: ignore[attr-defined]
        screen.action_start()
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert app.screen.run.state.inputs == {"amount": "80"}
        assert app.screen.run.state.operator == "Bo"
