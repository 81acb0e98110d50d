"""The process map for a terminal: a tree of the flow, each node drawn once.

Steps follow each other down the page; a decision opens one branch per option, drawn with
box-drawing rails; a branch that leads to a node drawn elsewhere ends with that node's title
instead of drawing it twice: ``↺`` for a loop back to an earlier node, ``↪`` for a jump forward
(two options that meet again). Ends are leaves and are drawn wherever they are reached. Nodes
that only a trigger's own start reaches follow under that trigger's title.

A parallel block opens with its split (``⫼``), then draws its branches side by side in boxed
columns, each down to the block's join, and closes them again above the join node; a block in
a branch nests in its column. A block wider than the map may be (``width``) lists its branches
one after another instead, each under a header. A calling step names the process it runs
(``▸``); with outcomes, each opens a branch like a decision's option.

With a run, ``▶`` marks each node the run is at (one per open branch) and ``✓`` the nodes and
branches it went through; a node the run reached by a later branch is drawn under that branch,
so the marks never sit on a branch the run did not take.

The non-normal checklists follow the flow under their own heading
(:mod:`procedo.render.interrupt_map`): where each may happen and where it leads.

Each line carries a style name, not a colour: ``current``, ``visited`` (on the run's path),
``possible`` (still reachable from the current node, or any node when there is no run) and
``unreachable`` (no longer reachable in this run). The TUI maps the names to its theme; the CLI
prints the text alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.model.placeholders import fill
from procedo.render.blocks import BranchExit, block_inside, branch_exits
from procedo.render.interrupt_map import draw_interrupts, targets_ahead
from procedo.render.map_labels import FORK_SIGN, option_caption
from procedo.render.map_lines import (
    MapLine,
    MapSpan,
    MapStyle,
    block_width,
    one_after_another,
    side_by_side,
)
from procedo.render.text_map_labels import node_label, option_text
from procedo.safe_text import visible

__all__ = ["MapLine", "MapSpan", "MapStyle", "reachable_from", "render_text_map"]

BRANCH, LAST_BRANCH = "├─ ", "└─ "
RAIL, NO_RAIL = "│  ", "   "
LOOP, JUMP = "↺", "↪"
MAX_INDENT = 8
"""Decisions nested deeper than this stop indenting, so a long chain stays on the screen."""
TEXT_MAP_WIDTH = 100
"""The widest a map draws a parallel block side by side unless told its width."""
MIN_COLUMN = 12
"""The narrowest share of the width a branch's column is offered."""
JOIN_TEXT = f"{FORK_SIGN} join"
"""What a branch line says when it leads to its block's join."""


def reachable_from(definition: ProcessDefinition, start: str | None) -> set[str]:
    """Every node that can still be reached from ``start`` (itself included)."""
    if not start:
        return set()
    seen = {start}
    known = set(definition.node_ids())
    todo = [start] if start in known else []  # an interrupt's id leads nowhere by itself
    while todo:
        for following in definition.successors(todo.pop()):
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


@dataclass(frozen=True, slots=True)
class _Task:
    """A node's chain to draw at an indent, or (with ``option``) one option's branch."""

    node: str
    indent: str
    option: int | None = None


class _Drawer:
    """Walks the flow with an explicit stack (no recursion limit) and collects lines."""

    def __init__(
        self,
        definition: ProcessDefinition,
        visited: Collection[str],
        here: frozenset[str],
        figures: MapFigures | None,
        roles: bool = True,
        taken: Collection[tuple[str, str]] | None = None,
        values: Mapping[str, str] | None = None,
        width: int = TEXT_MAP_WIDTH,
    ) -> None:
        self.definition = definition
        self.roles = roles
        self.values = values or {}
        self.visited = visited
        self.here = here
        self.figures = figures
        self.taken = taken
        self.taken_into = {target for _, target in taken or ()}
        self._reach: dict[str, set[str]] = {}
        self._inside: dict[str, set[str]] = {}
        self.ahead: set[str] | None = None
        if here:
            self.ahead = set().union(*(reachable_from(definition, node) for node in here))
            for target in targets_ahead(definition, self.ahead, here):
                self.ahead |= reachable_from(definition, target)
        self.drawn: set[str] = set()
        self.lines: list[MapLine] = []
        self.width = width
        """The columns the lines being drawn may take (a column's share inside a block)."""
        self.stops: frozenset[str] = frozenset()
        """The joins of the blocks being drawn: a branch stops there."""

    def style(self, node_id: str) -> MapStyle:
        if node_id in self.here:
            return "current"
        if node_id in self.visited:
            return "visited"
        if self.ahead is None or node_id in self.ahead:
            return "possible"
        return "unreachable"

    def was_taken(self, source: str, target: str) -> bool:
        """Whether the run went along this edge (without the run's moves: both ends reached)."""
        if self.taken is None:
            return source in self.visited and (target in self.visited or target in self.here)
        return (source, target) in self.taken

    def edge_style(self, source: str, target: str) -> MapStyle:
        """An edge's line: on the path when the run took it, never the current mark."""
        if self.was_taken(source, target):
            return "visited"
        style = self.style(target)
        return "possible" if style in ("current", "visited") else style

    def leaf_style(self, source: str, target: str) -> MapStyle:
        """An end drawn as a leaf: current or visited only where the run reached it."""
        if self.was_taken(source, target):
            return self.style(target)
        return self.edge_style(source, target)

    def block_style(self, block_id: str) -> MapStyle:
        """A block's split and frame: on the path once the run is in it or went through it."""
        if block_id not in self._inside:
            self._inside[block_id] = block_inside(self.definition, block_id)
        inside = self._inside[block_id]
        if block_id in self.here or block_id in self.visited:
            return "visited"
        if any(node in self.visited or node in self.here for node in inside):
            return "visited"
        return self.style(block_id)

    def mark(self, node_id: str) -> str:
        if node_id in self.here:
            return "▶ "
        return "✓ " if node_id in self.visited else "  "

    def leaf_mark(self, source: str, target: str) -> str:
        """The mark of an end drawn as a leaf: only on the branch the run took to it."""
        return self.mark(target) if self.was_taken(source, target) else "  "

    def elsewhere(self, source: str, target: str) -> str:
        """``↺`` when ``target`` leads back to ``source`` (a loop), else ``↪`` (a jump on)."""
        if target not in self._reach:
            self._reach[target] = reachable_from(self.definition, target)
        return LOOP if source in self._reach[target] else JUMP

    def drawn_later(self, source: str, target: str) -> bool:
        """True when the run reached ``target`` by another branch: draw it there instead."""
        return (
            self.taken is not None
            and target not in self.drawn
            and target in self.taken_into
            and (source, target) not in self.taken
        )

    def label(self, node_id: str) -> str:
        """A node's own text: glyph, title or question, role, and figures."""
        return node_label(self.definition, node_id, self.figures, self.values, self.roles)

    def option_text(self, source: str, exit_: BranchExit) -> str:
        """An option's branch label, with its figures."""
        return option_text(self.figures, source, exit_)

    def emit(self, text: str, style: MapStyle, node: str | None = None) -> None:
        self.lines.append(MapLine(visible(text), style, node))

    def exits(self, node_id: str) -> list[BranchExit]:
        """The branches a node opens (none for a step that goes on to one node)."""
        return branch_exits(self.definition, node_id)

    def draw_from(self, start: str, prefix: str = "") -> None:
        """Draw everything reachable from ``start`` that is not drawn yet."""
        stack: list[_Task] = [_Task(start, prefix)]
        while stack:
            task = stack.pop()
            if task.option is None:
                branches = self._chain(task.node, task.indent)
            else:
                branches = self._option(task.node, task.option, task.indent)
            stack.extend(reversed(branches))

    def _chain(self, node_id: str, indent: str) -> list[_Task]:
        """Draw a run of nodes from ``node_id``; return the option branches to draw next."""
        definition = self.definition
        source = ""
        after_block = False
        while True:
            if node_id in self.stops:
                return []
            kind = definition.kind_of(node_id)
            if (
                kind != "end"
                and (source or after_block)
                and (node_id in self.drawn or (source and self.drawn_later(source, node_id)))
            ):
                style = self.style(node_id) if after_block else self.edge_style(source, node_id)
                jump = self.elsewhere(source, node_id) if source else JUMP
                self.emit(f"{indent}  {jump} {self.title(node_id)}", style, node_id)
                return []
            self.drawn.add(node_id)
            if kind == "end" and source:
                mark, style = self.leaf_mark(source, node_id), self.leaf_style(source, node_id)
            elif kind == "parallel":
                style = self.block_style(node_id)
                mark = "✓ " if style == "visited" else "  "
            else:
                mark, style = self.mark(node_id), self.style(node_id)
            self.emit(f"{indent}{mark}{self.label(node_id)}", style, node_id)
            if kind == "end":
                return []
            if kind == "parallel":
                self._block(node_id, indent)
                source, node_id, after_block = "", definition.parallel[node_id].join, True
                continue
            count = len(self.exits(node_id))
            if count:
                return [_Task(node_id, indent, index) for index in range(count)]
            source, node_id, after_block = node_id, definition.steps[node_id].next or "", False

    def _block(self, block_id: str, indent: str) -> None:
        """Draw a block's branches: side by side when they fit the width, else one after
        another under headers."""
        block = self.definition.parallel[block_id]
        frame = self.block_style(block_id)
        room = self.width - len(indent)
        count = len(block.branches)
        share = max(MIN_COLUMN, (room - 1) // count - 3)
        before = set(self.drawn)
        columns = [self._branch(first, block.join, share) for first in block.branches]
        if block_width(columns) <= room:
            self.lines.extend(side_by_side(columns, indent, frame))
            return
        self.drawn.clear()
        self.drawn.update(before)
        columns = [self._branch(first, block.join, room - 2) for first in block.branches]
        headers = [
            f"branch {number} of {count}: {self.title(first)}"
            for number, first in enumerate(block.branches, 1)
        ]
        self.lines.extend(one_after_another(columns, [visible(h) for h in headers], indent, frame))

    def _branch(self, first: str, join: str, width: int) -> list[MapLine]:
        """The lines of one branch, from ``first`` down to ``join``, within ``width``."""
        saved = (self.lines, self.stops, self.width)
        self.lines, self.stops, self.width = [], self.stops | {join}, width
        try:
            if first == join:
                self.emit(f"  {JOIN_TEXT}", self.style(join))
            elif first in self.drawn and self.definition.kind_of(first) != "end":
                self.emit(f"  {JUMP} {self.title(first)}", self.style(first), first)
            else:
                self.draw_from(first)
            return self.lines
        finally:
            self.lines, self.stops, self.width = saved

    def _option(self, node_id: str, index: int, indent: str) -> list[_Task]:
        """Draw one option's branch line; return its target's chain when still to draw."""
        exits = self.exits(node_id)
        exit_ = exits[index]
        option = exit_.option
        last = index == len(exits) - 1
        deep = len(indent) >= MAX_INDENT * len(RAIL)
        rail = "" if deep else (NO_RAIL if last else RAIL)
        head = f"{indent}{LAST_BRANCH if last else BRANCH}"
        text = head + self.option_text(node_id, exit_)
        if option is not None and (option.when is not None or option.default):
            caption = option_caption(option, TEXT_MAP_CONDITION)
            text = head + caption + text[len(head) + len(option.label) :]
        target = exit_.target
        style = self.edge_style(node_id, target)
        if self.was_taken(node_id, target) and self.taken is not None:
            text = head + "✓ " + text[len(head) :]
        if target in self.stops:
            self.emit(f"{text} → {JOIN_TEXT}", style)
        elif self.definition.kind_of(target) == "end":
            mark = self.leaf_mark(node_id, target).strip()
            style = self.leaf_style(node_id, target)
            self.emit(f"{text} → {mark + ' ' if mark else ''}{self.label(target)}", style, target)
        elif target in self.drawn or self.drawn_later(node_id, target):
            jump = self.elsewhere(node_id, target)
            self.emit(f"{text} → {jump} {self.title(target)}", style, target)
        else:
            self.emit(text, style)
            return [_Task(target, indent + rail)]
        return []

    def title(self, node_id: str) -> str:
        """A node's title or question, its placeholders filled."""
        node = self.definition.node(node_id)
        return fill(getattr(node, "title", None) or getattr(node, "question", node_id), self.values)


TEXT_MAP_CONDITION = 40
"""The longest condition the text map writes in full on a branch (it often sits in a panel)."""


def render_text_map(
    definition: ProcessDefinition,
    *,
    visited: Collection[str] = frozenset(),
    current: str | None = None,
    figures: MapFigures | None = None,
    roles: bool = True,
    taken: Collection[tuple[str, str]] | None = None,
    values: Mapping[str, str] | None = None,
    here: Collection[str] | None = None,
    width: int = TEXT_MAP_WIDTH,
) -> list[MapLine]:
    """The map of ``definition`` as lines; a run's ``visited`` and ``current`` nodes styled.

    ``here``: every node the run is at, one per open branch of a parallel block (``current``
    is the one node of a run without branches; both may be given). ``width``: the columns the
    map may take; a parallel block that would draw wider lists its branches one after another.

    ``taken`` is the run's moves as (from, to) pairs: only those branches are marked as its
    path (without it, a branch between two visited nodes counts as taken).
    ``roles=False`` leaves out who does each node (for a narrow side panel).
    ``values``: a run's named values, shown in the titles' ``{id}`` placeholders (without a
    run a placeholder shows as ``‹id›``, a doubled brace as one brace).
    """
    places = frozenset(here or ()) | ({current} if current else set())
    drawer = _Drawer(definition, visited, places, figures, roles, taken, values, width)
    if definition.start:
        drawer.draw_from(definition.start)
    for trigger in definition.triggers:
        start = trigger.start
        if start and start not in drawer.drawn:
            drawer.emit(f"⚑ {fill(trigger.title, drawer.values)}", drawer.style(start))
            drawer.draw_from(start, "  ")
    draw_interrupts(drawer)
    for node_id in definition.node_ids():
        if node_id not in drawer.drawn and definition.kind_of(node_id) != "end":
            drawer.emit("(not reached from any start)", "unreachable")
            drawer.draw_from(node_id, "  ")
    return drawer.lines
