"""How long something took, as a person reads it: the one format for the app, exports and maps.

Whole seconds are counted down, as a stopwatch does, so a run that the run screen's clock
showed ending at 01:20 reads ``1 min 20 s`` in its summary, its export and the history alike.
"""

from __future__ import annotations


def duration(ms: int | None) -> str:
    """``1 h 05 min``, ``7 min 30 s``, ``10 min``, ``45 s``; empty for None.

    Whole seconds, rounded down; a zero last part is left out (``10 min``, ``2 h``).
    """
    if ms is None:
        return ""
    seconds = max(0, int(ms) // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds:02d} s" if seconds else f"{minutes} min"
    return f"{seconds} s"


def duration_of_seconds(seconds: float) -> str:
    """:func:`duration` of a time in seconds (a median, say)."""
    return duration(round(seconds * 1000))
