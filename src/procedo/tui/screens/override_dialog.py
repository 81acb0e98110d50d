"""The override dialog: a critical item passed without being done, with a reason and the
signature of someone in the item's override role.

Like the sign-off dialog it only shows and asks; the caller checks (see
:class:`procedo.tui.screens.signoff_dialog.SignerDialog`). It returns
``(reason, signer_id, pin)``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from procedo.engine.cleaning import MAX_TEXT
from procedo.tui.screens.signoff_dialog import (
    Answer,
    SignerDialog,
    Submit,
    sign_line_content,
)
from procedo.tui.signing_view import OverrideView
from procedo.tui.text import line, lit
from procedo.tui.widgets.bounded import BoundedInput


class OverrideDialog(SignerDialog):
    """Ask why a critical item is passed, and who in the override role signs for it."""

    def __init__(self, view: OverrideView, *, submit: Submit | None = None) -> None:
        super().__init__(f"Override a critical item of {view.step}", submit=submit)
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        with Vertical(classes="dialog", id="override-dialog"):
            yield from self.compose_frame()
            yield Static(sign_line_content(view.item), classes="signed-line")
            yield Static(
                line(
                    ("Passed without being done, signed by a ", "bold"),
                    (view.role, "bold $accent"),
                    (" · meaning: override", "bold"),
                ),
                id="signing-as",
            )
            yield Static(lit("Reason (required, journaled)"), classes="field-label")
            yield BoundedInput(
                max_length=MAX_TEXT, what="reason", id="override-reason", compact=True
            )
            yield from self.compose_signer()

    @property
    def reason(self) -> str:
        """The reason typed (without surrounding blanks)."""
        return self.query_one("#override-reason", Input).value.strip()

    def answer(self) -> Answer:
        """``(reason, signer_id, pin)``."""
        return (self.reason, self.signer_id, self.pin)

    def missing(self) -> tuple[Input, str] | None:
        if not self.reason:
            return self.query_one("#override-reason", Input), "Give the reason for the override."
        return super().missing()


__all__ = ["OverrideDialog"]
