"""Building displayed text safely.

Every string from a TOML file or an operator goes through :func:`lit` (or a part of
:func:`line`, or :func:`cell`), which makes a :class:`Content` that is shown exactly as typed:
no markup is parsed, so ``[b]``, ``[/]``, ``[A-1]`` or ``[@click=...]`` are just characters.
Nor can it act on the terminal: an escape code, a control or a text-direction character
already stored in a journal is shown as a visible escape (``\\x1b``, ``\\u202e``) by
:func:`procedo.safe_text.visible`. Line breaks stay line breaks (a multi-line note, the
instructions), tabs become spaces; a table cell is always one line.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

from procedo.render.durations import duration as render_duration
from procedo.safe_text import first_unsafe, visible

Part = str | Content | tuple[str, str]
_BLANKS = re.compile(r"[ \t\r\n]+")

TAB_SIZE = 4


def shown(text: object) -> str:
    """The characters the screen shows for ``text``: escapes for anything unsafe."""
    return visible(str(text).expandtabs(TAB_SIZE), multiline=True)


def editable(text: str) -> str:
    """A value to put in an ``Input`` to edit (which shows it raw): ``""`` when it holds a
    control or bidi character (an older journal's operator name or value), else the text."""
    return text if first_unsafe(text) is None else ""


def lit(text: object) -> Content:
    """Literal content: the text exactly as given, with unsafe characters made visible."""
    return Content(shown(text))


def cell(text: object, style: str = "", max_width: int = 0) -> Text:
    """A literal DataTable cell (DataTable measures Rich Text, not Content, for its widths).

    ``max_width`` shortens long text with an ellipsis so a table fits 80 columns.
    """
    # only spaces, tabs and line breaks fold to one space: str.split() would also turn
    # U+2028, U+0085 or U+001C-001F into spaces before visible() could show them
    value = visible(_BLANKS.sub(" ", str(text)).strip(" "))
    if max_width and len(value) > max_width:
        value = value[: max_width - 1] + "…"
    return Text(value, style=style, no_wrap=True, overflow="ellipsis")


def line(*parts: Part) -> Content:
    """Join literal parts; a ``(text, style)`` tuple styles its text without parsing it."""
    return Content.assemble(*(_safe_part(part) for part in parts))


def _safe_part(part: Part) -> Part:
    if isinstance(part, Content):
        return part  # built by lit or line: already safe
    if isinstance(part, tuple):
        return (shown(part[0]), part[1])
    return shown(part)


def duration(ms: int | None) -> str:
    """``42 s``, ``12 min 05 s``, ``1 h 05 min`` (render.durations); ``–`` for None."""
    return "–" if ms is None else render_duration(ms)


def percent(share: float | None) -> str:
    """``83 %`` or a dash."""
    return "–" if share is None else f"{round(share * 100)} %"
