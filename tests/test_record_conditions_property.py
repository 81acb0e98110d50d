"""Property: random runs of a definition with conditions (inputs, deviations explained or
routed, inactive items, automatic, confirmed and overridden choices, back) replay from the
journal to the same state, and verify finds the derived rows the sink wrote equal to those the
replay gives."""

from __future__ import annotations

import dataclasses
import itertools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions_fixture import loaded
from procedo.engine import Refused, replay
from procedo.journal import Journal
from procedo.journal.verify import verify_journal

AMOUNTS = ["100", "250", "250.5", "300"]
VOLTS = ["0", "0.99", "1", "230"]
PRESSURES = ["0", "1.99", "2", "5"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amount=st.sampled_from(AMOUNTS),
    steps=st.lists(
        st.tuples(st.sampled_from(VOLTS), st.sampled_from(PRESSURES), st.booleans(), st.booleans()),
        min_size=1,
        max_size=3,
    ),
)
def test_a_replay_gives_the_same_state_and_rows(
    amount: str, steps: list[tuple[str, str, bool, bool]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        process = loaded(tmp)
        tick = itertools.count(1_795_000_000_000, 1000)
        with Journal(tmp / "j.db") as journal:
            journal.clock = lambda: next(tick)
            run = journal.start_run(process, "Ann", inputs={"amount": amount})
            for volts, pressure, override, go_back in steps:
                if run.state.finished:
                    break
                run.record(0, volts)
                if float(volts) >= 1:
                    run.explain(0, f"accepted {volts}")
                if run.item_checks()[1].active:
                    run.check(1)
                run.check(2)
                run.complete()
                if go_back and run.state.current_node == "measure":
                    run.back()  # back over the automatic choice, to its decision
                    run.choose(1 if run.suggestion() and run.suggestion().option == 0 else 0,
                               "by hand")  # fmt: skip
                run.record(0, pressure)
                run.complete()
                suggestion = run.suggestion()
                assert suggestion is not None and suggestion.option is not None
                if override:
                    run.choose(1 - suggestion.option, "the gauge is stuck")
                else:
                    run.choose(suggestion.option)
            events = journal.events(run.run_id)
            again = replay(process.definition, process.sha256, run.run_id, events)
            assert dataclasses.asdict(again) == dataclasses.asdict(run.state)
            assert verify_journal(journal).breaches == []


def test_an_override_without_a_reason_is_refused(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.db") as journal:
        run = journal.start_run(loaded(tmp_path), "Ann", inputs={"amount": "100"})
        run.record(0, "0")
        run.check(2)
        run.complete()
        run.record(0, "5")
        run.complete()
        try:
            run.choose(0)
        except Refused as refused:
            assert "needs a reason" in str(refused)
        else:
            raise AssertionError("an override without a reason was accepted")
