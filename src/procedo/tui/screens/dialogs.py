"""Small modal dialogs: ask for a text, a value, a choice or a confirmation."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from procedo.engine import RunError
from procedo.engine.cleaning import MAX_TEXT
from procedo.journal import JournalError
from procedo.tui.text import editable, lit
from procedo.tui.widgets.bounded import BoundedInput

Check = Callable[[str], object]
"""Looks at a typed value and raises (RunError, ValueError...) to refuse it; writes nothing."""


class Dialog(ModalScreen[object]):
    """Shared frame: a title, a body, an error line; escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, hint: str = "") -> None:
        super().__init__()
        self.dialog_title = title
        self.hint = hint
        self.error = ""
        """Shown when the dialog opens: why the last answer could not be saved."""

    def with_error(self, message: str) -> Dialog:
        """This dialog, opening with ``message`` (an answer that could not be saved)."""
        self.error = message
        return self

    def compose_frame(self) -> ComposeResult:
        yield Static(lit(self.dialog_title), classes="dialog-title")
        if self.hint:
            yield Static(lit(self.hint), classes="dialog-hint")

    def show_error(self, message: str) -> None:
        """Show why the input was refused, inside the dialog."""
        error = self.query_one("#dialog-error", Static)
        error.update(lit(message))
        error.display = bool(message)

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)

    def attempt(self, check: Check | None, value: str) -> None:
        """Close with ``value`` once ``check`` (if any) accepts it; else show why, and stay.

        A dialog only returns a value: the screen that opened it writes it.
        """
        if check is None:
            self.dismiss(value)
            return
        try:
            check(value)
        except (RunError, JournalError, ValueError, OSError) as error:
            self.show_error(str(error))
            return
        self.dismiss(value)


class TextPrompt(Dialog):
    """Ask for one line of text (a reason, a note, a name, a value)."""

    def __init__(
        self,
        title: str,
        *,
        hint: str = "",
        value: str = "",
        placeholder: str = "",
        check: Check | None = None,
        allow_empty: bool = False,
        max_length: int = MAX_TEXT,
        what: str = "text",
    ) -> None:
        super().__init__(title, hint)
        self.initial = value
        self.placeholder = placeholder
        self.check = check
        self.allow_empty = allow_empty
        self.max_length = max_length
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.compose_frame()
            yield BoundedInput(
                editable(self.initial),
                max_length=self.max_length,
                what=self.what,
                placeholder=self.placeholder,
                id="dialog-input",
                compact=True,
            )
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(lit("enter: save   escape: cancel"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.show_error(self.error)
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip() and not self.allow_empty:
            self.show_error("Type something first (or press escape to cancel).")
            return
        self.attempt(self.check, event.value)


ENTER_GUARD_S = 0.5
"""Enter picks the highlighted choice only this long after the dialog opened: an enter typed
before it was seen (space, enter) must not record a value for someone."""


class ChoicePrompt(Dialog):
    """Pick one of several values (a record item with choices, a note target)."""

    def __init__(
        self,
        title: str,
        choices: Sequence[str],
        *,
        hint: str = "",
        current: str | None = None,
        check: Check | None = None,
    ) -> None:
        super().__init__(title, hint)
        self.choices = list(choices)
        self.current = current
        self.check = check
        self.opened = time.monotonic()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.compose_frame()
            options = [
                Option(lit(f"{n}. {choice}" if n <= 9 else choice), id=str(n - 1))
                for n, choice in enumerate(self.choices, start=1)
            ]
            yield OptionList(*options, id="dialog-choices", compact=True)
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(lit("↑↓ enter or 1–9: choose   escape: cancel"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.opened = time.monotonic()
        self.show_error(self.error)
        choices = self.query_one(OptionList)
        if self.current in self.choices:
            choices.highlighted = self.choices.index(self.current)
        choices.focus()

    def on_key(self, event: object) -> None:
        key = getattr(event, "character", None)
        if key and key.isdigit() and 1 <= int(key) <= min(9, len(self.choices)):
            getattr(event, "stop", lambda: None)()
            self.attempt(self.check, self.choices[int(key) - 1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if time.monotonic() - self.opened < ENTER_GUARD_S:
            self.show_error("Pick a choice with ↑↓ and enter, or its number.")
            return
        self.attempt(self.check, self.choices[event.option_index])


class Confirm(Dialog):
    """Ask yes or no; dismisses with True or False."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(title, question)
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.compose_frame()
            with Horizontal(classes="dialog-buttons"):
                yield Button(lit(f"{self.yes_label} (y)"), id="yes", variant="error", compact=True)
                yield Button(lit(f"{self.no_label} (n)"), id="no", variant="primary", compact=True)
            yield Static("", id="dialog-error", classes="dialog-error")

    def on_mount(self) -> None:
        self.show_error(self.error)
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Answer the question."""
        self.dismiss(answer)


class Message(Dialog):
    """Show a message until a key is pressed."""

    BINDINGS = [Binding("escape,enter,q", "cancel", "Close", id="message.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__(title)
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.compose_frame()
            yield Label(lit(self.body), classes="dialog-body")
            yield Static(lit("enter: close"), classes="dialog-keys")
