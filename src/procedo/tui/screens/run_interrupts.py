"""The run screen's non-normal checklists and deferred items: ``!`` raises an interrupt from
a list by priority, the banner over the checklist says what is open, what it interrupted and
what is queued, ``c`` inside one returns (asking its ``after`` question first), and ``D``
defers the highlighted item with a reason.

Like every action, each asks the engine first and writes through ``RunScreen.act``; the
banner is drawn from the run's state only, so a run reopened inside an interrupt shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Static

from procedo.engine import Refused
from procedo.engine.allowed_interrupts import raisable
from procedo.model import RETURN, AfterChoice
from procedo.model.placeholders import fill
from procedo.tui.interrupt_view import (
    banner_content,
    banner_priority,
    title_of,
    waits_behind,
)
from procedo.tui.screens import run_dialogs as asks
from procedo.tui.screens.dialogs import ChoicePrompt, Confirm
from procedo.tui.screens.interrupt_dialog import InterruptPicker
from procedo.tui.widgets.updates import set_only_class, update_static

if TYPE_CHECKING:
    from procedo.tui.screens.run import Failure, RunScreen

HIDDEN_KEYS = {"D": "defer", "exclamation_mark": "interrupt", "O": "override"}
"""Keys that say why they do nothing where their binding does not apply (not silence)."""


def show_banner(screen: RunScreen) -> None:
    """Draw the banner over the checklist (hidden when no interrupt is open or queued)."""
    run = screen.run
    banner = screen.query_one("#interrupt-banner", Static)
    content = banner_content(run.definition, run.state, run.scope())
    banner.display = content is not None
    if content is None:
        return
    set_only_class(banner, f"-{banner_priority(run.definition, run.state) or 'queued'}")
    update_static(banner, content)


def refuse_hidden_key(screen: RunScreen, event: events.Key) -> None:
    """``D`` inside an interrupt (or at a decision), ``!`` in a process without interrupts:
    say the engine's reason instead of doing nothing."""
    action = HIDDEN_KEYS.get(event.key)
    if action is None or screen.read_only or screen.check_action(action, ()) is not False:
        return
    event.stop()
    verdict = getattr(screen.run.allowed(screen.panel.highlighted), action)
    screen.failed(Refused(verdict.reason or "that key does nothing here"))


def _line_text(screen: RunScreen, index: int) -> str:
    lines = screen.run.lines()
    return fill(lines[index].spec.text, screen.run.scope()) if 0 <= index < len(lines) else ""


def where_now(screen: RunScreen, lower: str | None = None) -> str:
    """Where the run is after a return: back at a node (and item), back in the interrupt
    ``lower`` it had interrupted, or in a queued one that started by itself."""
    run = screen.run
    state, definition = run.state, run.definition
    if state.frame is not None:
        title = definition.interrupts[state.frame.interrupt].title
        if state.frame.interrupt == lower:
            return f"back to {title!r}"
        return f"{title!r} starts now (it was queued)"
    node = state.current_node
    if node is None:
        return ""
    said = f"back at {title_of(definition, node, run.scope())!r}"
    if state.resume_at is not None and state.resume_at[1] is not None:
        said += f", item {state.resume_at[1] + 1}"
    return said


def complete_interrupt(screen: RunScreen) -> bool:
    """``c`` inside an interrupt: return from it (its ``after`` question asked first).
    False outside interrupts (the step completes as usual)."""
    run = screen.run
    frame = run.state.frame
    if frame is None:
        return False
    if not screen.may(run.allowed().complete):
        return True
    interrupt = run.definition.interrupts[frame.interrupt]
    title = interrupt.title
    frames = run.state.frames
    lower = frames[-2].interrupt if len(frames) > 1 else None

    def done() -> str:
        return f"{title!r} done; {where_now(screen, lower)}"

    after = interrupt.after
    if after == RETURN:
        screen.act(run.complete, done)
        return True
    if not isinstance(after, AfterChoice):  # it leads away: say where, and ask once more
        target = title_of(run.definition, after, run.scope())
        ask = Confirm(
            f"Finish {title!r}?",
            f"Every item is done. The run then goes on at {target!r} and does not come back here.",
            yes=f"Go on at {target}",
            no="Not yet",
        )

        def confirmed(answer: object) -> None:
            if answer:
                screen.act(screen.run.complete, done)

        screen.app.push_screen(ask, confirmed)
        return True
    labels = [option.label for option in after.options]

    def answer(label: str) -> Failure | None:
        option = labels.index(label)
        return screen.act(lambda: screen.run.return_from_interrupt(option), done)

    screen.ask(
        lambda _: ChoicePrompt(after.question, labels, hint=f"{title}: every item is done."),
        answer,
    )
    return True


def complete_step(screen: RunScreen) -> None:
    """Complete the step: "completed", or "completed except 2 deferred"."""
    run = screen.run
    step, visit = run.current_step, run.state.current
    title = fill(step.title, run.scope()) if step else ""
    deferred = sum(mark.deferred for mark in visit.items.values()) if visit else 0
    but = f" except {deferred} deferred" if deferred else ""
    screen.act(run.complete, lambda: f"step {title!r} completed{but}")


class InterruptActions:
    """The run screen's ``!`` and ``D`` (a mixin of :class:`RunScreen`)."""

    def action_interrupt(self: RunScreen) -> None:  # type: ignore[misc]
        """List the non-normal checklists by priority; raise the one picked."""
        if not self.may(self.run.allowed().interrupt):
            return
        definition, state = self.run.definition, self.run.state
        item = self.panel.highlighted  # the line it interrupts (an option at a decision)

        def picked(answer: object) -> None:
            if answer is None:
                return
            key = str(answer)
            title = definition.interrupts[key].title
            behind = waits_behind(definition, self.run.state, key)

            def said() -> str:
                if any(q.interrupt == key for q in self.run.state.queue):
                    return f"{title!r} queued behind {behind!r}"
                return f"{title!r} raised: do its checklist, then c"

            self.act(lambda: self.run.raise_interrupt(key, item=item), said)

        judged = raisable(definition, state)
        self.app.push_screen(InterruptPicker(definition, state, judged), picked)

    def action_defer(self: RunScreen) -> None:  # type: ignore[misc]
        """Defer the highlighted item, asking why (never a critical one, never inside an
        interrupt: the engine says so)."""
        index = self.panel.highlighted
        if not self.may(self.item_verdict(self.run.allowed(index).defer)) or index is None:
            return
        text = _line_text(self, index)
        spec = self.run.lines()[index].spec
        later = (
            f"It comes back at {title_of(self.run.definition, spec.defer_to, self.run.scope())!r}."
            if spec.defer_to
            else "It comes back at every later step until it is done."
        )
        self.ask(
            lambda value: asks.reason_dialog(
                f"Defer: {text}", f"Why is it done later? {later}", value
            ),
            lambda reason: self.act(
                lambda: self.run.defer(index, reason),
                lambda: f"{text!r} deferred",
                moved=index,
            ),
        )


__all__ = [
    "HIDDEN_KEYS",
    "InterruptActions",
    "complete_interrupt",
    "complete_step",
    "refuse_hidden_key",
    "show_banner",
    "where_now",
]
