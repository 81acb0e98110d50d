"""What a run did at one node: its visits, the marks of their items, its notes and what a
decision's conditions said (the data the fold builds; :mod:`procedo.engine.state` holds them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from procedo.engine.signatures import Given


@dataclass(slots=True)
class ItemMark:
    """What has been done to one checklist item during one visit."""

    checked: bool = False
    value: str | None = None
    na_reason: str | None = None
    by: str | None = None
    at: str | None = None
    deviation: bool = False
    """The value misses its item's ``expect`` (journaled when explained or at completion)."""
    deviation_reason: str | None = None
    """Why the deviation is accepted (None: not explained, or routed by the flow)."""
    inactive: bool = False
    """The item's ``when`` was false when its step was completed: switched off."""
    deferred: bool = False
    """Deferred to later (see ``state.Deferral``): settled for its step, open for the run."""
    overridden: Given | None = None
    """A critical item passed without being done: the override's signature and reason."""

    @property
    def done(self) -> bool:
        """Ticked, recorded, marked not applicable or overridden (an inactive item is never
        open)."""
        return (
            self.checked
            or self.na_reason is not None
            or self.inactive
            or self.overridden is not None
        )


@dataclass(frozen=True, slots=True)
class Note:
    """A note on the run, on a node visit, or on one item."""

    seq: int
    ts: str
    actor: str
    text: str
    node: str | None = None
    item: int | None = None
    visit: int | None = None


@dataclass(frozen=True, slots=True)
class Basis:
    """What a decision's conditions said when it was taken (from a ``basis`` event).

    ``suggested``: the option suggested (None when none held and there is no default);
    ``values``: the recorded values the conditions read, as journal text by id.
    """

    suggested: int | None
    values: dict[str, str]
    timed_out: str | None = None
    """When the suggestion came from the decision's ``timeout``: the reason said (the
    ``basis`` event's reason)."""


@dataclass(slots=True)
class Visit:
    """One visit of a node; a loop makes a fresh visit with fresh ticks."""

    index: int
    node: str
    kind: str
    entered_seq: int
    entered_ms: int
    branch: str = ""
    """The branch the visit is on ("" for the run's main line, see ``state.Position``)."""
    left_ms: int | None = None
    paused_ms: int = 0
    outcome: str | None = None
    choice: int | None = None
    next_node: str | None = None
    items: dict[int, ItemMark] = field(default_factory=dict)
    basis: Basis | None = None
    chosen_by: str | None = None
    """At a decision: "operator" or "process" (an automatic choice)."""
    override_reason: str | None = None
    """At a decision: why the operator chose another option than the suggestion."""
    child_run: str | None = None
    """At a calling step: the run of the called process (once called)."""
    child_outcome: str | None = None
    """At a calling step: how the called run ended ("success", "failure" or "aborted")."""
    interrupted_ms: int = 0
    """Time spent in interrupts while at this visit (also counted in ``paused_ms``)."""
    signatures: dict[int, Given] = field(default_factory=dict)
    """The sign-offs given, by index in the node's ``signoff`` (replaced, never changed in
    place: a working copy shares it)."""
    withdrawn: frozenset[int] = frozenset()
    """The sign-offs given and then withdrawn by a change to the items (until given again)."""
    acted_by: frozenset[str] = frozenset()
    """The actors of the events made while the run was at this visit (trimmed, case folded)."""

    def mark(self, item: int) -> ItemMark:
        """The mark of an item (a blank one when nothing was done yet)."""
        return self.items.get(item) or ItemMark()

    @property
    def duration_ms(self) -> int | None:
        """Active time spent in this visit, once left."""
        if self.left_ms is None:
            return None
        return max(0, self.left_ms - self.entered_ms - self.paused_ms)
