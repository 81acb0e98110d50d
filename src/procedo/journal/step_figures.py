"""A node's usual time (issue 13): what past runs took there, for the run screen's header.

From the visits of completed, non-practice runs of the process (same node id, any version): a
step's completed visits and a decision's chosen ones, each visit's active time (pauses and
interrupts left out: ``visits.duration_ms``, the duration the metrics read). The median is the
middle value (mean of the two middle ones), p90 nearest-rank (:mod:`order_stats`). A node that
no such run visited has no figure: the caller says so rather than inventing one.

Cost: a count and two ``ORDER BY duration_ms LIMIT .. OFFSET ..`` walks of the partial index
``visits_usual`` (schema 8) per node; no table row is read and ``runs`` is not joined (the
visit's ``run_completed`` says whether its run completed).
"""

from __future__ import annotations

from procedo.journal.order_stats import median_offsets, p90_offset
from procedo.journal.schema_v8 import USUAL_VISITS
from procedo.journal.store import Journal
from procedo.model.clock_figures import StepUsual

__all__ = ["StepUsual", "usual_all", "usual_at"]

_SOURCE = (
    "FROM visits INDEXED BY visits_usual WHERE process_id = :process AND node = :node "
    f"AND practice = 0 AND {USUAL_VISITS}"
)
_ORDERED = f"SELECT duration_ms {_SOURCE} ORDER BY duration_ms LIMIT :limit OFFSET :offset"


def usual_at(journal: Journal, process_id: str, node: str) -> StepUsual | None:
    """The usual time at ``node`` of ``process_id`` (None when no completed run has it)."""
    params = {"process": process_id, "node": node}
    n = journal.rows(f"SELECT COUNT(*) AS n {_SOURCE}", params)[0]["n"]
    return _figure(journal, params, int(n))


def usual_all(journal: Journal, process_id: str) -> dict[str, StepUsual]:
    """The usual time of every node of ``process_id`` that completed runs visited.

    One grouped count over ``visits_usual`` finds the nodes and their counts; then each node's
    median and p90 are two short index walks (SQLite cannot take an ``OFFSET`` from the row of
    a group, so these cannot fold into the count's query). The run screen caches the result
    per process."""
    counts = journal.rows(
        "SELECT node, COUNT(*) AS n FROM visits INDEXED BY visits_usual "
        f"WHERE process_id = :process AND practice = 0 AND {USUAL_VISITS} GROUP BY node",
        {"process": process_id},
    )
    result = {}
    for row in counts:
        figure = _figure(journal, {"process": process_id, "node": row["node"]}, int(row["n"]))
        if figure is not None:
            result[row["node"]] = figure
    return result


def _figure(journal: Journal, params: dict[str, str], n: int) -> StepUsual | None:
    if n <= 0:
        return None
    limit, offset = median_offsets(n)
    middle = [
        r["duration_ms"]
        for r in journal.rows(_ORDERED, {**params, "limit": limit, "offset": offset})
    ]
    p90 = journal.rows(_ORDERED, {**params, "limit": 1, "offset": p90_offset(n)})
    if not middle or not p90:
        return None  # rows went between the count and the walk: a later call sees them
    return StepUsual(sum(middle) / len(middle), int(p90[0]["duration_ms"]), n)
