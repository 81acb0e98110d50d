"""The flow map beside a run: the path taken, the current node, the branches ahead."""

from __future__ import annotations

from collections.abc import Collection

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from procedo.engine import RunState
from procedo.engine.judge import scope_texts
from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.render.text_map import MapLine, render_text_map
from procedo.tui.interrupt_view import flow_node
from procedo.tui.text import line

MAP_STYLES = {
    "current": "bold reverse $accent",
    "visited": "$success",
    "possible": "",
    "unreachable": "$text-muted",
}
"""Theme styles for the map's style names (see :mod:`procedo.render.text_map`)."""


def lines_content(lines: list[MapLine]) -> Content:
    """Map lines as literal, styled content (titles are never parsed as markup)."""
    parts: list[str | tuple[str, str]] = []
    for index, map_line in enumerate(lines):
        if index:
            parts.append("\n")
        # a row of branches side by side: each branch's part in its own style
        parts.extend((span.text, MAP_STYLES.get(span.style, "")) for span in map_line.parts())
    return line(*parts)


def taken_edges(state: RunState) -> set[tuple[str, str]]:
    """The moves the run made, as (from, to) pairs (a move undone with *back* not counted)."""
    return {
        (visit.node, visit.next_node)
        for visit in state.visits
        if visit.next_node is not None and visit.outcome in ("completed", "chosen")
    }


def map_lines(
    definition: ProcessDefinition,
    state: RunState | None = None,
    figures: MapFigures | None = None,
    *,
    roles: bool = True,
    width: int | None = None,
) -> list[MapLine]:
    """The map's lines, styled for a run's state when there is one (every open branch's node
    marked); ``width``: the columns it may take (a wider parallel block is listed branch after
    branch)."""
    visited: Collection[str] = frozenset()
    current = None
    taken = None
    values = None
    here: set[str] | None = None
    if state is not None:
        # inside a non-normal checklist, the map shows the node of the flow it interrupted
        visited = {node for node in state.visited_nodes() if node not in definition.interrupts}
        current = flow_node(state)
        taken = taken_edges(state)
        values = scope_texts(definition, state)
        if not state.finished:
            here = {state.visits[p.path[-1]].node for p in state.open_positions()}
    return render_text_map(
        definition,
        visited=visited,
        current=current,
        figures=figures,
        roles=roles,
        taken=taken,
        values=values,
        here=here,
        **({"width": width} if width is not None else {}),
    )


def current_line(lines: list[MapLine]) -> int | None:
    """The index of the line that draws the current node, if any."""
    return next((i for i, map_line in enumerate(lines) if map_line.style == "current"), None)


NODE_MIN_WIDTH = 64
"""Columns the map leaves to the node beside it (a checklist line with its marks)."""
MAX_SHARE = 0.45
"""The largest share of the screen's width the map takes."""
MIN_WIDTH = 24


def fitted_width(longest: int, screen_width: int) -> int:
    """The map's width: its longest line, within what the screen can spare for it."""
    room = min(screen_width - NODE_MIN_WIDTH, int(screen_width * MAX_SHARE))
    return max(MIN_WIDTH, min(longest, room))


class FlowMap(VerticalScroll):
    """A scrollable map that keeps the current node in view.

    It is as wide as its longest line needs, up to what the screen can spare beside the node
    (see :func:`fitted_width`); only then are titles cut.
    """

    _longest = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="flow-map-text")

    def show(self, definition: ProcessDefinition, state: RunState) -> None:
        """Redraw for the run's state and scroll the current node into view."""
        room = fitted_width(1 << 16, self.app.size.width) - 2  # the side panel is narrow
        lines = map_lines(definition, state, roles=False, width=max(MIN_WIDTH, room))
        self.query_one("#flow-map-text", Static).update(lines_content(lines))
        frame = self.styles.gutter.width + self.styles.scrollbar_size_vertical
        self._longest = max((len(map_line.text) for map_line in lines), default=0) + frame
        self.fit()
        row = current_line(lines)
        if row is not None:
            self.call_after_refresh(self._scroll_to_row, row)

    def fit(self) -> None:
        """Size the map for its lines and the screen's current width."""
        self.styles.width = fitted_width(self._longest, self.app.size.width)

    def _scroll_to_row(self, row: int) -> None:
        self.scroll_to(y=max(0, row - self.size.height // 2), animate=False)
