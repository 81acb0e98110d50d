"""The questions the run screen asks: a dialog checks what is typed and returns it; then
the screen writes it through its one path (``RunScreen.act``, refusals in ``failed``).

The dialogs' checks are the engine's own pure ones (a value that fits the item, a clean
name or reason): no dialog writes to the journal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from procedo.engine import Run, RunError
from procedo.engine.cleaning import MAX_NAME, clean_name, clean_text
from procedo.engine.errors import Unchanged
from procedo.engine.values import normalise_value
from procedo.journal import JournalError, default_operator
from procedo.model import Item
from procedo.model.placeholders import fill
from procedo.tui.screens.dialogs import ChoicePrompt, Confirm, TextPrompt
from procedo.tui.screens.note_dialog import NotePrompt
from procedo.tui.widgets.checklist import record_hint

if TYPE_CHECKING:
    from procedo.tui.screens.run import Failure, RunScreen

RUN_TARGET = "About the whole run"
ITEM_TARGET = "About this item: "


def value_dialog(
    item: Item, current: str | None, values: Mapping[str, str] | None = None
) -> ChoicePrompt | TextPrompt:
    """Ask for the value of a record item (a choice, a number or a text); ``values`` fill
    the placeholders of its text and details."""

    def fits(raw: str) -> None:
        normalise_value(item, raw)

    text, details = fill(item.text, values or {}), fill(item.details, values or {})
    if item.record == "choice":
        return ChoicePrompt(text, item.choices, current=current, check=fits, hint=details)
    hint = f"Record {record_hint(item)}" + (f"\n{details}" if details else "")
    return TextPrompt(text, hint=hint, value=current or "", check=fits)


def reason_dialog(title: str, hint: str, value: str = "") -> TextPrompt:
    """Ask for a reason (not applicable, abort)."""
    return TextPrompt(title, hint=hint, value=value, check=lambda text: clean_text(text, "reason"))


def override_dialog(label: str, suggested: str, why: str, value: str = "") -> TextPrompt:
    """Ask why another option than the suggested one is chosen (the override's reason)."""
    return reason_dialog(
        f"Choose {label!r} instead of {suggested!r}?",
        f"Suggested: {suggested}, because {why}.\n"
        "Why choose otherwise? (journaled with the values; escape: choose nothing)",
        value,
    )


def note_targets(run: Run, index: int | None) -> list[str]:
    """What a note may be about here: the highlighted item, this node, the whole run."""
    step = run.current_step
    here = "About this step" if step is not None else "About this decision"
    targets = [here, RUN_TARGET]
    lines = run.lines()
    if step is not None and index is not None and 0 <= index < len(lines):
        targets.insert(0, ITEM_TARGET + fill(lines[index].spec.text, run.scope()))
    return targets


def note_place(label: str) -> str:
    """Where the note chosen by ``label`` goes: ``item``, ``node`` or ``run``."""
    if label == RUN_TARGET:
        return "run"
    return "item" if label.startswith(ITEM_TARGET) else "node"


def note_dialog(label: str, value: str = "") -> NotePrompt:
    """Ask for a note about ``label``."""
    return NotePrompt(
        label, value=value, check=lambda text: clean_text(text, "note", multiline=True)
    )


def hand_over_dialog(run: Run, value: str = "") -> TextPrompt:
    """Ask who takes the run over (at a hand-over point: who acts as the next role)."""
    role = run.state.awaiting_role
    hint = "Name of the operator who takes over"
    if role is not None:
        hint = f"Name of the {run.definition.role_name(role)} who takes over"
    return TextPrompt(
        "Hand over to",
        hint=hint,
        value=value,
        check=run.hand_over_name,
        max_length=MAX_NAME,
        what="operator name",
    )


def abort_confirm() -> Confirm:
    """Ask once more before a run is aborted."""
    return Confirm(
        "Abort this run?", "An aborted run cannot be resumed.", yes="Abort run", no="Keep going"
    )


def take_over_dialog(reason: str, value: str) -> TextPrompt:
    """Ask who takes over a run another session drives."""
    return TextPrompt(
        "Take over this run",
        hint=reason,
        value=value,
        check=clean_name,
        max_length=MAX_NAME,
        what="operator name",
    )


# -- asking, then writing through the screen --------------------------------------------


def record_value(screen: RunScreen, index: int) -> None:
    """Ask for the value of record item ``index``, then record it (the same value: unchanged)."""
    run = screen.run
    found = run.lines()[index]  # an own item, or a deferred one that came back here
    item = found.spec
    current = found.mark.value
    values = run.scope()
    text = fill(item.text, values)

    def said(verb: str) -> str:
        now = screen.run.lines()
        value = now[index].mark.value if index < len(now) else ""
        return f"{text!r} {verb}: {value}" + (f" {item.unit}" if item.unit else "")

    def record(raw: str) -> Failure | None:
        try:
            screen.run.record(index, raw)
        except Unchanged:  # the same value again: nothing to save, and not an error
            screen.saved(said("unchanged"))
        except (RunError, JournalError) as error:
            screen.failed(error)
            return error
        else:
            screen.saved(said("recorded"), moved=index)
        return None

    screen.ask(lambda value: value_dialog(item, value or current, values), record)


def not_applicable(screen: RunScreen, index: int) -> None:
    """Ask why item ``index`` does not apply, then mark it so."""
    text = fill(screen.run.lines()[index].spec.text, screen.run.scope())
    screen.ask(
        lambda value: reason_dialog(
            f"Not applicable: {text}", "Why does this item not apply?", value
        ),
        lambda reason: screen.act(
            lambda: screen.run.mark_not_applicable(index, reason),
            lambda: f"{text!r} marked not applicable",
            moved=index,
        ),
    )


def note(screen: RunScreen) -> None:
    """Ask what the note is about (the highlighted item, this node, the run), then the note."""
    step = screen.run.current_step
    index = screen.panel.highlighted if step is not None and step.items else None

    def write(label: str, text: str) -> Failure | None:
        on = note_place(label)
        return screen.act(
            lambda: screen.run.note(text, on=on, item=index if on == "item" else None),
            lambda: "note saved",
        )

    def about(label: str) -> None:
        screen.ask(lambda value: note_dialog(label, value), lambda text: write(label, text))

    targets = note_targets(screen.run, index)
    screen.ask(lambda _: ChoicePrompt("Add a note", targets), lambda label: about(label))


def hand_over(screen: RunScreen) -> None:
    """Ask who takes the run over, then hand it over (to a signer's id: once their PIN is
    checked, :mod:`procedo.tui.screens.run_handover_signer`)."""
    from procedo.tui.screens.run_handover_signer import enrolled, hand_over_to_signer

    def given(name: str) -> None:
        signer = enrolled(screen, name)
        if signer is not None:
            hand_over_to_signer(screen, *signer)
            return
        screen.act(
            lambda: screen.run.hand_over(name),
            lambda: f"handed over to {screen.run.state.operator}",
        )

    screen.ask(lambda value: hand_over_dialog(screen.run, value), given)


def abort(screen: RunScreen) -> None:
    """Ask why, then once more whether, and abort the run."""

    def confirmed(reason: str, answer: object) -> None:
        if answer:
            screen.act(lambda: screen.run.abort(reason), lambda: "run aborted")

    def confirm(reason: str) -> None:
        screen.app.push_screen(abort_confirm(), lambda answer: confirmed(reason, answer))

    screen.ask(
        lambda value: reason_dialog("Abort the run", "Why is the run being abandoned?", value),
        lambda reason: confirm(reason),
    )


def take_over(screen: RunScreen) -> None:
    """Ask who takes over the run another session drives, then take it over here (resumed
    if it was paused)."""
    reason = screen.read_only_reason

    def take(name: str) -> Failure | None:
        try:
            screen.run = screen.app.workspace.journal.take_over(screen.run.run_id, name)
        except (RunError, JournalError) as error:
            screen.failed(error)
            return error
        screen.read_only = False
        screen.read_only_reason = ""
        screen.panel.forget_cursor()  # as on opening: the cursor on the first open item
        operator = screen.run.state.operator
        if screen.run.state.status == "paused":
            screen.act(screen.run.resume, lambda: f"taken over by {operator} and resumed")
        else:
            screen.saved(f"taken over by {operator}")
        return None

    screen.ask(lambda name: take_over_dialog(reason, name), take, default_operator())


__all__ = [
    "abort",
    "abort_confirm",
    "default_operator",
    "hand_over",
    "hand_over_dialog",
    "not_applicable",
    "note",
    "note_dialog",
    "note_place",
    "note_targets",
    "override_dialog",
    "reason_dialog",
    "record_value",
    "take_over",
    "take_over_dialog",
    "value_dialog",
]
