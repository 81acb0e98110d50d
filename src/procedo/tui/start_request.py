"""What starting a run needs: the ``procedo run`` command and the start screen both say it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StartRequest:
    """A run to start: as the app opens (``procedo run``), or as the start screen returns it."""

    process_id: str
    operator: str | None = None
    trigger: str | None = None
    practice: bool = False


__all__ = ["StartRequest"]
