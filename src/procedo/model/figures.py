"""The figures read from the journal, as plain frozen records (the domain's, so that the
journal that computes them and the faces and renderers that draw them never import each other).

- :class:`Metrics` and its parts: :func:`procedo.journal.metrics.compute_metrics` makes them;
  the metrics screen and ``procedo stats`` draw them (JSON-ready through ``Metrics.to_dict()``).
  Durations are in milliseconds of active time.
- :class:`MapFigures`: :mod:`procedo.journal.map_figures` computes one for a process map; the
  renderers (Mermaid, DOT, terminal text) draw it and never read the journal themselves.
- The clock figures (what a node usually takes, the finish estimate, the time split, the
  trends) are in :mod:`procedo.model.clock_figures`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from itertools import pairwise
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
class ValueCount:
    """One value recorded, and how often."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class ExpectedMiss:
    """An item with an ``expect``: how often its recorded value missed it.

    ``recorded``: marks holding a value; ``missed``: those that were deviations (explained by a
    reason or routed by the flow); ``values``: the commonest values that missed.
    """

    process_id: str
    node: str
    item: int
    text: str
    expect: str
    recorded: int
    missed: int
    share: float | None
    values: tuple[ValueCount, ...] = ()


@dataclass(frozen=True, slots=True)
class SuggestionCount:
    """A decision that suggests: its choices with a basis, how many followed the suggestion,
    how many overrode it (with a reason), how many the process took by itself."""

    process_id: str
    node: str
    question: str
    choices: int
    suggested: int
    confirmed: int
    overridden: int
    automatic: int


@dataclass(frozen=True, slots=True)
class InactiveCount:
    """An item switched off by its ``when``: how often (not done, not not-applicable)."""

    process_id: str
    node: str
    item: int
    text: str
    when: str | None
    count: int


@dataclass(frozen=True, slots=True)
class NodeCount:
    """A node (a step, a decision or an interrupt) and how often something happened there."""

    node: str
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class InterruptFigure:
    """An interrupt of a process: how often it started, in how many runs, how it ended
    (``returned``, or ``led_away`` to another node), the median of its finished episodes'
    active time, and the nodes it interrupted, commonest first."""

    process_id: str
    interrupt: str
    title: str
    priority: str | None
    count: int
    runs: int
    returned: int
    led_away: int
    median_ms: float | None
    at: tuple[NodeCount, ...] = ()


@dataclass(frozen=True, slots=True)
class DeferralFigure:
    """An item deferred in some runs: how often, how many are still open, its commonest
    reasons, and the steps it was done at."""

    process_id: str
    node: str
    item: int
    text: str
    count: int
    open: int
    reasons: tuple[ReasonCount, ...] = ()
    done_at: tuple[NodeCount, ...] = ()


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
    deviations: tuple[ExpectedMiss, ...] = ()
    suggestions: tuple[SuggestionCount, ...] = ()
    inactive: tuple[InactiveCount, ...] = ()
    interrupts: tuple[InterruptFigure, ...] = ()
    deferrals: tuple[DeferralFigure, ...] = ()

    @property
    def finished(self) -> int:
        """Completed plus aborted runs."""
        return self.completed + self.aborted

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (tuples become lists)."""
        return asdict(self)


EdgeKey = tuple[str, str, str]
"""``(source node, target node, label)``: the option label at a decision, ``""`` after a step."""


@dataclass(frozen=True, slots=True)
class MapFigures:
    """What the journal says about one process's map (practice runs left out)."""

    runs: int = 0
    """Runs counted."""
    node_visits: Mapping[str, int] = field(default_factory=dict)
    """Node id -> visits (a loop's second visit counts again)."""
    edge_counts: Mapping[EdgeKey, int] = field(default_factory=dict)
    """Edge -> times taken."""
    median_seconds: Mapping[str, float] = field(default_factory=dict)
    """Step id -> median seconds of its completed visits."""
    commonest_path: tuple[str, ...] = ()
    """The node ids of the path most runs took, start to end (empty when no run)."""
    departures: Mapping[str, int] = field(init=False, repr=False, compare=False)
    """Node id -> moves that left it (the sum of its edges' counts), computed once."""
    commonest_moves: frozenset[tuple[str, str]] = field(init=False, repr=False, compare=False)
    """The consecutive ``(source, target)`` pairs of the commonest path, computed once."""
    commonest_nodes: frozenset[str] = field(init=False, repr=False, compare=False)
    """The node ids of the commonest path, computed once."""

    def __post_init__(self) -> None:
        left: dict[str, int] = {}
        for (source, _, _), count in self.edge_counts.items():
            left[source] = left.get(source, 0) + count
        object.__setattr__(self, "departures", left)
        object.__setattr__(self, "commonest_moves", frozenset(pairwise(self.commonest_path)))
        object.__setattr__(self, "commonest_nodes", frozenset(self.commonest_path))

    def edge_share(self, key: EdgeKey) -> float | None:
        """The share of the source node's departures that took this edge (None if never left)."""
        left = self.departures.get(key[0], 0)
        if not left:
            return None
        return self.edge_counts.get(key, 0) / left

    def reached(self, node_id: str) -> bool:
        """Whether any counted run reached the node."""
        return self.node_visits.get(node_id, 0) > 0

    def on_commonest_path(self, source: str, target: str) -> bool:
        """Whether ``source -> target`` is a consecutive pair of the commonest path."""
        return (source, target) in self.commonest_moves
