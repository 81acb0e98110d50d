"""The time split (issue 13) against figures worked out by hand on tests/clock_fixture.py.

Left visits of steps and decisions, non-practice runs (minutes):
  L1 (Ann): prep 4 · approve 3 (handed to Lee at 5, the next action at 7: 2 of hand-over,
            1 deciding; Ann held the run when the visit began) · ship 3 (Lee)
  L2 (Bob): prep 11 wall = 6 working + 2 paused + 3 in the spill · approve 1 · prep 3 ·
            approve 2 · ship 3
  L3 (Cat): prep 2 · approve 3          L4 (Dan): prep 3 (aborted)
  L6 (Fay): prep 9 (the open approve visit does not count yet)
  L5 (Eve, practice): prep 1 · approve 1 · ship 1
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from clock_fixture import MIN, build_clock_journal
from procedo.journal import Journal
from procedo.journal.metrics import Scope
from procedo.journal.time_split import time_split
from procedo.model.clock_figures import TimeSplit


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    path = tmp_path_factory.mktemp("split") / "journal.db"
    build_clock_journal(path)
    with Journal(path) as opened:
        yield opened


def minutes(s: TimeSplit) -> tuple[int, ...]:
    """visits, then working, deciding, hand-over, paused, interrupted in whole minutes."""
    parts = (s.working_ms, s.deciding_ms, s.handover_ms, s.paused_ms, s.interrupted_ms)
    assert all(p % MIN == 0 for p in parts)
    return (s.visits, *(p // MIN for p in parts))


def test_in_all(journal: Journal) -> None:
    total = time_split(journal, Scope("lab", None, False)).total
    # working: prep 4+6+3+2+3+9 = 27, ship 3+3 = 6; deciding: 1 + 1+2 + 3 = 7; hand-over 2.
    assert minutes(total) == (12, 33, 7, 2, 2, 3)
    assert total.total_ms == 47 * MIN


def test_per_node_most_time_first(journal: Journal) -> None:
    nodes = time_split(journal, Scope("lab", None, False)).nodes
    assert [(s.key, s.title, minutes(s)) for s in nodes] == [
        ("prep", "Prepare the batch", (6, 27, 0, 0, 2, 3)),
        ("approve", "Approve the batch?", (4, 0, 7, 2, 0, 0)),
        ("ship", "Ship the batch", (2, 6, 0, 0, 0, 0)),
    ]


def test_per_role_with_the_role_names(journal: Journal) -> None:
    roles = time_split(journal, Scope("lab", None, False)).roles
    assert [(s.key, s.title, minutes(s)) for s in roles] == [
        ("tech", "Technician", (8, 33, 0, 0, 2, 3)),
        ("lead", "Lead", (4, 0, 7, 2, 0, 0)),
    ]


def test_per_operator_who_held_the_run_when_the_visit_began(journal: Journal) -> None:
    operators = time_split(journal, Scope("lab", None, False)).operators
    assert [(s.key, minutes(s)) for s in operators] == [
        ("Bob", (5, 12, 3, 0, 2, 3)),
        ("Fay", (1, 9, 0, 0, 0, 0)),
        ("Ann", (2, 4, 1, 2, 0, 0)),  # the hand-over waited in Ann's visit
        ("Cat", (2, 2, 3, 0, 0, 0)),
        ("Dan", (1, 3, 0, 0, 0, 0)),
        ("Lee", (1, 3, 0, 0, 0, 0)),
    ]


def test_each_grouping_adds_up_to_the_whole(journal: Journal) -> None:
    split = time_split(journal, Scope(None, None, True))
    for rows in (split.nodes, split.roles, split.operators):
        assert sum(s.total_ms for s in rows) == split.total.total_ms
        assert sum(s.visits for s in rows) == split.total.visits


def test_practice_runs_and_versions(journal: Journal) -> None:
    # With L5 (Eve): prep 1 and ship 1 more working, approve 1 more deciding.
    practice = time_split(journal, Scope("lab", None, True))
    assert minutes(practice.total) == (15, 35, 8, 2, 2, 3)
    assert ("Eve", (3, 2, 1, 0, 0, 0)) in [(s.key, minutes(s)) for s in practice.operators]
    # Version 2 is L3 alone.
    v2 = time_split(journal, Scope("lab", "2", False))
    assert minutes(v2.total) == (2, 2, 3, 0, 0, 0)
    assert [s.key for s in v2.operators] == ["Cat"]


def test_a_scope_without_runs_is_empty(journal: Journal) -> None:
    split = time_split(journal, Scope("other", None, False))
    assert split.total.visits == 0 and split.total.total_ms == 0
    assert (split.nodes, split.roles, split.operators) == ((), (), ())
