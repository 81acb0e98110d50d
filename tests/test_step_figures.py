"""usual_at and usual_all (issue 13) against figures worked out by hand on tests/clock_fixture.py,
and schema 8's columns: written by the sink, backfilled on upgrade, checked by verify."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from clock_fixture import MIN, build_clock_journal
from procedo.journal import SCHEMA_VERSION, Journal
from procedo.journal.clock_metrics import clock_figures
from procedo.journal.step_figures import usual_all, usual_at
from procedo.journal.verify import verify_journal
from procedo.model.clock_figures import StepUsual
from schema8_downgrade import drop_schema_8


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("clock") / "journal.db"
    ids, _ = build_clock_journal(path)
    return path, ids


@pytest.fixture()
def journal(built: tuple[Path, dict[str, str]]) -> Iterator[Journal]:
    with Journal(built[0]) as opened:
        yield opened


# Completed, non-practice runs: L1, L2 (v1) and L3 (v2). L4 (aborted), L6 (active) and L5
# (practice) are left out.
# prep: L1 4, L2 6 (11 wall - 3 spill - 2 paused) and 3 (the loop's second visit), L3 2.
#   Sorted 2 3 4 6: median (3 + 4) / 2 = 3.5; p90 rank ceil(0.9 * 4) = 4th = 6.
# approve: L1 3 (4 to 7, the hand-over's wait included), L2 1 and 2, L3 3.
#   Sorted 1 2 3 3: median 2.5; p90 3.
# ship: L1 3, L2 3: median 3, p90 3. (L5's 1-minute visits would lower each.)
PREP = StepUsual(3.5 * MIN, 6 * MIN, 4)
APPROVE = StepUsual(2.5 * MIN, 3 * MIN, 4)
SHIP = StepUsual(3 * MIN, 3 * MIN, 2)


def test_usual_at_each_node(journal: Journal) -> None:
    assert usual_at(journal, "lab", "prep") == PREP
    assert usual_at(journal, "lab", "approve") == APPROVE
    assert usual_at(journal, "lab", "ship") == SHIP


def test_no_history_says_so(journal: Journal) -> None:
    assert usual_at(journal, "lab", "done") is None  # an end has no time
    assert usual_at(journal, "lab", "nowhere") is None
    assert usual_at(journal, "other", "prep") is None
    assert usual_all(journal, "other") == {}


def test_usual_all_is_every_node_at_once(journal: Journal) -> None:
    assert usual_all(journal, "lab") == {"prep": PREP, "approve": APPROVE, "ship": SHIP}


def test_the_figures_walk_the_partial_index_and_never_join_the_runs(journal: Journal) -> None:
    from procedo.journal import step_figures

    plan = journal.rows(
        f"EXPLAIN QUERY PLAN SELECT COUNT(*) {step_figures._SOURCE}",
        {"process": "lab", "node": "prep"},
    )
    details = " ".join(row["detail"] for row in plan)
    assert "COVERING INDEX visits_usual" in details
    assert "runs" not in details


def test_the_sink_marks_every_visit_of_a_completed_run(
    journal: Journal, built: tuple[Path, dict[str, str]]
) -> None:
    ids = built[1]
    flags = {
        label: {r["run_completed"] for r in journal.rows(
            "SELECT run_completed FROM visits WHERE run_id = ?", (ids[label],)
        )}
        for label in ids
    }  # fmt: skip
    assert flags == {
        "L1": {1}, "L2": {1}, "L3": {1}, "L5": {1}, "L4": {0}, "L6": {0},
    }  # fmt: skip
    # L2's first prep visit: 3 minutes in the spill, 2 paused; the spill's own visit neither.
    row = journal.rows(
        "SELECT paused_ms, interrupted_ms FROM visits WHERE run_id = ? AND visit = 0", (ids["L2"],)
    )[0]
    assert (row["paused_ms"], row["interrupted_ms"]) == (5 * MIN, 3 * MIN)


def test_verify_checks_the_new_columns(built: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    copy = tmp_path / "tampered.db"
    with sqlite3.connect(built[0]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE visits SET paused_ms = 0 WHERE paused_ms > 0")
    with Journal(copy) as journal:
        report = verify_journal(journal)
    assert not report.intact


def test_a_schema_7_journal_upgrades_to_the_same_rows(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(built[0]) as source, sqlite3.connect(old) as target:
        source.backup(target)
    with Journal(built[0]) as journal:
        visits = journal.rows("SELECT * FROM visits ORDER BY run_id, visit")
        figures = clock_figures(journal, "lab", include_practice=True)
    conn = sqlite3.connect(old)
    drop_schema_8(conn)
    conn.commit()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    conn.close()
    with Journal(old) as journal:
        assert journal.rows("PRAGMA user_version")[0]["user_version"] == SCHEMA_VERSION == 9
        # The backfill: run_completed from the runs, paused_ms from the timestamps, the
        # unfinished run (L6) and the interrupted one (L2) replayed.
        assert journal.rows("SELECT * FROM visits ORDER BY run_id, visit") == visits
        assert usual_all(journal, "lab") == {"prep": PREP, "approve": APPROVE, "ship": SHIP}
        assert clock_figures(journal, "lab", include_practice=True) == figures
        assert verify_journal(journal).intact
