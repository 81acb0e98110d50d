"""The run screen's actions: each asks what it needs, then saves it through the engine.

RunActions is a mixin for RunScreen: it opens the dialogs (record a value, not applicable with
a reason, a note, hand over, abort, take over) and applies their results, and it runs every
engine operation through _act, so the outcome shows only once it is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from procedo.engine import Run, RunError
from procedo.engine.errors import Unchanged
from procedo.engine.run import MAX_NAME
from procedo.journal import (
    JournalError,
    RunLockedError,
    StaleRunError,
    StorageError,
    default_operator,
)
from procedo.tui.screens.dialogs import ChoicePrompt, Confirm, TextPrompt
from procedo.tui.screens.note_dialog import NotePrompt
from procedo.tui.widgets.checklist import record_hint

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object


class RunActions(_Base):
    """The editing actions of RunScreen (mixed in; it supplies the state and the drawing)."""

    if TYPE_CHECKING:
        run: Run
        read_only: bool
        read_only_reason: str
        _shown_node: int | None

        def refresh_view(self) -> None: ...
        def show_status(self, message: str, kind: str = "ok") -> None: ...
        def _highlighted(self) -> int | None: ...
        def point_ready(self) -> bool: ...
        def move_to_next_open(self, index: int) -> None: ...

    # -- helpers --------------------------------------------------------------------------

    def _act(self, action: Callable[[], object], done: str) -> bool:
        """Run an engine operation; show what happened. True when it was saved."""
        try:
            action()
        except StorageError as error:
            self.show_status(f"{error}. The screen shows only what is saved.", "error")
            self.notify(str(error), title="Not saved", severity="error", timeout=8, markup=False)
            return False
        except (RunLockedError, StaleRunError) as error:
            self._become_read_only(str(error))
            return False
        except (RunError, JournalError) as error:
            self.show_status(str(error), "refused")
            return False
        self.refresh_view()
        self.show_status(done)
        if self.run.state.finished:
            self._finish()
        return True

    def _guard(self, submit: Callable[[str], object]) -> Callable[[str], object]:
        """Wrap a dialog's submit so a lost lease turns this screen read-only too."""

        def guarded(value: str) -> object:
            try:
                return submit(value)
            except (RunLockedError, StaleRunError) as error:
                self._become_read_only(str(error))
                raise

        return guarded

    def _become_read_only(self, reason: str) -> None:
        self.read_only = True
        self.read_only_reason = reason
        self.show_status(reason, "refused")
        self.refresh_view()

    def _finish(self) -> None:
        app = self.app
        app.pop_screen()
        app.show_summary(self.run)  # type: ignore[attr-defined]

    def _writable(self) -> bool:
        if self.read_only:
            self.show_status("this run is read-only here: press t to take it over", "refused")
            return False
        return True

    def _item_index(self) -> int | None:
        step = self.run.current_step
        index = self._highlighted()
        if step is None:
            self.show_status("there is no checklist here: choose an option (1–9)", "refused")
            return None
        if index is None or not step.items:
            self.show_status("this step has no items: press c to complete it", "refused")
            return None
        return index

    # -- actions --------------------------------------------------------------------------

    def action_toggle(self) -> None:
        """Tick the item; on a record item, ask for the value. Never undoes: a tick or a
        not-applicable mark is cleared only with ``delete``, so a stray ``space`` on a done
        item (someone else's, or after a quick ``j`` too many) changes nothing."""
        index = self._item_index()
        if index is None or not self._writable():
            return
        step, visit = self.run.current_step, self.run.state.current
        assert step is not None and visit is not None
        item, mark = step.items[index], visit.mark(index)
        if mark.na_reason is not None:
            self.show_status(f"{item.text!r} is marked not applicable: delete clears it", "refused")
        elif item.record:
            self._ask_value(index)
        elif mark.checked:
            self.show_status(f"{item.text!r} is already ticked: delete clears it", "refused")
        elif self._act(lambda: self.run.check(index), f"{item.text!r} ticked"):
            self.move_to_next_open(index)

    def _ask_value(self, index: int) -> None:
        step, visit = self.run.current_step, self.run.state.current
        assert step is not None and visit is not None
        item, current = step.items[index], visit.mark(index).value
        unchanged = False

        def submit(raw: str) -> None:
            nonlocal unchanged
            try:
                self.run.record(index, raw)
            except Unchanged:  # the same value again: nothing to save, and not an error
                unchanged = True

        def after(result: object) -> None:
            if result is not None:
                self.refresh_view()
                if not unchanged:
                    self.move_to_next_open(index)
                visit_now = self.run.state.current
                value = visit_now.mark(index).value if visit_now else ""
                unit = f" {item.unit}" if item.unit else ""
                verb = "unchanged" if unchanged else "recorded"
                self.show_status(f"{item.text!r} {verb}: {value}{unit}")

        if item.record == "choice":
            screen = ChoicePrompt(
                item.text,
                item.choices,
                current=current,
                submit=self._guard(submit),
                hint=item.details,
            )
        else:
            hint = f"Record {record_hint(item)}" + (f"\n{item.details}" if item.details else "")
            screen = TextPrompt(
                item.text, hint=hint, value=current or "", submit=self._guard(submit)
            )
        self.app.push_screen(screen, after)

    def action_clear(self) -> None:
        """Clear the highlighted item's tick, value or not-applicable mark."""
        index = self._item_index()
        if index is None or not self._writable():
            return
        text = self.run.definition.steps[self.run.state.current_node or ""].items[index].text
        self._act(lambda: self.run.uncheck(index), f"{text!r} cleared")

    def action_not_applicable(self) -> None:
        """Mark the highlighted item not applicable, asking why."""
        index = self._item_index()
        if index is None or not self._writable():
            return
        step = self.run.current_step
        assert step is not None
        item = step.items[index]
        if item.critical:
            self.show_status(
                f"{item.text!r} is critical: it cannot be marked not applicable", "refused"
            )
            return

        def submit(reason: str) -> None:
            self.run.mark_not_applicable(index, reason)

        def after(result: object) -> None:
            if result is not None:
                self.refresh_view()
                self.move_to_next_open(index)
                self.show_status(f"{item.text!r} marked not applicable")

        self.app.push_screen(
            TextPrompt(
                f"Not applicable: {item.text}",
                hint="Why does this item not apply?",
                submit=self._guard(submit),
            ),
            after,
        )

    def action_note(self) -> None:
        """Add a note (it may span lines) about the highlighted item, this node or the run."""
        if not self._writable():
            return
        step = self.run.current_step
        index = self._highlighted() if step is not None and step.items else None
        here = "About this step" if step is not None else "About this decision"
        targets = [here, "About the whole run"]
        if step is not None and index is not None:
            targets.insert(0, "About this item: " + step.items[index].text)

        def write_note(target: object) -> None:
            if target is None:
                return
            label = str(target)
            on = "item" if label.startswith("About this item") else "node"
            on = "run" if label == "About the whole run" else on

            def submit(text: str) -> None:
                self.run.note(text, on=on, item=index if on == "item" else None)

            def after(result: object) -> None:
                if result is not None:
                    self.refresh_view()
                    self.show_status("note saved")

            self.app.push_screen(NotePrompt(label, submit=self._guard(submit)), after)

        self.app.push_screen(ChoicePrompt("Add a note", targets), write_note)

    def action_accept_role(self) -> None:
        """At a hand-over point: the current operator acts as the next role."""
        if not self._writable() or self.run.state.awaiting_role is None:
            return
        if not self.point_ready():
            return
        name = self.run.definition.role_name(self.run.state.awaiting_role)
        self._act(self.run.accept_role, f"{self.run.state.operator} acts as {name}")

    def action_complete(self) -> None:
        """Complete the step (or say what is still open)."""
        if self._writable():
            title = self.run.current_step.title if self.run.current_step else ""
            self._act(self.run.complete, f"step {title!r} completed")

    def action_choose(self, option: int) -> None:
        """Choose a decision option."""
        if not self._writable():
            return
        decision = self.run.definition.decisions.get(self.run.state.current_node or "")
        if decision is None:
            return
        label = decision.options[option].label if option < len(decision.options) else ""
        self._act(lambda: self.run.choose(option), f"chose {label!r}")

    def action_back(self) -> None:
        """Return to the previous node."""
        if self._writable():
            self._act(self.run.back, "went back; what was done here stays in the record")

    def action_hand_over(self) -> None:
        """Hand the run to another operator (at a hand-over point, to the next role)."""
        if not self._writable():
            return
        role = self.run.state.awaiting_role
        if role is not None and not self.point_ready():
            return
        hint = "Name of the operator who takes over"
        if role is not None:
            hint = f"Name of the {self.run.definition.role_name(role)} who takes over"

        def submit(name: str) -> None:
            self.run.hand_over(name)

        def after(result: object) -> None:
            if result is not None:
                self.refresh_view()
                self.show_status(f"handed over to {self.run.state.operator}")

        self.app.push_screen(
            TextPrompt(
                "Hand over to",
                hint=hint,
                submit=self._guard(submit),
                max_length=MAX_NAME,
                what="operator name",
            ),
            after,
        )

    def action_abort(self) -> None:
        """Abort the run after asking the reason and a confirmation."""
        if not self._writable():
            return

        def confirmed(reason: str, answer: object) -> None:
            if answer:
                self._act(lambda: self.run.abort(reason), "run aborted")

        def got_reason(reason: object) -> None:
            if reason is not None:
                self.app.push_screen(
                    Confirm(
                        "Abort this run?",
                        "An aborted run cannot be resumed.",
                        yes="Abort run",
                        no="Keep going",
                    ),
                    lambda answer: confirmed(str(reason), answer),
                )

        self.app.push_screen(
            TextPrompt("Abort the run", hint="Why is the run being abandoned?"), got_reason
        )

    def action_take_over(self) -> None:
        """Take over a run that another session drives."""
        if not self.read_only:
            return
        workspace = self.app.workspace

        def submit(name: str) -> None:
            self.run = workspace.journal.take_over(self.run.run_id, name)

        def after(result: object) -> None:
            if result is not None:
                self.read_only = False
                self.read_only_reason = ""
                self._shown_node = None  # as on opening: the cursor on the first open item
                operator = self.run.state.operator
                if self.run.state.status == "paused":  # _act redraws and says how it went
                    self._act(self.run.resume, f"taken over by {operator} and resumed")
                    return
                self.refresh_view()
                self.show_status(f"taken over by {operator}")

        self.app.push_screen(
            TextPrompt(
                "Take over this run",
                hint=self.read_only_reason,
                value=default_operator(),
                submit=submit,
                max_length=MAX_NAME,
                what="operator name",
            ),
            after,
        )


__all__ = ["RunActions"]
