"""The note dialog: a note of several lines; enter makes a new line, ctrl+s saves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from procedo.engine.cleaning import MAX_TEXT
from procedo.tui.screens.dialogs import Check, Dialog
from procedo.tui.text import lit
from procedo.tui.widgets.bounded_area import BoundedTextArea


class NotePrompt(Dialog):
    """Ask for a note; ``hint`` says what it is about. Dismisses with the text to save."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
    ]

    def __init__(self, hint: str, *, check: Check | None = None, value: str = "") -> None:
        super().__init__("Note", hint)
        self.check = check
        self.initial = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog"):
            yield from self.compose_frame()
            yield BoundedTextArea(
                self.initial, what="note", id="note-text", soft_wrap=True, compact=True
            )
            yield Static("", id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(lit("Save (ctrl+s)"), id="save", variant="primary", compact=True)
            yield Static(
                lit("enter: new line   ctrl+s: save   escape: cancel"), classes="dialog-keys"
            )

    def on_mount(self) -> None:
        self.show_error(self.error)
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        """What has been typed so far."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        """Close with the note, once ``check`` accepts it (else the text stays for another try)."""
        text = self.text
        if not text.strip():
            self.show_error("Type something first (or press escape to cancel).")
            return
        if len(text.strip()) > MAX_TEXT:
            over = len(text.strip()) - MAX_TEXT
            self.show_error(f"A note holds at most {MAX_TEXT:,} characters: {over:,} too many.")
            return
        self.attempt(self.check, text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()
