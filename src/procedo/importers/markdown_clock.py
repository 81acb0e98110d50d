"""Issue 13's time keys in Markdown (docs/import.md), as the handbook writes them:
``**Target time:** 10 min`` on a step, ``**Reminder:** every 20 min: Post a status update`` on
the process or a step, ``**Timeout:** after 30 min without an answer, the process suggests:
Escalate`` on a decision, and ``*(wait: 5 min)*`` on an item."""

from __future__ import annotations

import re
from typing import Any

from procedo.importers.markdown_items import MarkdownImportError
from procedo.importers.markdown_preamble import toml_number
from procedo.markdown_text import unescape

_NUMBER = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
_MINUTES = re.compile(rf"^({_NUMBER})[ \t]*(?:min|mins|minutes?)?\.?$", re.IGNORECASE)
_REMINDER = re.compile(
    rf"^every[ \t]+({_NUMBER})[ \t]*(?:min|mins|minutes?)?[ \t]*:[ \t]*(.+)$", re.IGNORECASE
)
_TIMEOUT = re.compile(
    rf"^after[ \t]+({_NUMBER})[ \t]*(?:min|mins|minutes?)?\b.*?suggests?[ \t]*:[ \t]*(.+)$",
    re.IGNORECASE,
)
REMINDER_WORDS = "every {minutes} min: {text}"
TIMEOUT_WORDS = "after {minutes} min without an answer, the process suggests: {label}"
"""What the handbook writes (``{label}`` and ``{text}`` escaped)."""


def _positive(text: str, where: str, what: str, example: str) -> float | int:
    try:
        minutes = float(text)
    except ValueError:
        minutes = 0.0
    if not minutes > 0:
        raise MarkdownImportError(
            f"{where}: {what} {text!r} is not a number of minutes (write e.g. {example!r})"
        )
    return toml_number(minutes)


def minutes_of(value: str, where: str, what: str, example: str) -> float | int:
    """``10 min`` (or ``10``, ``10 minutes``) as a number of minutes."""
    found = _MINUTES.match(unescape(value).strip())
    return _positive(found.group(1) if found else value.strip(), where, what, example)


def reminder_of(value: str, where: str) -> dict[str, Any]:
    """``every 20 min: Post a status update`` as a ``remind`` table."""
    found = _REMINDER.match(value.strip())
    example = "**Reminder:** every 20 min: Post a status update"
    if not found or not unescape(found.group(2)).strip():
        raise MarkdownImportError(f"{where}: cannot read the reminder {value!r} (write e.g. "
                                  f"{example!r})")  # fmt: skip
    minutes = _positive(found.group(1), where, "the reminder's interval", example)
    return {"every_minutes": minutes, "text": unescape(found.group(2)).strip()}


def timeout_of(value: str, where: str) -> dict[str, Any]:
    """``after 30 min ... suggests: Escalate`` as a decision's ``timeout`` table."""
    found = _TIMEOUT.match(value.strip())
    example = "**Timeout:** after 30 min, the process suggests: Escalate"
    if not found or not unescape(found.group(2)).strip():
        raise MarkdownImportError(f"{where}: cannot read the timeout {value!r} (write e.g. "
                                  f"{example!r})")  # fmt: skip
    minutes = _positive(found.group(1), where, "the timeout", example)
    return {"after_minutes": minutes, "suggest": unescape(found.group(2)).strip()}
