"""Building displayed text safely.

Every string from a TOML file or an operator goes through :func:`lit` (or a tuple part of
:func:`line`), which makes a :class:`Content` that is shown exactly as typed: no markup is
parsed, so ``[b]``, ``[/]``, ``[A-1]`` or ``[@click=...]`` are just characters.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from procedo.render.durations import duration as render_duration

Part = str | Content | tuple[str, str]


def lit(text: object) -> Content:
    """Literal content: the text exactly as given."""
    return Content(str(text))


def cell(text: object, style: str = "", max_width: int = 0) -> Text:
    """A literal DataTable cell (DataTable measures Rich Text, not Content, for its widths).

    ``max_width`` shortens long text with an ellipsis so a table fits 80 columns.
    """
    value = " ".join(str(text).split())
    if max_width and len(value) > max_width:
        value = value[: max_width - 1] + "…"
    return Text(value, style=style, no_wrap=True, overflow="ellipsis")


def line(*parts: Part) -> Content:
    """Join literal parts; a ``(text, style)`` tuple styles its text without parsing it."""
    return Content.assemble(*parts)


def duration(ms: int | None) -> str:
    """``42 s``, ``12 min 05 s``, ``1 h 05 min`` (render.durations); ``–`` for None."""
    return "–" if ms is None else render_duration(ms)


def clock_text(ms: int) -> str:
    """``mm:ss`` or ``h:mm:ss`` for an elapsed time."""
    seconds = max(0, ms // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def percent(share: float | None) -> str:
    """``83 %`` or a dash."""
    return "–" if share is None else f"{round(share * 100)} %"
