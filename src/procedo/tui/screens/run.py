"""Run: walk one process, node by node. Every action is durable before it shows."""

from __future__ import annotations

import contextlib
import time

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from procedo.engine import Refused, Run, RunError
from procedo.journal import JournalError
from procedo.tui.screens.run_actions import RunActions
from procedo.tui.screens.run_follow import RunFollow
from procedo.tui.text import line, lit
from procedo.tui.widgets.checklist import (
    Checklist,
    item_detail,
    item_notes,
    item_prompt,
    node_notes,
    option_prompt,
)
from procedo.tui.widgets.flow_map import FlowMap
from procedo.tui.widgets.footer import FittedFooter
from procedo.tui.widgets.role_point import point_content
from procedo.tui.widgets.run_header import RunHeader, header_content
from procedo.tui.widgets.updates import same_content, set_only_class, update_static

_EDIT_KEYS = {"space", "x", "c", "delete", *(str(n) for n in range(1, 10))}

POINT_GUARD_S = 0.5
"""At a hand-over point, enter and o count only this long after the point was shown, so keys
typed for the previous node (``2 2``, one enter too many) never answer it."""

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


class RunScreen(RunFollow, RunActions, Screen[None]):
    """The current node of one run, with the flow map beside it.

    The editing actions (tick, record, not applicable, note, hand over, abort, take over)
    come from RunActions, in run_actions.py.
    """

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
        Binding(
            "enter",
            "accept_role",
            "I act as next role",
            id="run.accept_role",
            priority=True,
            show=False,  # the hand-over point itself says what enter and o do
        ),
        Binding("a", "abort", "Abort", id="run.abort"),
        Binding("t", "take_over", "Take over", id="run.takeover"),
        Binding("d", "map", "Map", id="run.map"),
        Binding("q", "leave", "Pause", id="run.leave"),
        Binding("q", "leave_read_only", "Leave", id="run.leave_read_only"),
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
        self._point: tuple[int, str] | None = None
        self._point_shown = 0.0
        self._released = False  # paused and released on the way out (q, or as it unmounts)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RunHeader("", id="run-header")
        yield Static("", id="readonly-banner")
        with Horizontal(id="run-body"):
            yield FlowMap(id="flow-map")
            with Vertical(id="node"):
                yield Static("", id="node-title")
                yield Static("", id="node-meta")
                yield Static("", id="role-point")
                yield Static("", id="node-instructions")
                yield Checklist(id="choices")
                yield Static("", id="item-detail")
                with Horizontal(id="progress-row"):
                    yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
                    yield Static("", id="progress-label")
        yield Static("", id="status")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        self.refresh_view()
        self.set_interval(1.0, self._tick)
        self.start_following()  # read-only, it shows what the driving window does
        self.query_one("#choices", OptionList).focus()

    def on_unmount(self) -> None:
        # However the screen goes away (q, ctrl+q, the terminal closing), the run is left
        # paused and released, so its clock stops and any session can resume it.
        self.leave_paused()
        self.stop_following()

    def on_resize(self) -> None:
        self.query_one(FlowMap).fit()
        self.call_after_refresh(self._tick)

    def _now(self) -> int:
        return int(self.app.clock())

    def _tick(self) -> None:
        if not self.query(RunHeader):  # the app is closing: the screen's widgets are gone
            return
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
        opened = self.run.open_items()
        keep = choices.highlighted if self._shown_node == visit_index else None
        if keep is None:  # a new visit (or the screen just opened): the first open item
            keep = opened[0] if opened else 0
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
        self._show_point()
        # The footer rebuilds itself on refresh_bindings(): only when the keys that apply change.
        key_state = (node in definition.steps, self.read_only, state.awaiting_role is not None)
        if key_state != self._key_state:
            self._key_state = key_state
            self.refresh_bindings()

    def _show_point(self) -> None:
        """The hand-over point, when the run waits for someone to act as the next role."""
        panel = self.query_one("#role-point", Static)
        state, definition = self.run.state, self.run.definition
        role, visit = state.awaiting_role, state.current
        if role is None or visit is None or state.finished:
            panel.display = False
            self._point = None
            return
        if self._point != (visit.index, role):  # newly shown: start the guard against stray keys
            self._point = (visit.index, role)
            self._point_shown = time.monotonic()
        shown = point_content(
            definition, visit.node, role, state.operator, read_only=self.read_only
        )
        update_static(panel, shown)
        panel.display = True

    def point_ready(self) -> bool:
        """True once the hand-over point has been on screen long enough to answer it."""
        if time.monotonic() - self._point_shown >= POINT_GUARD_S:
            return True
        self.show_status(
            "the next role was just shown: read it, then press the key again", "refused"
        )
        return False

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        node = self.run.state.current_node or ""
        at_step = node in self.run.definition.steps
        if action == "accept_role":
            return self.run.state.awaiting_role is not None and not self.read_only
        if action in ("toggle", "not_applicable", "complete", "clear"):
            return at_step and not self.read_only
        if action == "choose":
            return not at_step and not self.read_only
        if action in ("take_over", "leave_read_only"):
            return self.read_only
        if action == "leave":  # read-only, q leaves without pausing: another window has the run
            return not self.read_only
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

    def move_to_next_open(self, index: int) -> None:
        """Highlight the next open item after ``index`` (wrapping round); stay when none is."""
        opened = self.run.open_items()
        if not opened:
            return
        after = [i for i in opened if i > index]
        self.query_one("#choices", OptionList).highlighted = after[0] if after else opened[0]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Enter (or a click) on a row never ticks, chooses or signs: space, x and 1-9 do.
        event.stop()

    def action_map(self) -> None:
        """Show the whole map of the process."""
        self.app.open_map(self.run.definition, self.run.state)  # type: ignore[attr-defined]

    def leave_paused(self) -> None:
        """Pause the run and release it, so it can be resumed later (here or elsewhere)."""
        if self.read_only or self.run.state.finished or self._released:
            return
        workspace = getattr(self.app, "workspace", None)
        try:
            if self.run.state.status == "active":
                self.run.pause()
            if workspace is not None:
                workspace.journal.release(self.run.run_id)
            self._released = True
        except (RunError, JournalError) as error:
            with contextlib.suppress(Exception):  # the app may be shutting down
                self.notify(
                    f"The run stays resumable, but: {error}", severity="warning", markup=False
                )

    def action_leave(self) -> None:
        """Leave the run paused and resumable, and go home with the cursor on it.

        The pause is written before the screen goes, so that Home shows it at once
        (on_unmount pauses too, for the other ways out: ctrl+q, the terminal closing).
        """
        self.leave_paused()
        self.app.pop_screen()
        self.app.go_home()  # type: ignore[attr-defined]
        home = self.app.screen
        if hasattr(home, "show_run"):
            home.show_run(self.run.run_id)

    def action_leave_read_only(self) -> None:
        """Leave a run another window drives, as it is (nothing is paused)."""
        self.action_leave()


__all__ = ["Refused", "RunScreen"]
