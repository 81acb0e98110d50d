"""The record of interrupts and deferred items in words, for the exports, ``show`` and the run
detail: each interrupt with when it started, what it interrupted (the node and the item
highlighted there), how long it took and how it ended; each deferred item with its reason,
where it was deferred, where it was to be done and where and when it was done (or "open").
Plain text: each face escapes it or shows it literally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from procedo.engine import Event, ItemMark, RunState, iso_from_ms
from procedo.model import RETURN, AfterChoice, ProcessDefinition, Step
from procedo.model.placeholders import fill
from procedo.render.durations import duration
from procedo.render.md_cells import md, table


def title_of(definition: ProcessDefinition, node: str | None) -> str:
    """The title of a node or an interrupt (a decision's question), or the id itself."""
    if not node:
        return ""
    found = definition.interrupts.get(node)
    if found is not None:
        return found.title
    try:
        shown = definition.node(node)
    except KeyError:
        return node
    return str(getattr(shown, "title", None) or getattr(shown, "question", None) or node)


def checklist(definition: ProcessDefinition, node: str | None) -> Step | None:
    """The checklist of a step or an interrupt (None for any other node). Read from the
    definition's own tables, not its cached ``checklists``: a copy made with ``model_copy``
    keeps the cache of the definition it was copied from."""
    found = definition.steps.get(node or "")
    if found is not None:
        return found
    interrupt = definition.interrupts.get(node or "")
    return interrupt.as_step() if interrupt is not None else None


def checklist_item(definition: ProcessDefinition, node: str | None, item: int | None) -> str:
    """The text of item ``item`` of a step's or an interrupt's checklist ("" when none)."""
    step = checklist(definition, node)
    if step is None or item is None or not 0 <= item < len(step.items):
        return "" if item is None else f"item {item + 1}"
    return step.items[item].text


def answer_label(definition: ProcessDefinition, interrupt: str | None, option: int | None) -> str:
    """The label of the answer to an interrupt's ``after`` question ("" when none)."""
    found = definition.interrupts.get(interrupt or "")
    after = found.after if found is not None else None
    if not isinstance(after, AfterChoice) or option is None:
        return ""
    return after.options[option].label if 0 <= option < len(after.options) else ""


def event_item_text(definition: ProcessDefinition, event: Event) -> str:
    """The item an event names, in words: for ``interrupt`` the item highlighted in the
    checklist it interrupted, for ``return`` the answer to the question, else the item of
    the event's own checklist."""
    if event.kind == "interrupt":
        return checklist_item(definition, event.value, event.item)
    if event.kind == "return":
        return answer_label(definition, event.node, event.item)
    return checklist_item(definition, event.node, event.item)


def event_words(
    definition: ProcessDefinition, event: Event, values: Mapping[str, str] | None = None
) -> str | None:
    """What an ``interrupt``, ``return`` or ``defer`` event did (None for other kinds);
    ``values`` fill the ``{id}`` placeholders of titles and item texts."""
    scope = values or {}

    def title_of(definition: ProcessDefinition, node: str | None) -> str:
        return fill(_title_of(definition, node), scope)

    def checklist_item(definition: ProcessDefinition, node: str | None, item: int | None) -> str:
        return fill(_checklist_item(definition, node, item), scope)

    title = title_of(definition, event.node)
    if event.kind == "interrupt":
        at = title_of(definition, event.value)
        if event.reason == "queued":
            return f"raised {title} at {at}: queued behind a higher or equal one"
        item = checklist_item(definition, event.value, event.item)
        return f"raised {title}, interrupting {at}" + (f" at {item}" if item else "")
    if event.kind == "return":
        answer = answer_label(definition, event.node, event.item)
        said = f" ({answer})" if answer else ""
        if event.value == RETURN:
            return f"finished {title}{said}: back where it interrupted"
        return f"finished {title}{said}: on to {title_of(definition, event.value)}"
    if event.kind == "defer":
        to = title_of(definition, event.value) if event.value else "a later step"
        return f"deferred {checklist_item(definition, event.node, event.item)} to {to}"
    return None


@dataclass(frozen=True, slots=True)
class InterruptEntry:
    """One interrupt that started: when, over what, for how long, and how it ended."""

    seq: int
    interrupt: str
    title: str
    priority: str
    queued_at: str | None
    started_at: str
    ended_at: str | None
    duration_ms: int | None
    interrupted_node: str | None
    interrupted_title: str
    interrupted_item: int | None
    """0-based, in the interrupted checklist (None: no item was highlighted)."""
    interrupted_item_text: str
    outcome: str | None
    """"returned", "after" (on to ``after``), "interrupted" (a higher one led away),
    "aborted", or None while open."""
    after: str | None
    answer: str
    ended: str
    """How it ended, in words."""
    return_seq: int | None
    """The ``return`` event that ended it (None while open, or when it was left otherwise)."""


@dataclass(frozen=True, slots=True)
class DeferralEntry:
    """One deferred item: where, why, where it is to be done, and where it was done."""

    seq: int
    node: str
    step_title: str
    item: int
    text: str
    reason: str
    by: str
    at: str
    defer_to: str | None
    to_title: str
    passed: bool
    done_node: str | None
    done_title: str
    done_at: str | None
    done_by: str | None
    value: str | None
    na_reason: str | None

    @property
    def open(self) -> bool:
        """Not done yet."""
        return self.done_node is None

    @property
    def where(self) -> str:
        """Where it is to be done, in words."""
        if self.defer_to is None or self.passed:
            passed = f" ({self.to_title} was passed)" if self.passed else ""
            return "at any later step" + passed
        return f"at {self.to_title}"

    @property
    def done(self) -> str:
        """Where and when it was done, in words ("open" until then)."""
        if self.done_node is None:
            return "open"
        how = f"recorded {self.value}" if self.value is not None else "ticked"
        if self.na_reason is not None:
            how = f"not applicable ({self.na_reason})"
        when = (self.done_at or "")[:19].replace("T", " ")
        return f"{how} at {self.done_title}, {when} by {self.done_by or ''}".strip()


def _ended(definition: ProcessDefinition, visit_outcome: str | None, after: str | None) -> str:
    if visit_outcome == "returned":
        return "returned"
    if visit_outcome == "after":
        return f"on to {title_of(definition, after)}"
    if visit_outcome == "interrupted":
        return f"left when a higher one led to {title_of(definition, after)}"
    if visit_outcome is None:
        return "open"
    return visit_outcome.replace("aborted", "the run was aborted")


def interrupt_entries(
    definition: ProcessDefinition, state: RunState, events: Sequence[Event]
) -> list[InterruptEntry]:
    """Every interrupt that started, in order (``events``: all of the run's, in order)."""
    entries = []
    queued: dict[str, str] = {}
    by_seq = {visit.entered_seq: visit for visit in state.visits if visit.kind == "interrupt"}
    for event in events:
        if event.kind != "interrupt" or event.node is None:
            continue
        if event.reason == "queued":
            queued[event.node] = event.ts
            continue
        visit = by_seq.get(event.seq)
        if visit is None:
            continue
        found = definition.interrupts.get(event.node)
        ending = next((e for e in events if e.seq > event.seq and e.kind == "return"
                       and e.node == event.node), None)  # fmt: skip
        if visit.outcome not in ("returned", "after"):
            ending = None
        answer = answer_label(definition, event.node, ending.item) if ending else ""
        entries.append(
            InterruptEntry(
                seq=event.seq,
                interrupt=event.node,
                title=title_of(definition, event.node),
                priority=found.priority if found is not None else "",
                queued_at=queued.pop(event.node, None),
                started_at=iso_from_ms(visit.entered_ms),
                ended_at=iso_from_ms(visit.left_ms) if visit.left_ms is not None else None,
                duration_ms=visit.duration_ms,
                interrupted_node=event.value,
                interrupted_title=title_of(definition, event.value),
                interrupted_item=event.item,
                interrupted_item_text=checklist_item(definition, event.value, event.item),
                outcome=visit.outcome,
                after=visit.next_node,
                answer=answer,
                ended=_ended(definition, visit.outcome, visit.next_node),
                return_seq=ending.seq if ending is not None else None,
            )
        )
    return entries


def deferral_entries(definition: ProcessDefinition, state: RunState) -> list[DeferralEntry]:
    """Every deferred item of the run, in the order deferred."""
    entries = []
    for d in state.deferrals:
        mark = d.mark if d.done_visit is not None else None
        done = state.visits[d.done_visit] if d.done_visit is not None else None
        entries.append(
            DeferralEntry(
                seq=d.seq,
                node=d.node,
                step_title=title_of(definition, d.node),
                item=d.item,
                text=checklist_item(definition, d.node, d.item),
                reason=d.reason,
                by=d.by,
                at=d.at,
                defer_to=d.to,
                to_title=title_of(definition, d.to),
                passed=d.passed,
                done_node=done.node if done is not None else None,
                done_title=title_of(definition, done.node) if done is not None else "",
                done_at=mark.at if mark is not None else None,
                done_by=mark.by if mark is not None else None,
                value=mark.value if mark is not None else None,
                na_reason=mark.na_reason if mark is not None else None,
            )
        )
    return entries


def marked_items(state: RunState) -> list[tuple[int, str, int, ItemMark]]:
    """Every item mark of the run as ``(visit, node, item, mark)``: each visit's own, then
    beside the visit they were done in, the deferred items done there (node and item: their
    own step's)."""
    found: list[tuple[int, str, int, ItemMark]] = []
    done_in: dict[int, list[tuple[str, int, ItemMark]]] = {}
    for d in state.deferrals:
        if d.done_visit is not None and d.mark is not None:
            done_in.setdefault(d.done_visit, []).append((d.node, d.item, d.mark))
    for visit in state.visits:
        found += [(visit.index, visit.node, i, mark) for i, mark in sorted(visit.items.items())]
        found += [(visit.index, node, i, mark) for node, i, mark in done_in.get(visit.index, [])]
    return found


def _when(iso: str | None) -> str:
    return iso[:19].replace("T", " ") if iso else ""


def interrupts_markdown(
    definition: ProcessDefinition, state: RunState, events: Sequence[Event]
) -> list[str]:
    """The "Interrupts" and "Deferred items" sections (nothing when the run has neither)."""
    interrupts = interrupt_entries(definition, state, events)
    deferrals = deferral_entries(definition, state)
    lines: list[str] = []
    if interrupts:
        lines += ["## Interrupts", ""]
        rows = [
            [
                md(e.title),
                md(e.priority),
                _when(e.started_at),
                md(e.interrupted_title),
                md(e.interrupted_item_text),
                duration(e.duration_ms) if e.duration_ms is not None else "",
                md(e.ended + (f" ({e.answer})" if e.answer else "")),
            ]
            for e in interrupts
        ]
        headers = ["Interrupt", "Priority", "Started (UTC)", "Interrupted", "At item", "Took"]
        lines += table([*headers, "Ended"], rows)
    if deferrals:
        lines += ["## Deferred items", ""]
        rows = [
            [md(d.step_title), str(d.item + 1), md(d.text), md(d.reason), md(d.by),
             _when(d.at), md(d.where), md(d.done)]
            for d in deferrals
        ]  # fmt: skip
        headers = ["Step", "#", "Item", "Reason", "By", "Deferred (UTC)", "To be done", "Done"]
        lines += table(headers, rows)
    return lines


def interrupts_dict(
    definition: ProcessDefinition, state: RunState, events: Sequence[Event]
) -> dict[str, list[dict[str, Any]]]:
    """The JSON of the interrupts and deferred items (items numbered from 1 beside the
    0-based index, as the rest of the export)."""
    interrupts = []
    for e in interrupt_entries(definition, state, events):
        entry = asdict(e)
        item = e.interrupted_item
        entry["interrupted_item_index"] = item
        entry["interrupted_item"] = None if item is None else item + 1
        interrupts.append(entry)
    deferrals = []
    for d in deferral_entries(definition, state):
        entry = {**asdict(d), "item": d.item + 1, "item_index": d.item, "open": d.open}
        deferrals.append({**entry, "where": d.where, "done": d.done})
    return {"interrupts": interrupts, "deferrals": deferrals}


def interrupt_lines(
    definition: ProcessDefinition, state: RunState, events: Sequence[Event]
) -> list[str]:
    """One line per interrupt and per deferred item, for ``procedo show`` (plain text)."""
    lines = []
    for e in interrupt_entries(definition, state, events):
        item = e.interrupted_item_text
        at = e.interrupted_title + (f" at {item}" if item else "")
        took = f", {duration(e.duration_ms)}" if e.duration_ms is not None else ""
        answer = f" ({e.answer})" if e.answer else ""
        lines.append(
            f"interrupt {e.title} ({e.priority}) {_when(e.started_at)} over {at}{took}: "
            f"{e.ended}{answer}"
        )
    for d in deferral_entries(definition, state):
        lines.append(
            f"deferred  {d.text} (from {d.step_title}, {_when(d.at)}, because {d.reason}), "
            f"to be done {d.where}: {d.done}"
        )
    return lines


_title_of = title_of
_checklist_item = checklist_item
