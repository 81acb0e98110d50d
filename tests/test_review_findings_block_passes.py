"""Review finding: a run that goes through the same parallel block twice (the join loops back
to a step before the split) is counted by the block figures as one pass, whose branch times
run from the first pass's split to the second pass's arrival."""

from __future__ import annotations

from pathlib import Path

from procedo.config import Paths
from procedo.journal import Journal
from procedo.journal.parallel_metrics import compute_parallel_figures
from procedo.model import parse_definition
from procedo.workspace import Workspace
from record_fixture import Clock, step

AGAIN = """
[process]
id = "again"
title = "Kit out, maybe twice"
start = "ask"

[steps.ask]
title = "Ask"
next = "prep"
items = ["Asked"]

[parallel.prep]
title = "Prepare the kit"
branches = ["laptop", "desk"]
join = "check"

[steps.laptop]
title = "Prepare the laptop"
next = "check"
items = ["Ordered"]

[steps.desk]
title = "Book a desk"
next = "check"
items = ["Booked"]

[decisions.check]
question = "Is the kit complete?"
options = [{ label = "Yes", next = "done" }, { label = "No, again", next = "ask" }]

[ends.done]
title = "Done"
outcome = "success"
"""


def test_the_definition_is_valid() -> None:
    parse_definition(AGAIN, source="again.toml")  # raises on any problem


def test_each_pass_through_a_block_counts_on_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "again.toml").write_text(AGAIN, "utf-8")
    paths = Paths(processes=folder, db=tmp_path / "journal.db")
    with Workspace(paths) as workspace:
        clock = Clock()
        workspace.journal.clock = clock
        run = workspace.start_run("again", "Ann")
        step(run, clock, 1)  # ask -> the split at 1 s
        step(run, clock, 3)  # laptop: 2 s
        step(run, clock, 5)  # desk: 4 s, the join opens
        clock.at(6)
        run.choose(1)  # no, again: back to ask
        step(run, clock, 100)  # ask -> the second split at 100 s
        step(run, clock, 103)  # laptop: 3 s
        step(run, clock, 105)  # desk: 5 s
        clock.at(106)
        run.choose(0)
        assert run.state.finished
    with Journal(paths.db) as journal:
        [block] = compute_parallel_figures(journal, "again").blocks
    assert block.runs == 2  # two passes of one run
    assert [b.median_ms for b in block.branches] == [2500.0, 4500.0]  # of 2, 3 and 4, 5 s
    assert block.median_wait_ms == 2000.0
