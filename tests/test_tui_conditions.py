"""Pilot walks of the run and start screens with conditions (issue 10, "In a run"): both
sides of each condition, override with a reason and cancelled, a deviation explained, an
inactive item refused, the last visit's values kept, start inputs, an automatic choice."""

from __future__ import annotations

import time
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from condition_defs import condition_paths, events
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.start import StartScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_support import app_for, paste, settle, static_text, wait_until


def _run_screen(pilot: Pilot[None]) -> RunScreen:
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen), type(screen).__name__
    return screen


def _row(screen: RunScreen, index: int) -> str:
    return screen.panel.choices.get_option_at_index(index).prompt.plain  # type: ignore[union-attr]


def _refund(amount: str, customer: str = "ACME") -> StartRequest:
    return StartRequest("refund", "Ann", inputs={"amount": amount, "customer": customer})


async def _finish_check(pilot: Pilot[None], voltage: str) -> RunScreen:
    """Record the voltage and tick the other open items of the check step."""
    screen = _run_screen(pilot)
    await pilot.press("space", *voltage, "enter")
    await pilot.pause()
    for _ in screen.run.open_items():
        await pilot.press("space")
        await pilot.pause()
    return screen


def _just_shown(screen: RunScreen) -> None:
    """As if the node had only now been shown (a slow machine may take 0.5 s to get here)."""
    screen._visit_shown = time.monotonic() + 1000.0


def _ready(screen: RunScreen) -> None:
    """As if the node had been on screen long enough for enter to count."""
    screen._visit_shown = time.monotonic() - 1000.0


async def test_placeholders_show_the_inputs_literally(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    app = app_for(paths, start=_refund("300", "[bold]Smith[/]"))
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = _run_screen(pilot)
        assert static_text(screen, "#node-title") == (
            "Step  Check the refund of 300 EUR for [bold]Smith[/]"
        )
        # no value yet: the placeholder says which id it waits for
        assert "compare ‹residual_v› with" in static_text(screen, "#node-instructions")
        assert _row(screen, 1).startswith("[ ] Manager signs for 300 EUR")
        await pilot.press("space", *"0.5", "enter")
        await pilot.pause()
        assert "compare 0.5 with" in static_text(screen, "#node-instructions")


async def test_deviation_blocks_completion_until_explained(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    async with app_for(paths, start=_refund("300")).run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = await _finish_check(pilot, "230")
        row = _row(screen, 0)
        assert "[!] Voltage at the isolator  = 230 V" in row
        assert "⚠ expected residual_v < 1, but residual_v = 230 V" in row
        await pilot.press("c")
        await pilot.pause()
        status = static_text(screen, "#status")
        assert "'Voltage at the isolator' is a deviation" in status
        assert screen.run.state.current_node == "check"
        await pilot.press("e")  # the cursor is elsewhere: e goes to the item that needs it
        await pilot.pause()
        assert not isinstance(pilot.app.screen, RunScreen)
        await pilot.press("escape")  # cancelled: nothing written
        await pilot.pause()
        assert not events(paths, ("deviation",))
        await pilot.press("e")
        await pilot.pause()
        await paste(pilot, "meter [b]faulty[/b]")  # typing is walked elsewhere
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert "accepted: meter [b]faulty[/b]" in _row(screen, 0)
        (explained,) = events(paths, ("deviation",))
        assert (explained["item"], explained["value"]) == (0, "230")
        assert explained["reason"] == "meter [b]faulty[/b]"
        await pilot.press("c")
        await pilot.pause()
        assert screen.run.state.current_node == "approve"


async def test_no_deviation_inside_the_expectation(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    async with app_for(paths, start=_refund("300")).run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = await _finish_check(pilot, "0.5")
        assert "⚠" not in _row(screen, 0)
        assert _row(screen, 0).startswith("[✓] Voltage at the isolator  = 0.5 V")
        await pilot.press("e")
        await pilot.pause()
        assert "has no deviation to explain" in static_text(screen, "#status")
        await pilot.press("c")
        await pilot.pause()
        assert screen.run.state.current_node == "approve"
        assert not events(paths, ("deviation",))


async def test_inactive_item_is_dimmed_and_refused(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    async with app_for(paths, start=_refund("120")).run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = _run_screen(pilot)
        row = _row(screen, 1)
        assert row.startswith("[·] Manager signs for 120 EUR")
        assert "off: amount > 250 is false (amount = 120 EUR)" in row
        written = screen.run.state.last_seq
        screen.panel.choices.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        status = static_text(screen, "#status")
        assert "is not needed now: amount > 250 is false (amount = 120 EUR)" in status
        await pilot.press("x")
        await pilot.pause()
        assert "is not needed now" in static_text(screen, "#status")
        assert screen.run.state.last_seq == written
        assert "1/2 done, 1 off" not in static_text(screen, "#progress-label")
        await pilot.press("home", "space", *"0.2", "enter")
        await pilot.pause()
        await pilot.press("space")  # the cursor skipped the inactive item
        await pilot.pause()
        assert "2/2 done, 1 off" in static_text(screen, "#progress-label")
        await pilot.press("c")
        await pilot.pause()
        assert screen.run.state.current_node == "approve"
        assert [e["item"] for e in events(paths, ("inactive",))] == [1]


async def test_suggestion_confirmed_with_enter_on_both_sides(tmp_path: Path) -> None:
    for amount, expected, label in (
        ("300", "escalate", "Yes, escalate"),
        ("250", "paid", "No, pay"),
    ):
        folder = tmp_path / amount
        folder.mkdir()
        paths = condition_paths(folder)
        async with app_for(paths, start=_refund(amount)).run_test(size=(110, 34)) as pilot:
            await settle(pilot)
            screen = await _finish_check(pilot, "0")
            await pilot.press("c")
            await pilot.pause()
            said = static_text(screen, "#node-basis")
            assert f"Suggested: {label}, because" in said
            if amount == "300":
                assert "amount > 250 holds (amount = 300 EUR)" in said
            else:
                assert "no condition holds (amount = 250 EUR): the default" in said
            suggested = [i for i in range(2) if "◂ suggested" in _row(screen, i)]
            assert suggested == [0 if amount == "300" else 1]
            _just_shown(screen)  # however slow the machine: an enter meant for the step
            await pilot.press("enter")  # never counts at the decision it led to
            await pilot.pause()
            assert screen.run.state.current_node == "approve"
            assert "just shown" in static_text(screen, "#status")
            _ready(screen)
            await pilot.press("enter")
            await pilot.pause()
            await wait_until(pilot, lambda run=screen.run: run.state.current_node != "approve")
            assert screen.run.state.current_node == expected or isinstance(
                pilot.app.screen, SummaryScreen
            )
            basis, choose = events(paths, ("basis", "choose"))[-2:]
            assert basis["kind"] == "basis" and basis["value"] == f'{{"amount":"{amount}"}}'
            assert choose["kind"] == "choose" and choose["reason"] is None
            assert choose["value"] == label


async def test_override_asks_a_reason_and_escape_writes_nothing(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    async with app_for(paths, start=_refund("300")).run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = await _finish_check(pilot, "0")
        await pilot.press("c")
        await pilot.pause()
        written = screen.run.state.last_seq
        await pilot.press("2")
        await pilot.pause()
        dialog = pilot.app.screen
        assert not isinstance(dialog, RunScreen)
        assert "Choose 'No, pay' instead of 'Yes, escalate'?" in str(dialog.dialog_title)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert screen.run.state.last_seq == written
        assert screen.run.state.current_node == "approve"
        await pilot.press("2")
        await pilot.pause()
        await paste(pilot, "known customer [VIP]")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SummaryScreen)  # No, pay leads to the end
        basis, choose = events(paths, ("basis", "choose"))[-2:]
        assert (basis["item"], basis["value"]) == (0, '{"amount":"300"}')
        assert (choose["item"], choose["reason"]) == (1, "known customer [VIP]")


async def test_choosing_the_suggestion_by_its_digit_needs_no_reason(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    async with app_for(paths, start=_refund("300")).run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = await _finish_check(pilot, "0")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert screen.run.state.current_node == "escalate"
        assert "Escalate 300 EUR" in static_text(screen, "#node-title")


async def test_automatic_choice_is_said(tmp_path: Path) -> None:
    for amount, said in (
        (
            "100",
            "The process chose 'No, pay' at Above the limit?: no condition holds "
            "(amount = 100 EUR): the default",
        ),
        (
            "900",
            "The process chose 'Yes, escalate' at Above the limit?: amount > 250 holds "
            "(amount = 900 EUR)",
        ),
    ):
        folder = tmp_path / amount
        folder.mkdir()
        paths = condition_paths(folder)
        start = StartRequest("auto", "Ann", inputs={"amount": amount})
        async with app_for(paths, start=start).run_test(size=(110, 34)) as pilot:
            await settle(pilot)
            screen = _run_screen(pilot)
            await pilot.press("space", "c")
            await pilot.pause()
            if amount == "100":  # straight on to the end: the summary
                assert isinstance(pilot.app.screen, SummaryScreen)
                (auto,) = events(paths, ("auto_choose",))
                assert auto["item"] == 1
                continue
            assert screen.run.state.current_node == "escalate"
            assert said in " ".join(static_text(screen, "#node-basis").split())


async def test_keep_last_values_on_a_loop(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    start = StartRequest("tags", "Ann")
    async with app_for(paths, start=start).run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = _run_screen(pilot)
        await pilot.press("l")  # the first visit: the key does not apply, nothing is written
        await pilot.pause()
        assert screen.run.state.current.mark(0).value is None  # type: ignore[union-attr]
        await pilot.press("space", *"A-1 [x]", "enter")
        await pilot.pause()
        await pilot.press("space", *"12", "enter")
        await pilot.pause()
        await pilot.press("space", "c")
        await pilot.pause()
        await pilot.press("1")  # another rack
        await pilot.pause()
        assert screen.run.state.current_node == "tag"
        assert "last: A-1 [x]" in _row(screen, 0)
        assert "last: 12" in _row(screen, 1)
        assert "last:" not in _row(screen, 2)
        await pilot.press("l")
        await pilot.pause()
        visit = screen.run.state.current
        assert visit is not None and visit.mark(0).value == "A-1 [x]"
        assert visit.mark(1).value is None
        assert screen.panel.highlighted == 1  # on to the next open item
        screen.panel.choices.highlighted = 2
        await pilot.press("l")  # the photo had no value
        await pilot.pause()
        assert "'Photo taken' takes no value: tick it" in static_text(screen, "#status")
        await pilot.press("space", "c")  # the photo, then Done: refused, the position is open
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        assert screen.run.state.current.mark(1).value == "12"  # type: ignore[union-attr]
        assert "kept 1 value of the last visit" in static_text(screen, "#status")
        await pilot.press("L")
        await pilot.pause()
        assert "no open item has a value" in static_text(screen, "#status")
        records = events(paths, ("record",))
        assert [(r["item"], r["value"]) for r in records] == [
            (0, "A-1 [x]"),
            (1, "12"),
            (0, "A-1 [x]"),
            (1, "12"),
        ]


async def test_start_inputs_valid_and_invalid(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    # given on the command line but not valid: the start screen opens, prefilled
    start = StartRequest("refund", "Ann", inputs={"amount": "lots"})
    async with app_for(paths, start=start).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StartScreen)
        amount = screen.query_one("#input-amount", Input)
        assert amount.value == "lots"
        assert "'lots' is not a number" in static_text(screen, "#input-amount-error")
        assert not screen.query_one("#input-customer-error").display  # not typed yet
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert "Amount asked: 'lots' is not a number." in static_text(screen, "#dialog-error")
        assert not events(paths)  # nothing written
        amount.value = "20000"
        await pilot.pause()
        assert "20000 EUR is above the maximum 10000 EUR" in static_text(
            screen, "#input-amount-error"
        )
        amount.value = "42.50"
        await pilot.pause()
        assert not screen.query_one("#input-amount-error").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Customer: give a value." in static_text(screen, "#dialog-error")
        assert screen.query_one("#input-customer-error").display
        assert not events(paths)
        screen.query_one("#input-customer", Input).value = "ACME"
        await pilot.press("ctrl+s")
        await settle(pilot)
        run_screen = _run_screen(pilot)
        assert run_screen.run.state.inputs == {"amount": "42.5", "customer": "ACME"}
        given = events(paths, ("input",))
        assert [(e["node"], e["value"]) for e in given] == [
            ("amount", "42.5"),
            ("customer", "ACME"),
        ]


async def test_start_inputs_given_start_at_once(tmp_path: Path) -> None:
    paths = condition_paths(tmp_path)
    async with app_for(paths, start=_refund("300")).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _run_screen(pilot).run.state.inputs == {"amount": "300", "customer": "ACME"}


async def test_help_and_footer_tell_the_new_keys(tmp_path: Path) -> None:
    from procedo.tui.screens.help import help_rows

    paths = condition_paths(tmp_path)
    async with app_for(paths, start=_refund("300")).run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        screen = _run_screen(pilot)
        rows = {description: available for _, description, available in help_rows(screen)}
        assert rows["Reason"] is True  # the step has an expect
        assert rows["Keep last"] is False  # a first visit
        footer = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert "explain" in footer and "keep_last" not in footer
