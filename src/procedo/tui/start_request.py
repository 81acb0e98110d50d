"""What starting a run needs: the ``procedo run`` command and the start screen both say it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class StartRequest:
    """A run to start: as the app opens (``procedo run``), or as the start screen returns it.

    ``inputs``: the start inputs given so far (``--set ID=VALUE``, or the start screen's
    fields), raw text by id; the run starts only when every input of the process is there.
    """

    process_id: str
    operator: str | None = None
    trigger: str | None = None
    practice: bool = False
    inputs: dict[str, str] = field(default_factory=dict)


__all__ = ["StartRequest"]
