"""The stored views of schema 3: the same rows as schema 2's views, and a schema-2 journal
upgrades to them in place."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fixtures_journal import build_history_journal
from procedo.journal import SCHEMA_VERSION, Journal
from procedo.journal.order_stats import kth_smallest, median_of, p90_of
from procedo.journal.schema import MIGRATIONS
from procedo.journal.verify import verify_journal
from procedo.journal.views import VIEW_NAMES
from schema5_downgrade import drop_schema_5

NEW_INDEXES = [
    str(s).split()[2] for s in MIGRATIONS[3] if str(s).lstrip().startswith("CREATE INDEX")
]
SCHEMA_2_VIEWS = Path(__file__).parent / "fixtures" / "views_schema2.sql"


def old_views() -> dict[str, str]:
    """Schema 2's view statements by name."""
    text = "\n".join(
        line for line in SCHEMA_2_VIEWS.read_text().splitlines() if not line.startswith("--")
    )
    statements = [s.strip() for s in text.split(";\n") if s.strip()]
    return {s.split()[2]: s for s in statements}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stored-views") / "journal.db"
    build_history_journal(path)
    return path


def rows(conn: sqlite3.Connection, name: str) -> list[tuple[Any, ...]]:
    found = conn.execute(f"SELECT * FROM {name}").fetchall()
    return sorted(found, key=lambda row: tuple((v is None, str(v)) for v in row))


def columns(conn: sqlite3.Connection, name: str) -> list[str]:
    return [d[0] for d in conn.execute(f"SELECT * FROM {name} LIMIT 0").description]


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_each_view_gives_the_rows_of_schema_2(db_path: Path, name: str) -> None:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        conn.execute(old_views()[name].replace(f"CREATE VIEW {name}", "CREATE TEMP VIEW old", 1))
        assert columns(conn, name) == columns(conn, "old")
        new, old = rows(conn, name), rows(conn, "old")
        assert new, f"{name} is empty on the seeded journal"
        assert len(new) == len(old)
        for a, b in zip(new, old, strict=True):
            assert a == pytest.approx(b)
    finally:
        conn.close()


def test_a_schema_2_journal_upgrades_to_the_new_views(tmp_path: Path) -> None:
    path = tmp_path / "schema2.db"
    build_history_journal(path)
    conn = sqlite3.connect(path)
    drop_schema_5(conn)
    for name in VIEW_NAMES:  # back to schema 2: its views, not the indexes of schema 3
        conn.execute(f"DROP VIEW {name}")
    for index in NEW_INDEXES:
        conn.execute(f"DROP INDEX {index}")
    conn.execute("DROP INDEX runs_paths")  # and schema 4's path with its indexes
    conn.execute("DROP INDEX visits_moves")
    conn.execute("ALTER TABLE runs DROP COLUMN path")
    for statement in old_views().values():
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    before = {name: rows(conn, name) for name in VIEW_NAMES}
    conn.close()
    with Journal(path) as journal:
        assert journal.rows("PRAGMA user_version")[0]["user_version"] == SCHEMA_VERSION == 9
        assert verify_journal(journal).intact
        names = {r["name"] for r in journal.rows("SELECT name FROM sqlite_master")}
        assert {*NEW_INDEXES, *VIEW_NAMES} <= names
    conn = sqlite3.connect(path)
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'step_durations'")
        assert "ROW_NUMBER" not in sql.fetchone()[0]  # the new view, not the old one
        for name in VIEW_NAMES:
            after = rows(conn, name)
            assert len(after) == len(before[name])
            for a, b in zip(after, before[name], strict=True):
                assert a == pytest.approx(b)
    finally:
        conn.close()


def test_kth_smallest_agrees_with_sorting() -> None:
    """The search finds the exact value at every rank: integers, reals, ties, skew, signs."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (g INTEGER, x)")
    conn.execute("CREATE INDEX t_g ON t (g, x)")
    rng = random.Random(15)
    makers = [
        lambda: rng.randint(0, 10**6),
        lambda: rng.randint(0, 3),
        lambda: rng.lognormvariate(0, 3),
        lambda: rng.choice([1, -1]) * 2.0 ** rng.randint(-60, 60),
        lambda: rng.choice([1.5, 22.25, -7.0, 1e-9]),
    ]
    groups: dict[int, list[float]] = {}
    for g in range(120):
        groups[g] = [makers[g % 5]() for _ in range(rng.choice([0, 1, 2, 3, 10, 57, 200]))]
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(g, x) for x in groups[g]])
    source = "FROM t WHERE t.g = :g"
    kth = f"SELECT {kth_smallest('t.x', source, ':k')}"
    stats = f"SELECT {median_of('t.x', source, ':n')}, {p90_of('t.x', source, ':n')}"
    for g, values in groups.items():
        ordered, n = sorted(values), len(values)
        for k in {0, 1, 2, (n + 1) // 2, (9 * n + 9) // 10, n, n + 1}:
            want = ordered[k - 1] if 1 <= k <= n else None
            assert conn.execute(kth, {"g": g, "k": k}).fetchone()[0] == want, (g, k)
        median, p90 = conn.execute(stats, {"g": g, "n": n}).fetchone()
        if n:
            assert median == (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
            assert p90 == ordered[(9 * n + 9) // 10 - 1]
        else:
            assert (median, p90) == (None, None)
