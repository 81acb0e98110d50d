"""estimate_finish (issue 13): a pure function of the definition, the state, the usual times and
the branch shares, checked against figures worked out by hand on tests/clock_fixture.py.

L6 is at the decision ``approve`` (entered at minute 9 of its run, no pause). The usual times
(completed, non-practice runs): prep 3.5 min, approve 2.5 min, ship 3 min. Past choices at
approve: Yes (to ship) 2, No (back to prep) 1, Reject 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clock_fixture import DAY, DAY0, MIN, build_clock_journal
from procedo.journal import Journal
from procedo.journal.finish_estimate import estimate_finish, likely_path
from procedo.journal.map_figures import map_figures
from procedo.journal.step_figures import usual_all
from procedo.model.clock_figures import FinishEstimate
from procedo.model.figures import MapFigures

L6_START = DAY0 + 9 * DAY


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Journal, dict[str, str]]]:
    path: Path = tmp_path_factory.mktemp("estimate") / "journal.db"
    ids, _ = build_clock_journal(path)
    with Journal(path) as journal:
        yield journal, ids


def test_the_estimate_of_a_run_at_a_decision(built: tuple[Journal, dict[str, str]]) -> None:
    journal, ids = built
    definition, state = journal.load_state(ids["L6"])
    usual, shares = usual_all(journal, "lab"), map_figures(journal, "lab")
    now = L6_START + 10 * MIN
    # 10 min so far; approve: 2.5 usual - 1 spent = 1.5 left; Yes is likeliest: ship 3 more.
    assert estimate_finish(definition, state, usual, shares, now) == FinishEstimate(
        elapsed_ms=10 * MIN,
        remaining_ms=round(4.5 * MIN),
        total_ms=round(14.5 * MIN),
        finish_ms=now + round(4.5 * MIN),
        target_ms=20 * MIN,
        path=("approve", "ship", "done"),
        unknown=(),
    )
    # Past the usual time at the node: it adds nothing more; the total still grows with time.
    late = estimate_finish(definition, state, usual, shares, L6_START + 15 * MIN)
    assert late is not None
    assert (late.elapsed_ms, late.remaining_ms, late.total_ms) == (15 * MIN, 3 * MIN, 18 * MIN)
    assert late.over_target is False


def test_the_likeliest_option_follows_the_shares_and_a_loop_counts_once(
    built: tuple[Journal, dict[str, str]],
) -> None:
    journal, ids = built
    definition, state = journal.load_state(ids["L6"])
    usual = usual_all(journal, "lab")
    again = MapFigures(
        edge_counts={("approve", "prep", "No, prepare again"): 5, ("approve", "ship", "Yes"): 1}
    )
    assert likely_path(definition, "approve", again) == ["approve", "prep"]
    estimate = estimate_finish(definition, state, usual, again, L6_START + 10 * MIN)
    assert estimate is not None
    assert (estimate.remaining_ms, estimate.path) == (5 * MIN, ("approve", "prep"))  # 1.5 + 3.5
    # No shares: the first option (none is the default).
    assert likely_path(definition, "approve", None) == ["approve", "ship", "done"]


def test_no_history_and_nodes_without_figures(built: tuple[Journal, dict[str, str]]) -> None:
    journal, ids = built
    definition, state = journal.load_state(ids["L6"])
    now = L6_START + 10 * MIN
    assert estimate_finish(definition, state, {}, None, now) is None
    usual = usual_all(journal, "lab")
    without_ship = {k: v for k, v in usual.items() if k != "ship"}
    estimate = estimate_finish(definition, state, without_ship, None, now)
    assert estimate is not None
    assert (estimate.remaining_ms, estimate.unknown) == (round(1.5 * MIN), ("ship",))
    finished_definition, finished = journal.load_state(ids["L1"])
    assert estimate_finish(finished_definition, finished, usual, None, now) is None
