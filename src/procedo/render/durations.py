"""How long something took, as a person reads it: one format for exports, maps and the CLI."""

from __future__ import annotations


def duration(ms: int | None) -> str:
    """``1 h 05 min``, ``7 min 30 s``, ``45 s``; empty for None."""
    if ms is None:
        return ""
    seconds = round(ms / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
