"""The figures of parallel blocks (each branch's median from split to join, the branch last
to arrive, the wait at the join) and of calling steps (step time spanning the called run,
the called process's own success rate), in the query layer and in ``procedo stats``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.journal import Journal
from procedo.journal.parallel_metrics import compute_parallel_figures
from procedo.model.parallel_figures import BlockFigure, BranchFigure, CallFigure
from procedo.workspace import Workspace
from record_fixture import Clock, called_pair, kit_run, step, write_paths


@pytest.fixture
def db(tmp_path: Path) -> Path:
    paths = write_paths(tmp_path)
    with Workspace(paths) as workspace:
        clock = Clock()
        workspace.journal.clock = clock
        kit_run(workspace, clock, 0, laptop=4, desk=10)  # desk last, wait 6 s
        kit_run(workspace, clock, 100, laptop=6, desk=2)  # laptop last, wait 4 s
        kit_run(workspace, clock, 200, laptop=8, desk=3)  # laptop last, wait 5 s
        clock.at(300)
        open_run = workspace.start_run("kit", "Ann")  # the desk arrived, the laptop did not
        step(open_run, clock, 301)
        open_run.switch("prep:2")
        step(open_run, clock, 302)
        clock.at(400)
        practice = workspace.start_run("kit", "Ann", practice=True)
        for seconds in (401, 500, 501, 502, 503):  # branches of 100 and 101 s
            step(practice, clock, seconds)
        called_pair(workspace, clock, 1000, good=True)
        called_pair(workspace, clock, 1100, good=False)
        clock.at(1200)
        alone = workspace.start_run("tester", "Ann")  # the tester on its own: a success
        step(alone, clock, 1201)
        alone.choose(0)
    return paths.db


def test_each_branch_its_median_its_share_of_last_arrivals_and_the_wait(db: Path) -> None:
    with Journal(db) as journal:
        figures = compute_parallel_figures(journal, "kit")
    assert figures.blocks == (
        BlockFigure(
            process_id="kit",
            block="prep",
            title="Prepare the kit",
            join="hand",
            join_title="Hand over",
            runs=3,
            branches=(
                BranchFigure(1, "laptop", "Prepare the laptop", 6000.0, 2, 2 / 3),
                BranchFigure(2, "desk", "Book a desk", 3000.0, 1, 1 / 3),
            ),
            median_wait_ms=5000.0,
        ),
    )
    assert figures.calls == ()


def test_practice_runs_count_when_asked(db: Path) -> None:
    with Journal(db) as journal:
        figures = compute_parallel_figures(journal, "kit", include_practice=True)
    [block] = figures.blocks
    assert block.runs == 4
    assert [b.median_ms for b in block.branches] == [
        7000.0,
        6500.0,
    ]  # of 4, 6, 8, 100 and 10, 2, 3, 101
    assert block.median_wait_ms == 4500.0  # 6, 4, 5 and 1


def test_a_calling_step_spans_its_called_run_beside_the_called_processs_rate(db: Path) -> None:
    with Journal(db) as journal:
        figures = compute_parallel_figures(journal, None)
    assert [b.process_id for b in figures.blocks] == ["kit"]
    assert figures.calls == (
        CallFigure(
            process_id="lockout",
            step="prove",
            title="Prove the tester",
            called="tester",
            called_title="Prove the tester",
            visits=2,
            median_ms=6000.0,  # from its own item at +1 s to the call's end at +7 s
            called_runs=2,
            called_finished=3,
            called_succeeded=2,
            called_success_rate=2 / 3,
        ),
    )


def test_a_journal_without_blocks_or_calls_has_no_such_figures(tmp_path: Path) -> None:
    with Journal(tmp_path / "empty.db") as journal:
        figures = compute_parallel_figures(journal, None)
    assert (figures.blocks, figures.calls) == ((), ())


def stats(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["stats", "--db", str(db), *args], prog_name="procedo")
    assert result.exit_code == 0, result.output
    return result.output


def test_stats_prints_the_branches_and_the_call(db: Path) -> None:
    kit = stats(db, "kit").splitlines()
    start = kit.index("Parallel branches (split to join; last: how often it arrives last)")
    assert kit[start + 1 : start + 4] == [
        "  Prepare the kit: 3 runs with every branch at the join, median wait at Hand over 5 s"
        " (prep)",
        "    1. Prepare the laptop                                6 s  last 67 % (2)",
        "    2. Book a desk                                       3 s  last 33 % (1)",
    ]
    lockout = stats(db, "lockout").splitlines()
    assert any(line.startswith("  Prove the tester + called run (prove) ")
               for line in lockout)  # fmt: skip
    assert lockout[lockout.index("Called processes") + 1] == (
        "  Prove the tester calls Prove the tester: step time 6 s with the called run "
        "(median of 2 visits), 2 runs called; Prove the tester on its own: success 67 % "
        "(of 3 finished) (prove)"
    )


def test_stats_json_carries_the_figures(db: Path) -> None:
    data = json.loads(stats(db, "kit", "--json"))
    [block] = data["parallel"]["blocks"]
    assert block["runs"] == 3
    assert [(b["node"], b["median_ms"], b["last"]) for b in block["branches"]] == [
        ("laptop", 6000.0, 2), ("desk", 3000.0, 1)]  # fmt: skip
    by_version = json.loads(stats(db, "lockout", "--by-version", "--json"))
    [call] = by_version["versions"]["1"]["parallel"]["calls"]
    assert (call["step"], call["called_success_rate"]) == ("prove", 2 / 3)


def test_the_metrics_screen_draws_the_same_words(db: Path) -> None:
    from procedo.journal.metrics import compute_metrics
    from procedo.tui.screens.metrics import metrics_content

    with Journal(db) as journal:
        kit = metrics_content(compute_metrics(journal, "kit"), "Kit [b]out[/b]",
                              compute_parallel_figures(journal, "kit")).plain  # fmt: skip
        lockout = compute_metrics(journal, "lockout")
        calls = compute_parallel_figures(journal, "lockout")
    assert kit.startswith("Kit [b]out[/b]")  # the title literal
    assert "\n  Prepare the kit: 3 runs with every branch at the join, median wait at Hand " \
        "over 5 s\n    1. Prepare the laptop         6 s  last 67 % (2)\n" in kit  # fmt: skip
    shown = metrics_content(lockout, "Lockout", calls).plain
    assert "  Prove the tester + called run  (2 visits)" in shown
    assert "\n  Prove the tester calls Prove the tester: step time 6 s with the called run" in shown


def test_nested_passes_count_by_their_own_block_and_an_ended_pass_not_at_all() -> None:
    import tomllib

    from procedo.journal.parallel_metrics import _count, _runs, _Tally
    from procedo.model import ProcessDefinition
    from record_fixture import iso
    from test_engine_parallel import ONBOARD

    definition = ProcessDefinition.model_validate(tomllib.loads(ONBOARD))
    rows = [  # run a: both passes arrive; run b: the bank branch went to an end instead
        ("a", "h", "prepare:1", iso(0), iso(5), "accounts"),
        ("a", "h", "prepare:2", iso(0), iso(0), None),  # the nested split
        ("a", "h", "prepare:2/paperwork:1", iso(0), iso(3), "filed"),
        ("a", "h", "prepare:2/paperwork:2", iso(0), iso(4), "filed"),
        ("a", "h", "prepare:1", iso(5), iso(9), "first-day"),
        ("a", "h", "prepare:2", iso(4), iso(7), "first-day"),  # filed, the inner join
        ("b", "h", "prepare:2/paperwork:1", iso(0), iso(3), "filed"),
        ("b", "h", "prepare:2/paperwork:2", iso(0), iso(8), "cancelled"),
    ]
    tallies = {"prepare": _Tally(), "paperwork": _Tally()}
    for _, passes in _runs(rows, lambda digest: definition):
        for (_, block), found in passes:
            _count(tallies[block], found, definition, block)
    outer, inner = tallies["prepare"], tallies["paperwork"]
    assert (outer.runs, dict(outer.durations), dict(outer.last), outer.waits) == (
        1, {1: [9000], 2: [7000]}, {1: 1}, [2000])  # fmt: skip
    assert (inner.runs, dict(inner.durations), dict(inner.last), inner.waits) == (
        1, {1: [3000], 2: [4000]}, {2: 1}, [1000])  # fmt: skip
