"""The board's cells: what each column says of a run, and how wide the columns are.

Literal text only (:func:`procedo.tui.text.cell`): titles, names and roles come from TOML
files and operators.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from procedo.engine.clock_text import clock_text
from procedo.model.board import BoardRow
from procedo.tui.ago import ago
from procedo.tui.text import cell, duration

COLUMNS = [
    ("process", "Process"),
    ("operator", "Operator"),
    ("node", "At"),
    ("role", "Role"),
    ("elapsed", "Elapsed"),
    ("at-node", "At node"),
    ("last", "Last activity"),
    ("holder", "Held by"),
]
LABELS = dict(COLUMNS)
TITLES = ("process", "node")
"""The columns that share what the others leave of the width (at least 10 each)."""
TICKING = ("elapsed", "at-node", "last")
"""The columns that change with the clock: ticked every second on the rows on screen."""
NARROW = ("role", "last")
"""The columns left out under :data:`WIDE` cells of width (80 columns show the rest)."""
WIDE = 120
AHEAD_MS = 60_000
"""The elapsed columns are as wide as their text this much later, so they fit until the
next read (at most the board's reread interval away) measures them again."""


def usual_text(usual: object | None) -> str:
    """The usual time at a node as the board says it: ``usual 3:30 · p90 6:10`` from the
    figures' ``StepUsual`` (its ``median_ms`` and ``p90_ms``), a text as it is, or ""."""
    if usual is None:
        return ""
    median = getattr(usual, "median_ms", None)
    if median is None:
        return str(usual)
    text = f"usual {clock_text(int(median))}"
    p90 = getattr(usual, "p90_ms", None)
    return text + (f" · p90 {clock_text(int(p90))}" if p90 is not None else "")


def elapsed_cell(row: BoardRow, now: int) -> Text:
    """``7:00 / 30 min``: the run's active time against its target (red past it)."""
    text = clock_text(row.elapsed_ms(now))
    if row.target_ms is not None:
        text += f" / {duration(row.target_ms)}"
    return cell(text, "red" if row.over_target(now) else "")


def at_node_cell(row: BoardRow, now: int) -> Text:
    """``4:00 · usual 3:30 · p90 6:10``: the time at the node, and what past runs took there
    (in the warning colour past their 90th percentile)."""
    at_node = row.node_elapsed_ms(now)
    if at_node is None:
        return cell("")
    usual = usual_text(row.usual)
    p90 = getattr(row.usual, "p90_ms", None)
    late = p90 is not None and at_node > int(p90)
    return cell(clock_text(at_node) + (f" · {usual}" if usual else ""), "yellow" if late else "")


def ticking_cells(row: BoardRow, now: int) -> dict[str, Text]:
    """The cells that change with the clock alone."""
    return {
        "elapsed": elapsed_cell(row, now),
        "at-node": at_node_cell(row, now),
        "last": cell(ago(row.last_activity, now)),
    }


def row_cells(
    row: BoardRow, now: int, host: str, *, wide: bool, title_width: int
) -> dict[str, Text]:
    """Every cell of one run, by column (``host``: this machine, left out of the holder)."""
    holder = "nobody" if row.holder is None else row.holder.describe(host, session=wide)
    marker = "⏸ " if row.status == "paused" else "▶ "
    practice = " (practice)" if row.practice else ""
    return {
        "process": cell(row.process_title + practice, max_width=title_width),
        "operator": cell(row.operator, max_width=14),
        "node": cell(marker + row.node_title, max_width=title_width),
        "role": cell(row.role, max_width=18),
        **ticking_cells(row, now),
        "holder": cell(holder, "" if row.holder else "dim", max_width=30),
    }


def columns_for(width: int) -> list[tuple[str, str]]:
    """The columns shown in a table ``width`` cells wide."""
    return [(key, label) for key, label in COLUMNS if width >= WIDE or key not in NARROW]


def layout(
    rows: Sequence[BoardRow], now: int, host: str, width: int
) -> tuple[int, list[dict[str, Text]], list[tuple[str, int]]]:
    """The cells of every row for a table ``width`` cells wide, each column's width (its
    widest cell, the ticking ones a minute later) and the titles' width (they share what the
    other columns leave, at least 10 cells each)."""
    columns = columns_for(width)
    wide = width >= WIDE
    lines = [row_cells(row, now, host, wide=wide, title_width=0) for row in rows]
    widths = {key: len(label) for key, label in columns}
    for row, line in zip(rows, lines, strict=True):
        later = ticking_cells(row, now + AHEAD_MS)
        for key in widths:
            widths[key] = max(widths[key], line[key].cell_len, later.get(key, line[key]).cell_len)
    others = sum(size for key, size in widths.items() if key not in TITLES)
    titles = max(10, (width - others - 2 * len(columns) - 2) // 2)
    for key in TITLES:
        widths[key] = min(widths[key], max(titles, len(LABELS[key])))
        for line in lines:
            if line[key].cell_len > titles:
                line[key] = cell(line[key].plain, max_width=titles)
    return titles, lines, [(key, widths[key]) for key, _ in columns]


__all__ = [
    "COLUMNS",
    "LABELS",
    "at_node_cell",
    "columns_for",
    "elapsed_cell",
    "layout",
    "row_cells",
    "ticking_cells",
    "usual_text",
]
