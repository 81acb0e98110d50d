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

Cost: node visits and moves walk the ``visits_moves`` index of the process once, its groups
in order; the path groups the completed runs' stored paths (``runs.path``, written by the sink
with each event) in one walk of the ``runs_paths`` index. Neither reads a table row.
"""

from __future__ import annotations

from collections.abc import Mapping

from procedo.journal import figure_sql as sql
from procedo.journal.metrics import Scope, ordered_median
from procedo.journal.rows import PATH_SEPARATOR
from procedo.journal.store import Journal
from procedo.model.figures import EdgeKey, MapFigures

_MOVES = ("completed", "chosen")


def map_figures(
    journal: Journal,
    process_id: str,
    *,
    version: str | None = None,
    practice: bool = False,
    medians: Mapping[str, float] | None = None,
) -> MapFigures:
    """What the journal says about the map of one process (maybe one version).

    ``medians`` (step id -> seconds) saves the median queries when the caller has them already,
    as the metrics screen does from :func:`procedo.journal.metrics.compute_metrics`.
    """
    scope = Scope(process_id, version, practice)
    runs = journal.rows(f"SELECT COUNT(*) AS n FROM runs r {scope.where('r')}", scope.params)
    node_visits, edge_counts = _visits_and_moves(journal, scope)
    return MapFigures(
        runs=int(runs[0]["n"]),
        node_visits=node_visits,
        edge_counts=edge_counts,
        median_seconds=dict(medians) if medians is not None else _medians(journal, scope),
        commonest_path=_commonest_path(journal, scope),
    )


def _visits_and_moves(journal: Journal, scope: Scope) -> tuple[dict[str, int], dict[EdgeKey, int]]:
    """Visits per node and moves per edge, from one pass over the process's visits.

    The visits are grouped by node, outcome and move first; only then is each choice labelled
    (one lookup in ``options`` per group, in the run's own definition).
    """
    rows = journal.rows(
        f"""
        WITH g AS (
            SELECT v.node, v.outcome, v.next_node, v.definition_hash, v.choice, COUNT(*) AS n
            FROM visits v {scope.where("v")} AND ({sql.KEPT_VISITS})
            GROUP BY v.node, v.outcome, v.next_node, v.definition_hash, v.choice
        )
        SELECT g.node, g.outcome, g.next_node, COALESCE(o.label, '') AS label, SUM(g.n) AS n
        FROM g LEFT JOIN options o ON g.outcome = 'chosen' AND o.definition_hash = g.definition_hash
            AND o.node = g.node AND o.option = g.choice
        GROUP BY g.node, g.outcome, g.next_node, label
        """,
        scope.params,
    )
    visits: dict[str, int] = {}
    moves: dict[EdgeKey, int] = {}
    for row in rows:
        n = int(row["n"])
        visits[row["node"]] = visits.get(row["node"], 0) + n
        if row["outcome"] in _MOVES and row["next_node"] is not None:
            key = (
                row["node"],
                row["next_node"],
                row["label"] if row["outcome"] == "chosen" else "",
            )
            moves[key] = moves.get(key, 0) + n
    return visits, moves


def _medians(journal: Journal, scope: Scope) -> dict[str, float]:
    """Each step's median completed visit in seconds: a count, then an index walk per step."""
    where = f"{scope.where('v')} AND {sql.STEP_VISITS}"
    counts = journal.rows(
        f"SELECT v.node, COUNT(*) AS n FROM visits v {where} GROUP BY v.node", scope.params
    )
    ordered = (
        f"SELECT v.duration_ms FROM visits v {where} AND v.node = :node ORDER BY v.duration_ms"
    )
    return {  # a GROUP BY count is never 0
        row["node"]: ordered_median(
            journal, ordered, {**scope.params, "node": row["node"]}, int(row["n"])
        )
        / 1000
        for row in counts
    }


def _commonest_path(journal: Journal, scope: Scope) -> tuple[str, ...]:
    """The node sequence most completed runs took: their stored paths grouped in one walk."""
    rows = journal.rows(
        f"""
        SELECT r.path, COUNT(*) AS n, MAX(r.started_at) AS last
        FROM runs r {scope.where("r")} AND r.status = 'completed' AND r.path IS NOT NULL
        GROUP BY r.path ORDER BY n DESC, last DESC, r.path LIMIT 1
        """,
        scope.params,
    )
    return tuple(rows[0]["path"].split(PATH_SEPARATOR)) if rows else ()
