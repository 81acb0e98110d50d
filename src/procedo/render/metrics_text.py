"""The words and formats of every metrics figure, as plain text: the metrics screen and
``procedo stats`` both draw these, so a figure reads the same in the app and the terminal.

A new figure needs its query (:mod:`procedo.journal.metrics`, from
:mod:`procedo.journal.figure_sql`) and its text here; each face only lays the cells out.
"""

from __future__ import annotations

from procedo.model.figures import (
    ExpectedMiss,
    InactiveCount,
    LoopCount,
    Metrics,
    NotApplicable,
    NumberStats,
    OptionCount,
    StepTime,
    SuggestionCount,
    Tally,
)
from procedo.render.durations import duration
from procedo.render.words import plural

NONE = "–"
"""A figure that cannot be computed (no runs finished, no target)."""

RUNS = "Runs"
SUCCESS = "Success rate"
DURATION = "Duration"
ON_TARGET = "On target"
STEPS = "Where the time goes (median per step)"
DECISIONS = "Decisions"
NOT_APPLICABLE = "Most often not applicable"
LOOPS = "Loops"
NUMBERS = "Recorded numbers"
OPERATORS = "Runs per operator"
TRIGGERS = "Runs per trigger"
DEVIATIONS = "Expected values missed"
SUGGESTIONS = "Suggestions: followed, overridden, automatic"
INACTIVE = "Inactive items (switched off by their condition)"
REASONS_SHOWN = 3


def percent(share: float | None) -> str:
    """``83 %``, or a dash."""
    return NONE if share is None else f"{round(share * 100)} %"


def duration_text(ms: float | None) -> str:
    """A duration (median or percentile) as :func:`procedo.render.durations.duration` writes
    it, or a dash."""
    return NONE if ms is None else duration(int(ms))


def number(value: float | None) -> str:
    """A recorded number without trailing zeros (``20.5``, ``18``)."""
    return "" if value is None else f"{value:g}"


def scope(m: Metrics) -> str:
    """``version 2``, ``all versions`` or nothing (all processes)."""
    if m.version:
        return f"version {m.version}"
    return "all versions" if m.process_id else ""


def practice(m: Metrics) -> str:
    """Whether practice runs are counted."""
    return "practice runs included" if m.include_practice else "practice runs left out"


def runs(m: Metrics) -> str:
    """``8 started · 5 completed · 1 aborted · 2 unfinished``."""
    return (
        f"{m.started} started · {m.completed} completed · {m.aborted} aborted · "
        f"{m.unfinished} unfinished"
    )


def success(m: Metrics) -> tuple[str, str]:
    """The success rate and what it is of."""
    return percent(m.success_rate), (
        f"{m.succeeded} of {plural(m.finished, 'finished run')} ended at a success"
    )


def durations(m: Metrics) -> str:
    """``median 9 min · 90th percentile 15 min``."""
    return f"median {duration_text(m.median_ms)} · 90th percentile {duration_text(m.p90_ms)}"


def on_target(m: Metrics) -> tuple[str, str]:
    """The on-target share and what it is of."""
    return percent(m.on_target_share), (
        f"{m.within_target} of {plural(m.with_target, 'completed run')} with a target"
    )


def step(s: StepTime) -> tuple[str, str, str]:
    """(median, title, ``12 visits``)."""
    return duration_text(s.median_ms), s.title, plural(s.visits, "visit")


def option(o: OptionCount) -> tuple[str, str, str]:
    """(share, label, count) of one option of a decision."""
    return percent(o.share), o.label, str(o.count)


def not_applicable(n: NotApplicable) -> tuple[str, str, str]:
    """(``3×``, item text, its commonest reasons with their counts)."""
    reasons = "; ".join(f"{r.reason} ({r.count})" for r in n.reasons[:REASONS_SHOWN])
    return f"{n.count}×", n.text, reasons


def loop(lp: LoopCount) -> tuple[str, str]:
    """(title, ``repeated in 1 run, up to 3 visits``)."""
    return lp.title, (
        f"repeated in {plural(lp.runs_with_repeats, 'run')}, up to {plural(lp.max_visits, 'visit')}"
    )


def recorded(n: NumberStats) -> tuple[str, str, str, str]:
    """(item text, ``median 20.5 °C``, ``range 18–25 °C``, ``6 values``)."""
    unit = f" {n.unit}" if n.unit else ""
    return (
        n.text,
        f"median {number(n.median)}{unit}",
        f"range {number(n.min)}–{number(n.max)}{unit}",
        plural(n.count, "value"),
    )


def tally(t: Tally) -> tuple[str, str]:
    """(runs, operator or trigger; ``(none)`` for runs without a trigger)."""
    return str(t.runs), t.name or "(none)"


def deviation(d: ExpectedMiss) -> tuple[str, str, str, str]:
    """(``50 %``, item text, ``missed 1 of 2: expected residual_v < 1``, the values missed)."""
    values = ", ".join(f"{v.value} ({v.count})" for v in d.values)
    said = f"missed {d.missed} of {plural(d.recorded, 'value')}: expected {d.expect}"
    return percent(d.share), d.text, said, values


def suggestion(s: SuggestionCount) -> tuple[str, str]:
    """(question, ``2 choices · 1 confirmed · 1 overridden · 0 automatic``)."""
    return s.question, (
        f"{plural(s.choices, 'choice')} · {s.confirmed} confirmed · {s.overridden} overridden"
        f" · {s.automatic} automatic"
    )


def inactive(i: InactiveCount) -> tuple[str, str, str]:
    """(``3×``, item text, its ``when``)."""
    return f"{i.count}×", i.text, f"when {i.when}" if i.when else ""
