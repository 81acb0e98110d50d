"""The clock figures of issue 13, as plain frozen records: what past runs took at a node
(:class:`StepUsual`), when a run should be done (:class:`FinishEstimate`), where the time went
(:class:`TimeSplits`) and how runs went week by week and version by version (:class:`Trends`).
:mod:`procedo.journal.step_figures`, ``finish_estimate``, ``time_split`` and ``trends``
compute them; the run screen's clock, the metrics screen and ``procedo stats`` draw them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class StepUsual:
    """What past runs took at one node: the median and nearest-rank p90 of its visits' active
    time, over ``runs`` visits (of completed, non-practice runs; a loop's visit counts again)."""

    median_ms: float
    p90_ms: int
    runs: int


@dataclass(frozen=True, slots=True)
class FinishEstimate:
    """When a run should be done: its active time so far plus the usual time of each node left
    on the most likely path (the current node's usual time less what it has already taken).

    ``finish_ms`` is ``now_ms + remaining_ms`` (wall clock, assuming no pause); ``path`` the
    nodes left, current first; ``unknown`` those of them with no history (counted as 0);
    ``target_ms`` the run's target (None when the process has none)."""

    elapsed_ms: int
    remaining_ms: int
    total_ms: int
    finish_ms: int
    target_ms: int | None
    path: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def over_target(self) -> bool | None:
        """Whether the estimated total passes the target (None without a target)."""
        return None if self.target_ms is None else self.total_ms > self.target_ms


@dataclass(frozen=True, slots=True)
class TimeSplit:
    """Where the time went, for one node, role or operator (``key``; ``title`` to show).

    Disjoint parts, in milliseconds: ``working`` (active time at steps), ``deciding`` (active
    time at decisions, from arriving to choosing), ``handover`` (from a hand-over to the next
    action, taken out of the two before), ``paused`` (pauses while the visit was open, the
    interrupts left out) and ``interrupted`` (in interrupts opened over the visit)."""

    key: str
    title: str
    visits: int = 0
    working_ms: int = 0
    deciding_ms: int = 0
    handover_ms: int = 0
    paused_ms: int = 0
    interrupted_ms: int = 0
    process_id: str | None = None

    @property
    def total_ms(self) -> int:
        """The sum of the parts."""
        return (
            self.working_ms
            + self.deciding_ms
            + self.handover_ms
            + self.paused_ms
            + self.interrupted_ms
        )


@dataclass(frozen=True, slots=True)
class TimeSplits:
    """The time split of a scope: in all, per node, per role (``key`` "" for nodes with no
    role) and per operator (who held the run when the visit began)."""

    total: TimeSplit = field(default_factory=lambda: TimeSplit("", "all"))
    nodes: tuple[TimeSplit, ...] = ()
    roles: tuple[TimeSplit, ...] = ()
    operators: tuple[TimeSplit, ...] = ()


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The runs started in one period (an ISO week "2026-W47", or a version): counts, the
    success rate of the finished ones, the median active time of the completed ones."""

    period: str
    started: int = 0
    completed: int = 0
    aborted: int = 0
    succeeded: int = 0
    success_rate: float | None = None
    median_ms: float | None = None


@dataclass(frozen=True, slots=True)
class Trends:
    """Per ISO week (oldest first) and per version (in order of first run)."""

    weeks: tuple[TrendPoint, ...] = ()
    versions: tuple[TrendPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class ClockFigures:
    """The time split and the trends of one scope (what ``procedo stats`` adds to
    :class:`Metrics`)."""

    time_split: TimeSplits = field(default_factory=TimeSplits)
    trends: Trends = field(default_factory=Trends)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (tuples become lists); each split also gives its ``total_ms``."""
        data = asdict(self)
        splits = self.time_split
        data["time_split"]["total"]["total_ms"] = splits.total.total_ms
        for name in ("nodes", "roles", "operators"):
            for row, split in zip(data["time_split"][name], getattr(splits, name), strict=True):
                row["total_ms"] = split.total_ms
        return data
