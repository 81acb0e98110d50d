"""A recorded number is stored as SQLite's ``CAST(value AS REAL)``, and ``verify`` expects
exactly that: Python's ``float()`` rounds some values one unit in the last place differently,
and an intact journal must never be reported as tampered (found by the replay property test)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.journal.verify_derived import sqlite_real
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
T0 = 1_795_000_000_000
DIFFERS = "4.223350460356374e-305"
"""A value whose ``float()`` and SQLite ``CAST`` are adjacent doubles, not the same one."""


def test_the_value_chosen_really_differs_between_python_and_sqlite() -> None:
    cast = sqlite3.connect(":memory:").execute("SELECT CAST(? AS REAL)", (DIFFERS,))
    assert cast.fetchone()[0] != float(DIFFERS)  # else this file tests nothing


@pytest.mark.parametrize("value", [DIFFERS, "12.5", "0", "1e-300", "99.99999999999999"])
def test_verify_finds_intact_a_run_that_recorded_the_number(tmp_path: Path, value: str) -> None:
    db = tmp_path / "journal.db"
    tick = iter(range(T0, T0 + 10**9, 1500))
    with Journal(db) as journal:
        journal.clock = lambda: next(tick)
        incident = load_file(REPO / "processes" / "incident-response.toml")
        run = journal.start_run(incident, "Ann", "pager")
        run.record(4, value)  # "Error rate", a number item (0-100 %)
        report = verify_journal(journal)
        stored = journal.rows("SELECT value, number FROM marks WHERE number IS NOT NULL")
    assert report.intact, [b.reason for b in report.breaches]
    assert [(r["value"], r["number"]) for r in stored] == [(value, sqlite_real(value))]


def test_a_tampered_number_is_still_caught(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    tick = iter(range(T0, T0 + 10**9, 1500))
    with Journal(db) as journal:
        journal.clock = lambda: next(tick)
        incident = load_file(REPO / "processes" / "incident-response.toml")
        journal.start_run(incident, "Ann", "pager").record(4, DIFFERS)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE marks SET number = ? WHERE number IS NOT NULL", (float(DIFFERS),))
    conn.commit()
    conn.close()
    with Journal(db) as journal:
        report = verify_journal(journal)
    assert not report.intact
    assert "number is" in report.breaches[0].reason
