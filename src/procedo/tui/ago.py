"""How long ago something happened, as the home screen says it."""

from __future__ import annotations


def ago(iso: str | None, now: int | None = None) -> str:
    """``just now``, ``5 min ago``, ``3 h ago``, ``2 d ago`` for an ISO timestamp."""
    if not iso:
        return "never"
    from procedo.engine.events import ms_from_iso, now_ms  # on first use: home.py stays light

    seconds = max(0, ((now if now is not None else now_ms()) - ms_from_iso(iso)) // 1000)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"
