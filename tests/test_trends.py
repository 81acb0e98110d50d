"""Trends per ISO week and per version (issue 13) against figures worked out by hand on
tests/clock_fixture.py, and the SQL of the ISO week against Python's calendar."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from clock_fixture import MIN, build_clock_journal
from procedo.journal import Journal
from procedo.journal.metrics import Scope
from procedo.journal.trends import WEEK, trends
from procedo.model.clock_figures import TrendPoint


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    path = tmp_path_factory.mktemp("trends") / "journal.db"
    build_clock_journal(path)
    with Journal(path) as opened:
        yield opened


def test_per_week(journal: Journal) -> None:
    # Week 45 (Mon 2 to Sun 8 November 2026): L1 10 min and L2 18 min, both successes:
    # median (10 + 18) / 2 = 14. Week 46: L3 (failure, 5 min), L4 (aborted), L6 (active):
    # 0 of 2 finished ended at a success, median of the one completed run 5 min. L5 is practice.
    assert trends(journal, Scope("lab", None, False)).weeks == (
        TrendPoint("2026-W45", 2, 2, 0, 2, 1.0, 14 * MIN),
        TrendPoint("2026-W46", 3, 1, 1, 0, 0.0, 5 * MIN),
    )
    assert date(2026, 11, 2).isocalendar()[:2] == (2026, 45)
    assert date(2026, 11, 11).isocalendar()[:2] == (2026, 46)


def test_per_version_in_order_of_first_run(journal: Journal) -> None:
    # Version 1: L1 L2 L4 L6: 2 of 3 finished succeeded, median 14. Version 2: L3.
    assert trends(journal, Scope("lab", None, False)).versions == (
        TrendPoint("1", 4, 2, 1, 2, 2 / 3, 14 * MIN),
        TrendPoint("2", 1, 1, 0, 0, 0.0, 5 * MIN),
    )
    # Over all processes a version names its process; with practice, L5 (3 min) joins v1.
    every = trends(journal, Scope(None, None, True)).versions
    assert every[0] == TrendPoint("lab 1", 5, 3, 1, 3, 3 / 4, 10 * MIN)


def test_one_version_and_no_runs(journal: Journal) -> None:
    assert trends(journal, Scope("lab", "2", False)).weeks == (
        TrendPoint("2026-W46", 1, 1, 0, 0, 0.0, 5 * MIN),
    )
    empty = trends(journal, Scope("other", None, False))
    assert (empty.weeks, empty.versions) == ((), ())


def test_the_iso_week_in_sql_is_the_calendars() -> None:
    conn = sqlite3.connect(":memory:")
    expression = WEEK.replace("r.started_at", "?")
    day = date(2019, 12, 20)
    while day < date(2028, 1, 10):  # years of 52 and 53 weeks, and every new year's week
        year, week, _ = day.isocalendar()
        text = f"{day.isoformat()}T23:59:59.999Z"
        assert (
            conn.execute(f"SELECT {expression}", (text,) * expression.count("?")).fetchone()[0]
            == f"{year}-W{week:02d}"
        ), day
        day += timedelta(days=1)
