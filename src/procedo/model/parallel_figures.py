"""The figures of parallel blocks and calling steps (issue 14), as plain frozen records:
:mod:`procedo.journal.parallel_metrics` computes them, ``procedo stats`` and the metrics
screen draw them (in the words of :mod:`procedo.render.parallel_text`). Durations in ms."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class BranchFigure:
    """One branch of a block: how long it takes from the split to its arrival at the join,
    and how often it is the last to arrive (the critical path)."""

    number: int
    node: str
    title: str
    median_ms: float | None
    last: int
    last_share: float | None


@dataclass(frozen=True, slots=True)
class BlockFigure:
    """One parallel block of a process, over the runs in which every branch arrived at its
    join (``runs`` counts block passes: a loop through the block counts each pass)."""

    process_id: str
    block: str
    title: str
    join: str
    join_title: str
    runs: int
    branches: tuple[BranchFigure, ...]
    median_wait_ms: float | None
    """The wait at the join: the last arrival minus the first."""


@dataclass(frozen=True, slots=True)
class CallFigure:
    """A calling step: its step time (which spans the called run) beside the called
    process's own success rate."""

    process_id: str
    step: str
    title: str
    called: str
    called_title: str
    visits: int
    median_ms: float | None
    """Of the step's completed visits: its own items and the whole called run."""
    called_runs: int
    """The runs this step called (in scope)."""
    called_finished: int
    called_succeeded: int
    called_success_rate: float | None
    """Of the called process's own finished runs (called from anywhere, or started alone)."""


@dataclass(frozen=True, slots=True)
class ParallelFigures:
    """The parallel blocks and calling steps of a scope (a process, or all)."""

    blocks: tuple[BlockFigure, ...] = ()
    calls: tuple[CallFigure, ...] = ()

    def calling_steps(self) -> set[tuple[str, str]]:
        """``(process id, step)`` of every calling step, to label their step times."""
        return {(c.process_id, c.step) for c in self.calls}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (tuples become lists)."""
        return asdict(self)
