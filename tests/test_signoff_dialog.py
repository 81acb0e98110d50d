"""The sign-off and override dialogs alone: what they show is literal, what they return is
what was typed, and a refusal keeps them open with the reason and the PIN cleared."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input, Static

from procedo.tui.screens.override_dialog import OverrideDialog
from procedo.tui.screens.signoff_dialog import Answer, SignoffDialog
from procedo.tui.signing_view import OverrideView, SigningView, SignLine

VIEW = SigningView(
    kind="Step",
    title="Time [b]out[/b]",
    role="Surgeon",
    meaning="approved",
    lines=(
        SignLine(1, "Confirm the [red]site[/]", "done", "done", critical=True),
        SignLine(2, "Dose", "= [@click=app.quit]12 mg", "value", notes=("ann: [i]check",)),
        SignLine(3, "Allergies", "n/a: none known", "na"),
    ),
    notes=("bob: [bold]all[/] present",),
    position="Sign-off 1 of 2",
    given=("Ann Lee (ann), reviewed, 2026-11-26 14:03:12 UTC",),
)


class _Host(App[None]):
    """A bare app that opens one dialog and keeps what it returned."""

    CSS_PATH = ["../src/procedo/tui/screens/dialogs.tcss"]

    def __init__(self, dialog: SignoffDialog | OverrideDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.returned: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.returned.append)


def _shown(dialog: SignoffDialog | OverrideDialog) -> str:
    return "\n".join(str(static.render()) for static in dialog.query(Static))


async def test_the_dialog_shows_what_is_signed_literally_and_returns_id_and_pin() -> None:
    dialog = SignoffDialog(VIEW)
    app = _Host(dialog)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        shown = _shown(dialog)
        for text in (
            "Sign-off 1 of 2 · Step: Time [b]out[/b]",
            "Confirm the [red]site[/]",
            "⚠ critical",
            "= [@click=app.quit]12 mg",
            "✎ ann: [i]check",
            "n/a: none known",
            "bob: [bold]all[/] present",
            "Ann Lee (ann), reviewed, 2026-11-26 14:03:12 UTC",
            "Sign as Surgeon · meaning: approved",
        ):
            assert text in shown, text
        assert dialog.query_one("#signer-pin", Input).password
        await pilot.press("enter")  # nothing typed: says so, stays
        assert "Type the signer id." in _shown(dialog)
        await pilot.press(*"alice", "enter")  # enter on the id moves to the PIN
        assert app.focused is dialog.query_one("#signer-pin", Input)
        await pilot.press(*"12 34", "enter")
        await pilot.pause()
    assert app.returned == [("alice", "12 34")]


async def test_a_refusal_keeps_the_dialog_open_with_the_pin_cleared() -> None:
    asked: list[Answer] = []

    def submit(answer: Answer) -> None:
        asked.append(answer)
        if len(asked) == 1:
            dialog.refuse("wrong PIN for [b]alice[/b]")
        else:
            dialog.accept()

    dialog = OverrideDialog(
        OverrideView(
            step="Isolate [x]",
            item=SignLine(2, "Test for [dead]", "not done", "open", critical=True),
            role="Supervisor",
        ),
        submit=submit,
    )
    app = _Host(dialog)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "Test for [dead]" in _shown(dialog)
        await pilot.press("enter", "enter", "enter")  # no reason: the override waits for it
        assert "Give the reason for the override." in _shown(dialog)
        await pilot.press(*"tester broke", "enter", *"sup", "enter", *"9999", "enter")
        await pilot.pause()
        assert asked == [("tester broke", "sup", "9999")]
        assert app.screen is dialog  # still open
        assert "wrong PIN for [b]alice[/b]" in _shown(dialog)
        pin = dialog.query_one("#signer-pin", Input)
        assert pin.value == "" and app.focused is pin
        assert dialog.query_one("#signer-id", Input).value == "sup"  # the id is kept
        await pilot.press(*"1234", "enter")
        await pilot.pause()
    assert asked[-1] == ("tester broke", "sup", "1234")
    assert app.returned == [("tester broke", "sup", "1234")]
