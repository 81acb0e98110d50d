"""User text printed to a terminal on one line, with nothing the terminal would act on.

Kept for the CLI's imports: the one rule lives in :mod:`procedo.safe_text`.
"""

from __future__ import annotations

from procedo.safe_text import visible


def shown(text: object) -> str:
    """``text`` on one line: control, format and line-separator characters escaped."""
    return visible(text)
