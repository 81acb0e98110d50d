"""The figures drawn on a process map, computed in SQL over the journal.

Scope as in :mod:`procedo.journal.metrics`: one process, all versions or one, practice runs
left out unless asked for. Definitions:

- *runs*: the runs in scope, whatever their status;
- *node visits*: visits of each node, a loop's second visit counted again; a visit undone with
  *back* does not count (as for the loops of the metrics);
- *edge counts*: each move made and not undone: a step left by *complete* (label ``""``), a
  decision left by a choice (label: the option's label in the run's own definition). A trigger's
  start is not a move;
- *median seconds*: of each step's completed visits (pauses left out), the middle value or the
  mean of the two middle ones;
- *commonest path*: the sequence of nodes most completed runs went through, from start to end
  (undone visits left out); a tie goes to the path taken most recently, then the first in text
  order. Empty when no run in scope is completed.
"""

from __future__ import annotations

from typing import Any

from procedo.journal import views as sql
from procedo.journal.metrics import _Scope as Scope
from procedo.journal.store import Journal
from procedo.render.map_figures import EdgeKey, MapFigures

_KEPT = "(v.outcome IS NULL OR v.outcome != 'back')"
_SEPARATOR = "char(31)"  # never in a node id


def map_figures(
    journal: Journal, process_id: str, *, version: str | None = None, practice: bool = False
) -> MapFigures:
    """What the journal says about the map of one process (maybe one version)."""
    scope = Scope(process_id, version, practice)
    visits = scope.where("v")
    runs = journal.rows(f"SELECT COUNT(*) AS n FROM runs r {scope.where('r')}", scope.params)
    node_visits = {
        row["node"]: row["n"]
        for row in journal.rows(
            f"SELECT v.node, COUNT(*) AS n FROM visits v {visits} AND {_KEPT} GROUP BY v.node",
            scope.params,
        )
    }
    return MapFigures(
        runs=int(runs[0]["n"]),
        node_visits=node_visits,
        edge_counts=_edges(journal, scope),
        median_seconds=_medians(journal, scope),
        commonest_path=_commonest_path(journal, scope),
    )


def _edges(journal: Journal, scope: Scope) -> dict[EdgeKey, int]:
    """Moves out of steps (label ``""``) and decisions (the option label), with their counts."""
    where = scope.where("v")
    steps = (
        f"SELECT v.node, v.next_node AS target, '' AS label, COUNT(*) AS n FROM visits v "
        f"{where} AND {sql.STEP_VISITS} GROUP BY v.node, v.next_node"
    )
    choices = f"""
        SELECT c.node, c.target, o.label, SUM(c.n) AS n FROM (
            SELECT v.node, v.definition_hash, v.choice, v.next_node AS target, COUNT(*) AS n
            FROM visits v {where} AND {sql.DECISION_VISITS}
            GROUP BY v.node, v.definition_hash, v.choice, v.next_node
        ) c JOIN options o
            ON o.definition_hash = c.definition_hash AND o.node = c.node AND o.option = c.choice
        GROUP BY c.node, c.target, o.label
    """
    counts: dict[EdgeKey, int] = {}
    for row in journal.rows(f"{steps} UNION ALL {choices}", scope.params):
        if row["target"] is not None:
            key = (row["node"], row["target"], row["label"])
            counts[key] = counts.get(key, 0) + int(row["n"])
    return counts


def _medians(journal: Journal, scope: Scope) -> dict[str, float]:
    """Each step's median completed visit in seconds: a count, then an index walk per step."""
    where = f"{scope.where('v')} AND {sql.STEP_VISITS}"
    counts = journal.rows(
        f"SELECT v.node, COUNT(*) AS n FROM visits v {where} GROUP BY v.node", scope.params
    )
    ordered = (
        f"SELECT v.duration_ms FROM visits v {where} AND v.node = :node "
        "ORDER BY v.duration_ms LIMIT :limit OFFSET :offset"
    )
    medians: dict[str, float] = {}
    for row in counts:
        n = int(row["n"])
        params: dict[str, Any] = {
            **scope.params,
            "node": row["node"],
            "limit": 2 - n % 2,
            "offset": (n - 1) // 2,
        }
        middle = [r["duration_ms"] for r in journal.rows(ordered, params)]
        medians[row["node"]] = sum(middle) / len(middle) / 1000
    return medians


def _commonest_path(journal: Journal, scope: Scope) -> tuple[str, ...]:
    """The node sequence most completed runs took (window functions keep the visit order)."""
    rows = journal.rows(
        f"""
        WITH paths AS (
            SELECT DISTINCT v.run_id, r.started_at,
                group_concat(v.node, {_SEPARATOR}) OVER (
                    PARTITION BY v.run_id ORDER BY v.visit
                    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
                ) AS path
            FROM runs r JOIN visits v ON v.run_id = r.id
            {scope.where("r")} AND r.status = 'completed' AND {_KEPT}
        )
        SELECT path, COUNT(*) AS n, MAX(started_at) AS last FROM paths
        GROUP BY path ORDER BY n DESC, last DESC, path LIMIT 1
        """,
        scope.params,
    )
    return tuple(rows[0]["path"].split("\x1f")) if rows else ()
