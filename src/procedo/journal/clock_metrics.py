"""The clock figures of one scope (issue 13): the time split and the trends, together, for the
metrics screen and ``procedo stats`` (:class:`procedo.model.figures.ClockFigures`)."""

from __future__ import annotations

from procedo.journal.metrics import Scope
from procedo.journal.store import Journal
from procedo.journal.time_split import time_split
from procedo.journal.trends import trends
from procedo.model.clock_figures import ClockFigures

__all__ = ["ClockFigures", "clock_figures"]


def clock_figures(
    journal: Journal,
    process_id: str | None,
    *,
    include_practice: bool = False,
    version: str | None = None,
) -> ClockFigures:
    """The time split and the trends of a process (None: all), maybe one version."""
    scope = Scope(process_id, version, include_practice)
    return ClockFigures(time_split=time_split(journal, scope), trends=trends(journal, scope))
