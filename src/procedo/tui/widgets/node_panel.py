"""The run screen's right-hand pane: the current node's title, text, checklist and progress.

It only draws a run's (durable) state; the screen asks the engine and writes. Rows are
replaced one by one when the same visit is redrawn (a full rebuild re-renders every row).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static
from textual.widgets.option_list import Option

from procedo.engine import Run, judge
from procedo.engine.allowed_interrupts import success_end_refusal
from procedo.model.placeholders import fill
from procedo.tui.interrupt_view import open_lines
from procedo.tui.text import line, lit
from procedo.tui.widgets.checklist import (
    Checklist,
    Values,
    auto_choice_content,
    item_detail,
    item_notes,
    node_notes,
    option_prompt,
    suggestion_content,
)
from procedo.tui.widgets.checklist_lines import Row, checklist_rows
from procedo.tui.widgets.signoff_lines import signing_hint, signoffs_content
from procedo.tui.widgets.updates import same_content, update_static


class NodePanel(Vertical):
    """The current node of a run: what to do, the rows to do it on, how far it got."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown_node: int | None = None
        self._listed_visit: int | None = None
        self._prompts: list[Content] = []
        self._lines: list[int | None] = []  # the line each row stands for (None: a header)

    def compose(self) -> ComposeResult:
        yield Static("", id="node-title")
        yield Static("", id="node-meta")
        yield Static("", id="role-point")
        yield Static("", id="node-instructions")
        yield Static("", id="node-basis")
        yield Checklist(id="choices")
        yield Static("", id="item-detail")
        with Horizontal(id="progress-row"):
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
            yield Static("", id="progress-label")

    @property
    def choices(self) -> Checklist:
        """The checklist (a step's items, a decision's options)."""
        return self.query_one("#choices", Checklist)

    @property
    def highlighted(self) -> int | None:
        """The line of the checklist (an option at a decision) the cursor is on."""
        row = self.choices.highlighted
        return self._lines[row] if row is not None and 0 <= row < len(self._lines) else None

    def forget_cursor(self) -> None:
        """Put the cursor back on the first open item at the next redraw, as on opening."""
        self._shown_node = None

    def show(self, run: Run) -> None:
        """Draw the current node of ``run``."""
        state, definition = run.state, run.definition
        node = state.current_node or ""
        visit_index = state.current.index if state.current else None
        keep = self.highlighted if self._shown_node == visit_index else None
        if keep is None:  # a new visit (or the screen just opened): where the operator works
            keep = first_line(run)
        self._shown_node = visit_index
        title = self.query_one("#node-title", Static)
        meta = self.query_one("#node-meta", Static)
        instructions = self.query_one("#node-instructions", Static)
        progress_row = self.query_one("#progress-row")
        same_visit = visit_index == self._listed_visit
        values = run.scope()
        said: list[Content] = []
        auto = auto_choice(run, values)
        if auto is not None:
            said.append(auto)
        if node in definition.checklists:
            step = definition.checklists[node]
            visit = state.current
            assert visit is not None
            kind = "Non-normal  " if visit.kind == "interrupt" else "Step  "
            update_static(title, line((kind, "$text-muted"), (fill(step.title, values), "bold")))
            update_static(meta, meta_content(run, step.role))
            _show_text(instructions, fill(step.instructions, values))
            self._show_rows(checklist_rows(run, values), same_visit=same_visit)
            update_static(
                self.query_one("#progress-label", Static),
                self._show_progress(run),
                fixed_height=True,  # the progress row is one line
            )
            progress_row.display = True
        elif node in definition.decisions:
            decision = definition.decisions[node]
            question = fill(decision.question, values)
            update_static(title, line(("Decide  ", "$text-muted"), (question, "bold")))
            update_static(meta, meta_content(run, decision.role))
            _show_text(instructions, fill(decision.details, values))
            suggestion = run.suggestion()
            chosen = suggestion.option if suggestion is not None else None
            prompts = [
                option_prompt(definition, decision, i, values=values, suggested=i == chosen)
                for i in range(len(decision.options))
            ]
            if suggestion is not None:
                said.append(suggestion_content(definition, decision, suggestion, values))
            self._show_rows([Row(p, i) for i, p in enumerate(prompts)], same_visit=same_visit)
            progress_row.display = False
        signoffs = signoffs_content(run)  # given and still to give (widgets/signoff_lines.py)
        if signoffs is not None:
            said.append(signoffs)
        basis = self.query_one("#node-basis", Static)
        update_static(basis, Content("\n").join(said))
        basis.display = bool(said)
        self._listed_visit = visit_index
        if self._lines:
            self.select_line(min(keep or 0, max(i for i in self._lines if i is not None)))
        self.show_detail(run)

    def _show_progress(self, run: Run) -> Content:
        """Fill the progress bar; the label: ``3/4 done, 1 off, 1 deferred · c to complete``."""
        visit, step = run.state.current, run.current_step
        assert visit is not None and step is not None
        checks = run.item_checks()
        count = len(step.items)
        off = sum(1 for i in range(count) if not checks[i].active)
        deferred = sum(1 for i in range(count) if visit.mark(i).deferred and checks[i].active)
        done = sum(1 for i in range(count) if visit.mark(i).done and checks[i].active)
        needed = count - off - deferred
        lines = run.lines()
        unexplained = sum(
            1
            for i, check in enumerate(checks)
            if check.needs_reason and i < len(lines) and lines[i].mark.deviation_reason is None
        )
        carried = lines[count:]
        if done < needed:
            hint = ""
        elif unexplained:
            hint = "  · e: reason"  # a deviation still needs one (the row says which)
        elif success_end_refusal(run.definition, run.state, step.next):
            hint = ""  # a success end waits for the deferred items (c says which)
        else:
            hint = signing_hint(run) or "  · c to complete"
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(1, needed), progress=done if needed else 1)
        label = f"{done}/{needed} done" + (f", {off} off" if off else "")
        if deferred:
            label += f", {deferred} deferred"
        left = sum(1 for found in carried if not found.mark.done)
        if left:
            label += f", {left} deferred here"
        return lit(label + hint)

    def show_detail(self, run: Run) -> None:
        """The highlighted item's details, notes and recorded value."""
        detail = self.query_one("#item-detail", Static)
        index = self.highlighted
        visit = run.state.current
        lines = run.lines()
        # Shown on every step, blank or not, with room for two lines (run.tcss): a tick or a
        # move that changes the text seldom changes its height, so the screen is not laid out
        # again (a layout re-renders every widget: most of a tick's time).
        if run.current_step is None or index is None or visit is None or index >= len(lines):
            detail.set_class(True, "-hidden")
            return
        detail.set_class(False, "-hidden")
        found = lines[index]
        step = run.definition.checklists[found.node]
        notes = item_notes(run.state, found.node, found.index)
        checks = run.item_checks()  # one per line, the deferred ones that came back included
        check = checks[index] if index < len(checks) else judge.FINE
        shown = item_detail(step, found.index, found.mark, notes, run.scope(), check)
        update_static(detail, shown)

    def select_line(self, index: int) -> None:
        """Highlight the row of line ``index`` of the checklist (an option at a decision)."""
        if index in self._lines:
            self.choices.highlighted = self._lines.index(index)

    def move_to_next_open(self, run: Run, index: int) -> None:
        """Highlight the next open line after ``index`` (wrapping round); stay when none is."""
        opened = open_lines(run)
        if not opened:
            return
        after = [i for i in opened if i > index]
        self.select_line(after[0] if after else opened[0])

    def _show_rows(self, rows: list[Row], same_visit: bool) -> None:
        """Replace only the rows that changed (a full rebuild re-renders every row)."""
        choices = self.choices
        prompts = [row.prompt for row in rows]
        lines = [row.line for row in rows]
        if same_visit and lines == self._lines and len(prompts) == choices.option_count:
            for index, (old, new) in enumerate(zip(self._prompts, prompts, strict=True)):
                if not same_content(old, new):
                    choices.set_prompt(index, new)
        else:
            choices.set_options(
                [
                    Option(row.prompt, id=str(i), disabled=row.line is None)
                    for i, row in enumerate(rows)
                ]
            )
        self._prompts = prompts
        self._lines = lines


def first_line(run: Run) -> int:
    """Where the cursor goes on a newly shown visit: back from an interrupt, the exact item
    it was on (``state.resume_at``); else the first open line."""
    resume, visit = run.state.resume_at, run.state.current
    here = visit.index if visit is not None else None
    if resume is not None and resume[0] == here and resume[1] is not None:
        return resume[1]
    opened = open_lines(run)
    return opened[0] if opened else 0


def meta_content(run: Run, role: str | None) -> Content:
    """The node's role, how often it was entered, and its last notes, on one line."""
    definition, state = run.definition, run.state
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


def auto_choice(run: Run, values: Values) -> Content | None:
    """What the process chose by itself just before this node (None when a person chose)."""
    state, definition = run.state, run.definition
    if len(state.path) < 2:
        return None
    previous = state.visits[state.path[-2]]
    decision = definition.decisions.get(previous.node)
    if previous.chosen_by != "process" or previous.choice is None or decision is None:
        return None
    basis = previous.basis
    why = judge.suggest(definition, previous.node, basis.values).why if basis else ""
    return auto_choice_content(definition, decision, previous.choice, why, values)


def _show_text(widget: Static, text: str) -> None:
    update_static(widget, lit(text))
    widget.display = bool(text)


__all__ = ["NodePanel", "auto_choice", "meta_content"]
