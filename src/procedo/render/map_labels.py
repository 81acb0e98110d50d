"""The words a map writes, whatever its format: the signs of hold points, parallel blocks and
calls, a decision option's caption, a condition cut to one line, a checklist line, a duration.
Plain text: each renderer escapes it for its format.
"""

from __future__ import annotations

from procedo.model import Decision, Item, Option, ProcessDefinition
from procedo.render.durations import duration_of_seconds


def _number(value: float) -> str:
    return f"{value:g}"


MAX_CONDITION = 60
"""The longest condition a map writes in full on an edge (the handbook has every one whole)."""
AUTO_NOTE = "⚙ chosen by the values when they decide"
"""The line a map adds under an automatic decision's question."""
HOLD_SIGN = "✍"
"""The sign of a hold point (a step or decision with ``signoff``) on the maps."""


def hold_note(count: int) -> str:
    """``✍ hold point: 2 signatures``, the line a map adds under a hold point's title."""
    return f"{HOLD_SIGN} hold point: {count} signature{'s' if count != 1 else ''}"


FORK_SIGN = "⫼"
"""The sign of a parallel block's split and join."""
CALL_SIGN = "▸"
"""The sign of a calling step's process (``▸ runs tester-check``)."""


def short_condition(source: str, limit: int = MAX_CONDITION) -> str:
    """A condition on one line, cut to ``limit`` characters with ``…``."""
    text = " ".join(source.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def option_caption(option: Option, limit: int = MAX_CONDITION) -> str:
    """An option as a map writes it: ``Yes [amount > 250]``, ``No (default)``, ``Yes``
    (a condition longer than ``limit`` characters is cut with ``…``)."""
    text = option.label
    if option.when is not None:
        text += f" [{short_condition(option.when, limit)}]"
    if option.default:
        text += " (default)"
    return text


def decision_note(decision: Decision) -> str:
    """:data:`AUTO_NOTE` for an automatic decision, else empty."""
    return AUTO_NOTE if decision.auto else ""


def item_line(index: int, item: Item, definition: ProcessDefinition, step_role: str | None) -> str:
    """One checklist line: ``3. ⚠ text (role) → number in unit (min–max)``.

    ``⚠`` marks a critical item; the role is shown when it differs from the step's; a recorded
    value is named after the arrow with its unit, range or choices.
    """
    text = f"{index}. {'⚠ ' if item.critical else ''}{item.text}"
    if item.role is not None and item.role != step_role:
        text += f" ({definition.role_name(item.role)})"
    if item.record == "number":
        text += " → number" + (f" in {item.unit}" if item.unit else "")
        if item.min is not None or item.max is not None:
            low = "" if item.min is None else _number(item.min)
            high = "" if item.max is None else _number(item.max)
            text += f" ({low}–{high})"
    elif item.record == "choice":
        text += " → " + " / ".join(item.choices)
    elif item.record == "text":
        text += " → text"
    if item.expect is not None:
        text += f" [expect {short_condition(item.expect)}]"
    if item.when is not None:
        text += f" [only when {short_condition(item.when)}]"
    return text


def duration_text(seconds: float) -> str:
    """``45 s``, ``3 min 30 s``, ``1 h 05 min``: :func:`~procedo.render.durations.duration`."""
    return duration_of_seconds(seconds)
