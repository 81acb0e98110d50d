"""The figures of interrupts and deferred items (issue 12), over the ``interrupts`` and
``deferrals`` rows of the runs in scope (schema 7).

- *interrupts*: per interrupt of a process, how often it started (a queued one counts once,
  when it starts), in how many runs, how often it returned or led away to another node, the
  median active time of those finished episodes (time in a higher interrupt opened over it
  is not its own), and the nodes it interrupted, commonest first;
- *deferrals*: per item, how often it was deferred, how many of those are still open, the
  commonest reasons and the steps it was done at; most deferred first.

Interrupt visits are never counted as steps (``visits.kind`` is "interrupt": the step figures
read ``kind = 'step'``), nor as loops or on a run's path (``runs.repeats``, ``runs.path``).
Each figure walks ``interrupts_figures``, ``interrupts_nodes`` or ``deferrals_figures``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procedo.journal import figure_sql as sql
from procedo.journal.order_stats import median_offsets
from procedo.journal.store import Journal
from procedo.model.figures import DeferralFigure, InterruptFigure, NodeCount, ReasonCount

if TYPE_CHECKING:
    from procedo.journal.metrics import Scope

TOP_NODES = 5
TOP_DEFERRED = 10
TOP_REASONS = 3
FINISHED = "i.outcome IN ('returned', 'after')"


def _median(journal: Journal, ordered: str, params: dict[str, Any], n: int) -> float | None:
    if n <= 0:
        return None
    limit, offset = median_offsets(n)
    values = [
        row[0]
        for row in journal.iter_rows(
            f"{ordered} LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},  # type: ignore[arg-type]
        )
    ]
    return sum(values) / len(values) if values else None


def _title(column: str) -> str:
    return sql.node_title("g.process_id", column, ":version")


def _at(journal: Journal, where: str, params: dict[str, Any]) -> tuple[NodeCount, ...]:
    rows = journal.rows(
        f"SELECT g.node, g.n, {_title('g.node')} AS title FROM ("
        f"SELECT :p AS process_id, i.interrupted_node AS node, COUNT(*) AS n "
        f"FROM interrupts i INDEXED BY interrupts_nodes {where} "
        "AND i.process_id = :p AND i.interrupt = :k GROUP BY i.interrupted_node) g "
        f"ORDER BY g.n DESC, g.node LIMIT {TOP_NODES}",
        params,
    )
    return tuple(NodeCount(r["node"] or "", r["title"] or r["node"] or "", r["n"]) for r in rows)


def interrupts(journal: Journal, scope: Scope) -> tuple[InterruptFigure, ...]:
    """How often each interrupt starts, where, how it ends and its median duration."""
    where = scope.where("i")
    groups = journal.rows(
        f"SELECT g.*, {_title('g.interrupt')} AS title, "
        f"{sql.node_field('priority', 'g.process_id', 'g.interrupt', ':version')} AS priority "
        "FROM (SELECT i.process_id, i.interrupt, COUNT(*) AS count, "
        "COUNT(DISTINCT i.run_id) AS runs, "
        "COUNT(CASE WHEN i.outcome = 'returned' THEN 1 END) AS returned, "
        "COUNT(CASE WHEN i.outcome = 'after' THEN 1 END) AS led_away "
        f"FROM interrupts i INDEXED BY interrupts_figures {where} "
        "GROUP BY i.process_id, i.interrupt) g "
        "ORDER BY g.count DESC, g.process_id, g.interrupt",
        scope.params,
    )
    result = []
    for g in groups:
        params = {**scope.params, "p": g["process_id"], "k": g["interrupt"]}
        ordered = (
            f"SELECT i.duration_ms FROM interrupts i INDEXED BY interrupts_figures {where} "
            f"AND i.process_id = :p AND i.interrupt = :k AND {FINISHED} ORDER BY i.duration_ms"
        )
        median = _median(journal, ordered, params, g["returned"] + g["led_away"])
        result.append(
            InterruptFigure(
                g["process_id"],
                g["interrupt"],
                g["title"] or g["interrupt"],
                g["priority"],
                g["count"],
                g["runs"],
                g["returned"],
                g["led_away"],
                median,
                _at(journal, where, params),
            )
        )
    return tuple(result)


def deferrals(journal: Journal, scope: Scope) -> tuple[DeferralFigure, ...]:
    """The items deferred most, with their commonest reasons and where they were done."""
    where = scope.where("f")
    groups = journal.rows(
        "SELECT f.process_id, f.node, f.item, MAX(f.text) AS text, COUNT(*) AS count, "
        "COUNT(CASE WHEN f.done_visit IS NULL THEN 1 END) AS open "
        f"FROM deferrals f INDEXED BY deferrals_figures {where} "
        "GROUP BY f.process_id, f.node, f.item "
        f"ORDER BY count DESC, f.process_id, f.node, f.item LIMIT {TOP_DEFERRED}",
        scope.params,
    )
    result = []
    for g in groups:
        params = {**scope.params, "p": g["process_id"], "node": g["node"], "item": g["item"]}
        same = f"{where} AND f.process_id = :p AND f.node = :node AND f.item = :item"
        reasons = journal.rows(
            f"SELECT f.reason, COUNT(*) AS n FROM deferrals f INDEXED BY deferrals_figures "
            f"{same} GROUP BY f.reason ORDER BY n DESC, f.reason LIMIT {TOP_REASONS}",
            params,
        )
        done = journal.rows(
            f"SELECT g.node, g.n, {_title('g.node')} AS title FROM ("
            "SELECT :p AS process_id, f.done_node AS node, COUNT(*) AS n FROM deferrals f "
            f"{same} AND f.done_visit IS NOT NULL GROUP BY f.done_node) g "
            f"ORDER BY g.n DESC, g.node LIMIT {TOP_NODES}",
            params,
        )
        result.append(
            DeferralFigure(
                g["process_id"],
                g["node"],
                g["item"],
                g["text"] or f"item {g['item'] + 1}",
                g["count"],
                g["open"],
                tuple(ReasonCount(r["reason"], r["n"]) for r in reasons),
                tuple(NodeCount(r["node"], r["title"] or r["node"], r["n"]) for r in done),
            )
        )
    return tuple(result)
