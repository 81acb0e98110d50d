"""The figures of the metrics (:func:`procedo.journal.metrics.compute_metrics` makes them; the
metrics screen and ``procedo stats`` draw them): frozen dataclasses, JSON-ready through
``Metrics.to_dict()``. Durations are in milliseconds of active time."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DurationPoint:
    """One completed run, for a chart of durations over time."""

    started_at: str
    duration_ms: int
    run_id: str


@dataclass(frozen=True, slots=True)
class StepTime:
    """A step and the median time of its completed visits."""

    process_id: str
    node: str
    title: str
    visits: int
    median_ms: float
    min_ms: int
    max_ms: int


@dataclass(frozen=True, slots=True)
class OptionCount:
    """How often one option of a decision was taken."""

    process_id: str
    node: str
    question: str
    label: str
    count: int
    share: float | None


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """One reason given for marking an item not applicable."""

    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """An item marked not applicable, how often, and its commonest reasons."""

    process_id: str
    node: str
    item: int
    text: str
    count: int
    reasons: tuple[ReasonCount, ...]


@dataclass(frozen=True, slots=True)
class LoopCount:
    """A node visited more than once in some runs."""

    process_id: str
    node: str
    title: str
    runs_with_repeats: int
    max_visits: int
    repeats: int


@dataclass(frozen=True, slots=True)
class NumberStats:
    """The values recorded for one number item."""

    process_id: str
    node: str
    item: int
    text: str
    unit: str | None
    count: int
    median: float
    min: float
    max: float


@dataclass(frozen=True, slots=True)
class Tally:
    """Runs per operator or per trigger (``name`` None: runs with no trigger)."""

    name: str | None
    runs: int


@dataclass(frozen=True, slots=True)
class Metrics:
    """The figures of one scope: a process (or all, ``process_id`` None), maybe one version."""

    process_id: str | None
    version: str | None
    include_practice: bool
    started: int = 0
    completed: int = 0
    aborted: int = 0
    unfinished: int = 0
    succeeded: int = 0
    success_rate: float | None = None
    median_ms: float | None = None
    p90_ms: int | None = None
    with_target: int = 0
    within_target: int = 0
    on_target_share: float | None = None
    durations: tuple[DurationPoint, ...] = ()
    steps: tuple[StepTime, ...] = ()
    decisions: tuple[OptionCount, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    loops: tuple[LoopCount, ...] = ()
    operators: tuple[Tally, ...] = ()
    triggers: tuple[Tally, ...] = ()
    numbers: tuple[NumberStats, ...] = ()

    @property
    def finished(self) -> int:
        """Completed plus aborted runs."""
        return self.completed + self.aborted

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (tuples become lists)."""
        return asdict(self)
