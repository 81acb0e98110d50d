"""The terminal map's lines, and how a parallel block's branches are laid out in them.

A line is its text, one style name and the node it draws; a line that holds several branches
side by side also has its *spans*, one per part with its own style and node, so a screen can
mark each branch's place in it. :func:`side_by_side` boxes the branches as columns;
:func:`one_after_another` is the fallback for a block wider than the map may be.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

MapStyle = Literal["current", "visited", "possible", "unreachable"]

_RANK: dict[MapStyle, int] = {"current": 3, "visited": 2, "possible": 1, "unreachable": 0}


@dataclass(frozen=True, slots=True)
class MapSpan:
    """A part of a line: its text, its style name and the node it draws (if any)."""

    text: str
    style: MapStyle
    node: str | None = None


@dataclass(frozen=True, slots=True)
class MapLine:
    """One line of the map: its text, its style name and the node it draws (if any).

    ``spans``, when not empty, are the line's parts (their texts make up ``text``): a line of
    branches side by side. Its ``style`` is then the strongest of its parts' (``current`` when
    a branch is at a node of it) and its ``node`` the current one, else the first.
    """

    text: str
    style: MapStyle
    node: str | None = None
    spans: tuple[MapSpan, ...] = ()

    def parts(self) -> tuple[MapSpan, ...]:
        """The spans, or the whole line as one span."""
        return self.spans or (MapSpan(self.text, self.style, self.node),)


def cell_width(text: str) -> int:
    """The columns a text takes in a terminal: wide (East Asian) characters two, combining
    marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def line_of(spans: Sequence[MapSpan], style: MapStyle | None = None) -> MapLine:
    """A line made of spans (neighbours of one style merged), styled ``style`` or else by its
    strongest part."""
    merged: list[MapSpan] = []
    for span in spans:
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if last and last.style == span.style and last.node is None and span.node is None:
            merged[-1] = MapSpan(last.text + span.text, span.style)
        else:
            merged.append(span)
    text = "".join(span.text for span in merged)
    if not merged:
        return MapLine("", "possible")
    if style is None:
        style = max((span.style for span in merged), key=_RANK.__getitem__)
    nodes = [span.node for span in merged if span.node is not None]
    current = [span.node for span in merged if span.node is not None and span.style == "current"]
    node = (current or nodes or [None])[0]
    if len(merged) == 1:
        return MapLine(text, style, node)
    return MapLine(text, style, node, tuple(merged))


def block_width(columns: Sequence[Sequence[MapLine]]) -> int:
    """How wide :func:`side_by_side` draws these columns (without the indent)."""
    widths = [max((cell_width(line.text) for line in column), default=0) for column in columns]
    return sum(widths) + 3 * len(widths) + 1


def strongest(styles: Sequence[MapStyle], default: MapStyle) -> MapStyle:
    """The strongest style: current, then visited, possible, unreachable."""
    return max(styles, key=_RANK.__getitem__) if styles else default


def side_by_side(
    columns: Sequence[Sequence[MapLine]], indent: str, style: MapStyle
) -> list[MapLine]:
    """The branches as boxed columns: a top border, one row per line, a bottom border that
    closes them again (``style``: the frame's). A row is styled by its cells, not its frame."""
    widths = [max((cell_width(line.text) for line in column), default=0) for column in columns]
    rows = max((len(column) for column in columns), default=0)
    top = indent + "┌" + "┬".join("─" * (w + 2) for w in widths) + "┐"
    bottom = indent + "└" + "┴".join("─" * (w + 2) for w in widths) + "┘"
    out = [MapLine(top, style)]
    for row in range(rows):
        spans = [MapSpan(indent + "│ ", style)]
        cells: list[MapStyle] = []
        for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
            if index:
                spans.append(MapSpan(" │ ", style))
            cell = column[row] if row < len(column) else None
            used = 0
            if cell is not None:
                spans.extend(cell.parts())
                cells.append(cell.style)
                used = cell_width(cell.text)
            spans.append(MapSpan(" " * (width - used), style))
        spans.append(MapSpan(" │", style))
        out.append(line_of(spans, strongest(cells, style)))
    out.append(MapLine(bottom, style))
    return out


def one_after_another(
    columns: Sequence[Sequence[MapLine]],
    headers: Sequence[str],
    indent: str,
    style: MapStyle,
) -> list[MapLine]:
    """The branches listed one below the other, each under its header, on a rail."""
    out: list[MapLine] = []
    for index, (column, header) in enumerate(zip(columns, headers, strict=True)):
        corner = "┌" if index == 0 else "├"
        out.append(MapLine(f"{indent}{corner} {header}", style))
        for line in column:
            out.append(line_of([MapSpan(indent + "│ ", style), *line.parts()], line.style))
    out.append(MapLine(f"{indent}└ all branches joined", style))
    return out
