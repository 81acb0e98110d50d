"""The words of the figures of parallel blocks and calling steps, as plain text: the metrics
screen and ``procedo stats`` both draw these (as :mod:`procedo.render.metrics_text` does for
the other figures)."""

from __future__ import annotations

from procedo.model.parallel_figures import BlockFigure, BranchFigure, CallFigure
from procedo.render.metrics_text import duration_text, percent
from procedo.render.words import plural

BLOCKS = "Parallel branches (split to join; last: how often it arrives last)"
CALLS = "Called processes"
CALLING_STEP = " + called run"
"""After a calling step's title in the step times: its time spans the called run."""


def block_heading(block: BlockFigure) -> str:
    """``Prepare the kit: 3 runs, median wait at Hand over 5 s``."""
    wait = duration_text(block.median_wait_ms)
    return (
        f"{block.title}: {plural(block.runs, 'run')} with every branch at the join, "
        f"median wait at {block.join_title} {wait}"
    )


def branch_cells(branch: BranchFigure) -> tuple[str, str, str, str]:
    """(number, title, median duration, ``last 67 % (2)``) of one branch."""
    last = f"last {percent(branch.last_share)} ({branch.last})"
    return str(branch.number), branch.title, duration_text(branch.median_ms), last


def call_text(call: CallFigure) -> str:
    """What a calling step costs and how its called process fares."""
    rate = percent(call.called_success_rate)
    return (
        f"{call.title} calls {call.called_title}: step time {duration_text(call.median_ms)} "
        f"with the called run (median of {plural(call.visits, 'visit')}), "
        f"{plural(call.called_runs, 'run')} called; {call.called_title} on its own: "
        f"success {rate} (of {call.called_finished} finished)"
    )
