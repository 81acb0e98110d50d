"""The rows of the home screen's two lists, as cells: an unfinished run (title, operator, where
it is, last activity) and a process (title, version, steps, last run, success rate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from procedo.tui.ago import ago
from procedo.tui.text import cell, percent

if TYPE_CHECKING:
    from procedo.workspace import ProcessSummary, UnfinishedRun


def matches(needle: str, *texts: str) -> bool:
    """Whether any of ``texts`` holds the filter ``needle`` (case folded; all do when empty)."""
    needle = needle.strip().casefold()
    return not needle or any(needle in text.casefold() for text in texts)


def title_widths(width: int) -> tuple[int, int]:
    """How wide the title column of each list may be (runs, processes) in ``width`` cells so
    that every column shows: the other columns at their widest, two cells of padding each, and
    a scrollbar."""
    return max(12, width - (14 + 22 + 12 + 8 + 2)), max(16, width - (8 + 5 + 12 + 7 + 10 + 2))


def unfinished_cells(run: UnfinishedRun, now: int, title_width: int) -> tuple[Text, ...]:
    """The cells of an unfinished run's row."""
    title = run.title + (" (practice)" if run.practice else "")
    # The marker first, so that a long node title never cuts it away.
    status = "⏸ " if run.status == "paused" else "▶ "
    return (
        cell(title, max_width=title_width),
        cell(run.operator, max_width=14),
        cell(status + run.node_title, max_width=22),
        cell(ago(run.updated_at, now)),
    )


def figure_cells(summary: ProcessSummary, now: int, *, figures: bool) -> tuple[Text, Text]:
    """The Last run and Success cells of a process ("…" until its ``figures`` are read)."""
    if not figures:
        return cell("…"), cell("…")
    last_run = ago(summary.last_run_at, now) if summary.last_run_at else "never"
    return cell(last_run), cell(percent(summary.success_rate))


def process_cells(
    summary: ProcessSummary, now: int, title_width: int, *, figures: bool
) -> tuple[Text, ...]:
    """The cells of a process's row (see :func:`figure_cells` for the last two)."""
    d = summary.loaded.definition
    return (
        cell(d.title, max_width=title_width),
        cell(d.version, max_width=8),
        cell(str(len(d.steps))),
        *figure_cells(summary, now, figures=figures),
    )
