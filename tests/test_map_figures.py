"""map_figures against figures worked out by hand from the scripted runs.

The runs are scripted in tests/fixtures_journal.py (times in minutes after each run's start).
mini, not practice: R1 R2 R3 R4 (version 1) and R6 R7 R8 R9 (version 2); R5 and R10 are
practice runs. Every run starts at ``prep`` (the triggers have no start of their own).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures_journal import build_history_journal
from procedo.journal import Journal
from procedo.journal.map_figures import map_figures
from procedo.model.figures import MapFigures

AGAIN = "No, measure again"
GIVE_UP = "No, give up"


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    path = tmp_path_factory.mktemp("map") / "journal.db"
    build_history_journal(path)
    with Journal(path) as opened:
        yield opened


def test_mini_without_practice(journal: Journal) -> None:
    f = map_figures(journal, "mini")
    assert f.runs == 8
    # prep: every run. measure: R1, R2 three times, R3, R6, R8, R9 (its visit undone with
    # back is not counted). ok: R1, R2 three times, R3, R6, R9. R4 aborted at prep, R7 paused
    # there, R8 still at measure.
    assert dict(f.node_visits) == {"prep": 8, "measure": 8, "ok": 7, "done": 4, "failed": 1}
    assert dict(f.edge_counts) == {
        ("prep", "measure", ""): 6,  # completed: R1 R2 R3 R6 R8 R9 (R9's second try)
        ("measure", "ok", ""): 7,
        ("ok", "done", "Yes"): 4,  # R1 R2 R6 R9
        ("ok", "measure", AGAIN): 2,  # R2 twice
        ("ok", "failed", GIVE_UP): 1,  # R3
    }
    assert f.edge_share(("ok", "done", "Yes")) == pytest.approx(4 / 7)
    assert f.edge_share(("ok", "measure", AGAIN)) == pytest.approx(2 / 7)
    assert f.edge_share(("prep", "measure", "")) == 1.0
    assert f.edge_share(("done", "x", "")) is None
    # prep completed in 2 4 5 2 3 4 minutes: median 3.5 min. measure 4, 3 3 2, 3, 2, 4 (R9's
    # last visit: 10 - 4 minus 2 paused): median 3 min (as compute_metrics).
    assert dict(f.median_seconds) == {"prep": 210.0, "measure": 180.0}
    # Completed runs: R1 R6 R9 went prep, measure, ok, done; R2 looped; R3 gave up.
    assert f.commonest_path == ("prep", "measure", "ok", "done")
    assert f.on_commonest_path("ok", "done") and not f.on_commonest_path("ok", "measure")
    assert not f.reached("nowhere") and f.reached("failed")


def test_practice_runs_counted_on_request(journal: Journal) -> None:
    f = map_figures(journal, "mini", practice=True)
    # R5: prep, measure, ok, Yes, done; R10: prep, measure, ok, give up, failed.
    assert f.runs == 10
    assert f.node_visits["prep"] == 10 and f.node_visits["done"] == 5
    assert f.node_visits["failed"] == 2
    assert f.edge_counts[("ok", "failed", GIVE_UP)] == 2
    assert f.edge_counts[("prep", "measure", "")] == 8
    assert f.commonest_path == ("prep", "measure", "ok", "done")


def test_one_version(journal: Journal) -> None:
    f = map_figures(journal, "mini", version="1")
    assert f.runs == 4
    assert dict(f.node_visits) == {"prep": 4, "measure": 5, "ok": 5, "done": 2, "failed": 1}
    assert f.edge_counts[("ok", "measure", AGAIN)] == 2
    assert f.edge_counts[("prep", "measure", "")] == 3  # R4 was aborted at prep
    # prep 2 4 5: median 4 min; measure 4, 3 3 2, 3: median 3 min.
    assert dict(f.median_seconds) == {"prep": 240.0, "measure": 180.0}
    # R1, R2 and R3 each took a path of their own: the tie goes to the latest, R3.
    assert f.commonest_path == ("prep", "measure", "ok", "failed")


def test_loops_and_trigger_starts(journal: Journal) -> None:
    f = map_figures(journal, "incident-response")
    # I1 mitigates twice; I2 no impact; I3 escalates; I4 aborted at triage.
    assert f.runs == 4
    assert dict(f.node_visits) == {
        "triage": 4,
        "impact": 3,
        "mitigate": 3,
        "fixed": 3,
        "resolved": 1,
        "closed": 1,
        "escalated": 1,
    }
    assert dict(f.edge_counts) == {
        ("triage", "impact", ""): 3,
        ("impact", "mitigate", "Yes"): 2,
        ("impact", "closed", "No"): 1,
        ("mitigate", "fixed", ""): 3,
        ("fixed", "mitigate", "No, try again"): 1,
        ("fixed", "resolved", "Yes"): 1,
        ("fixed", "escalated", "No, escalate"): 1,
    }
    # triage completed after 10, 6, 20 minutes: median 10 min. mitigate: I1 11 to 20 and 21 to
    # 30, I3 21 to 40: sorted 9 9 19, median 9 min.
    assert f.median_seconds == {"triage": 600.0, "mitigate": 540.0}
    # Three completed runs, three different paths: the latest (I3) wins the tie.
    assert f.commonest_path == ("triage", "impact", "mitigate", "fixed", "escalated")


def test_a_process_without_runs(journal: Journal) -> None:
    assert map_figures(journal, "refund-approval") == MapFigures()


def test_medians_handed_in_replace_the_median_queries(tmp_path) -> None:
    from procedo.journal import Journal
    from procedo.journal.map_figures import map_figures
    from procedo.journal.metrics import compute_metrics

    path = tmp_path / "j.db"
    build_history_journal(path)
    with Journal(path) as journal:
        process = journal.rows("SELECT process_id FROM runs LIMIT 1")[0]["process_id"]
        computed = map_figures(journal, process)
        steps = compute_metrics(journal, process).steps
        handed = map_figures(journal, process, medians={s.node: s.median_ms / 1000 for s in steps})
    assert computed.median_seconds  # the fixture has completed step visits
    assert handed == computed
