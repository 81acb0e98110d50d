"""The live board's rows: every run in progress, as plain frozen records.

:func:`procedo.journal.board.board_rows` reads them from the journal; the board screen draws
them. A row holds the moments its times are worked out from (not the times themselves), so a
face can tick the elapsed times every second without reading the journal again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procedo.model.definition import ProcessDefinition


@dataclass(frozen=True, slots=True)
class Holder:
    """The window (procedo session) whose live lease drives a run."""

    host: str
    pid: int
    session: str
    """The first characters of the session's lease token (enough to tell two apart)."""
    operator: str
    since: str
    """When the lease was taken (ISO, UTC)."""
    here: bool = False
    """True when it is the very session that asked (this window)."""

    def describe(self, this_host: str = "", *, session: bool = True) -> str:
        """``pid 4242 on host-b · a1b2c3`` (the host left out when it is ``this_host``);
        without the session, ``4242@host-b`` or ``pid 4242`` (a narrow table)."""
        if self.here:
            return "this window"
        if not session:
            return f"pid {self.pid}" if self.host == this_host else f"{self.pid}@{self.host}"
        where = f"pid {self.pid}" + (f" on {self.host}" if self.host != this_host else "")
        return f"{where} · {self.session}"


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One active or paused run, as the board shows it."""

    run_id: str
    process_id: str
    process_title: str
    operator: str
    status: str
    """``active`` or ``paused``."""
    practice: bool
    node: str | None
    """The node the run is at (an open interrupt's id inside a non-normal checklist)."""
    node_title: str
    """Its title (start inputs filled into placeholders), ``! title`` for an interrupt."""
    role: str
    """The display name of the role that does that node ("" when it has none)."""
    started_ms: int
    paused_ms: int
    """Paused time of the run, pauses already over."""
    pause_started_ms: int | None
    """When the pause going on began (None while active)."""
    node_entered_ms: int | None
    """When the run arrived at its node (None when the journal does not say)."""
    node_paused_ms: int
    """Paused time since it arrived at its node, pauses already over."""
    target_ms: int | None
    """The run's target (the process's ``target_minutes``), if any."""
    last_activity: str
    """The time of the run's last event (ISO, UTC)."""
    holder: Holder | None
    """Who drives it; None for nobody (no lease, or its holder is gone)."""
    parent_run: str | None = None
    """The run whose calling step started this one, if any."""
    usual: object | None = None
    """What past runs took at this node (the figures' ``StepUsual``), when the board was
    given a way to ask; None otherwise."""
    read_ms: int = 0
    """When the row was read from the journal (a row kept from an earlier read keeps its
    time)."""
    last_seq: int = 0
    """The run's last event when it was read (a later read keeps a row whose run has none
    since)."""

    def _paused_since(self, since: int, now_ms: int) -> int:
        if self.pause_started_ms is None:
            return 0
        return max(0, now_ms - max(since, self.pause_started_ms))

    def elapsed_ms(self, now_ms: int) -> int:
        """The run's active time (pauses left out) at ``now_ms``."""
        paused = self.paused_ms + self._paused_since(self.started_ms, now_ms)
        return max(0, now_ms - self.started_ms - paused)

    def node_elapsed_ms(self, now_ms: int) -> int | None:
        """Active time at the current node at ``now_ms`` (None when unknown)."""
        if self.node_entered_ms is None:
            return None
        since = self.node_entered_ms
        paused = self.node_paused_ms + self._paused_since(since, now_ms)
        return max(0, now_ms - since - paused)

    def over_target(self, now_ms: int) -> bool:
        """Whether the run's active time is past its target."""
        return self.target_ms is not None and self.elapsed_ms(now_ms) > self.target_ms


def node_title(definition: ProcessDefinition, node: str) -> str:
    """A node's title or question, an interrupt's title marked ``!`` (as the maps and the home
    screen mark one), or the id of a node the definition lacks."""
    if node in definition.interrupts:
        return f"! {definition.interrupts[node].title}"
    try:
        found = definition.node(node)
    except KeyError:
        return node
    return getattr(found, "title", None) or getattr(found, "question", None) or node


def node_role(definition: ProcessDefinition, node: str) -> str:
    """The display name of the role that does a node or an interrupt ("" for none)."""
    found = (
        definition.steps.get(node)
        or definition.decisions.get(node)
        or definition.interrupts.get(node)
    )
    role = getattr(found, "role", None)
    return definition.role_name(role) if role else ""


__all__ = ["BoardRow", "Holder", "node_role", "node_title"]
