"""The words and cells of the clock figures (issue 13): the time split and the trends, as plain
text. The metrics screen and ``procedo stats`` both draw these (as :mod:`metrics_text`), and the
run screen can say a node's usual time and the estimated finish in the same words.
"""

from __future__ import annotations

from procedo.model.clock_figures import FinishEstimate, StepUsual, TimeSplit, TrendPoint
from procedo.render.durations import duration
from procedo.render.metrics_text import NONE, percent

TIME_SPLIT = "Where the time goes (working, deciding, hand-overs, pauses, interrupts)"
SPLIT_HEADINGS = ("Total", "Working", "Deciding", "Hand-over", "Paused", "Interrupts")
BY_NODE = "Per node"
BY_ROLE = "Per role"
BY_OPERATOR = "Per operator"
TRENDS_BY_WEEK = "Trends per ISO week (median duration · success rate · runs)"
TRENDS_BY_VERSION = "Trends per version (median duration · success rate · runs)"
NO_HISTORY = "no completed runs yet"
"""What the run screen says instead of a usual time it does not have."""
BAR = 20


def part(ms: int) -> str:
    """A part of the split: its duration, or a dash for none."""
    return duration(ms) if ms else NONE


def split_cells(s: TimeSplit) -> tuple[str, str, str, str, str, str]:
    """Total, working, deciding, hand-over, paused, interrupts (the :data:`SPLIT_HEADINGS`)."""
    return (
        part(s.total_ms),
        part(s.working_ms),
        part(s.deciding_ms),
        part(s.handover_ms),
        part(s.paused_ms),
        part(s.interrupted_ms),
    )


def split_name(s: TimeSplit, many: bool) -> str:
    """A node's title with its id (``process/node`` over all processes), a role or a name."""
    if s.process_id is None or s.title == "all":
        return s.title
    return f"{s.title} ({s.process_id}/{s.key})" if many else f"{s.title} ({s.key})"


def trend_cells(p: TrendPoint) -> tuple[str, str, str, str]:
    """Period, runs (``12 runs, 9 finished``), success rate, median duration."""
    finished = p.completed + p.aborted
    return (
        p.period,
        f"{p.started} started, {finished} finished",
        percent(p.success_rate),
        NONE if p.median_ms is None else duration(int(p.median_ms)),
    )


def bar(value: float | None, top: float, width: int = BAR) -> str:
    """A bar of ``#`` as long as ``value`` is of ``top`` (at least one for a value above 0)."""
    if not value or top <= 0:
        return ""
    return "#" * max(1, round(width * value / top))


def usual_text(usual: StepUsual | None) -> str:
    """``usual 3 min 30 s · p90 6 min 10 s (27 runs)``, or :data:`NO_HISTORY`."""
    if usual is None:
        return NO_HISTORY
    runs = "1 run" if usual.runs == 1 else f"{usual.runs} runs"
    return f"usual {duration(int(usual.median_ms))} · p90 {duration(usual.p90_ms)} ({runs})"


def estimate_text(estimate: FinishEstimate | None) -> str:
    """``about 14 min 30 s in all (4 min 30 s left) · target 20 min``, or :data:`NO_HISTORY`."""
    if estimate is None:
        return NO_HISTORY
    text = f"about {duration(estimate.total_ms)} in all ({duration(estimate.remaining_ms)} left)"
    if estimate.target_ms is not None:
        text += f" · target {duration(estimate.target_ms)}"
    return text
