"""What the run screen says about non-normal checklists and deferred items, read from a run's
state only (pure: no widget, no journal): the banner over the checklist, the picker's rows,
a deferred item's mark, and the lines still open (deferred items that came back included)."""

from __future__ import annotations

from textual.content import Content

from procedo.engine import Run, RunState
from procedo.engine.allowed_interrupts import Raisable, deferral_where
from procedo.engine.state import Deferral, Frame
from procedo.model import RETURN, AfterChoice, Interrupt, ProcessDefinition
from procedo.model.placeholders import fill
from procedo.tui.text import line

Values = dict[str, str]

PRIORITY_WORDS = {"warning": "⚠ WARNING", "caution": "▲ CAUTION", "advisory": "ℹ ADVISORY"}
"""How each priority is named on screen (its colour comes from the .tcss by class)."""

PRIORITY_STYLES = {
    "warning": "bold $error",
    "caution": "bold $warning",
    "advisory": "bold $primary",
}
"""The priority's style inside a line of text (the picker, the summary)."""


def title_of(definition: ProcessDefinition, node: str, values: Values | None = None) -> str:
    """A node's title as the screen shows it: a step's or an interrupt's title, a decision's
    question, an end's title (the id when it is none of them)."""
    found = definition.checklists.get(node) or definition.interrupts.get(node)
    if found is None:
        try:
            found = definition.node(node)
        except KeyError:
            return node
    text = getattr(found, "title", None) or getattr(found, "question", None) or node
    return fill(str(text), values or {})


def flow_node(state: RunState) -> str | None:
    """The node of the normal flow the run is at, under every open interrupt."""
    if state.frames:
        return state.visits[state.frames[0].returns_to].node
    return state.current_node


def interrupted_here(
    definition: ProcessDefinition, state: RunState, frame: Frame, values: Values | None = None
) -> str:
    """What ``frame`` interrupted: ``Isolate the press, item 2`` (the item when one was
    highlighted there)."""
    node = state.visits[frame.returns_to].node
    said = title_of(definition, node, values)
    return f"{said}, item {frame.item + 1}" if frame.item is not None else said


def queued_titles(definition: ProcessDefinition, state: RunState) -> list[str]:
    """The queued interrupts' titles, in the order they will start (priority, then raised)."""
    ranked = sorted(state.queue, key=lambda q: (definition.interrupts[q.interrupt].rank, q.seq))
    return [definition.interrupts[q.interrupt].title for q in ranked]


def banner_priority(definition: ProcessDefinition, state: RunState) -> str | None:
    """The priority of the innermost open interrupt (None outside interrupts)."""
    frame = state.frame
    return definition.interrupts[frame.interrupt].priority if frame is not None else None


def banner_content(
    definition: ProcessDefinition, state: RunState, values: Values | None = None
) -> Content | None:
    """``NON-NORMAL · Fire alarm · interrupted: Oil leak, item 1``, then the interrupts it
    returns to below it and the queue; None when no interrupt is open or queued."""
    frame = state.frame
    queued = queued_titles(definition, state)
    if frame is None and not queued:
        return None
    parts: list[str | tuple[str, str]] = []
    if frame is not None:
        interrupt = definition.interrupts[frame.interrupt]
        parts += [
            (f"NON-NORMAL · {PRIORITY_WORDS[interrupt.priority]} · ", "bold"),
            (interrupt.title, "bold"),
            " · interrupted: ",
            interrupted_here(definition, state, frame, values),
        ]
        for lower in reversed(state.frames[:-1]):
            title = definition.interrupts[lower.interrupt].title
            parts += ["\nthen back to: ", (title, "bold"), " (interrupted: "]
            parts += [interrupted_here(definition, state, lower, values), ")"]
    if queued:
        parts += ["\n" if parts else "", ("queued: ", "bold"), ", ".join(queued)]
    return line(*parts)


def waits_behind(definition: ProcessDefinition, state: RunState, interrupt: str) -> str:
    """The title of the open interrupt that ``interrupt`` would queue behind ("" when none)."""
    rank = definition.interrupts[interrupt].rank
    for frame in reversed(state.frames):
        if definition.interrupts[frame.interrupt].rank <= rank:
            return definition.interrupts[frame.interrupt].title
    return ""


def after_text(definition: ProcessDefinition, interrupt: Interrupt) -> str:
    """What happens once it is done: back here, on to a node, or a question."""
    after = interrupt.after
    if isinstance(after, AfterChoice):
        return f"then asks: {after.question}"
    if after == RETURN:
        return "then back here"
    return f"then: {title_of(definition, after)}"


def picker_row(definition: ProcessDefinition, state: RunState, judged: Raisable) -> Content:
    """One interrupt in the ``!`` list: its priority and title, what follows it, and why it
    cannot be raised now or that it would queue."""
    interrupt = definition.interrupts[judged.interrupt]
    word = PRIORITY_WORDS[interrupt.priority]
    dim = bool(judged.reason)
    parts: list[str | tuple[str, str]] = [
        (f"{word:<11}", "$text-muted" if dim else PRIORITY_STYLES[interrupt.priority]),
        " ",
        (interrupt.title, "$text-muted" if dim else "bold"),
        (f"  {after_text(definition, interrupt)}", "$text-muted"),
    ]
    if judged.reason:
        parts.append((f"\n            cannot be raised: {judged.reason}", "italic $text-muted"))
    elif judged.queues:
        behind = waits_behind(definition, state, judged.interrupt)
        parts.append((f"\n            queued behind {behind}", "italic $warning"))
    return line(*parts)


def deferral_of(state: RunState, visit: int, item: int) -> Deferral | None:
    """The deferral of ``item`` deferred in visit ``visit`` (the latest one), if any."""
    found = [d for d in state.deferrals if d.visit == visit and d.item == item]
    return found[-1] if found else None


def deferred_mark(
    definition: ProcessDefinition, state: RunState, deferral: Deferral, values: Values | None = None
) -> str:
    """What a deferred own item says under it: ``deferred: <reason> · do it at 'Close out'``
    (or where it was done later); ``values`` fill the step titles' placeholders."""
    if deferral.done_visit is not None:
        done_at = title_of(definition, state.visits[deferral.done_visit].node, values)
        return f"deferred: {deferral.reason} · done later at {done_at!r}"
    return f"deferred: {deferral.reason} · do it {deferral_where(definition, deferral, values)}"


def open_lines(run: Run) -> list[int]:
    """The lines of the current checklist still to do: its open items, then the deferred
    items that came back here and are not done yet."""
    opened = run.open_items()
    own = len(run.current_step.items) if run.current_step is not None else 0
    lines = run.lines()
    carried = [i for i in range(own, len(lines)) if not lines[i].mark.done]
    return [*opened, *carried]


__all__ = [
    "PRIORITY_STYLES",
    "PRIORITY_WORDS",
    "after_text",
    "banner_content",
    "banner_priority",
    "deferral_of",
    "deferred_mark",
    "flow_node",
    "interrupted_here",
    "open_lines",
    "picker_row",
    "queued_titles",
    "title_of",
    "waits_behind",
]
