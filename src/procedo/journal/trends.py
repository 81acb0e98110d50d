"""Trends (issue 13): runs, success rate and median duration per ISO week and per version.

Scope as in :mod:`procedo.journal.metrics`. A run counts in the week (ISO 8601, Monday to Sunday,
UTC: "2026-W48") and the version it started in. The figures are the metrics' own
(:mod:`figure_sql`): *success rate* = runs that ended at a success outcome over the finished
runs, None when none finished; *median* = of completed runs' active time, the middle value or
the mean of the two middle ones. Over all processes, a version is named "process version".

Each is one SQL query: the week is worked out in SQL (the Thursday of the run's week names its
ISO year and week), the counts are a GROUP BY and the medians a window over the completed runs,
ranked per period (``ROW_NUMBER``; the median's ranks are :mod:`order_stats`').
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.journal import figure_sql as sql
from procedo.journal.order_stats import median_ranks
from procedo.journal.store import Journal
from procedo.model.figures import TrendPoint, Trends

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
    version = (
        "r.process_version" if scope.process_id else "r.process_id || ' ' || r.process_version"
    )
    return Trends(
        weeks=_points(journal, scope, WEEK, "period"),
        versions=_points(journal, scope, version, "first, period"),
    )


def _points(journal: Journal, scope: Scope, period: str, order: str) -> tuple[TrendPoint, ...]:
    low, high = median_ranks("n")
    counts = ", ".join(f"{sql.RUN_COUNTS[name]} AS {name}" for name in _COUNTS)
    rows = journal.rows(
        f"""
        WITH r AS (
            SELECT {period} AS period, r.started_at, r.status, r.success, r.duration_ms
            FROM runs r {scope.where("r")}
        ),
        counts AS (
            SELECT period, MIN(started_at) AS first, {counts} FROM r GROUP BY period
        ),
        ranked AS (
            SELECT period, duration_ms,
                ROW_NUMBER() OVER (PARTITION BY period ORDER BY duration_ms) AS k,
                COUNT(*) OVER (PARTITION BY period) AS n
            FROM r WHERE {sql.DONE}
        ),
        medians AS (
            SELECT period, AVG(duration_ms) AS median_ms FROM ranked
            WHERE k IN ({low}, {high}) GROUP BY period
        )
        SELECT c.*, 1.0 * c.succeeded / NULLIF(c.completed + c.aborted, 0) AS success_rate,
            m.median_ms
        FROM counts c LEFT JOIN medians m USING (period) ORDER BY {order}
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
