"""``runs.path`` (schema 4): each run's node sequence, written by the sink with every event,
filled by the migration, checked by ``verify``, and what the commonest path of the map groups.

The scripted runs are those of tests/fixtures_journal.py; the seeded runs below walk the same
definitions at random (loops, back, hand-overs, pauses, aborts) to compare the map figures with
the computation they replace: every visit read and one sub-query per run.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fixtures_journal import DAY, DAY0, MINUTE, Clock, build_history_journal, definitions, done
from procedo.engine import Refused, Run
from procedo.journal import SCHEMA_VERSION, Journal
from procedo.journal.map_figures import map_figures
from procedo.journal.metrics import Scope
from procedo.journal.verify import verify_journal
from procedo.model.figures import EdgeKey, MapFigures
from schema5_downgrade import drop_schema_5


def paths(db: Path) -> dict[str, str | None]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT id, path FROM runs").fetchall())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    db = tmp_path_factory.mktemp("paths") / "journal.db"
    return db, build_history_journal(db)


def test_the_sink_writes_each_runs_path_after_loops_hand_overs_back_and_aborts(
    scripted: tuple[Path, dict[str, str]],
) -> None:
    db, ids = scripted
    held = paths(db)
    assert held[ids["R1"]] == "prep measure ok done"
    # R2 measured again twice: each visit of the loop is on the path.
    assert held[ids["R2"]] == "prep measure ok measure ok measure ok done"
    # R3 was handed over from Ann to Cat at prep, then gave up.
    assert held[ids["R3"]] == "prep measure ok failed"
    # R4 was aborted at prep, R7 paused there, R8 is still at measure (its open visit counts).
    assert held[ids["R4"]] == "prep"
    assert held[ids["R7"]] == "prep"
    assert held[ids["R8"]] == "prep measure"
    # R9 went back from measure to prep once: the undone visit is not on the path.
    assert held[ids["R9"]] == "prep measure ok done"
    # I1 (incident-response) was not fixed at the first try: mitigate and its decision twice.
    assert held[ids["I1"]] == "triage impact mitigate fixed mitigate fixed resolved"


def test_the_migration_fills_the_path_of_every_run_as_the_sink_writes_it(
    tmp_path: Path, scripted: tuple[Path, dict[str, str]]
) -> None:
    db = tmp_path / "journal.db"
    source = sqlite3.connect(scripted[0])
    target = sqlite3.connect(db)
    source.backup(target)
    source.close()
    written = paths(db)
    # The file as schema 3 left it: no path column, no schema-4 index.
    drop_schema_5(target)
    target.execute("DROP INDEX runs_paths")
    target.execute("DROP INDEX visits_moves")
    target.execute("ALTER TABLE runs DROP COLUMN path")
    target.execute("PRAGMA user_version = 3")
    target.commit()
    target.close()
    with Journal(db) as journal:
        assert journal.rows("PRAGMA user_version")[0]["user_version"] == SCHEMA_VERSION
        assert verify_journal(journal).intact
    assert None not in written.values()
    assert paths(db) == written


def test_verify_catches_a_tampered_path(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    ids = build_history_journal(db, only={"R2", "R6"})
    conn = sqlite3.connect(db)
    conn.execute("UPDATE runs SET path = 'prep measure ok done' WHERE id = ?", (ids["R2"],))
    conn.commit()
    conn.close()
    with Journal(db) as journal:
        report = verify_journal(journal)
    assert [b.run_id for b in report.breaches] == [ids["R2"]]
    assert "the run record's path is 'prep measure ok done'" in report.breaches[0].reason


# -- the map figures against the computation they replace --------------------------------


def old_visits_and_moves(
    journal: Journal, scope: Scope
) -> tuple[dict[str, int], dict[EdgeKey, int]]:
    """Schema 2's query: every visit of the process grouped, back filtered in Python."""
    rows = journal.rows(
        f"""
        WITH g AS (
            SELECT v.node, v.outcome, v.next_node, v.definition_hash, v.choice, COUNT(*) AS n
            FROM visits v {scope.where("v")}
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
        if row["outcome"] != "back":
            visits[row["node"]] = visits.get(row["node"], 0) + n
        if row["outcome"] in ("completed", "chosen") and row["next_node"] is not None:
            label = row["label"] if row["outcome"] == "chosen" else ""
            key = (row["node"], row["next_node"], label)
            moves[key] = moves.get(key, 0) + n
    return visits, moves


def old_commonest_path(journal: Journal, scope: Scope) -> tuple[str, ...]:
    """Schema 2's query: one ordered sub-query over each completed run's visits."""
    rows = journal.rows(
        f"""
        WITH paths AS MATERIALIZED (
            SELECT r.started_at, (
                SELECT group_concat(node, char(31)) FROM (
                    SELECT v.node FROM visits v WHERE v.run_id = r.id
                        AND (v.outcome IS NULL OR v.outcome != 'back')
                    ORDER BY v.visit
                )
            ) AS path
            FROM runs r {scope.where("r")} AND r.status = 'completed'
        )
        SELECT path, COUNT(*) AS n, MAX(started_at) AS last FROM paths WHERE path IS NOT NULL
        GROUP BY path ORDER BY n DESC, last DESC, path LIMIT 1
        """,
        scope.params,
    )
    return tuple(rows[0]["path"].split("\x1f")) if rows else ()


def old_map_figures(journal: Journal, process: str, version: str | None, practice: bool) -> Any:
    scope = Scope(process, version, practice)
    runs = journal.rows(f"SELECT COUNT(*) AS n FROM runs r {scope.where('r')}", scope.params)
    visits, moves = old_visits_and_moves(journal, scope)
    return MapFigures(
        runs=int(runs[0]["n"]),
        node_visits=visits,
        edge_counts=moves,
        median_seconds={},
        commonest_path=old_commonest_path(journal, scope),
    )


def walk_at_random(run: Run, rng: random.Random, clock: Clock) -> None:
    """Act on the run until it ends or 24 actions were taken: whatever the engine allows."""
    for _ in range(24):
        if run.state.finished:
            return
        clock.now += rng.randint(1, 9) * MINUTE
        roll = rng.random()
        try:
            if roll < 0.03:
                run.abort("seeded abort")
            elif roll < 0.06:
                run.pause("seeded pause")
                run.resume()
            elif roll < 0.10:
                run.hand_over(rng.choice(["Ann", "Bob", "Cat"]), "seeded hand-over")
            elif roll < 0.18:
                run.back()
            elif run.current_step is not None:
                for item in run.open_items():
                    _fill(run, item)
                done(run)
            else:
                decision = run.state.current_node
                options = len(run.definition.decisions[str(decision)].options)
                run.choose(rng.randrange(options))
                if run.state.awaiting_role is not None:
                    run.accept_role()
        except Refused:
            continue


def _fill(run: Run, item: int) -> None:
    for attempt in (
        lambda: run.check(item),
        lambda: run.record(item, "12"),
        lambda: run.record(item, "09:30"),
        lambda: run.record(item, "eu"),
        lambda: run.mark_not_applicable(item, "seeded"),
    ):
        try:
            attempt()
            return
        except (Refused, ValueError):
            continue


def test_map_figures_match_the_computation_they_replace_on_a_seeded_journal(
    tmp_path: Path,
) -> None:
    db = tmp_path / "seeded.db"
    loaded = definitions()
    rng = random.Random(15)
    clock = Clock()
    with Journal(db) as journal:
        journal.clock = clock
        for n in range(24):
            clock.now = DAY0 + n * DAY
            which = rng.choice(["v1", "v2", "incident"])
            trigger = loaded[which].definition.triggers[0].id
            run = journal.start_run(loaded[which], "Ann", trigger, practice=rng.random() < 0.2)
            walk_at_random(run, rng, clock)
            if not run.state.finished:
                journal.release(run.run_id)
        statuses = {row["status"] for row in journal.rows("SELECT status FROM runs")}
        backs = journal.rows("SELECT COUNT(*) AS n FROM visits WHERE outcome = 'back'")
        assert statuses >= {"completed", "aborted"} and backs[0]["n"] > 0
        compared = 0
        for process, versions in (("mini", (None, "1", "2")), ("incident-response", (None,))):
            for version in versions:
                for practice in (False, True):
                    new = map_figures(journal, process, version=version, practice=practice)
                    old = old_map_figures(journal, process, version, practice)
                    assert new == MapFigures(
                        runs=old.runs,
                        node_visits=old.node_visits,
                        edge_counts=old.edge_counts,
                        median_seconds=new.median_seconds,
                        commonest_path=old.commonest_path,
                    ), (process, version, practice)
                    compared += bool(new.commonest_path)
        assert compared >= 6
