"""The open branches of a parallel block, one line each, above the current node."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from procedo.engine.branches import BranchView
from procedo.model import ProcessDefinition
from procedo.tui.text import line
from procedo.tui.widgets.updates import update_static


def branch_line(definition: ProcessDefinition, view: BranchView) -> Content:
    """One branch: number, title, where it is, its role and progress (or "at the join")."""
    mark = ("▶ " if view.focused else "  ", "bold $accent" if view.focused else "")
    style = "bold" if view.focused else ""
    parts: list[str | Content | tuple[str, str]] = [
        mark,
        (f"{view.number} ", "bold"),
        (view.title, style),
    ]
    if view.arrived:
        parts.append(("  · at the join", "$text-muted"))
    else:
        if view.node_title != view.title:
            parts.append(("  · ", "$text-muted"))
            parts.append(view.node_title)
        if view.role:
            parts.append(("  · ", "$text-muted"))
            parts.append(definition.role_name(view.role))
        if view.total:
            parts.append(("  · ", "$text-muted"))
            parts.append(f"{view.done}/{view.total}")
    return line(*parts)


def branch_content(definition: ProcessDefinition, views: list[BranchView]) -> Content:
    """The bar: the block's title, then every branch (the focused one marked ▶)."""
    if not views:
        return Content("")
    titles = list(dict.fromkeys(view.block_title for view in views))
    head = line(("Parallel  ", "$text-muted"), (" · ".join(titles), "bold"))
    rows = [branch_line(definition, view) for view in views]
    return Content("\n").join([head, *rows])


class BranchBar(Static):
    """The branches of the open parallel blocks (hidden outside one)."""

    def show(self, definition: ProcessDefinition, views: list[BranchView]) -> None:
        """Draw ``views`` (hide the bar when there are none)."""
        self.display = bool(views)
        update_static(self, branch_content(definition, views))


__all__ = ["BranchBar", "branch_content", "branch_line"]
