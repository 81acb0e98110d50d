"""A run of a journal that can only be read (an archive, read-only media): review, no edits.

Like any read-only run screen, but nothing can take it over either: every editing key, t
included, is refused with the reason, and the banner says why.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from procedo.tui.screens.run import RunScreen
from procedo.tui.text import line
from procedo.tui.widgets.updates import update_static

_MORE_EDIT_KEYS = {"t", "n", "b", "o", "a"}
"""Take over, note, back, hand over, abort (tick, N/A, done and the digits: RunScreen)."""


class ReviewRunScreen(RunScreen):
    """A run shown from a read-only journal."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_over":
            return False
        return super().check_action(action, parameters)

    def writable(self) -> bool:
        self.show_status(f"{self.read_only_reason}: nothing can be changed", "refused")
        return False

    def on_key(self, event: events.Key) -> None:
        # Their bindings are off here (check_action): without this they would do nothing.
        if event.key in _MORE_EDIT_KEYS:
            event.stop()
            self.writable()
            return
        super().on_key(event)

    def refresh_view(self) -> None:
        super().refresh_view()
        update_static(
            self.query_one("#readonly-banner", Static), line((self.read_only_reason, "bold"))
        )


__all__ = ["ReviewRunScreen"]
