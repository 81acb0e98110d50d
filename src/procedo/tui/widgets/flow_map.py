"""The flow map beside a run: the path taken, the current node, the branches ahead."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from procedo.engine import RunState
from procedo.model import ProcessDefinition
from procedo.tui.text import line


def node_title(definition: ProcessDefinition, node_id: str) -> str:
    """A node's title (a decision's question)."""
    node = definition.node(node_id)
    return getattr(node, "title", None) or getattr(node, "question", node_id)


def map_content(definition: ProcessDefinition, state: RunState) -> Content:
    """The map as styled lines (see :mod:`procedo.render.text_map` for the layout)."""
    try:
        from procedo.render.text_map import render_text_map
    except ImportError:  # TEMPORARY until procedo.render.text_map lands
        marks = [("✓ " + node_title(definition, n), "$success") for n in state.path_nodes()[:-1]]
        current = state.current_node or ""
        marks.append(("▶ " + node_title(definition, current), "bold reverse $accent"))
        for following in definition.successors(current) if current else []:
            marks.append(("  → " + node_title(definition, following), ""))
        parts: list[str | tuple[str, str]] = []
        for mark in marks:
            parts += [mark, "\n"]
        return line(*parts)

    visited = set(state.visited_nodes())
    lines = render_text_map(definition, visited=visited, current=state.current_node)
    styles = {
        "current": "bold reverse $accent",
        "visited": "$success",
        "possible": "",
        "unreachable": "$text-muted",
    }
    parts = []
    for index, map_line in enumerate(lines):
        if index:
            parts.append("\n")
        parts.append((map_line.text, styles.get(map_line.style, "")))
    return line(*parts)


class FlowMap(VerticalScroll):
    """A scrollable map that keeps the current node in view."""

    def compose(self) -> ComposeResult:
        yield Static("", id="flow-map-text")

    def show(self, definition: ProcessDefinition, state: RunState) -> None:
        """Redraw for the run's state."""
        self.query_one("#flow-map-text", Static).update(map_content(definition, state))
