"""The run screen's keys for the node as a whole: move the highlight, act as the next role,
complete, choose, confirm a suggestion, explain a deviation, keep last visit's values, go
back, hand over, abort, take over, acknowledge a reminder, open the map. Each asks the engine
(``Run.allowed``) first and writes through ``RunScreen.act``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.tui.screens import run_calls as calls_flow
from procedo.tui.screens import run_clock as clock
from procedo.tui.screens import run_conditions as conditions
from procedo.tui.screens import run_dialogs as asks
from procedo.tui.screens import run_interrupts as interrupts

if TYPE_CHECKING:
    from procedo.tui.screens.run import RunScreen


class NodeActions:
    """The actions on the current node (a mixin of :class:`RunScreen`)."""

    def action_cursor(self: RunScreen, delta: int) -> None:  # type: ignore[misc]
        """Move the highlight."""
        choices = self.panel.choices
        choices.action_cursor_down() if delta > 0 else choices.action_cursor_up()

    def action_accept_role(self: RunScreen) -> None:  # type: ignore[misc]
        """At a hand-over point: the current operator acts as the next role."""
        verdict = self.run.allowed().accept_role
        if not verdict.applies or not self.may(verdict) or not self.point_ready():
            return
        name = self.run.definition.role_name(self.run.state.awaiting_role or "")
        operator = self.run.state.operator
        self.act(self.run.accept_role, lambda: f"{operator} acts as {name}")

    def action_complete(self: RunScreen) -> None:  # type: ignore[misc]
        """Complete the step (or say what is still open); at a step whose call is open, show
        the called run."""
        if interrupts.complete_interrupt(self) or not self.writable():
            return
        if not calls_flow.follow_call(self):
            interrupts.complete_step(self)  # "completed except 1 deferred"

    def action_choose(self: RunScreen, option: int) -> None:  # type: ignore[misc]
        """Choose a decision option (another than the suggestion asks why)."""
        if not self.writable():
            return
        if self.run.state.current_node in self.run.definition.decisions:
            conditions.choose(self, option)

    def action_confirm(self: RunScreen) -> None:  # type: ignore[misc]
        """Enter at a decision: take the suggested option."""
        conditions.confirm(self)

    def action_explain(self: RunScreen) -> None:  # type: ignore[misc]
        """Give the reason a deviation on the highlighted item is accepted."""
        conditions.explain(self)

    def action_keep_last(self: RunScreen) -> None:  # type: ignore[misc]
        """Keep the highlighted item's value from the last visit of this step."""
        conditions.keep_last(self)

    def action_keep_all_last(self: RunScreen) -> None:  # type: ignore[misc]
        """Keep every open item's value from the last visit of this step."""
        conditions.keep_all_last(self)

    def action_back(self: RunScreen) -> None:  # type: ignore[misc]
        """Return to the previous node."""
        if self.writable():
            self.act(self.run.back, lambda: "went back; what was done here stays in the record")

    def action_hand_over(self: RunScreen) -> None:  # type: ignore[misc]
        """Hand the run to another operator (at a hand-over point, to the next role)."""
        if not self.may(self.run.allowed().hand_over):
            return
        if self.run.state.awaiting_role is None or self.point_ready():
            asks.hand_over(self)

    def action_abort(self: RunScreen) -> None:  # type: ignore[misc]
        """Abort the run after asking the reason and a confirmation."""
        if self.may(self.run.allowed().abort):
            asks.abort(self)

    def action_take_over(self: RunScreen) -> None:  # type: ignore[misc]
        """Take over a run that another session drives."""
        if self.read_only:
            asks.take_over(self)

    def action_acknowledge_reminder(self: RunScreen) -> None:  # type: ignore[misc]
        """The due reminder is done (journaled)."""
        if self.writable():
            clock.acknowledge(self)

    def action_map(self: RunScreen) -> None:  # type: ignore[misc]
        """Show the whole map of the process."""
        self.app.open_map(self.run.definition, self.run.state)
