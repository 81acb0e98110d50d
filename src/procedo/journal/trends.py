"""Trends (issue 13): runs, success rate and median duration per ISO week and per version.

Scope as in :mod:`procedo.journal.metrics`. A run counts in the week (ISO 8601, Monday to Sunday,
UTC: "2026-W48") and the version it started in. The figures are the metrics' own
(:mod:`figure_sql`): *success rate* = runs that ended at a success outcome over the finished
runs, None when none finished; *median* = of completed runs' active time, the middle value or
the mean of the two middle ones. Over all processes, a version is named "process version".

Each is one SQL query, one pass over the covering index ``runs_trends`` (schema 8): the week
is worked out in SQL once per day that has runs (the Thursday of the day's week names its ISO
year and week), each run is ranked among the completed runs of its period (``ROW_NUMBER``; the
median's ranks are :mod:`order_stats`'), and one GROUP BY gives the counts and the median.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.journal import figure_sql as sql
from procedo.journal.order_stats import median_ranks
from procedo.journal.schema_v8 import TREND_RUNS
from procedo.journal.store import Journal
from procedo.model.clock_figures import TrendPoint, Trends

if TYPE_CHECKING:
    from procedo.journal.metrics import Scope

__all__ = ["TrendPoint", "Trends", "trends"]

_THURSDAY = "date(substr(r.started_at, 1, 10), '-3 days', 'weekday 4')"
WEEK = (
    f"strftime('%Y', {_THURSDAY}) || '-W' || "
    f"printf('%02d', (CAST(strftime('%j', {_THURSDAY}) AS INTEGER) - 1) / 7 + 1)"
)
"""The ISO week of a run (alias r) as text: "2026-W48"."""

_COUNTS = ("started", "completed", "aborted", "succeeded")


def trends(journal: Journal, scope: Scope) -> Trends:
    """The runs of ``scope`` per ISO week (oldest first) and per version (first run first)."""
    version = "r.process_version"
    if scope.process_id is None:
        version = f"r.process_id || ' ' || {version}"
    # The week of each day that has runs (a few hundred days), joined to the runs by their day.
    days = (
        f"SELECT day, {WEEK.replace('r.started_at', 'day')} AS period FROM ("
        f"SELECT DISTINCT substr(r.started_at, 1, 10) AS day {_runs(scope)})"
    )
    return Trends(
        weeks=_points(
            journal,
            scope,
            "(SELECT w.period FROM w WHERE w.day = substr(r.started_at, 1, 10))",
            "period",
            days,
        ),
        versions=_points(journal, scope, version, "first, period"),
    )


def _runs(scope: Scope) -> str:
    return f"FROM runs r INDEXED BY runs_trends {scope.where('r')} AND r.{TREND_RUNS}"


def _points(
    journal: Journal, scope: Scope, period: str, order: str, days: str | None = None
) -> tuple[TrendPoint, ...]:
    """One pass over the runs: each ranked among the completed (or the others) of its period,
    then the counts and the median per period."""
    low, high = median_ranks("n")
    counts = ", ".join(f"{sql.RUN_COUNTS[name]} AS {name}" for name in _COUNTS)
    completed = f"({sql.DONE})"
    rows = journal.rows(
        f"""
        WITH {f"w AS MATERIALIZED ({days})," if days else ""}
        r AS (
            SELECT {period} AS period, r.started_at, r.status, r.success, r.duration_ms
            {_runs(scope)}
        ),
        ranked AS (
            SELECT r.*,
                ROW_NUMBER() OVER (PARTITION BY period, {completed} ORDER BY duration_ms) AS k,
                COUNT(*) OVER (PARTITION BY period, {completed}) AS n
            FROM r
        )
        SELECT period, MIN(started_at) AS first, {counts},
            1.0 * {sql.RUN_COUNTS["succeeded"]}
                / NULLIF({sql.RUN_COUNTS["completed"]} + {sql.RUN_COUNTS["aborted"]}, 0)
                AS success_rate,
            AVG(CASE WHEN {sql.DONE} AND k IN ({low}, {high}) THEN duration_ms END) AS median_ms
        FROM ranked GROUP BY period ORDER BY {order}
        """,
        scope.params,
    )
    return tuple(
        TrendPoint(
            r["period"],
            r["started"],
            r["completed"],
            r["aborted"],
            r["succeeded"],
            r["success_rate"],
            r["median_ms"],
        )
        for r in rows
    )
