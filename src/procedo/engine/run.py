"""A run of one process: operations that validate, emit events and advance the state.

Every operation checks the current state first and raises :class:`Refused` with a message for
the operator when it does not apply; nothing is written then. When it applies, the events are
handed to the sink (the journal), and only once the sink has made them durable does the run
adopt the new state. No SQL and no UI here.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping

from procedo.engine import allowed as rules
from procedo.engine import clock_rules, item_drafts, judge
from procedo.engine.choosing import choose_drafts
from procedo.engine.cleaning import (
    clean_name,
    clean_text,
    optional_reason,
)
from procedo.engine.completing import complete_drafts, return_drafts
from procedo.engine.drafts import Draft, call_end_draft
from procedo.engine.emit import emit
from procedo.engine.errors import Refused
from procedo.engine.events import Event, now_ms
from procedo.engine.interrupting import defer_draft, interrupt_draft
from procedo.engine.lines import Line, lines
from procedo.engine.signatures import missing_refusal
from procedo.engine.signing import SignOffStatus, override_draft, sign_draft, signoff_statuses
from procedo.engine.sinks import EventSink
from procedo.engine.starting import start_drafts
from procedo.engine.state import ACTIVE, PAUSED, RunState
from procedo.model import ProcessDefinition, Step
from procedo.model.signature import SignerIdentity


class Run:
    """One operator's run of one process definition."""

    def __init__(
        self,
        definition: ProcessDefinition,
        state: RunState,
        sink: EventSink,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        self.definition = definition
        self._state = state
        self.sink = sink
        self.clock = clock

    # -- creation -------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        definition: ProcessDefinition,
        definition_hash: str,
        sink: EventSink,
        operator: str,
        trigger: str | None = None,
        *,
        practice: bool = False,
        run_id: str | None = None,
        clock: Callable[[], int] = now_ms,
        inputs: Mapping[str, str] | None = None,
        parent: tuple[str, str] | None = None,
    ) -> Run:
        """Start a new run (the start event and the inputs are committed before this returns).

        ``inputs``: the raw text of every start input of the definition, by id. ``parent``:
        the run and calling step that call this one (journaled as ``called_by``).
        """
        drafts = start_drafts(
            definition,
            clean_name(operator),
            trigger,
            practice=practice,
            inputs=inputs or {},
            parent=parent,
        )
        state = RunState.blank(
            run_id or str(uuid.uuid4()), definition.id, definition.version, definition_hash
        )
        run = cls(definition, state, sink, clock)
        run._emit(*drafts)
        return run

    # -- reading --------------------------------------------------------------------------

    @property
    def state(self) -> RunState:
        """The current state (do not modify it)."""
        return self._state

    @property
    def run_id(self) -> str:
        """The run's id."""
        return self._state.run_id

    @property
    def current_step(self) -> Step | None:
        """The current checklist, when the run is at a step (or in an interrupt: its
        checklist as a step)."""
        node = self._state.current_node
        return self.definition.checklists.get(node) if node else None

    def lines(self) -> list[Line]:
        """The current checklist's lines: its own items, then the deferred items back here."""
        return lines(self.definition, self._state)

    def open_items(self) -> list[int]:
        """Indices of the current step's items still to do (switched-off items are not)."""
        return rules.open_items(self.definition, self._state)

    def item_checks(self) -> list[judge.ItemCheck]:
        """What the conditions say of each line of :meth:`lines`: the current step's items,
        then the deferred items back here, checked against their ``expect`` as at their own
        step (empty at a decision or an end)."""
        return judge.check_lines(self.definition, self._state)

    def suggestion(self) -> judge.Suggestion | None:
        """The current decision's suggestion: its conditions', else its timeout's once reached
        (``clock_rules.suggestion``); None elsewhere, or when nothing is suggested."""
        decision = self.definition.decisions.get(self._state.current_node or "")
        if decision is None or decision.timeout is None:  # the clock is read only when it tells
            return judge.current_suggestion(self.definition, self._state)
        return clock_rules.suggestion(self.definition, self._state, self.clock())

    def scope(self) -> dict[str, str]:
        """The named values the run holds now (journal text by id), for placeholders."""
        return judge.scope_texts(self.definition, self._state)

    def previous_values(self) -> dict[int, str]:
        """On a repeated visit of the step, the last visit's values by item."""
        return judge.previous_values(self.definition, self._state)

    def allowed(self, item: int | None = None) -> rules.Allowed:
        """What each action may do now, with the reason when not (item actions: on ``item``;
        the toggle waits while the item's ``wait_minutes`` runs)."""
        verdicts = rules.allowed(self.definition, self._state, item)
        waiting = self._wait_refusal(item)
        if waiting and verdicts.toggle.ok:
            return dataclasses.replace(verdicts, toggle=rules.Verdict(True, waiting))
        return verdicts

    def toggle(self, item: int | None) -> rules.Toggle:
        """What the toggle key does on ``item``: tick, record, choose or nothing (and why)."""
        toggle = rules.toggle(self.definition, self._state, item)
        waiting = self._wait_refusal(item) if toggle.does != "nothing" else ""
        return rules.Toggle("nothing", waiting, "waiting") if waiting else toggle

    def reminders_due(self) -> list[clock_rules.DueReminder]:
        """The reminders due now and not acknowledged (``clock_rules.reminders_due``)."""
        return clock_rules.reminders_due(self.definition, self._state, self.clock())

    # -- operations -----------------------------------------------------------------------

    def check(self, item: int) -> None:
        """Tick a plain item (``item``: a line of :meth:`lines`); refused during its wait."""
        draft = item_drafts.check(self.definition, self._state, item)
        self._refuse_during_wait(item)
        self._emit(draft)

    def uncheck(self, item: int) -> None:
        """Clear a tick, a recorded value, a not-applicable mark or a deferral."""
        self._emit(item_drafts.uncheck(self.definition, self._state, item))

    def record(self, item: int, raw: str) -> str:
        """Record a value for a record item (this ticks it); returns the stored text."""
        draft = item_drafts.record(self.definition, self._state, item, raw)
        self._refuse_during_wait(item)
        self._emit(draft)
        return draft.value or ""

    def mark_not_applicable(self, item: int, reason: str) -> None:
        """Mark an item not applicable, with a reason (refused for critical items)."""
        self._emit(item_drafts.not_applicable(self.definition, self._state, item, reason))

    def note(self, text: str, *, on: str = "run", item: int | None = None) -> None:
        """Add a note to the run (``on="run"``), the current node (``"node"``) or an item."""
        self._require_status(ACTIVE, PAUSED)
        body = clean_text(text, "note", multiline=True)
        if on == "run":
            self._emit(Draft("note", value=body))
        elif on == "node":
            self._emit(Draft("note", self._state.current_node, value=body))
        elif on == "item" and item is not None:
            line = self._item(item, statuses=(ACTIVE, PAUSED))
            self._emit(Draft("note", line.node, line.index, value=body))
        else:
            raise Refused("a note goes on the run, the current node, or one item")

    def complete(self) -> None:
        """Complete the current step and move to its ``next`` node."""
        self._require_status(ACTIVE)
        self._require_role_accepted()
        step = self.current_step
        visit = self._state.current
        if step is None or visit is None:
            raise Refused("only a step can be completed; at a decision, choose an option")
        if visit.kind == "interrupt":
            self.return_from_interrupt(None)
            return
        self._emit(*complete_drafts(self.definition, self._state, step, visit))

    def explain(self, item: int, reason: str) -> None:
        """Accept a value that misses its item's ``expect``, with the reason (journaled)."""
        line = self._item(item)
        refusal = rules.explain_refusal(self.definition, self._state, item)
        if refusal:
            raise Refused(refusal)
        why = clean_text(reason, "reason")
        self._emit(Draft("deviation", line.node, line.index, value=line.mark.value, reason=why))

    def choose(self, option: int, reason: str | None = None) -> None:
        """Choose an option (0-based) at the current decision.

        Choosing another option than the suggested one needs ``reason`` (an override); the
        values the conditions read are journaled with the choice.
        """
        self._require_status(ACTIVE)
        self._require_role_accepted()
        if self._state.frame is not None:  # the answer to the open interrupt's question
            self.return_from_interrupt(option)
            return
        refusal = missing_refusal(self.definition, self._state)
        if refusal:
            raise Refused(refusal)
        self._emit(*choose_drafts(self.definition, self._state, option, reason, self.suggestion()))

    def back(self) -> None:
        """Return to the previous node; what was done here stays in the record."""
        self._require_status(ACTIVE)
        refusal = rules.call_refusal(self.definition, self._state) or rules.back_refusal(
            self._state
        )
        if refusal:
            raise Refused(refusal)
        previous = self._state.visits[self._state.path[-2]].node
        self._emit(Draft("back", self._state.current_node, value=previous))

    def accept_role(self) -> None:
        """At a hand-over point, the current operator acts as the role that is next."""
        self._require_status(ACTIVE)
        role = self._state.awaiting_role
        if role is None:
            raise Refused("no hand-over is waiting: the run goes on with its operator")
        self._emit(Draft("accept_role", self._state.current_node, value=role))

    def hand_over(self, operator: str, reason: str | None = None) -> None:
        """Hand the run to another operator; later events carry the new name.

        At a hand-over point this also answers it: the new operator acts as the next role.
        """
        self._require_status(ACTIVE, PAUSED)
        name = self.hand_over_name(operator)
        self._emit(Draft("handover", value=name, reason=optional_reason(reason)))

    def hand_over_name(self, operator: str) -> str:
        """The name the run would be handed over to, cleaned; :class:`Refused` if it has it."""
        name = clean_name(operator)
        if name == self._state.operator:
            if self._state.awaiting_role is not None:
                raise Refused(f"{name} already has this run: act as the next role instead")
            raise Refused(f"{name} already has this run")
        return name

    def take_over(self, operator: str, reason: str | None = None) -> None:
        """Record that another session (and operator) takes the run over."""
        self._require_status(ACTIVE, PAUSED)
        why = optional_reason(reason)
        self._emit(Draft("takeover", reason=why, actor=clean_name(operator)))

    def pause(self, reason: str | None = None) -> None:
        """Leave the run paused and resumable."""
        self._require_status(ACTIVE)
        self._emit(Draft("pause", reason=optional_reason(reason)))

    def resume(self) -> None:
        """Resume a paused run."""
        self._require_status(PAUSED)
        self._emit(Draft("resume"))

    def abort(self, reason: str) -> None:
        """Abandon the run, with a reason."""
        self._require_status(ACTIVE, PAUSED)
        self._emit(Draft("abort", self._state.current_node, reason=clean_text(reason, "reason")))

    def raise_interrupt(self, interrupt: str, item: int | None = None) -> None:
        """Raise a non-normal checklist (``item``: the line highlighted where it interrupts);
        it waits in the queue while one of equal or higher priority is open."""
        self._emit(interrupt_draft(self.definition, self._state, interrupt, item))

    def return_from_interrupt(self, option: int | None = None) -> None:
        """Finish the open interrupt: back to the exact node and item, or on to its ``after``
        node (``option``: the answer to its question, when it asks one)."""
        self._require_status(ACTIVE)
        self._require_role_accepted()
        self._emit(*return_drafts(self.definition, self._state, option))

    def defer(self, item: int, reason: str) -> None:
        """Defer ``item`` of the current step with a reason: it comes back at its
        ``defer_to`` step (or at every later step) and the step may complete without it."""
        self._require_status(ACTIVE)
        self._require_role_accepted()
        self._emit(defer_draft(self.definition, self._state, item, reason))

    def acknowledge_reminder(self, where: str, number: int) -> None:
        """Acknowledge the due reminder ``number`` of ``where`` (a step id, or "" for the
        process's): journaled as ``remind_ack``; it acknowledges the earlier intervals too."""
        self._require_status(ACTIVE, PAUSED)
        due = next((d for d in self.reminders_due() if d.where == where), None)
        if due is None or not 1 <= number <= due.number:
            raise Refused("that reminder is not due: there is nothing to acknowledge")
        self._emit(Draft("remind_ack", where or None, number, value=due.text))

    def sign(self, index: int, signer: SignerIdentity) -> None:
        """Give sign-off ``index`` (0-based) of the current node as ``signer`` (who has proved
        who they are); ``SignerRefused`` when the signer may not give it."""
        self._emit(sign_draft(self.definition, self._state, index, signer))

    def override(self, item: int, reason: str, signer: SignerIdentity) -> None:
        """Pass critical item ``item`` (a line of :meth:`lines`) without it being done, with
        ``reason`` and the signature of ``signer`` (in the item's ``override`` role)."""
        self._emit(override_draft(self.definition, self._state, item, reason, signer))

    def signoffs(self) -> list[SignOffStatus]:
        """The sign-offs of the current node: each given or not, and whether it can be now."""
        return signoff_statuses(self.definition, self._state)

    def switch(self, branch: str) -> None:
        """Work on another open branch of a parallel block (a view: nothing is journaled)."""
        if self._state.frames:
            raise Refused("a non-normal checklist is open: finish it first")
        if branch not in {p.branch for p in self._state.open_positions()}:
            raise Refused("that branch is not open: choose one of the open branches")
        self._state = dataclasses.replace(self._state, focus=branch)

    def open_call(self) -> tuple[str, str, str] | None:
        """The open call of the step in focus: (child run id, called process id, step id)."""
        visit = self._state.current
        step = self.current_step
        if visit is None or step is None or step.call is None:
            return None
        if visit.child_run is None or visit.child_outcome is not None:
            return None
        return visit.child_run, step.call, visit.node

    def end_call(self, child: RunState) -> None:
        """Go on once the called run ``child`` has ended: at the node its end leads to (or,
        when it was aborted, stay at the step, which can call again)."""
        self._require_status(ACTIVE)
        self._emit(call_end_draft(self.definition, self._state, child))

    # -- internals ------------------------------------------------------------------------

    def _require_status(self, *allowed: str) -> None:
        refusal = rules.status_refusal(self._state, *allowed)
        if refusal:
            raise Refused(refusal)

    def _require_role_accepted(self) -> None:
        """Refuse work at a hand-over point until someone acts as the next role."""
        refusal = rules.role_refusal(self.definition, self._state)
        if refusal:
            raise Refused(refusal)

    def _wait_refusal(self, item: int | None) -> str:
        step = self.current_step
        if item is None or step is None or not 0 <= item < len(step.items):
            return ""
        if step.items[item].wait_minutes is None:  # the clock is read only when it tells
            return ""
        return clock_rules.wait_refusal(self.definition, self._state, item, self.clock())

    def _refuse_during_wait(self, item: int) -> None:
        refusal = self._wait_refusal(item)
        if refusal:
            raise Refused(refusal)

    def _item(self, item: int, statuses: tuple[str, ...] = (ACTIVE,)) -> Line:
        return item_drafts.line_for(self.definition, self._state, item, statuses)

    def _emit(self, *drafts: Draft) -> list[Event]:
        state, events, touched = emit(self.definition, self._state, self.clock, drafts)
        self.sink.commit(events, state, frozenset(touched))
        self._state = state
        return events
