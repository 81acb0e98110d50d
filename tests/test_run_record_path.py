"""The summary and the Markdown export tell what happened in a run, visit by visit."""

from __future__ import annotations

import pytest

from procedo.engine import MemorySink, Run
from procedo.journal import Journal
from procedo.journal.run_record import RunRecord, load_run_record
from procedo.model.loader import load_file
from procedo.render.export import to_markdown
from procedo.tui.screens.summary import summary_parts
from procedo.tui.text import line
from tui_support import BUNDLED, FIXED_MS, FakeClock


@pytest.fixture
def incident() -> tuple[Run, FakeClock]:
    """An incident-response run on a clock that moves only when told to."""
    definition = load_file(BUNDLED / "incident-response.toml").definition
    clock = FakeClock(start=FIXED_MS)
    run = Run.start(definition, "hash", MemorySink(), "ana", "pager", clock=clock)
    return run, clock


def summary_text(run: Run, now: int) -> str:
    return line(*summary_parts(run.definition, run.state, now)).plain


def test_an_active_run_is_in_progress_with_its_time_so_far(incident) -> None:
    run, clock = incident
    clock.advance(90_000)
    shown = summary_text(run, clock.now)
    assert "ABORTED" not in shown
    assert "In progress at Triage the alert" in shown
    assert "Duration  1 min 30 s so far" in shown


def test_a_paused_run_says_where_and_leaves_the_pause_out(incident) -> None:
    run, clock = incident
    clock.advance(40_000)
    run.pause()
    clock.advance(600_000)  # ten minutes paused do not count
    shown = summary_text(run, clock.now)
    assert "ABORTED" not in shown
    assert "Paused at Triage the alert" in shown
    assert "Duration  40 s so far" in shown


def went_back_run(tmp_path) -> RunRecord:
    """The reviewers' run: Yes, Mitigate, "No, try again", back three times, then No."""
    clock = FakeClock(start=FIXED_MS)
    with Journal(tmp_path / "journal.db") as journal:
        journal.clock = clock
        run = journal.start_run(load_file(BUNDLED / "incident-response.toml"), "ana", "pager")

        def act(action, seconds: int = 10) -> None:
            clock.advance(seconds * 1000)
            action()
            if run.state.awaiting_role is not None:
                run.accept_role()

        for index in range(3):
            act(lambda i=index: run.check(i), 1)
        for index, value in ((3, "09:00"), (4, "5"), (5, "eu")):
            act(lambda i=index, v=value: run.record(i, v), 1)
        act(run.complete)
        act(lambda: run.choose(0))  # Yes
        act(lambda: run.check(0))  # Roll back the last deploy
        act(lambda: run.mark_not_applicable(1, "Rolled back"))
        act(run.complete)
        act(lambda: run.choose(1))  # No, try again
        act(run.back)
        act(run.back)
        act(run.back)
        act(lambda: run.choose(1), 27)  # No
        assert run.state.finished
        return load_run_record(journal, run.run_id)


PATH = [
    ("Triage the alert", "completed"),
    ("Are customers affected?", "chose Yes"),
    (
        "Mitigate",
        "ticked Roll back the last deploy; marked Watch the error rate for 5 minutes"
        " not applicable (Rolled back); completed",
    ),
    ("Is the error rate back to normal?", "chose No, try again"),
    ("Mitigate", "went back to Is the error rate back to normal?"),
    ("Is the error rate back to normal?", "went back to Mitigate"),
    ("Mitigate", "went back to Are customers affected?"),
    ("Are customers affected?", "chose No"),
    ("No customer impact", "end reached"),
]


def test_the_export_path_lists_every_stay_going_back_included(tmp_path) -> None:
    record = went_back_run(tmp_path)
    path = to_markdown(record).split("## Path\n\n")[1].split("\n\n")[0].splitlines()
    assert len(path) == len(PATH)
    for number, (shown, (title, done)) in enumerate(zip(path, PATH, strict=True), 1):
        assert shown.startswith(f"{number}. {title} ("), shown
        assert shown.endswith(done), shown
    assert ", 10 s): chose Yes" in path[1]
    assert ", 27 s, came back to it): chose No" in path[7], "27 s of the last stay only"
    assert "came back to it" in path[5] and "came back to it" in path[6]


def test_the_summary_path_agrees_with_the_export(tmp_path) -> None:
    record = went_back_run(tmp_path)
    shown = line(*summary_parts(record.definition, record.state)).plain
    lines = shown.split("Path\n")[1].split("\n\n")[0].splitlines()
    path = [text for text in lines if not text.startswith("     ")]  # deeds are indented
    assert len(path) == len(PATH)
    for number, (entry, (title, done)) in enumerate(zip(path, PATH, strict=True), 1):
        assert entry.startswith(f"  {number}. {title}"), entry
        assert entry.endswith(done.split("; ")[-1]), entry
    assert path[7] == "  8. Are customers affected? (came back to it)  27 s — chose No"
    mitigate = lines.index(path[2])
    assert lines[mitigate + 1 : mitigate + 3] == [
        "     ticked Roll back the last deploy",
        "     marked Watch the error rate for 5 minutes not applicable (Rolled back)",
    ]
