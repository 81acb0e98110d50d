"""Completion metrics of a process (or of all), computed in SQL over the journal.

Nothing loads all runs or all events into memory: counts are aggregate queries over covering
indexes, and each median or percentile is an ``ORDER BY ... LIMIT 1 OFFSET k`` query that walks
one index. The SQL of each figure is :mod:`procedo.journal.figure_sql`'s and the ranks are
:mod:`procedo.journal.order_stats`', as in the stored views of :mod:`procedo.journal.views`.
Practice runs are left out unless asked for.

Definitions:

- *started*: runs in scope; *completed*, *aborted*; *unfinished*: active or paused.
- *success rate*: completed runs that ended at a success outcome, divided by the finished runs
  (completed + aborted); None when none has finished.
- *median* and *p90* duration: of completed runs' active time (pauses left out). The median is
  the middle value (the mean of the two middle ones for an even count); p90 is nearest-rank,
  the value at rank ceil(0.9 n) in ascending order.
- *on-target share*: completed runs with a target whose duration is at most the target,
  divided by the completed runs with a target.
- steps: completed visits of each step; decisions: visits left by a choice (a choice undone
  with *back* does not count); not applicable and recorded numbers: the marks as they stand in
  each visit of any run in scope (a corrected value counts once, each visit of a loop counts);
  loops: runs that visited a node more than once (visits undone with *back* not counted);
  deviations, suggestions and inactive items: :mod:`procedo.journal.condition_metrics`;
  interrupts and deferred items: :mod:`procedo.journal.interrupt_metrics` (an interrupt's
  visit is never a step: the step figures read ``kind = 'step'``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from procedo.journal import condition_metrics, interrupt_metrics
from procedo.journal import figure_sql as sql
from procedo.journal.order_stats import median_offsets, p90_offset
from procedo.journal.store import Journal
from procedo.model.figures import (
    DurationPoint,
    LoopCount,
    Metrics,
    NotApplicable,
    NumberStats,
    OptionCount,
    ReasonCount,
    StepTime,
    Tally,
)

RECENT_DURATIONS = 200
TOP_NOT_APPLICABLE = 10
TOP_REASONS = 3

__all__ = ["Metrics", "compute_metrics", "headline_metrics", "metrics_by_version"]


class Scope:
    """The WHERE clause of one scope, for any table with process_id/process_version/practice."""

    def __init__(self, process_id: str | None, version: str | None, practice: bool) -> None:
        self.params: dict[str, Any] = {"process": process_id, "version": version or "*"}
        self.process_id = process_id
        self.version = version
        self.practice = practice

    def where(self, alias: str, *, version: str = "process_version") -> str:
        terms = ["1"]
        if self.process_id is not None:
            terms.append(f"{alias}.process_id = :process")
        if self.version is not None:
            terms.append(f"{alias}.{version} = :version")
        if not self.practice and alias != "d":
            terms.append(f"{alias}.practice = 0")
        return "WHERE " + " AND ".join(terms)


def headline_metrics(
    journal: Journal,
    process_id: str | None,
    *,
    include_practice: bool = False,
    version: str | None = None,
) -> Metrics:
    """The headline figures only (runs, success rate, median and p90, on target): one
    aggregate and two index walks, so a screen can paint them before the sections."""
    scope = Scope(process_id, version, include_practice)
    where = scope.where("r")
    n = journal.rows(
        f"SELECT *, {sql.SUCCESS_RATE} AS success_rate, {sql.ON_TARGET_SHARE} AS on_target_share "
        f"FROM (SELECT {sql.run_counts()} FROM runs r {where})",
        scope.params,
    )[0]
    median_ms, p90_ms = _order_stats(
        journal,
        f"SELECT r.duration_ms FROM runs r {where} AND r.status = 'completed' "
        "ORDER BY r.duration_ms",
        scope.params,
        n["completed"],
    )
    return Metrics(
        process_id=process_id,
        version=version,
        include_practice=include_practice,
        **n,
        median_ms=median_ms,
        p90_ms=None if p90_ms is None else int(p90_ms),
    )


def compute_metrics(
    journal: Journal,
    process_id: str | None,
    *,
    include_practice: bool = False,
    version: str | None = None,
) -> Metrics:
    """Every figure of the metrics screen for one process (None: all), maybe one version."""
    head = headline_metrics(journal, process_id, include_practice=include_practice, version=version)
    scope = Scope(process_id, version, include_practice)
    return replace(
        head,
        durations=_durations(journal, scope),
        steps=_steps(journal, scope),
        decisions=_decisions(journal, scope),
        not_applicable=_not_applicable(journal, scope),
        loops=_loops(journal, scope),
        operators=_operators(journal, scope),
        triggers=_triggers(journal, scope),
        numbers=_numbers(journal, scope),
        deviations=condition_metrics.deviations(journal, scope),
        suggestions=condition_metrics.suggestions(journal, scope),
        inactive=condition_metrics.inactive(journal, scope),
        interrupts=interrupt_metrics.interrupts(journal, scope),
        deferrals=interrupt_metrics.deferrals(journal, scope),
    )


def metrics_by_version(
    journal: Journal, process_id: str, *, include_practice: bool = False
) -> dict[str, Metrics]:
    """The metrics of each version of a process that has runs, oldest version first."""
    rows = journal.rows(
        "SELECT process_version, MIN(started_at) AS first FROM runs WHERE process_id = ? "
        + ("" if include_practice else "AND practice = 0 ")
        + "GROUP BY process_version ORDER BY first, process_version",
        (process_id,),
    )
    return {
        row["process_version"]: compute_metrics(
            journal, process_id, include_practice=include_practice, version=row["process_version"]
        )
        for row in rows
    }


def _scalar(journal: Journal, query: str, params: dict[str, Any]) -> Any:
    for (value,) in journal.iter_rows(query, params):  # type: ignore[arg-type]
        return value
    return None


def _order_stats(
    journal: Journal, ordered: str, params: dict[str, Any], n: int
) -> tuple[float | None, float | None]:
    """The median and nearest-rank p90 of the ``n`` values ``ordered`` yields in order."""
    if n <= 0:
        return None, None
    query = f"{ordered} LIMIT :limit OFFSET :offset"
    p90 = _scalar(journal, query, {**params, "limit": 1, "offset": p90_offset(n)})
    return ordered_median(journal, ordered, params, n), p90


def ordered_median(journal: Journal, ordered: str, params: dict[str, Any], n: int) -> float:
    """The median of the ``n`` (> 0) values ``ordered`` yields in order."""
    limit, offset = median_offsets(n)
    query = f"{ordered} LIMIT :limit OFFSET :offset"
    middle = journal.rows(query, {**params, "limit": limit, "offset": offset})
    values = [next(iter(row.values())) for row in middle]
    return sum(values) / len(values)


def _spread(
    journal: Journal, column: str, source: str, params: dict[str, Any]
) -> tuple[int, float | None, Any, Any]:
    """(count, median, min, max) of ``column`` over ``FROM ... WHERE ...`` (an index walk)."""
    values = f"SELECT {column} {source}"
    count = int(_scalar(journal, f"SELECT COUNT(*) {source}", params) or 0)
    if not count:
        return 0, None, None, None
    median = ordered_median(journal, f"{values} ORDER BY {column}", params, count)
    low = _scalar(journal, f"{values} ORDER BY {column} LIMIT 1", params)
    high = _scalar(journal, f"{values} ORDER BY {column} DESC LIMIT 1", params)
    return count, median, low, high


def _nodes(journal: Journal, scope: Scope, kind: str) -> list[dict[str, Any]]:
    """Every (process, node) of that kind in the stored definitions in scope, with its title."""
    return journal.rows(
        "SELECT process_id, node, "
        f"{sql.node_title('g.process_id', 'g.node', ':version')} AS title, position FROM ("
        "SELECT d.process_id, n.node, MIN(n.position) AS position FROM nodes n "
        f"JOIN definitions d ON d.hash = n.definition_hash {scope.where('d', version='version')} "
        f"AND n.kind = '{kind}' GROUP BY d.process_id, n.node) g "
        "ORDER BY process_id, position, node",
        scope.params,
    )


def _durations(journal: Journal, scope: Scope) -> tuple[DurationPoint, ...]:
    rows = journal.rows(
        f"SELECT started_at, duration_ms, id FROM runs r {scope.where('r')} "
        f"AND status = 'completed' ORDER BY started_at DESC, id DESC LIMIT {RECENT_DURATIONS}",
        scope.params,
    )
    return tuple(DurationPoint(r["started_at"], r["duration_ms"], r["id"]) for r in reversed(rows))


def _steps(journal: Journal, scope: Scope) -> tuple[StepTime, ...]:
    source = (
        f"FROM visits v {scope.where('v')} AND {sql.STEP_VISITS} "
        "AND v.process_id = :p AND v.node = :node"
    )
    steps = []
    for g in _nodes(journal, scope, "step"):
        params = {**scope.params, "p": g["process_id"], "node": g["node"]}
        count, median, low, high = _spread(journal, "v.duration_ms", source, params)
        if count:
            title = g["title"] or g["node"]
            steps.append(StepTime(g["process_id"], g["node"], title, count, median, low, high))
    steps.sort(key=lambda s: (-(s.median_ms or 0), s.process_id, s.node))
    return tuple(steps)


def _decisions(journal: Journal, scope: Scope) -> tuple[OptionCount, ...]:
    figures = sql.decision_figures(
        ["process_id"],
        sql.decision_source("v.process_id", scope.where("v")),
        sql.labels_source("d.process_id", scope.where("d", version="version")),
    )
    position = sql.node_field("position", "g.process_id", "g.node", ":version")
    rows = journal.rows(
        f"SELECT g.*, {sql.node_title('g.process_id', 'g.node', ':version')} AS question, "
        f"{position} AS position FROM ({figures}) g "
        "ORDER BY process_id, position, node, option, label",
        scope.params,
    )
    return tuple(
        OptionCount(
            r["process_id"],
            r["node"],
            r["question"] or r["node"],
            r["label"],
            r["count"],
            r["share"],
        )
        for r in rows
    )


def _not_applicable(journal: Journal, scope: Scope) -> tuple[NotApplicable, ...]:
    figures = sql.na_figures(["process_id"], sql.na_source("m.process_id", scope.where("m")))
    rows = journal.rows(
        f"SELECT * FROM ({figures}) WHERE reason_rank <= {TOP_REASONS} "
        "ORDER BY count DESC, process_id, node, item, reason_rank",
        scope.params,
    )
    found: dict[tuple[str, str, str], tuple[dict[str, Any], list[ReasonCount]]] = {}
    for r in rows:
        key = (r["process_id"], r["node"], r["text"])
        if key not in found and len(found) >= TOP_NOT_APPLICABLE:
            break
        found.setdefault(key, (r, []))[1].append(ReasonCount(r["reason"], r["reason_count"]))
    return tuple(
        NotApplicable(r["process_id"], r["node"], r["item"], r["text"], r["count"], tuple(why))
        for r, why in found.values()
    )


def _loops(journal: Journal, scope: Scope) -> tuple[LoopCount, ...]:
    figures = sql.loop_figures(["process_id"], sql.loop_source("r.process_id", scope.where("r")))
    rows = journal.rows(
        f"SELECT g.*, {sql.node_title('g.process_id', 'g.node', ':version')} AS title "
        f"FROM ({figures}) g ORDER BY runs_with_repeats DESC, process_id, node",
        scope.params,
    )
    return tuple(
        LoopCount(
            r["process_id"],
            r["node"],
            r["title"] or r["node"],
            r["runs_with_repeats"],
            r["max_visits"],
            r["repeats"],
        )
        for r in rows
    )


def _operators(journal: Journal, scope: Scope) -> tuple[Tally, ...]:
    rows = journal.rows(
        f"SELECT o.operator AS name, COUNT(*) AS runs FROM run_operators o {scope.where('o')} "
        "GROUP BY o.operator ORDER BY runs DESC, name",
        scope.params,
    )
    return tuple(Tally(r["name"], r["runs"]) for r in rows)


def _triggers(journal: Journal, scope: Scope) -> tuple[Tally, ...]:
    rows = journal.rows(
        f"SELECT r.trigger AS name, COUNT(*) AS runs FROM runs r {scope.where('r')} "
        "GROUP BY r.trigger ORDER BY runs DESC, name",
        scope.params,
    )
    return tuple(Tally(r["name"], r["runs"]) for r in rows)


def _numbers(journal: Journal, scope: Scope) -> tuple[NumberStats, ...]:
    items = journal.rows(
        "SELECT d.process_id, i.node, i.text, MIN(i.item) AS item, "
        f"{sql.node_field('position', 'd.process_id', 'i.node', ':version')} AS position, "
        "(SELECT i2.unit FROM items i2 JOIN definitions d2 ON d2.hash = i2.definition_hash "
        "WHERE d2.process_id = d.process_id AND i2.node = i.node AND i2.text = i.text "
        "ORDER BY d2.first_seen DESC, d2.hash LIMIT 1) AS unit "
        f"FROM items i JOIN definitions d ON d.hash = i.definition_hash "
        f"{scope.where('d', version='version')} AND i.record = 'number' "
        "GROUP BY d.process_id, i.node, i.text ORDER BY d.process_id, position, item",
        scope.params,
    )
    source = (
        f"FROM marks m {scope.where('m')} AND m.number IS NOT NULL "
        "AND m.process_id = :p AND m.node = :node AND m.text = :text"
    )
    result = []
    for g in items:
        params = {**scope.params, "p": g["process_id"], "node": g["node"], "text": g["text"]}
        count, median, low, high = _spread(journal, "m.number", source, params)
        if count:
            row = (g["process_id"], g["node"], g["item"], g["text"], g["unit"], count)
            result.append(NumberStats(*row, median, low, high))
    return tuple(result)
