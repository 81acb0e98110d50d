"""``procedo stats`` with the clock figures of issue 13: the time split and the trends in the text
and in ``--json``, over tests/clock_fixture.py (figures worked out in tests/test_time_split.py
and tests/test_trends.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from clock_fixture import MIN, REPO, build_clock_journal
from procedo.cli import cli


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stats-clock") / "journal.db"
    build_clock_journal(path)
    return path


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PROCEDO_DB", raising=False)
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.chdir(tmp_path)


def run(db: Path, *args: str) -> Result:
    processes = REPO / "tests" / "fixtures" / "clock"
    return CliRunner().invoke(
        cli, ["--db", str(db), "--processes", str(processes), *args], catch_exceptions=False
    )


def words(text: str) -> list[str]:
    return text.split()


def section(out: str, heading: str) -> list[str]:
    """The lines under ``heading`` up to the next blank line."""
    return out.split(heading + "\n", 1)[1].split("\n\n", 1)[0].splitlines()


def test_the_text_splits_the_time_and_draws_the_trends(db: Path) -> None:
    result = run(db, "stats", "lab")
    assert result.exit_code == 0
    rows = section(result.output, "Where the time goes (working, deciding, hand-overs, pauses, "
                   "interrupts)")  # fmt: skip
    assert rows[0].split() == ["Total", "Working", "Deciding", "Hand-over", "Paused", "Interrupts"]
    assert rows[1].split() == words("All 47 min 33 min 7 min 2 min 2 min 3 min")
    assert rows[2] == "  Per node"
    assert rows[3].split() == words("Prepare the batch (prep) 32 min 27 min – – 2 min 3 min")
    assert "  Per role" in rows and "  Per operator" in rows
    technician = next(r for r in rows if r.strip().startswith("Technician"))
    assert technician.split()[1:] == words("38 min 33 min – – 2 min 3 min")
    weeks = section(result.output, "Trends per ISO week (median duration · success rate · runs)")
    assert [w.split()[:5] for w in weeks] == [
        ["2026-W45", "14", "min", "100", "%"],
        ["2026-W46", "5", "min", "0", "%"],
    ]
    assert weeks[0].endswith("#" * 20) and weeks[1].endswith("#" * 7)  # 5 of 14, of 20
    versions = section(result.output, "Trends per version (median duration · success rate · runs)")
    assert [v.split()[:5] for v in versions] == [
        ["1", "14", "min", "67", "%"],
        ["2", "5", "min", "0", "%"],
    ]


def test_the_json_holds_the_split_and_the_trends(db: Path) -> None:
    data = json.loads(run(db, "stats", "lab", "--json").output)
    split = data["time_split"]
    assert split["total"] | {"process_id": None} == {
        "key": "",
        "title": "all",
        "visits": 12,
        "working_ms": 33 * MIN,
        "deciding_ms": 7 * MIN,
        "handover_ms": 2 * MIN,
        "paused_ms": 2 * MIN,
        "interrupted_ms": 3 * MIN,
        "process_id": None,
        "total_ms": 47 * MIN,
    }
    assert [(r["key"], r["total_ms"]) for r in split["roles"]] == [
        ("tech", 38 * MIN),
        ("lead", 9 * MIN),
    ]
    assert [r["key"] for r in split["operators"]] == ["Bob", "Fay", "Ann", "Cat", "Dan", "Lee"]
    assert data["trends"]["weeks"][0] == {
        "period": "2026-W45",
        "started": 2,
        "completed": 2,
        "aborted": 0,
        "succeeded": 2,
        "success_rate": 1.0,
        "median_ms": 14 * MIN,
    }
    assert [v["period"] for v in data["trends"]["versions"]] == ["1", "2"]
    # The metrics are all still there.
    assert (data["started"], data["completed"]) == (5, 3)


def test_by_version_each_version_has_its_own(db: Path) -> None:
    data = json.loads(run(db, "stats", "lab", "--by-version", "--json").output)
    v2 = data["versions"]["2"]
    assert v2["time_split"]["total"]["total_ms"] == 5 * MIN  # L3: prep 2, approve 3
    assert [w["period"] for w in v2["trends"]["weeks"]] == ["2026-W46"]
    practice = json.loads(run(db, "stats", "lab", "--include-practice", "--json").output)
    assert practice["time_split"]["total"]["visits"] == 15
