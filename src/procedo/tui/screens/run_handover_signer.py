"""Hand-over to a signer: when the name typed at a hand-over is an enrolled signer's id, the
run goes on under that id only once the signer's PIN is checked (nobody can act as a signer
by typing their id). At a hand-over point the signer must hold the role that is next.

A name that is no signer's id is handed over as before (a free name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from procedo.engine import SignerRefused
from procedo.journal import JournalError
from procedo.journal.signers import get_signer
from procedo.model.signature import SignerIdentity
from procedo.tui.screens.run_signing import check_signer
from procedo.tui.screens.signoff_dialog import SignerDialog

if TYPE_CHECKING:
    from procedo.tui.screens.run import RunScreen


class HandOverSignerDialog(SignerDialog):
    """Ask the PIN of the signer the run is handed over to (their id filled in)."""

    def __init__(self, signer_id: str, name: str, hint: str) -> None:
        super().__init__(f"Hand over to {name} ({signer_id})")
        self.hint = hint
        self.given_id = signer_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="handover-signer-dialog"):
            yield from self.compose_frame()
            yield from self.compose_signer()

    def on_mount(self) -> None:
        """The id filled in; the PIN focused (after the shared dialog focuses its first
        field: Textual runs the mount handler of each class)."""
        self.query_one("#signer-id", Input).value = self.given_id
        self.call_after_refresh(self.query_one("#signer-pin", Input).focus)


def enrolled(screen: RunScreen, name: str) -> tuple[str, str] | None:
    """``(id, printed name)`` when ``name`` is an enrolled signer's id, else None."""
    try:
        row = get_signer(screen.app.workspace.journal, name.strip())
    except (JournalError, ValueError):
        return None
    return None if row is None else (row.id, row.name)


def hand_over_to_signer(screen: RunScreen, signer_id: str, name: str) -> None:
    """Ask the signer's PIN, then hand the run over under their id."""
    run = screen.run
    role = run.state.awaiting_role
    hint = "The run goes on under this signer id: the signer types their PIN."
    if role is not None:
        hint = f"{hint} They act as {run.definition.role_name(role)}."
    dialog = HandOverSignerDialog(signer_id, name, hint)

    def write(signer: SignerIdentity) -> None:
        if role is not None and role not in signer.roles:
            raise SignerRefused(
                f"{signer.name} ({signer.id}) does not hold the role "
                f"{run.definition.role_name(role)}"
            )
        run.hand_over(signer.id)

    dialog.submit = lambda answer: check_signer(screen, dialog, answer[0], answer[1], write)

    def closed(answer: object) -> None:
        if answer is not None:
            screen.saved(f"handed over to {name} ({run.state.operator})")

    screen.app.push_screen(dialog, closed)


__all__ = ["HandOverSignerDialog", "enrolled", "hand_over_to_signer"]
