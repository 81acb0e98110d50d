"""The ``!`` list: every non-normal checklist of the process, highest priority first; those
that cannot be raised here are dimmed with the engine's reason and cannot be picked."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from procedo.engine import RunState
from procedo.engine.allowed_interrupts import Raisable
from procedo.model import ProcessDefinition
from procedo.tui.interrupt_view import picker_row
from procedo.tui.screens.dialogs import ENTER_GUARD_S, Dialog
from procedo.tui.text import lit


class InterruptPicker(Dialog):
    """Pick the non-normal checklist to raise; dismisses with its id (None: escape)."""

    def __init__(
        self, definition: ProcessDefinition, state: RunState, judged: list[Raisable]
    ) -> None:
        super().__init__(
            "Raise a non-normal checklist",
            "Highest priority first. A warning interrupts a caution or an advisory; "
            "the others wait in the queue.",
        )
        self.definition = definition
        self.state = state
        self.judged = judged
        self.opened = time.monotonic()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self.compose_frame()
            options = [
                Option(
                    picker_row(self.definition, self.state, found),
                    id=found.interrupt,
                    disabled=bool(found.reason),
                )
                for found in self.judged
            ]
            yield OptionList(*options, id="dialog-choices", compact=True)
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(lit("↑↓ enter: raise it   escape: cancel"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.opened = time.monotonic()
        self.show_error(self.error)
        choices = self.query_one(OptionList)
        first = next((i for i, found in enumerate(self.judged) if not found.reason), None)
        if first is not None:
            choices.highlighted = first
        else:
            self.show_error("None of them can be raised here (each says why).")
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if time.monotonic() - self.opened < ENTER_GUARD_S:  # an enter typed before it showed
            self.show_error("Pick one with ↑↓, then press enter.")
            return
        found = self.judged[event.option_index]
        if found.reason:
            self.show_error(found.reason)
            return
        self.dismiss(found.interrupt)


__all__ = ["InterruptPicker"]
