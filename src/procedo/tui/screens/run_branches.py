"""The run screen inside a parallel block: the branch bar, switching between the open
branches (``tab`` / ``shift+tab``, or ``g`` and the branch's number), each branch's own
cursor, and saying so when an action moved the focus to another branch.

``tab`` only switches branches while the run is inside a parallel block; elsewhere the
binding does not apply and ``tab`` moves the keyboard focus as on any screen. Digits choose
options at a decision, so a branch is picked by number in a small dialog (``g 2``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from procedo.engine import RunError
from procedo.engine.branches import BranchView, branch_views, node_title
from procedo.engine.state import parent_key
from procedo.tui.screens.dialogs import ChoicePrompt
from procedo.tui.widgets.branch_bar import BranchBar

if TYPE_CHECKING:
    from procedo.tui.screens.run import RunScreen

BRANCH_ACTIONS = frozenset({"next_branch", "pick_branch"})
"""The actions that apply only inside a parallel block."""

BRANCH_BINDINGS: list[BindingType] = [
    Binding("tab", "next_branch(1)", "Next branch", id="run.next_branch"),
    Binding(
        "shift+tab", "next_branch(-1)", "Previous branch", id="run.previous_branch", show=False
    ),
    Binding("g", "pick_branch", "Go to branch", id="run.pick_branch"),
]
"""The branch keys (check_action shows them only while the run is inside a parallel block)."""


@dataclass
class BranchMemory:
    """What the screen remembers per branch: the highlighted row (for the visit it was on),
    and the branches as last drawn (to tell when an action moved the focus)."""

    cursors: dict[str, tuple[int, int]] = field(default_factory=dict)
    views: list[BranchView] = field(default_factory=list)
    focus: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    """Every branch's title by key, once drawn (a branch gone from the bar is still named)."""

    def remember(self, key: str, visit: int | None, row: int | None) -> None:
        """Keep ``row`` as the cursor of branch ``key`` at ``visit``."""
        if visit is not None and row is not None:
            self.cursors[key] = (visit, row)

    def recall(self, key: str, visit: int | None) -> int | None:
        """The row remembered for branch ``key``, if it is still at the same visit."""
        found = self.cursors.get(key)
        return found[1] if found is not None and found[0] == visit else None


def memory_of(screen: RunScreen) -> BranchMemory:
    """The screen's branch memory (made on first use)."""
    memory: BranchMemory | None = getattr(screen, "_branch_memory", None)
    if memory is None:
        memory = BranchMemory(focus=screen.run.state.focus)
        screen._branch_memory = memory  # type: ignore[attr-defined]
    return memory


def branch_keys_apply(screen: RunScreen) -> bool:
    """Whether the branch keys belong in the footer: more than one branch to work on."""
    return len(screen.run.state.open_positions()) > 1


def show_branches(screen: RunScreen) -> None:
    """Draw the branch bar (hidden outside a parallel block); remember what it shows."""
    run = screen.run
    views = branch_views(run.definition, run.state) if run.state.parallel else []
    screen.query_one("#branch-bar", BranchBar).show(run.definition, views)
    memory = memory_of(screen)
    memory.views = views
    memory.titles.update((view.key, view.title) for view in views)


def focus_moved(screen: RunScreen) -> str:
    """After a saved action: when the engine moved the focus to another branch (or the
    join opened), say so ("" when the focus stayed)."""
    memory = memory_of(screen)
    state = screen.run.state
    old, new = memory.focus, state.focus
    memory.focus = new
    if old == new or state.finished:
        return ""
    views = {view.key: view for view in branch_views(screen.run.definition, state)}
    now = views.get(new)
    if now is not None and parent_key(new) == old:  # a split: the branches open
        count = sum(1 for key in views if parent_key(key) == old)
        return (
            f"{now.block_title}: {count} branches at once; now: branch {now.number}, {where(now)}"
        )
    left = memory.titles.get(old)
    said = f"{left} is at the join" if left is not None else "the branch is at the join"
    if now is not None:
        return f"{said}; now: branch {now.number}, {where(now)}"
    node = state.current_node
    title = node_title(screen.run.definition, node) if node else "the join"
    return f"{said}; every branch arrived, the join opens: {title}"


def where(view: BranchView) -> str:
    """A branch as the status line names it: its title, and its node when that is another."""
    if view.arrived or view.node_title == view.title:
        return view.title
    return f"{view.title} ({view.node_title})"


def switch_to(screen: RunScreen, key: str) -> None:
    """Work on branch ``key``: its own cursor back where it was."""
    run, memory = screen.run, memory_of(screen)
    if key == run.state.focus:
        return
    current = run.state.current
    memory.remember(run.state.focus, current.index if current else None, screen.panel.highlighted)
    try:
        run.switch(key)
    except RunError as error:
        screen.failed(error)
        return
    memory.focus = key
    screen.panel.forget_cursor()
    screen.refresh_view()
    visit = run.state.current
    row = memory.recall(key, visit.index if visit else None)
    if row is not None:
        screen.panel.select_line(row)
    view = next((v for v in memory.views if v.key == key), None)
    if view is not None:
        screen.show_status(f"now: branch {view.number}, {where(view)}")


class BranchActions:
    """The run screen's branch actions (a mixin of :class:`RunScreen`)."""

    def action_next_branch(self: RunScreen, delta: int) -> None:  # type: ignore[misc]
        """Work on the next (or previous) open branch."""
        views = [view for view in memory_of(self).views if not view.arrived]
        if len(views) < 2:
            return
        keys = [view.key for view in views]
        at = keys.index(self.run.state.focus) if self.run.state.focus in keys else -1
        switch_to(self, keys[(at + delta) % len(keys)])

    def action_pick_branch(self: RunScreen) -> None:  # type: ignore[misc]
        """Pick a branch by its number (or with the arrows) in a small dialog."""
        views = memory_of(self).views  # numbered as the bar numbers them; an arrived one refuses
        if len(views) < 2:
            return
        # numbered as on the bar: two branches may have the same title, a label names one
        labels = [
            f"{view.number}. {where(view)}" + ("  · at the join" if view.arrived else "")
            for view in views
        ]

        def picked(answer: object) -> None:
            if answer is not None and str(answer) in labels:
                switch_to(self, views[labels.index(str(answer))].key)

        current = next((label for label, v in zip(labels, views, strict=True) if v.focused), None)
        self.app.push_screen(ChoicePrompt("Work on which branch?", labels, current=current), picked)


__all__ = [
    "BRANCH_ACTIONS",
    "BRANCH_BINDINGS",
    "BranchActions",
    "BranchMemory",
    "branch_keys_apply",
    "focus_moved",
    "show_branches",
    "switch_to",
]
