"""compute_metrics and metrics_by_version against figures worked out by hand.

The runs are scripted in tests/fixtures_journal.py (times in minutes after each run's start).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures_journal import build_history_journal
from procedo.journal import Journal
from procedo.journal.metrics import compute_metrics, metrics_by_version
from procedo.model.figures import LoopCount, NotApplicable, ReasonCount, Tally

MIN = 60_000


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    path = tmp_path_factory.mktemp("metrics") / "journal.db"
    build_history_journal(path)
    with Journal(path) as opened:
        yield opened


def test_mini_run_figures(journal: Journal) -> None:
    m = compute_metrics(journal, "mini")
    # Not practice: R1 R2 R3 R4 (v1), R6 R7 R8 R9 (v2) = 8 started.
    assert m.started == 8
    # Completed R1 R2 R3 R6 R9; aborted R4; unfinished R7 (paused) and R8 (active).
    assert (m.completed, m.aborted, m.unfinished) == (5, 1, 2)
    # Success: R1 R2 R6 R9 (R3 ended at 'failed'); 4 of 6 finished (5 completed + 1 aborted).
    assert m.succeeded == 4
    assert m.success_rate == pytest.approx(4 / 6)
    # Durations of completed runs: R1 7, R2 15, R3 9, R6 5, R9 12 - 2 paused = 10 minutes.
    # Sorted 5 7 9 10 15: median 9; p90 nearest-rank ceil(0.9 * 5) = 5th = 15.
    assert m.median_ms == 9 * MIN
    assert m.p90_ms == 15 * MIN
    # Targets: v1 10 min (R1 7 yes, R2 15 no, R3 9 yes), v2 8 min (R6 5 yes, R9 10 no): 3 of 5.
    assert (m.with_target, m.within_target) == (5, 3)
    assert m.on_target_share == pytest.approx(0.6)
    assert [(p.started_at[:10], p.duration_ms) for p in m.durations] == [
        ("2026-11-02", 7 * MIN),
        ("2026-11-03", 15 * MIN),
        ("2026-11-04", 9 * MIN),
        ("2026-11-07", 5 * MIN),
        ("2026-11-10", 10 * MIN),
    ]


def test_mini_steps_by_median(journal: Journal) -> None:
    m = compute_metrics(journal, "mini")
    prep, measure = m.steps
    # prep completed: R1 2, R2 4, R3 5, R6 2, R8 3, R9 4 (0 to 4: the visit resumed after back).
    # Sorted 2 2 3 4 4 5: median (3 + 4) / 2 = 3.5 min; R4 aborted and R7 still there.
    assert (prep.node, prep.visits, prep.median_ms) == ("prep", 6, 3.5 * MIN)
    assert (prep.min_ms, prep.max_ms) == (2 * MIN, 5 * MIN)
    assert prep.title == "Prepare"
    # measure completed: R1 4, R2 3 3 2, R3 3, R6 2, R9 4 (10 - 4 - 2 paused; the visit left
    # with back does not count). Sorted 2 2 3 3 3 4 4: median 3 min.
    assert (measure.node, measure.visits, measure.median_ms) == ("measure", 7, 3 * MIN)
    assert (measure.min_ms, measure.max_ms) == (2 * MIN, 4 * MIN)
    # The title comes from the newest definition (version 2 renamed the step).
    assert measure.title == "Measure the sample"


def test_mini_decisions(journal: Journal) -> None:
    m = compute_metrics(journal, "mini")
    # ok: R1 Yes; R2 again, again, Yes; R3 give up; R6 Yes; R9 Yes: 7 choices.
    assert [(d.label, d.count) for d in m.decisions] == [
        ("Yes", 4),
        ("No, measure again", 2),
        ("No, give up", 1),
    ]
    assert [d.share for d in m.decisions] == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert {d.question for d in m.decisions} == {"Is the reading fine?"}


def test_mini_not_applicable_with_reasons(journal: Journal) -> None:
    m = compute_metrics(journal, "mini")
    # Put on gloves: R3 'Visual check only', R6 and R9 'Not needed'. Wash hands: R4 'Water off'.
    # R6 marked 'Check the label' not applicable, then cleared it: it does not count.
    assert m.not_applicable == (
        NotApplicable(
            "mini",
            "prep",
            1,
            "Put on gloves",
            3,
            (ReasonCount("Not needed", 2), ReasonCount("Visual check only", 1)),
        ),
        NotApplicable("mini", "prep", 0, "Wash hands", 1, (ReasonCount("Water off", 1),)),
    )


def test_mini_loops(journal: Journal) -> None:
    m = compute_metrics(journal, "mini")
    # R2 visits measure and ok 3 times each (2 repeats). R9 visits measure twice, but the first
    # visit was undone with back: not a loop.
    assert m.loops == (
        LoopCount("mini", "measure", "Measure the sample", 1, 3, 2),
        LoopCount("mini", "ok", "Is the reading fine?", 1, 3, 2),
    )


def test_mini_operators_and_triggers(journal: Journal) -> None:
    m = compute_metrics(journal, "mini")
    # Ann R1 R3; Bob R2 R6; Cat R3 (handed over) R9; Eve R7 R8; Dan R4.
    assert m.operators == (
        Tally("Ann", 2),
        Tally("Bob", 2),
        Tally("Cat", 2),
        Tally("Eve", 2),
        Tally("Dan", 1),
    )
    # call: R1 R3 R4 R6 R9; visit: R2 R7 R8.
    assert m.triggers == (Tally("call", 5), Tally("visit", 3))


def test_mini_recorded_numbers(journal: Journal) -> None:
    temperature, reading = compute_metrics(journal, "mini").numbers
    # Room temperature (item 3 in v1, 4 in v2): R1 20, R2 22, R3 18, R6 21, R8 19, R9 25.
    # Sorted 18 19 20 21 22 25: median (20 + 21) / 2 = 20.5.
    assert (temperature.text, temperature.unit, temperature.count) == ("Room temperature", "°C", 6)
    assert (temperature.median, temperature.min, temperature.max) == (20.5, 18, 25)
    assert temperature.item == 2
    # Reading: R1 5, R2 7 9 8 (one per loop), R3 10, R6 6, R8 3 (active run), R9 4 (40 was
    # corrected to 4 in the same visit: only 4 counts). Sorted 3 4 5 6 7 8 9 10: median 6.5.
    assert (reading.text, reading.unit, reading.count) == ("Reading", "mg", 8)
    assert (reading.median, reading.min, reading.max) == (6.5, 3, 10)


def test_incident_response(journal: Journal) -> None:
    m = compute_metrics(journal, "incident-response")
    # I1 success 31, I2 success 8, I3 failure 50, I4 aborted.
    assert (m.started, m.completed, m.aborted, m.unfinished, m.succeeded) == (4, 3, 1, 0, 2)
    assert m.success_rate == 0.5  # 2 of 4 finished
    # Sorted 8 31 50: median 31, p90 rank ceil(2.7) = 3: 50. Target 45: I1 and I2, 2 of 3.
    assert (m.median_ms, m.p90_ms) == (31 * MIN, 50 * MIN)
    assert m.on_target_share == pytest.approx(2 / 3)
    # triage: I1 10, I2 6, I3 20: median 10. mitigate: I1 9 and 9, I3 19: median 9.
    assert [(s.node, s.visits, s.median_ms) for s in m.steps] == [
        ("triage", 3, 10 * MIN),
        ("mitigate", 3, 9 * MIN),
    ]
    # impact: Yes I1 I3, No I2. fixed: I1 'try again' then Yes, I3 escalate. In flow order.
    assert [(d.node, d.label, d.count) for d in m.decisions] == [
        ("impact", "Yes", 2),
        ("impact", "No", 1),
        ("fixed", "Yes", 1),
        ("fixed", "No, try again", 1),
        ("fixed", "No, escalate", 1),
    ]
    assert [d.share for d in m.decisions] == pytest.approx([2 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3])
    assert m.not_applicable == (
        NotApplicable(
            "incident-response",
            "triage",
            1,
            "Open an incident channel",
            2,
            (ReasonCount("Single-person incident", 2),),
        ),
    )
    # I1 loops once through mitigate and fixed.
    assert [(lp.node, lp.runs_with_repeats, lp.max_visits) for lp in m.loops] == [
        ("fixed", 1, 2),
        ("mitigate", 1, 2),
    ]
    (rate,) = m.numbers
    # Error rate 12.5, 2, 40: median 12.5.
    assert (rate.text, rate.unit, rate.count, rate.median, rate.min, rate.max) == (
        "Error rate",
        "%",
        3,
        12.5,
        2,
        40,
    )
    assert m.triggers == (Tally("pager", 4),)


def test_all_processes(journal: Journal) -> None:
    m = compute_metrics(journal, None)
    assert (m.started, m.completed, m.aborted, m.unfinished, m.succeeded) == (12, 8, 2, 2, 6)
    assert m.success_rate == 0.6  # 6 of 10
    # 5 7 8 9 10 15 31 50: median (9 + 10) / 2 = 9.5 min; p90 rank ceil(7.2) = 8: 50 min.
    assert (m.median_ms, m.p90_ms) == (9.5 * MIN, 50 * MIN)
    assert (m.with_target, m.within_target) == (8, 5)
    assert [(s.process_id, s.node) for s in m.steps] == [
        ("incident-response", "triage"),
        ("incident-response", "mitigate"),
        ("mini", "prep"),
        ("mini", "measure"),
    ]
    assert [(n.text, n.count) for n in m.not_applicable] == [
        ("Put on gloves", 3),
        ("Open an incident channel", 2),
        ("Wash hands", 1),
    ]
    assert m.operators == (
        Tally("Ann", 3),
        Tally("Bob", 3),
        Tally("Cat", 3),
        Tally("Dan", 2),
        Tally("Eve", 2),
    )
    assert m.triggers == (Tally("call", 5), Tally("pager", 4), Tally("visit", 3))
    assert [n.text for n in m.numbers] == ["Error rate", "Room temperature", "Reading"]


def test_practice_left_out_by_default_and_included_on_request(journal: Journal) -> None:
    m = compute_metrics(journal, "mini", include_practice=True)
    # + R5 (v1, success, 2 min) and R10 (v2, failure, 3 min).
    assert (m.started, m.completed, m.aborted, m.unfinished, m.succeeded) == (10, 7, 1, 2, 5)
    assert m.success_rate == pytest.approx(5 / 8)
    # 2 3 5 7 9 10 15: median 7; p90 rank ceil(6.3) = 7: 15. On target: + R5 and R10: 5 of 7.
    assert (m.median_ms, m.p90_ms) == (7 * MIN, 15 * MIN)
    assert (m.with_target, m.within_target) == (7, 5)
    # Readings gain R5 50 and R10 70; Dan gains R10.
    reading = next(n for n in m.numbers if n.text == "Reading")
    assert (reading.count, reading.max) == (10, 70)
    assert Tally("Dan", 2) in m.operators
    assert compute_metrics(journal, "mini").started == 8


def test_split_by_version(journal: Journal) -> None:
    versions = metrics_by_version(journal, "mini")
    assert list(versions) == ["1", "2"]
    v1, v2 = versions["1"], versions["2"]
    # v1: R1 R2 R3 completed (7 15 9), R4 aborted: 2 of 4 succeeded.
    assert (v1.started, v1.completed, v1.aborted, v1.unfinished) == (4, 3, 1, 0)
    assert v1.success_rate == 0.5
    assert (v1.median_ms, v1.p90_ms) == (9 * MIN, 15 * MIN)
    assert v1.on_target_share == pytest.approx(2 / 3)
    # prep 2 4 5: median 4; measure 4 3 3 2 3: median 3. The v1 title of measure.
    assert [(s.node, s.median_ms, s.title) for s in v1.steps] == [
        ("prep", 4 * MIN, "Prepare"),
        ("measure", 3 * MIN, "Measure"),
    ]
    # Yes R1 R2, again twice in R2, give up R3: 5 choices.
    assert [(d.label, d.count) for d in v1.decisions] == [
        ("Yes", 2),
        ("No, measure again", 2),
        ("No, give up", 1),
    ]
    assert [(n.text, n.count) for n in v1.not_applicable] == [
        ("Wash hands", 1),
        ("Put on gloves", 1),
    ]
    temperature, reading = v1.numbers
    assert (temperature.median, temperature.count, temperature.item) == (20, 3, 2)  # 18 20 22
    assert (reading.median, reading.count) == (8, 5)  # 5 7 8 9 10
    # v2: R6 (5) and R9 (10) completed and successful; R7 and R8 unfinished.
    assert (v2.started, v2.completed, v2.unfinished, v2.success_rate) == (4, 2, 2, 1.0)
    assert (v2.median_ms, v2.p90_ms) == (7.5 * MIN, 10 * MIN)  # p90 rank ceil(1.8) = 2
    assert v2.on_target_share == 0.5
    # prep 2 3 4 and measure 2 4: both medians 3 min; ties in node order.
    assert [(s.node, s.median_ms) for s in v2.steps] == [("measure", 3 * MIN), ("prep", 3 * MIN)]
    # Only 'Yes' was taken in v2; the other options show with 0.
    assert [(d.label, d.count, d.share) for d in v2.decisions] == [
        ("Yes", 2, 1.0),
        ("No, measure again", 0, 0.0),
        ("No, give up", 0, 0.0),
    ]
    assert v2.loops == ()
    temperature, reading = v2.numbers
    assert (temperature.median, temperature.item) == (21, 3)  # 19 21 25; item 4 in v2
    assert (reading.median, reading.count) == (4, 3)  # 3 4 6
    assert compute_metrics(journal, "mini", version="2") == v2


def test_empty_scope(journal: Journal) -> None:
    m = compute_metrics(journal, "no-such-process")
    assert (m.started, m.completed, m.success_rate, m.median_ms, m.p90_ms) == (
        0,
        0,
        None,
        None,
        None,
    )
    assert m.on_target_share is None
    assert m.steps == m.decisions == m.numbers == ()
    assert metrics_by_version(journal, "no-such-process") == {}


def test_metrics_are_json_serialisable(journal: Journal) -> None:
    data = json.loads(json.dumps(compute_metrics(journal, None).to_dict()))
    assert data["started"] == 12
    assert data["not_applicable"][0]["reasons"][0] == {"reason": "Not needed", "count": 2}


def test_a_new_journal_has_no_figures(tmp_path: Path) -> None:
    with Journal(tmp_path / "empty.db") as empty:
        m = compute_metrics(empty, None)
    assert (m.started, m.durations, m.operators) == (0, (), ())
