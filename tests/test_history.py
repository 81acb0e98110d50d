"""The history: filters, paging and rows, on the journal of known runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures_journal import RUNS, build_history_journal, day
from procedo.journal import Journal
from procedo.journal.history import HistoryFilter, history_count, history_page, parse_when

MIN = 60_000
NEWEST_FIRST = [label for label, *_ in reversed(RUNS)]  # one run a day, in RUNS order


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Journal, dict[str, str]]]:
    path = tmp_path_factory.mktemp("history") / "journal.db"
    ids = build_history_journal(path)
    with Journal(path) as journal:
        yield journal, ids


def labels(history: tuple[Journal, dict[str, str]], flt: HistoryFilter, **page: int) -> list[str]:
    journal, ids = history
    by_id = {run_id: label for label, run_id in ids.items()}
    return [by_id[row.run_id] for row in history_page(journal, flt, **page)]


def test_every_run_newest_first(history: tuple[Journal, dict[str, str]]) -> None:
    assert labels(history, HistoryFilter()) == NEWEST_FIRST
    assert NEWEST_FIRST[:3] == ["I4", "I3", "I2"]
    assert history_count(history[0], HistoryFilter()) == 14


def test_a_completed_run_row(history: tuple[Journal, dict[str, str]]) -> None:
    journal, ids = history
    row = next(r for r in history_page(journal) if r.run_id == ids["R3"])
    assert (row.process_id, row.process_title, row.version) == ("mini", "Mini check", "1")
    assert (row.started_at, row.ended_at) == (
        "2026-11-04T09:00:00.000Z",
        "2026-11-04T09:09:00.000Z",
    )
    assert row.operators == ["Ann", "Cat"]  # handed over to Cat
    assert (row.status, row.outcome, row.current_node) == ("completed", "failure", "failed")
    # 9 minutes against the v1 target of 10.
    assert (row.duration_ms, row.target_ms, row.on_target) == (9 * MIN, 10 * MIN, True)
    assert (row.practice, row.trigger) == (False, "call")


def test_unfinished_aborted_and_practice_rows(history: tuple[Journal, dict[str, str]]) -> None:
    journal, ids = history
    rows = {r.run_id: r for r in history_page(journal)}
    paused = rows[ids["R7"]]
    assert (paused.status, paused.outcome, paused.duration_ms, paused.on_target) == (
        "paused",
        None,
        None,
        None,
    )
    assert (paused.current_node, paused.ended_at, paused.target_ms) == ("prep", None, 8 * MIN)
    aborted = rows[ids["R4"]]
    assert (aborted.status, aborted.outcome, aborted.on_target) == ("aborted", None, None)
    assert aborted.duration_ms == 3 * MIN
    over = rows[ids["R9"]]  # 10 min against the v2 target of 8
    assert (over.outcome, over.duration_ms, over.on_target) == ("success", 10 * MIN, False)
    assert rows[ids["R10"]].practice is True
    assert rows[ids["I1"]].to_dict()["operators"] == ["Ann"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (
            HistoryFilter(process="mini"),
            ["R10", "R9", "R8", "R7", "R6", "R5", "R4", "R3", "R2", "R1"],
        ),
        (HistoryFilter(process="incident-response", status="aborted"), ["I4"]),
        (HistoryFilter(status="paused"), ["R7"]),
        (HistoryFilter(outcome="success"), ["I2", "I1", "R9", "R6", "R5", "R2", "R1"]),
        (HistoryFilter(outcome="failure"), ["I3", "R10", "R3"]),
        (HistoryFilter(operator="cat"), ["I3", "R9", "R3"]),  # any operator, any case
        (HistoryFilter(operator="  Eve "), ["R8", "R7"]),
        (HistoryFilter(operator="Ca"), []),  # a whole name, not a part
        (HistoryFilter(since=day(10)), ["I4", "I3", "I2", "I1"]),
        (HistoryFilter(until=day(1)), ["R2", "R1"]),  # a date: the whole day
        (HistoryFilter(since="2026-11-03T09:00", until="2026-11-04T09:00Z"), ["R3", "R2"]),
        (HistoryFilter(since="2026-11-03T10:00+01:00", until="2026-11-03T08:59"), []),
        (HistoryFilter(text="incid"), ["I4", "I3", "I2", "I1"]),
        (HistoryFilter(text="MINI CHECK", process="mini", status="active"), ["R8"]),
        (HistoryFilter(text="visit"), ["R10", "R8", "R7", "R2"]),  # the trigger
        (HistoryFilter(text="eve"), ["R8", "R7"]),  # an operator
        (HistoryFilter(text="%"), []),
        (HistoryFilter(text="_"), []),
        (
            HistoryFilter(include_practice=False, process="mini", until=day(4)),
            ["R4", "R3", "R2", "R1"],
        ),
    ],
)
def test_filters(
    history: tuple[Journal, dict[str, str]], flt: HistoryFilter, expected: list[str]
) -> None:
    assert labels(history, flt) == expected
    assert history_count(history[0], flt) == len(expected)


def test_text_finds_a_run_id_prefix(history: tuple[Journal, dict[str, str]]) -> None:
    ids = history[1]
    assert labels(history, HistoryFilter(text=ids["R5"][:8].upper())) == ["R5"]


def test_practice_left_out(history: tuple[Journal, dict[str, str]]) -> None:
    assert history_count(history[0], HistoryFilter(include_practice=False)) == 12
    assert "R5" not in labels(history, HistoryFilter(include_practice=False))


def test_paging(history: tuple[Journal, dict[str, str]]) -> None:
    assert labels(history, HistoryFilter(), limit=5) == NEWEST_FIRST[:5]
    assert labels(history, HistoryFilter(), limit=5, offset=5) == NEWEST_FIRST[5:10]
    assert labels(history, HistoryFilter(), limit=5, offset=10) == NEWEST_FIRST[10:]
    assert labels(history, HistoryFilter(), limit=5, offset=20) == []


def test_first_page_walks_the_start_index(history: tuple[Journal, dict[str, str]]) -> None:
    journal, _ = history
    from procedo.journal.history import _SELECT

    plan = journal.rows(
        f"EXPLAIN QUERY PLAN {_SELECT} ORDER BY r.started_at DESC, r.id DESC LIMIT 100"
    )
    details = " ".join(row["detail"] for row in plan)
    assert "runs_started" in details  # read newest first from the index: no sort of all runs


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "done"}, "status must be one of"),
        ({"outcome": "ok"}, "outcome must be success or failure"),
        ({"since": "yesterday"}, "'yesterday' is not a date"),
        ({"until": "2026-02-30"}, "'2026-02-30' is not a date"),
    ],
)
def test_invalid_filters_are_refused(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        HistoryFilter(**kwargs)


def test_parse_when() -> None:
    assert parse_when("2026-11-03") == "2026-11-03T00:00:00.000Z"
    assert parse_when("2026-11-03", end=True) == "2026-11-04T00:00:00.000Z"
    assert parse_when("2026-11-03T10:30", end=True) == "2026-11-03T10:30:00.000Z"
    assert parse_when("2026-11-03 10:30+02:00") == "2026-11-03T08:30:00.000Z"
    assert parse_when("2026-11-03T10:30:05.250Z") == "2026-11-03T10:30:05.250Z"
