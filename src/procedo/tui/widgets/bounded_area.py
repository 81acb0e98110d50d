"""A TextArea of bounded length (the note dialog's): kept apart from :mod:`.bounded` so that
the home screen's first frame does not import TextArea and its document model."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Location

from procedo.tui.widgets.bounded import _limits, _Teller, paste_message


class BoundedTextArea(TextArea):
    """A TextArea of at most ``max_length`` characters (default MAX_TEXT), for multi-line text.

    The length is kept up to date edit by edit (measuring the whole text at every key would
    make each key cost more as the text grows).
    """

    def __init__(
        self,
        text: str = "",
        *,
        max_length: int | None = None,
        what: str = "text",
        **kwargs: Any,
    ) -> None:
        max_length = _limits()[1] if max_length is None else max_length
        self.max_length = max(max_length, len(text))
        self.what = what
        self._teller = _Teller()
        self._length = 0
        super().__init__(text, **kwargs)
        self._length = len(text)

    def _removed(self, start: Location, end: Location) -> int:
        return len(self.get_text_range(*sorted((start, end))))

    def _replace_via_keyboard(
        self, insert: str, start: Location, end: Location
    ) -> EditResult | None:
        if self._length - self._removed(start, end) + len(insert) > self.max_length:
            self._teller.tell(self, self.what, self.max_length)
            return None
        return super()._replace_via_keyboard(insert, start, end)

    async def _on_paste(self, event: events.Paste) -> None:
        """Paste as much as fits, and say how much of the paste was refused."""
        event.stop()
        event.prevent_default()  # TextArea's own paste refuses the whole of a long one
        if self.read_only:
            return
        start, end = self.selection
        room = max(0, self.max_length - (self._length - self._removed(start, end)))
        text = event.text
        if len(text) > room:
            self._teller.told = True
            message = paste_message(
                self.what, self.max_length, joined=False, kept=room, refused=len(text) - room
            )
            self.notify(message, severity="warning", markup=False)
            if not room:
                return
            text = text[:room]
        if result := self._replace_via_keyboard(text, start, end):
            self.move_cursor(result.end_location)
            self.focus()

    def edit(self, edit: Edit) -> EditResult:
        removed = self._removed(edit.from_location, edit.to_location)
        result = super().edit(edit)
        self._length += len(edit.text) - removed
        if self._length < self.max_length:
            self._teller.told = False
        return result

    def _measure(self) -> None:
        self._length = len(self.text)

    def load_text(self, text: str) -> None:
        super().load_text(text)
        self._measure()

    def undo(self) -> None:
        super().undo()
        self._measure()

    def redo(self) -> None:
        super().redo()
        self._measure()


__all__ = ["BoundedTextArea"]
