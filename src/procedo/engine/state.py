"""The state of a run: what folding its events over its definition has built (the data).

``RunState`` is never changed except by :func:`procedo.engine.fold.apply_event`; the engine
applies an event to a copy and keeps the copy only after the journal has made it durable.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from procedo.engine.events import chain_seed
from procedo.engine.stints import Stint
from procedo.engine.visits import Basis as Basis  # re-exported: the fold imports it here
from procedo.engine.visits import ItemMark, Note, Visit

if TYPE_CHECKING:
    from procedo.model import ProcessDefinition

ACTIVE, PAUSED, COMPLETED, ABORTED = "active", "paused", "completed", "aborted"
STATUSES = (ACTIVE, PAUSED, COMPLETED, ABORTED)


OPEN, SPLIT, ARRIVED = "open", "split", "arrived"


@dataclass(slots=True)
class Position:
    """Where one line of work of a run is: the main line (``branch == ""``) or one branch of a
    parallel block, with its own path (for *back*) and its own hand-over point.

    A branch key names the blocks it is in, outermost first: ``"prepare:2"`` is the second
    branch of block ``prepare``; ``"prepare:2/checks:1"`` the first branch of block ``checks``
    inside it. ``status``: ``open`` (work goes on here), ``split`` (waiting for its branches
    to join) or ``arrived`` (at the join, waiting for its sibling branches).
    """

    branch: str
    path: list[int] = field(default_factory=list)
    status: str = OPEN
    acting_role: str | None = None
    awaiting_role: str | None = None
    stint: int | None = None
    """The index of the position's open stint in :attr:`RunState.stints`."""
    block: str | None = None
    """For a branch: the parallel block it belongs to."""
    arrived_ms: int | None = None
    """For a branch at its join: when it arrived."""

    def copy(self) -> Position:
        """A copy whose path may change."""
        return dataclasses.replace(self, path=list(self.path))


FRAME_PREFIX = "!"
"""The branch key of an open interrupt is this prefix and the interrupt's id."""


def frame_key(interrupt: str) -> str:
    """The branch key the events inside interrupt ``interrupt`` name."""
    return FRAME_PREFIX + interrupt


@dataclass(slots=True)
class Frame:
    """An open interrupt: its own position (the checklist's visit) and where it returns to.

    ``returns_to`` is the visit it interrupted (a step, a decision, or the checklist of a
    lower interrupt), ``item`` the item highlighted there.
    """

    interrupt: str
    position: Position
    seq: int
    started_ms: int
    returns_to: int
    item: int | None = None
    paused_ms: int = 0
    nested_ms: int = 0
    """Time in interrupts opened above this one (not counted to this one)."""

    @property
    def key(self) -> str:
        """The branch key of its events."""
        return self.position.branch

    @property
    def visit(self) -> int:
        """The index of its checklist's visit."""
        return self.position.path[-1]


@dataclass(frozen=True, slots=True)
class Queued:
    """An interrupt raised while one of equal or higher priority was open: it waits."""

    interrupt: str
    seq: int
    ts: str
    actor: str


@dataclass(slots=True)
class Deferral:
    """A deferred item: where it was deferred, why, where it comes back, and once done, its
    mark and the visit it was done in."""

    seq: int
    node: str
    item: int
    visit: int
    reason: str
    to: str | None
    by: str
    at: str
    branch: str = ""
    passed: bool = False
    """Its ``to`` step was left without doing it: it now follows the run to every step."""
    mark: ItemMark | None = None
    done_visit: int | None = None

    @property
    def open(self) -> bool:
        """True until it is done (ticked, recorded or marked not applicable) later."""
        return self.done_visit is None

    def shown_at(self, visit: Visit) -> bool:
        """Whether it comes back in ``visit``'s checklist (a later visit of a step)."""
        if visit.index <= self.visit or visit.kind != "step":
            return False
        if self.done_visit is not None:
            return self.done_visit == visit.index
        return self.to is None or self.passed or self.to == visit.node


def branch_key(parent: str, block: str, number: int) -> str:
    """The key of branch ``number`` (1-based) of ``block`` opened from position ``parent``."""
    own = f"{block}:{number}"
    return f"{parent}/{own}" if parent else own


def parent_key(branch: str) -> str:
    """The key of the position a branch was split from ("" for a top-level branch)."""
    return branch.rpartition("/")[0]


@dataclass(slots=True, weakref_slot=True)
class RunState:
    """Everything known about a run, derived from its events only."""

    run_id: str
    process_id: str
    process_version: str
    definition_hash: str
    operator: str = ""
    operators: list[str] = field(default_factory=list)
    trigger: str | None = None
    practice: bool = False
    status: str = ""
    started_ms: int | None = None
    ended_ms: int | None = None
    paused_ms: int = 0
    pause_started_ms: int | None = None
    end_node: str | None = None
    success: bool | None = None
    abort_reason: str | None = None
    visits: list[Visit] = field(default_factory=list)
    positions: dict[str, Position] = field(default_factory=lambda: {"": Position("")})
    """Every line of work by branch key: the main line, and the branches of open blocks."""
    focus: str = ""
    """The open position the operator works on: the branch of the last event about a node, or
    the one the operator switched to (a view, not a recorded fact)."""
    notes: list[Note] = field(default_factory=list)
    stints: list[Stint] = field(default_factory=list)
    last_seq: int = 0
    last_hash: str = ""
    last_ms: int = 0
    inputs: dict[str, str] = field(default_factory=dict)
    """The start inputs, as journal text by input id."""
    parent_run: str | None = None
    """The run whose calling step started this one (None for a run started by a person)."""
    parent_step: str | None = None
    """The calling step of :attr:`parent_run`."""
    frames: list[Frame] = field(default_factory=list)
    """The open interrupts, innermost last: the last one is worked on."""
    queue: list[Queued] = field(default_factory=list)
    """Interrupts waiting for one of equal or higher priority to end, in raising order."""
    deferrals: list[Deferral] = field(default_factory=list)
    """Every deferred item of the run, in the order deferred (done ones included)."""
    resume_at: tuple[int, int | None] | None = None
    """Just back from an interrupt: the visit and item it interrupted (a view hint)."""
    pauses: tuple[tuple[int, int], ...] = ()
    """Every pause ended so far, (from, to) in ms, in order (the one open: ``pause_started_ms``)."""
    reminders_acked: dict[int, int] = field(default_factory=dict)
    """The highest reminder number acknowledged, by visit index (-1: the process's reminder).
    Replaced, never changed in place (a working copy shares it)."""

    @classmethod
    def blank(
        cls, run_id: str, process_id: str, process_version: str, definition_hash: str
    ) -> RunState:
        """A run with no events yet."""
        return cls(
            run_id=run_id,
            process_id=process_id,
            process_version=process_version,
            definition_hash=definition_hash,
            last_hash=chain_seed(run_id, definition_hash),
        )

    @property
    def position(self) -> Position:
        """The position in focus: the innermost open interrupt's, else the branch in focus."""
        if self.frames:
            return self.frames[-1].position
        return self.positions.get(self.focus) or self.positions[""]

    @property
    def frame(self) -> Frame | None:
        """The open interrupt worked on (None outside interrupts)."""
        return self.frames[-1] if self.frames else None

    def open_deferrals(self) -> list[Deferral]:
        """The deferred items not done yet (of visits not undone with *back*)."""
        return [d for d in self.deferrals if d.open]

    def carried(self, visit: Visit | None = None) -> list[Deferral]:
        """The deferred items that come back in ``visit`` (the current one by default)."""
        visit = visit if visit is not None else self.current
        if visit is None:
            return []
        return [d for d in self.deferrals if d.shown_at(visit)]

    @property
    def path(self) -> list[int]:
        """The visits of the position in focus, from its start (a branch: from its first node)."""
        return self.position.path

    @property
    def acting_role(self) -> str | None:
        """The role the operator acts as, on the position in focus."""
        return self.position.acting_role

    @property
    def awaiting_role(self) -> str | None:
        """The role a hand-over point on the position in focus waits for (None: none)."""
        return self.position.awaiting_role

    @property
    def current(self) -> Visit | None:
        """The visit the position in focus is at (None before the start, or while it waits)."""
        position = self.position
        if position.status != OPEN or not position.path:
            return None
        return self.visits[position.path[-1]]

    def open_positions(self) -> list[Position]:
        """The positions where work goes on, in the order they were opened."""
        return [p for p in self.positions.values() if p.status == OPEN and p.path]

    @property
    def parallel(self) -> bool:
        """True while the run has more than one line of work (inside a parallel block)."""
        return len(self.positions) > 1

    def current_of(self, branch: str) -> Visit | None:
        """The visit an open position (or an open interrupt, by its key) is at."""
        position = self.positions.get(branch)
        if position is None:
            position = next((f.position for f in self.frames if f.key == branch), None)
        if position is None or position.status != OPEN or not position.path:
            return None
        return self.visits[position.path[-1]]

    @property
    def current_node(self) -> str | None:
        """The node the run is at."""
        visit = self.current
        return visit.node if visit else None

    @property
    def finished(self) -> bool:
        """True once the run is completed or aborted."""
        return self.status in (COMPLETED, ABORTED)

    def active_ms(self, now_ms: int) -> int:
        """Active (unpaused) time from the start to ``now_ms`` or to the end."""
        if self.started_ms is None:
            return 0
        until = self.ended_ms if self.ended_ms is not None else now_ms
        paused = self.paused_ms
        if self.pause_started_ms is not None and self.ended_ms is None:
            paused += max(0, now_ms - self.pause_started_ms)
        return max(0, until - self.started_ms - paused)

    @property
    def duration_ms(self) -> int | None:
        """Active time of a finished run."""
        return self.active_ms(0) if self.ended_ms is not None else None

    def path_nodes(self) -> list[str]:
        """The node ids from the start (of the branch in focus) to the current node."""
        return [self.visits[i].node for i in self.path]

    def live_visits(self) -> list[Visit]:
        """Every visit not undone with *back*, in the order entered (all branches)."""
        return [visit for visit in self.visits if visit.outcome != "back"]

    def calling_visit(self) -> Visit | None:
        """The visit of a calling step whose called run is still open, if any."""
        for position in self.open_positions():
            visit = self.visits[position.path[-1]]
            if visit.child_run is not None and visit.child_outcome is None:
                return visit
        return None

    def visited_nodes(self) -> list[str]:
        """Every node visited, in order, with repeats (loops and abandoned visits)."""
        return [visit.node for visit in self.visits]


def node_role(definition: ProcessDefinition, node: str | None) -> str | None:
    """The role that does a step or makes a decision (None for an end or a node without one)."""
    found = definition.steps.get(node or "") or definition.decisions.get(node or "")
    return found.role if found is not None else None
