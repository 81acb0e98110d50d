"""The run screen's signatures: ``c`` at a step whose items are done but whose sign-offs are
not, ``S`` at a decision with sign-offs, ``O`` on a critical item with an override.

Each opens a dialog that shows what is signed and asks the signer's id and PIN. The PIN is
checked by :func:`procedo.journal.signers.authenticate` in a thread worker, on a connection
of its own (a journal is bound to its thread; a refused attempt is logged there); then, on
the UI thread, the engine signs through the screen's journal as every action does. A refusal
keeps the dialog open with the reason; a refusal the engine gives the authenticated signer
(the role, ``distinct``, the run's own operator) is logged with ``log_refusal``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from procedo.engine import Refused, RunError, RunState, SignerRefused
from procedo.engine.cleaning import clean_text
from procedo.journal import JournalError
from procedo.journal.signers import authenticate, log_refusal
from procedo.model.signature import SignerIdentity
from procedo.tui.screens.override_dialog import OverrideDialog
from procedo.tui.screens.signoff_dialog import Answer, SignerDialog, SignoffDialog
from procedo.tui.signing_view import given_text, override_view, signing_view

if TYPE_CHECKING:
    from procedo.tui.screens.run import RunScreen

SIGN_ACTIONS = frozenset({"sign_step", "sign", "override", "complete"})
"""The actions whose keys :func:`signing_keys` decides (``c`` is Done or Sign)."""

Write = Callable[[SignerIdentity], object]

Keys = tuple[bool, bool, bool]
"""Whether ``c`` signs, ``S`` signs, ``O`` overrides."""

KeysCache = tuple[RunState, int | None, Keys]
"""The keys worked out for one state and highlighted line."""


def signing_keys(screen: RunScreen) -> Keys:
    """Which signing keys apply here: ``c`` signs (a step ready but for its sign-offs), ``S``
    signs (a decision with a sign-off to give), ``O`` overrides the highlighted item.
    Worked out once per state and highlighted line."""
    run = screen.run
    state, item = run.state, screen.panel.highlighted
    cached = screen._signing_keys
    if cached is not None and cached[0] is state and cached[1] == item:
        return cached[2]
    verdicts = run.allowed(item)
    at_step = run.current_step is not None and not state.frames
    at_decision = (state.current_node or "") in run.definition.decisions
    missing = any(status.given is None for status in run.signoffs())
    line = run.lines()[item] if at_step and item is not None and item < len(run.lines()) else None
    keys = (
        at_step and verdicts.sign.ok,
        at_decision and verdicts.sign.applies and missing,
        verdicts.override.applies and line is not None and not line.mark.done,
    )
    screen._signing_keys = (state, item, keys)
    return keys


def key_applies(screen: RunScreen, action: str) -> bool | None:
    """Whether the key of a signing action belongs in the footer (None: not one of them;
    ``complete`` gives way to ``sign_step`` where c signs)."""
    if action not in SIGN_ACTIONS:
        return None
    c_signs, s_signs, overrides = signing_keys(screen)
    if action == "complete":
        return False if c_signs and not screen.read_only else None
    if screen.read_only:
        return False
    return {"sign_step": c_signs, "sign": s_signs, "override": overrides}[action]


def highlight_moved(screen: RunScreen) -> None:
    """The cursor moved: show or hide ``O`` when the highlighted item's override changed
    from what the footer shows (the screen's key state, whose last part is these keys)."""
    shown = screen._key_state
    if shown is None:
        return
    keys = signing_keys(screen)
    if shown[-1] != keys:
        screen._key_state = (*shown[:-1], keys)
        screen.refresh_bindings()


class SigningActions:
    """The run screen's ``c`` (Sign), ``S`` and ``O`` (a mixin of :class:`RunScreen`)."""

    def action_sign_step(self: RunScreen) -> None:  # type: ignore[misc]
        """c at a step whose items are done: give its first sign-off not given."""
        sign_next(self)

    def action_sign(self: RunScreen) -> None:  # type: ignore[misc]
        """Give the first sign-off not given of this node."""
        sign_next(self)

    def action_override(self: RunScreen) -> None:  # type: ignore[misc]
        """Pass the highlighted critical item without it being done (a reason, a signature)."""
        override(self)


def sign_next(screen: RunScreen) -> None:
    """Open the sign-off dialog for the first sign-off of this node not given yet."""
    if not screen.may(screen.run.allowed().sign):
        return
    status = next(s for s in screen.run.signoffs() if s.given is None)
    index = status.index
    dialog = SignoffDialog(signing_view(screen.run, status))
    dialog.submit = lambda answer: check_signer(
        screen, dialog, answer[0], answer[1], lambda signer: screen.run.sign(index, signer)
    )

    def closed(answer: object) -> None:
        if answer is None:
            return
        given = screen.run.state.current.signatures.get(index) if screen.run.state.current else None
        screen.saved(f"signed: {given_text(given)}" if given else "signed")

    screen.app.push_screen(dialog, closed)


def override(screen: RunScreen) -> None:
    """Open the override dialog for the highlighted critical item."""
    index = screen.panel.highlighted
    if not screen.may(screen.run.allowed(index).override) or index is None:
        return
    view = override_view(screen.run, index)
    dialog = OverrideDialog(view)

    def submit(answer: Answer) -> None:
        reason, signer_id, pin = answer
        try:
            clean_text(reason, "reason")  # a reason the engine refuses: before the PIN
        except RunError as error:
            dialog.refuse(str(error))
            return
        check_signer(
            screen,
            dialog,
            signer_id,
            pin,
            lambda signer: screen.run.override(index, reason, signer),
        )

    dialog.submit = submit

    def closed(answer: object) -> None:
        if answer is None:
            return
        lines = screen.run.lines()
        given = lines[index].mark.overridden if index < len(lines) else None
        said = f": {given_text(given)}" if given else ""
        screen.saved(f"{view.item.text!r} overridden{said}", moved=index)

    screen.app.push_screen(dialog, closed)


def check_signer(
    screen: RunScreen, dialog: SignerDialog, signer_id: str, pin: str, write: Write
) -> None:
    """Check the PIN in a thread worker; then, on the UI thread, ``write`` as the signer."""
    app = screen.app
    db, now = app.paths.db, int(app.clock())
    run_id, node = screen.run.run_id, screen.run.state.current_node

    def job() -> None:
        from procedo.workspace import open_reader

        try:
            with open_reader(db) as journal:
                signer = authenticate(journal, signer_id, pin, now_ms=now, run_id=run_id, node=node)
        except (JournalError, OSError, ValueError) as error:  # SignRefused is a JournalError
            app.call_from_thread(dialog.refuse, str(error))
            return
        app.call_from_thread(signed, signer)

    def signed(signer: SignerIdentity) -> None:
        try:
            write(signer)
        except SignerRefused as error:  # the role, distinct, the run's own operator
            dialog.refuse(logged(screen, signer, str(error), run_id, node))
        except Refused as error:  # the run is not where it was: nothing was written
            dialog.refuse(str(error))
        except (RunError, JournalError) as error:  # not saved, or the run was taken over
            dialog.dismiss(None)
            screen.failed(error)
        else:
            dialog.accept()

    screen.run_worker(job, thread=True, exclusive=True, group="sign")


def logged(
    screen: RunScreen, signer: SignerIdentity, reason: str, run_id: str, node: str | None
) -> str:
    """Log the engine's refusal of an authenticated signer; the words the dialog shows."""
    journal = screen.app.workspace.journal
    try:
        log_refusal(
            journal, signer.id, reason, now_ms=int(screen.app.clock()), run_id=run_id, node=node
        )
    except JournalError as error:
        return f"{reason} (the refused attempt could not be logged: {error})"
    return reason


__all__ = [
    "SIGN_ACTIONS",
    "Keys",
    "KeysCache",
    "SigningActions",
    "check_signer",
    "highlight_moved",
    "key_applies",
    "override",
    "sign_next",
    "signing_keys",
]
