"""The sign-off dialog: shows exactly what is signed, then asks the signer's id and PIN.

The dialog only shows and asks. With a ``submit`` callback it hands the answer to the caller
and waits: the caller checks it (the PIN in a thread worker, then the engine) and calls
:meth:`SignerDialog.refuse` (the reason in a line, the PIN cleared, the dialog still open)
or :meth:`SignerDialog.accept` (the dialog closes with the answer). Without one it closes at
once with ``(signer_id, pin)``. Every text shown is literal (``procedo.tui.text``).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static

from procedo.engine.cleaning import MAX_NAME
from procedo.tui.screens.dialogs import Dialog
from procedo.tui.signing_view import SigningView, SignLine
from procedo.tui.text import Part, line, lit
from procedo.tui.widgets.bounded import BoundedInput

Answer = tuple[str, ...]
"""What a signing dialog returns: ``(signer_id, pin)``, or ``(reason, signer_id, pin)``."""

Submit = Callable[[Answer], None]
"""Checks an answer; must end by calling the dialog's ``refuse`` or ``accept``."""

MAX_PIN = 1024
"""A PIN or passphrase is at most this long (a paste of a whole file is refused)."""

MARK_STYLES = {
    "done": "bold $success",
    "na": "$text-muted",
    "value": "bold $success",
    "deviation": "bold $warning",
    "override": "bold $error",
    "deferred": "$accent",
    "off": "$text-muted",
    "open": "bold $error",
}
"""How each kind of mark is drawn (:data:`procedo.tui.signing_view.MARK_KINDS`)."""

CHECKING = "checking…"


def sign_line_content(item: SignLine) -> Content:
    """One item as signed: ``3. Confirm the site  ⚠ critical`` and its mark under it."""
    parts: list[Part] = [(f"{item.number:>2}. ", "bold"), item.text]
    if item.critical:
        parts.append(("  ⚠ critical", "bold $warning"))
    parts.append(("\n    ", ""))
    parts.append((item.mark, MARK_STYLES.get(item.kind, "")))
    for note in item.notes:
        parts.append(("\n    ✎ ", "$accent"))
        parts.append(note)
    return line(*parts)


def notes_content(notes: tuple[str, ...], heading: str) -> Content:
    """The notes under a heading, one per line."""
    parts: list[Part] = [(heading, "bold")]
    for note in notes:
        parts.append(("\n✎ ", "$accent"))
        parts.append(note)
    return line(*parts)


class SignerDialog(Dialog):
    """The part every signing dialog shares: the signer id and PIN fields, the refusal line,
    and the hand-over of the answer to the caller."""

    def __init__(self, title: str, *, submit: Submit | None = None) -> None:
        super().__init__(title)
        self.submit = submit
        self.busy = False
        """True while the caller checks the answer (enter and escape wait)."""

    # -- the fields ---------------------------------------------------------------------

    def compose_signer(self) -> ComposeResult:
        """The signer id and PIN fields, the refusal line and the keys."""
        yield Static(lit("Signer id"), classes="field-label")
        yield BoundedInput(max_length=MAX_NAME, what="signer id", id="signer-id", compact=True)
        yield Static(lit("PIN"), classes="field-label")
        yield BoundedInput(
            max_length=MAX_PIN, what="PIN", id="signer-pin", password=True, compact=True
        )
        yield Static("", id="dialog-error", classes="dialog-error")
        yield Static(lit("enter: next field, then sign   escape: cancel"), classes="dialog-keys")

    def fields(self) -> list[Input]:
        """The inputs in the order enter walks them (the PIN last)."""
        return list(self.query(Input))

    @property
    def signer_id(self) -> str:
        """The signer id typed (without surrounding blanks)."""
        return self.query_one("#signer-id", Input).value.strip()

    @property
    def pin(self) -> str:
        """The PIN typed (exactly: blanks may be part of a passphrase)."""
        return self.query_one("#signer-pin", Input).value

    def answer(self) -> Answer:
        """What the dialog returns: ``(signer_id, pin)``."""
        return (self.signer_id, self.pin)

    def missing(self) -> tuple[Input, str] | None:
        """The first field still empty, and what to say; None when all are filled."""
        if not self.signer_id:
            return self.query_one("#signer-id", Input), "Type the signer id."
        if not self.pin:
            return self.query_one("#signer-pin", Input), "Type the PIN."
        return None

    def on_mount(self) -> None:
        self.show_error(self.error)
        self.fields()[0].focus()

    # -- enter, escape, and the caller's verdict ----------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        fields = self.fields()
        missing = self.missing()
        if event.input is not fields[-1] and event.input.value.strip():
            fields[fields.index(event.input) + 1].focus()  # enter moves on to the next field
            self.show_error("")
            return
        if missing is not None:
            field, message = missing
            self.show_error(message)
            field.focus()
            return
        if self.submit is None:
            self.dismiss(self.answer())
            return
        self.busy = True
        self.show_error(CHECKING)
        self.submit(self.answer())

    def action_cancel(self) -> None:
        """Close without signing (not while the caller checks the PIN)."""
        if not self.busy:
            self.dismiss(None)

    def refuse(self, reason: str) -> None:
        """The answer was refused: say why, clear the PIN, and wait for another."""
        self.busy = False
        self.show_error(reason)
        pin = self.query_one("#signer-pin", Input)
        pin.value = ""
        pin.focus()

    def accept(self) -> None:
        """The answer was taken: close with it."""
        self.busy = False
        self.dismiss(self.answer())


class SignoffDialog(SignerDialog):
    """Show what one sign-off signs (:class:`SigningView`), then ask who signs."""

    def __init__(self, view: SigningView, *, submit: Submit | None = None) -> None:
        title = f"{view.kind}: {view.title}"
        super().__init__(f"{view.position} · {title}" if view.position else title, submit=submit)
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        with Vertical(classes="dialog", id="signoff-dialog"):
            yield from self.compose_frame()
            if view.detail:
                yield Static(lit(view.detail), classes="dialog-hint")
            with VerticalScroll(id="signed-lines"):
                for item in view.lines:
                    yield Static(sign_line_content(item), classes="signed-line")
                if view.notes:
                    yield Static(notes_content(view.notes, "Notes"), classes="signed-notes")
            if view.given:
                given = line(("Signed: ", "bold"), "\n".join(view.given))
                yield Static(given, id="signed-given")
            yield Static(
                line(
                    ("Sign as ", "bold"),
                    (view.role, "bold $accent"),
                    (" · meaning: ", "bold"),
                    (view.meaning, "bold $accent"),
                ),
                id="signing-as",
            )
            if view.distinct:
                yield Static(
                    lit("Someone who acted at this node cannot give this sign-off."),
                    classes="dialog-hint",
                )
            yield from self.compose_signer()


__all__ = [
    "CHECKING",
    "MAX_PIN",
    "Answer",
    "SignerDialog",
    "SignoffDialog",
    "Submit",
    "sign_line_content",
]
