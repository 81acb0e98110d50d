"""The process map for a terminal: a tree of the flow, each node drawn once.

Steps follow each other down the page; a decision opens one branch per option, drawn with
box-drawing rails; a branch that leads to a node drawn elsewhere ends with that node's title
instead of drawing it twice: ``↺`` for a loop back to an earlier node, ``↪`` for a jump forward
(two options that meet again). Ends are leaves and are drawn wherever they are reached. Nodes
that only a trigger's own start reaches follow under that trigger's title.

With a run, ``▶`` marks the node the run is at and ``✓`` the nodes and branches it went
through; a node the run reached by a later branch is drawn under that branch, so the marks
never sit on a branch the run did not take.

Each line carries a style name, not a colour: ``current``, ``visited`` (on the run's path),
``possible`` (still reachable from the current node, or any node when there is no run) and
``unreachable`` (no longer reachable in this run). The TUI maps the names to its theme; the CLI
prints the text alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.model.placeholders import fill
from procedo.render.durations import duration_of_seconds
from procedo.render.flow_graph import option_caption
from procedo.safe_text import visible

MapStyle = Literal["current", "visited", "possible", "unreachable"]

BRANCH, LAST_BRANCH = "├─ ", "└─ "
RAIL, NO_RAIL = "│  ", "   "
LOOP, JUMP = "↺", "↪"
MAX_INDENT = 8
"""Decisions nested deeper than this stop indenting, so a long chain stays on the screen."""


@dataclass(frozen=True, slots=True)
class MapLine:
    """One line of the map: its text, its style name and the node it draws (if any)."""

    text: str
    style: MapStyle
    node: str | None = None


def reachable_from(definition: ProcessDefinition, start: str | None) -> set[str]:
    """Every node that can still be reached from ``start`` (itself included)."""
    if not start:
        return set()
    seen = {start}
    todo = [start]
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
        current: str | None,
        figures: MapFigures | None,
        roles: bool = True,
        taken: Collection[tuple[str, str]] | None = None,
        values: Mapping[str, str] | None = None,
    ) -> None:
        self.definition = definition
        self.roles = roles
        self.values = values or {}
        self.visited = visited
        self.current = current
        self.figures = figures
        self.taken = taken
        self.taken_into = {target for _, target in taken or ()}
        self._reach: dict[str, set[str]] = {}
        self.ahead = reachable_from(definition, current) if current else None
        self.drawn: set[str] = set()
        self.lines: list[MapLine] = []

    def style(self, node_id: str) -> MapStyle:
        if node_id == self.current:
            return "current"
        if node_id in self.visited:
            return "visited"
        if self.ahead is None or node_id in self.ahead:
            return "possible"
        return "unreachable"

    def was_taken(self, source: str, target: str) -> bool:
        """Whether the run went along this edge (without the run's moves: both ends reached)."""
        if self.taken is None:
            return source in self.visited and (target in self.visited or target == self.current)
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

    def mark(self, node_id: str) -> str:
        if node_id == self.current:
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
        definition = self.definition
        kind = definition.kind_of(node_id)
        figures = self.figures
        if kind == "end":
            end = definition.ends[node_id]
            glyph = "●" if end.success else "✗"
            text = f"{glyph} {fill(end.title, self.values)} ({end.outcome})"
        elif kind == "decision":
            decision = definition.decisions[node_id]
            text = f"◇ {fill(decision.question, self.values)}"
            if decision.role and self.roles:
                text += f" · {definition.role_name(decision.role)}"
            if decision.auto:
                text += " · ⚙ auto"
        else:
            step = definition.steps[node_id]
            text = fill(step.title, self.values)
            if step.role and self.roles:
                text += f" · {definition.role_name(step.role)}"
            if figures is not None and node_id in figures.median_seconds:
                visits = figures.node_visits.get(node_id, 0)
                median = duration_of_seconds(figures.median_seconds[node_id])
                text += f" · {visits}× median {median}"
        if figures is not None and figures.runs and not figures.reached(node_id):
            text += " · never reached"
        return text

    def option_text(self, source: str, label: str, target: str) -> str:
        text = label
        figures = self.figures
        if figures is not None and figures.runs:
            key = (source, target, label)
            count = figures.edge_counts.get(key, 0)
            share = figures.edge_share(key)
            text += f" ({count}×" + (f", {share:.0%})" if share is not None else ")")
        return text

    def emit(self, text: str, style: MapStyle, node: str | None = None) -> None:
        self.lines.append(MapLine(visible(text), style, node))

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
        while True:
            kind = definition.kind_of(node_id)
            if (
                kind != "end"
                and source
                and (node_id in self.drawn or self.drawn_later(source, node_id))
            ):
                style = self.edge_style(source, node_id)
                jump = self.elsewhere(source, node_id)
                self.emit(f"{indent}  {jump} {self._title(node_id)}", style, node_id)
                return []
            self.drawn.add(node_id)
            if kind == "end" and source:
                mark, style = self.leaf_mark(source, node_id), self.leaf_style(source, node_id)
            else:
                mark, style = self.mark(node_id), self.style(node_id)
            self.emit(f"{indent}{mark}{self.label(node_id)}", style, node_id)
            if kind == "end":
                return []
            if kind == "step":
                source, node_id = node_id, definition.steps[node_id].next
                continue
            count = len(definition.decisions[node_id].options)
            return [_Task(node_id, indent, index) for index in range(count)]

    def _option(self, node_id: str, index: int, indent: str) -> list[_Task]:
        """Draw one option's branch line; return its target's chain when still to draw."""
        options = self.definition.decisions[node_id].options
        option = options[index]
        last = index == len(options) - 1
        deep = len(indent) >= MAX_INDENT * len(RAIL)
        rail = "" if deep else (NO_RAIL if last else RAIL)
        head = f"{indent}{LAST_BRANCH if last else BRANCH}"
        text = head + self.option_text(node_id, option.label, option.next)
        if option.when is not None or option.default:
            caption = option_caption(option, TEXT_MAP_CONDITION)
            text = head + caption + text[len(head) + len(option.label) :]
        target = option.next
        style = self.edge_style(node_id, target)
        if self.was_taken(node_id, target) and self.taken is not None:
            text = head + "✓ " + text[len(head) :]
        if self.definition.kind_of(target) == "end":
            mark = self.leaf_mark(node_id, target).strip()
            style = self.leaf_style(node_id, target)
            self.emit(f"{text} → {mark + ' ' if mark else ''}{self.label(target)}", style, target)
        elif target in self.drawn or self.drawn_later(node_id, target):
            jump = self.elsewhere(node_id, target)
            self.emit(f"{text} → {jump} {self._title(target)}", style, target)
        else:
            self.emit(text, style)
            return [_Task(target, indent + rail)]
        return []

    def _title(self, node_id: str) -> str:
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
) -> list[MapLine]:
    """The map of ``definition`` as lines; a run's ``visited`` and ``current`` nodes styled.

    ``taken`` is the run's moves as (from, to) pairs: only those branches are marked as its
    path (without it, a branch between two visited nodes counts as taken).
    ``roles=False`` leaves out who does each node (for a narrow side panel).
    ``values``: a run's named values, shown in the titles' ``{id}`` placeholders (without a
    run a placeholder shows as ``‹id›``, a doubled brace as one brace).
    """
    drawer = _Drawer(definition, visited, current, figures, roles, taken, values)
    if definition.start:
        drawer.draw_from(definition.start)
    for trigger in definition.triggers:
        start = trigger.start
        if start and start not in drawer.drawn:
            drawer.emit(f"⚑ {fill(trigger.title, drawer.values)}", drawer.style(start))
            drawer.draw_from(start, "  ")
    for node_id in definition.node_ids():
        if node_id not in drawer.drawn and definition.kind_of(node_id) != "end":
            drawer.emit("(not reached from any start)", "unreachable")
            drawer.draw_from(node_id, "  ")
    return drawer.lines
