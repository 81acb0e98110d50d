"""Schema 3's map indexes serve the map figures only: the metrics queries keep their own
covering indexes (SQLite, with no statistics, once took ``visits_moves`` and ``runs_paths`` for
them and made the metrics screen of one process several times slower)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from fixtures_journal import build_history_journal
from procedo.journal import Journal
from procedo.journal.map_figures import map_figures
from procedo.journal.metrics import compute_metrics, metrics_by_version

MAP_INDEXES = ("visits_moves", "runs_paths")


def plans_of(journal: Journal, compute: Callable[[], object]) -> list[str]:
    """The query plan lines of every SELECT that ``compute()`` runs on the journal."""
    statements: list[str] = []
    conn = journal.db.conn
    conn.set_trace_callback(statements.append)
    try:
        compute()
    finally:
        conn.set_trace_callback(None)
    lines: list[str] = []
    for sql in statements:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            lines += [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    return lines


def test_the_metrics_use_none_of_the_map_indexes_and_the_map_uses_both(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    build_history_journal(db)
    with Journal(db) as journal:
        for process in ("mini", None):
            for practice in (False, True):
                compute = partial(compute_metrics, journal, process, include_practice=practice)
                used = plans_of(journal, compute)
                assert used and not [x for x in used if any(i in x for i in MAP_INDEXES)]
        used = plans_of(journal, partial(metrics_by_version, journal, "mini"))
        assert not [x for x in used if any(i in x for i in MAP_INDEXES)]
        for practice in (False, True):
            used = plans_of(journal, partial(map_figures, journal, "mini", practice=practice))
            for index in MAP_INDEXES:
                assert [x for x in used if f"COVERING INDEX {index}" in x], (index, used)
