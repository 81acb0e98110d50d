"""The run screen's item keys: space (tick, or ask the value), delete (clear), x (not
applicable, asking why) and n (a note). Each asks the engine first and writes through
``RunScreen.act``; a refusal lands in ``RunScreen.failed``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.engine import Refused
from procedo.engine.allowed import Verdict
from procedo.tui.screens import run_conditions as conditions
from procedo.tui.screens import run_dialogs as asks
from procedo.tui.screens.run_keys import hinted

if TYPE_CHECKING:
    from procedo.tui.screens.run import RunScreen


class ItemActions:
    """The actions on the highlighted checklist item (a mixin of :class:`RunScreen`)."""

    def action_toggle(self: RunScreen) -> None:  # type: ignore[misc]
        """What space means on this row, as the engine says: tick it, ask for its value, or
        say why nothing (a tick or a not-applicable mark is cleared only with ``delete``)."""
        if not self.writable():
            return
        index = self.panel.highlighted
        toggle = self.run.toggle(index)
        if toggle.does == "nothing" or index is None:
            self.failed(Refused(hinted(toggle.reason, toggle.why)))
        elif toggle.does == "tick":
            text = conditions.item_text(self.run, index)
            self.act(lambda: self.run.check(index), lambda: f"{text!r} ticked", moved=index)
        else:
            asks.record_value(self, index)

    def action_clear(self: RunScreen) -> None:  # type: ignore[misc]
        """Clear the highlighted item's tick, value or not-applicable mark."""
        index = self.panel.highlighted
        if not self.may(self.item_verdict(self.run.allowed(index).clear)) or index is None:
            return
        text = conditions.item_text(self.run, index)
        self.act(lambda: self.run.uncheck(index), lambda: f"{text!r} cleared")

    def action_not_applicable(self: RunScreen) -> None:  # type: ignore[misc]
        """Mark the highlighted item not applicable, asking why."""
        index = self.panel.highlighted
        verdict = self.item_verdict(self.run.allowed(index).not_applicable)
        if self.may(verdict) and index is not None:
            asks.not_applicable(self, index)

    def item_verdict(self: RunScreen, verdict: Verdict) -> Verdict:  # type: ignore[misc]
        """An item action's verdict, with the key that helps when there is no item to act on."""
        toggle = self.run.toggle(self.panel.highlighted)
        if toggle.why in ("no_checklist", "no_items"):
            return Verdict(True, hinted(toggle.reason, toggle.why))
        return verdict

    def action_note(self: RunScreen) -> None:  # type: ignore[misc]
        """Add a note (it may span lines) about the highlighted item, this node or the run."""
        if self.may(self.run.allowed().note):
            asks.note(self)


__all__ = ["ItemActions"]
