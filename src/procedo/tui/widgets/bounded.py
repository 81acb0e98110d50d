"""Text fields that hold at most as much as the engine accepts (MAX_NAME, MAX_TEXT).

Typing or pasting past the limit is refused, what was typed is kept, and the operator is told
once (not once per refused key: a scanner may send thousands). A refused key costs almost
nothing, and a key typed at the end of a BoundedInput about the same at any length, so 100 kB
of single keystrokes cannot grind the screen. (Textual's TextArea still re-wraps the edited
line at each key: a single very long line costs more per key as it grows, up to the limit.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget

    from procedo.tui.widgets.bounded_area import BoundedTextArea


def _limits() -> tuple[int, int]:
    """The engine's (MAX_NAME, MAX_TEXT), imported when a field is made: the home screen's
    first frame comes before the domain is imported."""
    from procedo.engine.values import MAX_NAME, MAX_TEXT

    return MAX_NAME, MAX_TEXT


def limit_message(what: str, limit: int) -> str:
    """What the operator is told when a field is full."""
    return f"The {what} is limited to {limit:,} characters: the rest was refused, the text kept."


def paste_message(what: str, limit: int, *, joined: bool, kept: int, refused: int) -> str:
    """What the operator is told when a paste was changed to fit: joined, cut, or both."""
    parts = []
    if joined:
        parts.append(f"The pasted lines were joined with spaces: the {what} is one line.")
    if refused:
        parts.append(
            f"The {what} is limited to {limit:,} characters: {kept:,} pasted characters were "
            f"kept, the other {refused:,} refused."
        )
    return " ".join(parts)


def one_line(text: str) -> tuple[str, bool]:
    """``text`` on one line (its non-blank lines joined with spaces), and whether it had more."""
    lines = [part for part in text.splitlines() if part.strip()]
    return " ".join(lines), len(lines) > 1


class _Teller:
    """Says once that a field is full, until it has room again."""

    def __init__(self) -> None:
        self.told = False

    def tell(self, widget: Widget, what: str, limit: int) -> None:
        if not self.told:
            self.told = True
            widget.notify(limit_message(what, limit), severity="warning", markup=False)


class BoundedInput(Input):
    """An Input of at most ``max_length`` characters (default MAX_TEXT)."""

    def __init__(
        self,
        value: str = "",
        *,
        max_length: int | None = None,
        what: str = "text",
        **kwargs: Any,
    ) -> None:
        max_length = _limits()[1] if max_length is None else max_length
        self.what = what
        self._teller = _Teller()
        self._cells: tuple[str, int, int] = ("", 0, 0)  # value, position, cells before it
        # A value longer than the limit (an old stored text) is kept whole: never lose it.
        super().__init__(value, max_length=max(max_length, len(value or "")), **kwargs)

    def restricted(self) -> None:
        """Refused past the limit: say so once (no bell)."""
        self._teller.tell(self, self.what, self.max_length or 0)

    def _on_paste(self, event: events.Paste) -> None:
        """Paste all of it on one line, as much as fits, and say what was changed."""
        event.stop()
        event.prevent_default()  # Input's own paste keeps the first line only
        text, joined = one_line(event.text)
        if not text:
            return
        start, end = sorted(self.selection)
        limit = self.max_length or 0
        room = max(0, limit - (len(self.value) - (end - start))) if limit else len(text)
        kept = text[:room]
        if kept:
            self.replace(kept, start, end)
        refused = len(text) - len(kept)
        if joined or refused:
            self._teller.told = bool(refused)  # one word is enough for the keys that follow
            message = paste_message(
                self.what, limit, joined=joined, kept=len(kept), refused=refused
            )
            self.notify(message, severity="warning", markup=False)

    def watch_value(self, value: str) -> None:
        if len(value) < (self.max_length or 0):
            self._teller.told = False

    def _position_to_cell(self, position: int) -> int:
        """The cell offset of ``position``, from the last answer when the text only grew.

        Textual measures the whole text before the cursor, several times per key: typing
        one key at a time then costs more and more as the text grows. Typing at the end
        only adds to what was measured, so only the new characters are measured.
        """
        value = self.value
        old_value, old_position, old_cells = self._cells
        added = value[old_position:position]
        if (
            position >= old_position
            and "\t" not in added
            and value[:old_position] == old_value[:old_position]
        ):
            cells = old_cells + cell_len(added)
        else:
            cells = super()._position_to_cell(position)
        self._cells = (value, position, cells)
        return cells


def name_input(value: str = "", *, what: str = "name", **kwargs: Any) -> BoundedInput:
    """A one-line field for a person's name (MAX_NAME)."""
    return BoundedInput(value, max_length=_limits()[0], what=what, **kwargs)


def text_input(value: str = "", *, what: str = "text", **kwargs: Any) -> BoundedInput:
    """A one-line field for a reason, a value or a note (MAX_TEXT)."""
    return BoundedInput(value, max_length=_limits()[1], what=what, **kwargs)


def __getattr__(name: str) -> type[BoundedTextArea]:
    """``BoundedTextArea`` lives in :mod:`procedo.tui.widgets.bounded_area` (TextArea's import
    is not paid by the home screen's first frame); still importable from here."""
    if name == "BoundedTextArea":
        from procedo.tui.widgets.bounded_area import BoundedTextArea

        return BoundedTextArea
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BoundedInput",
    "BoundedTextArea",
    "limit_message",
    "name_input",
    "one_line",
    "paste_message",
    "text_input",
]
