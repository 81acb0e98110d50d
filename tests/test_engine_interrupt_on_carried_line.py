"""An interrupt raised with the cursor on a deferred item that came back here returns to that
line (not to the first open one): the event names the line as the checklist shows it."""

from __future__ import annotations

from procedo.engine import replay
from test_record_interrupt_gaps import to_close_with_a_deferred_item


def test_the_return_lands_on_the_carried_line_it_interrupted() -> None:
    run = to_close_with_a_deferred_item()
    assert [line.carried for line in run.lines()] == [False, True]
    run.raise_interrupt("leak", 1)  # the cursor on "Photograph the seals" (deferred)
    raised = run.state.frames[-1]
    assert raised.item == 1
    run.check(0)
    run.record(1, "2")
    run.return_from_interrupt()
    assert run.state.frames == []
    assert run.state.resume_at is not None and run.state.resume_at[1] == 1
    events = list(run.sink.events)  # type: ignore[attr-defined]
    rebuilt = replay(run.definition, run.state.definition_hash, run.run_id, events)
    assert rebuilt.resume_at == run.state.resume_at


def test_a_line_past_the_checklist_is_no_line() -> None:
    run = to_close_with_a_deferred_item()
    run.raise_interrupt("leak", 2)  # two lines only
    assert run.state.frames[-1].item is None
