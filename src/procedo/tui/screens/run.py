"""Run: walk one process, node by node. Every action is durable before it shows."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from procedo.engine import InvalidValue, Refused, Run, RunError
from procedo.engine.values import normalise_value
from procedo.journal import (
    JournalError,
    RunLockedError,
    StaleRunError,
    StorageError,
    default_operator,
)
from procedo.tui.screens.dialogs import ChoicePrompt, Confirm, TextPrompt
from procedo.tui.text import line, lit
from procedo.tui.widgets.checklist import (
    Checklist,
    item_detail,
    item_notes,
    item_prompt,
    node_notes,
    option_prompt,
    record_hint,
)
from procedo.tui.widgets.flow_map import FlowMap
from procedo.tui.widgets.run_header import RunHeader, header_content
from procedo.tui.widgets.updates import same_content, set_only_class, update_static

_EDIT_KEYS = {"space", "x", "c", "delete", *(str(n) for n in range(1, 10))}

# One footer entry, "1-9 Choose", stands for the nine option keys.
_DIGITS = [
    Binding(
        str(n),
        f"choose({n - 1})",
        "Choose" if n == 1 else f"Option {n}",
        show=n == 1,
        key_display="1-9" if n == 1 else None,
        id=f"run.choose{n}",
    )
    for n in range(1, 10)
]


class RunScreen(Screen[None]):
    """The current node of one run, with the flow map beside it."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-normal"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        *_DIGITS,
        Binding("space", "toggle", "Tick", id="run.toggle"),
        Binding("x", "not_applicable", "N/A", id="run.na"),
        Binding("c", "complete", "Done", id="run.complete"),
        Binding("n", "note", "Note", id="run.note"),
        Binding("b", "back", "Back", id="run.back"),
        Binding("o", "hand_over", "Handover", id="run.handover", show=False),
        Binding("a", "abort", "Abort", id="run.abort"),
        Binding("t", "take_over", "Take over", id="run.takeover"),
        Binding("d", "map", "Map", id="run.map"),
        Binding("q", "leave", "Pause", id="run.leave"),
        Binding("delete", "clear", "Clear item", id="run.clear", show=False),
        Binding("j", "cursor(1)", "Down", id="run.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="run.up", show=False),
    ]

    def __init__(self, run: Run, *, read_only: bool = False, read_only_reason: str = "") -> None:
        super().__init__()
        self.run = run
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._shown_node: int | None = None
        self._key_state: tuple[bool, bool] | None = None
        self._map_key: tuple[object, ...] | None = None
        self._listed_visit: int | None = None
        self._prompts: list[Content] = []

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RunHeader("", id="run-header")
        yield Static("", id="readonly-banner")
        with Horizontal(id="run-body"):
            yield FlowMap(id="flow-map")
            with Vertical(id="node"):
                yield Static("", id="node-title")
                yield Static("", id="node-meta")
                yield Static("", id="node-instructions")
                yield Checklist(id="choices")
                yield Static("", id="item-detail")
                with Horizontal(id="progress-row"):
                    yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
                    yield Static("", id="progress-label")
        yield Static("", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_view()
        self.set_interval(1.0, self._tick)
        self.query_one("#choices", OptionList).focus()

    def on_unmount(self) -> None:
        # However the screen goes away (q, ctrl+q, the terminal closing), the run is left
        # paused and released, so its clock stops and any session can resume it.
        self.leave_paused()

    def on_resize(self) -> None:
        self.call_after_refresh(self._tick)

    def _now(self) -> int:
        return int(self.app.clock())

    def _tick(self) -> None:
        header = self.query_one(RunHeader)
        content = header_content(
            self.run.definition, self.run.state, self._now(), self.read_only, header.size.width - 2
        )
        update_static(header, content, fixed_height=True)  # one docked line

    # -- drawing --------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Redraw everything from the run's (durable) state."""
        state, definition = self.run.state, self.run.definition
        self._tick()
        banner = self.query_one("#readonly-banner", Static)
        banner.display = self.read_only
        if self.read_only:
            update_static(
                banner,
                line(
                    ("Read-only: ", "bold"),
                    self.read_only_reason,
                    ("  Press t to take it over.", "bold"),
                ),
            )
        map_key = (tuple(state.visited_nodes()), state.current_node)
        if map_key != self._map_key:
            self._map_key = map_key
            self.query_one(FlowMap).show(definition, state)
        node = state.current_node or ""
        choices = self.query_one("#choices", Checklist)
        visit_index = state.current.index if state.current else None
        keep = choices.highlighted if self._shown_node == visit_index else 0
        self._shown_node = visit_index
        title = self.query_one("#node-title", Static)
        meta = self.query_one("#node-meta", Static)
        instructions = self.query_one("#node-instructions", Static)
        progress_row = self.query_one("#progress-row")
        if node in definition.steps:
            step = definition.steps[node]
            visit = state.current
            assert visit is not None
            update_static(title, line(("Step  ", "$text-muted"), (step.title, "bold")))
            update_static(meta, self._meta(step.role))
            self._show_text(instructions, step.instructions)
            prompts = [
                item_prompt(definition, step, item, visit.mark(i), len(item_notes(state, node, i)))
                for i, item in enumerate(step.items)
            ]
            self._show_prompts(choices, prompts, same_visit=visit_index == self._listed_visit)
            done = sum(1 for i in range(len(step.items)) if visit.mark(i).done)
            bar = self.query_one("#progress", ProgressBar)
            bar.update(total=max(1, len(step.items)), progress=done if step.items else 1)
            update_static(
                self.query_one("#progress-label", Static),
                lit(
                    f"{done}/{len(step.items)} done"
                    + ("  · c to complete" if done == len(step.items) else "")
                ),
                fixed_height=True,  # the progress row is one line
            )
            progress_row.display = True
        elif node in definition.decisions:
            decision = definition.decisions[node]
            update_static(title, line(("Decide  ", "$text-muted"), (decision.question, "bold")))
            update_static(meta, self._meta(decision.role))
            self._show_text(instructions, decision.details)
            prompts = [option_prompt(definition, decision, i) for i in range(len(decision.options))]
            self._show_prompts(choices, prompts, same_visit=visit_index == self._listed_visit)
            progress_row.display = False
        self._listed_visit = visit_index
        if choices.option_count:
            choices.highlighted = min(keep or 0, choices.option_count - 1)
        self._show_detail()
        # The footer rebuilds itself on refresh_bindings(): only when the keys that apply change.
        key_state = (node in definition.steps, self.read_only)
        if key_state != self._key_state:
            self._key_state = key_state
            self.refresh_bindings()

    def _show_prompts(self, choices: Checklist, prompts: list[Content], same_visit: bool) -> None:
        """Replace only the rows that changed (a full rebuild re-renders every row)."""
        if same_visit and len(prompts) == len(self._prompts) == choices.option_count:
            for index, (old, new) in enumerate(zip(self._prompts, prompts, strict=True)):
                if not same_content(old, new):
                    choices.set_prompt(index, new)
        else:
            choices.set_options([Option(p, id=str(i)) for i, p in enumerate(prompts)])
        self._prompts = prompts

    def _meta(self, role: str | None) -> Content:
        definition, state = self.run.definition, self.run.state
        parts: list[object] = []
        if role:
            parts += [("Role ", "$text-muted"), (definition.role_name(role), "bold $accent"), "   "]
        visit = state.current
        if visit is not None:  # how often this node was entered in this run, this time included
            count = sum(1 for v in state.visits[: visit.index + 1] if v.node == visit.node)
            parts += [("Visit ", "$text-muted"), str(count)]
        notes = node_notes(state)
        if notes:
            parts += [("   ✎ ", "$accent"), "; ".join(f"{n.actor}: {n.text}" for n in notes[-2:])]
        return line(*parts)  # type: ignore[arg-type]

    @staticmethod
    def _show_text(widget: Static, text: str) -> None:
        update_static(widget, lit(text))
        widget.display = bool(text)

    def _show_detail(self) -> None:
        detail = self.query_one("#item-detail", Static)
        step = self.run.current_step
        index = self._highlighted()
        visit = self.run.state.current
        if step is None or index is None or visit is None or index >= len(step.items):
            detail.display = False
            return
        notes = item_notes(self.run.state, visit.node, index)
        content = item_detail(step, index, visit.mark(index), notes)
        update_static(detail, content)
        detail.display = bool(content.plain)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail()

    def show_status(self, message: str, kind: str = "ok") -> None:
        """Show the outcome of the last action (ok, refused or error)."""
        status = self.query_one("#status", Static)
        set_only_class(status, f"status-{kind}")
        marks = {"ok": "✓ ", "refused": "✗ ", "error": "⚠ NOT SAVED: "}
        update_static(status, line((marks.get(kind, ""), "bold"), message))

    # -- helpers --------------------------------------------------------------------------

    def _highlighted(self) -> int | None:
        return self.query_one("#choices", OptionList).highlighted

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        node = self.run.state.current_node or ""
        at_step = node in self.run.definition.steps
        if action in ("toggle", "not_applicable", "complete", "clear"):
            return at_step and not self.read_only
        if action == "choose":
            return not at_step and not self.read_only
        if action == "take_over":
            return self.read_only
        if action in ("hand_over", "abort", "note", "back"):
            return not self.read_only
        return True

    def on_key(self, event: events.Key) -> None:
        # Read-only, the editing keys leave the footer (check_action) but still say why.
        if self.read_only and event.key in _EDIT_KEYS:
            event.stop()
            self._writable()

    # -- actions --------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        """Move the highlight."""
        choices = self.query_one("#choices", OptionList)
        choices.action_cursor_down() if delta > 0 else choices.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.run.current_step is not None:
            self.action_toggle()
        else:
            self.action_choose(event.option_index)

    def action_toggle(self) -> None:
        """Tick or untick; on a record item, ask for the value."""
        index = self._item_index()
        if index is None or not self._writable():
            return
        step, visit = self.run.current_step, self.run.state.current
        assert step is not None and visit is not None
        item, mark = step.items[index], visit.mark(index)
        if mark.na_reason is not None:
            self._act(lambda: self.run.uncheck(index), f"{item.text!r}: not applicable cleared")
        elif item.record:
            self._ask_value(index)
        elif mark.checked:
            self._act(lambda: self.run.uncheck(index), f"{item.text!r} unticked")
        else:
            self._act(lambda: self.run.check(index), f"{item.text!r} ticked")

    def _ask_value(self, index: int) -> None:
        step, visit = self.run.current_step, self.run.state.current
        assert step is not None and visit is not None
        item, current = step.items[index], visit.mark(index).value
        unchanged = False

        def submit(raw: str) -> None:
            nonlocal unchanged
            with contextlib.suppress(InvalidValue):  # record() says why a value is invalid
                unchanged = current is not None and normalise_value(item, raw) == current
            if not unchanged:
                self.run.record(index, raw)

        def after(result: object) -> None:
            if result is not None:
                self.refresh_view()
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
        """Add a note to the highlighted item, this node, or the whole run."""
        if not self._writable():
            return
        index = self._highlighted() if self.run.current_step is not None else None
        targets = ["This node", "The whole run"]
        if index is not None and self.run.current_step and self.run.current_step.items:
            targets.insert(0, "This item: " + self.run.current_step.items[index].text)

        def write_note(target: object) -> None:
            if target is None:
                return
            on = (
                "item"
                if str(target).startswith("This item")
                else ("node" if target == "This node" else "run")
            )

            def submit(text: str) -> None:
                self.run.note(text, on=on, item=index if on == "item" else None)

            def after(result: object) -> None:
                if result is not None:
                    self.refresh_view()
                    self.show_status("note saved")

            self.app.push_screen(
                TextPrompt("Note", hint=str(target), submit=self._guard(submit)), after
            )

        self.app.push_screen(ChoicePrompt("Add a note to", targets), write_note)

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
        """Hand the run to another operator."""
        if not self._writable():
            return

        def submit(name: str) -> None:
            self.run.hand_over(name)

        def after(result: object) -> None:
            if result is not None:
                self.refresh_view()
                self.show_status(f"handed over to {self.run.state.operator}")

        self.app.push_screen(
            TextPrompt(
                "Hand over to",
                hint="Name of the operator who takes over",
                submit=self._guard(submit),
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
                if self.run.state.status == "paused":
                    self._act(self.run.resume, "taken over and resumed")
                self.refresh_view()
                self.show_status(f"taken over by {self.run.state.operator}")

        self.app.push_screen(
            TextPrompt(
                "Take over this run",
                hint=self.read_only_reason,
                value=default_operator(),
                submit=submit,
            ),
            after,
        )

    def action_map(self) -> None:
        """Show the whole map of the process."""
        opener = getattr(self.app, "open_map", None)
        if opener is not None:
            opener(self.run.definition, self.run.state)

    def leave_paused(self) -> None:
        """Pause the run and release it, so it can be resumed later (here or elsewhere)."""
        if self.read_only or self.run.state.finished:
            return
        workspace = getattr(self.app, "workspace", None)
        try:
            if self.run.state.status == "active":
                self.run.pause()
            if workspace is not None:
                workspace.journal.release(self.run.run_id)
        except (RunError, JournalError) as error:
            with contextlib.suppress(Exception):  # the app may be shutting down
                self.notify(
                    f"The run stays resumable, but: {error}", severity="warning", markup=False
                )

    def action_leave(self) -> None:
        """Leave the run paused and resumable (pausing happens as the screen unmounts)."""
        self.app.pop_screen()
        self.app.go_home()  # type: ignore[attr-defined]


__all__ = ["Refused", "RunScreen"]
