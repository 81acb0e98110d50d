"""Run.allowed() and Run.toggle(i): the engine says what each key may do, and why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.engine import MemorySink, Refused, Run
from procedo.engine.allowed import Toggle, Verdict
from procedo.model import content_hash, load_file, parse_definition

LAB = Path(__file__).resolve().parent.parent / "processes" / "lab-sample-intake.toml"

DEMO = """
[process]
id = "demo"
title = "Demo"
start = "prep"

[steps.prep]
title = "Prepare"
next = "ok"
items = [
  "Wash hands",
  { text = "Lock the door", critical = true },
  { text = "Temperature", record = "number", min = -5, max = 40 },
  { text = "Colour", record = "choice", choices = ["Red", "Green"] },
]

[decisions.ok]
question = "Is everything in order?"
options = [{ label = "Yes", next = "done" }, { label = "Again", next = "prep" }]

[ends.done]
title = "Done"
outcome = "success"
"""

WASH, LOCK, TEMP, COLOUR = range(4)


def _demo() -> Run:
    ticks = iter(range(1_795_000_000_000, 1_795_000_000_000 + 10**9, 1000))
    return Run.start(
        parse_definition(DEMO), "x" * 64, MemorySink(), "Ada", clock=lambda: next(ticks)
    )


def _events(run: Run) -> int:
    sink = run.sink
    assert isinstance(sink, MemorySink)
    return len(sink.events)


def test_toggle_on_every_kind_of_row() -> None:
    run = _demo()
    assert run.toggle(WASH) == Toggle("tick")
    assert run.toggle(LOCK) == Toggle("tick")  # critical, but a plain tick
    assert run.toggle(TEMP) == Toggle("record")
    assert run.toggle(COLOUR) == Toggle("choose")
    assert run.toggle(None) == Toggle("nothing", "this step has no items", "no_items")
    assert run.toggle(9).does == "nothing"


def test_toggle_on_a_ticked_or_not_applicable_row_does_nothing_and_says_why() -> None:
    run = _demo()
    run.check(WASH)
    assert run.toggle(WASH) == Toggle("nothing", "'Wash hands' is already ticked", "ticked")
    run.record(TEMP, "20")
    assert run.toggle(TEMP) == Toggle("record")  # a recorded value can be changed
    run.uncheck(WASH)
    run.mark_not_applicable(WASH, "no sink")
    toggle = run.toggle(WASH)
    assert toggle == Toggle("nothing", "'Wash hands' is marked not applicable", "not_applicable")
    # What toggle refuses, the operation refuses too: nothing is written.
    count = _events(run)
    with pytest.raises(Refused):
        run.check(WASH)
    assert _events(run) == count


def test_allowed_on_a_critical_row_refuses_not_applicable() -> None:
    run = _demo()
    allowed = run.allowed(LOCK)
    assert allowed.not_applicable == Verdict(
        True, "'Lock the door' is critical: it cannot be marked not applicable"
    )
    assert run.allowed(WASH).not_applicable.ok
    assert allowed.clear == Verdict(True, "'Lock the door' is not ticked")
    run.check(LOCK)
    assert run.allowed(LOCK).clear.ok


def test_allowed_complete_names_what_still_needs_a_tick_or_a_value() -> None:
    run = _demo()
    run.check(WASH)
    run.check(LOCK)
    run.record(COLOUR, "Red")
    complete = run.allowed().complete
    assert complete == Verdict(True, "1 item still open: 'Temperature'")
    with pytest.raises(Refused, match=complete.reason):
        run.complete()
    run.record(TEMP, "4")
    assert run.allowed().complete.ok


def test_at_a_decision_only_the_options_apply() -> None:
    run = _demo()
    for index in (WASH, LOCK):
        run.check(index)
    run.record(TEMP, "4")
    run.record(COLOUR, "Red")
    run.complete()
    allowed = run.allowed()
    assert allowed.choose.ok
    for verdict in (allowed.toggle, allowed.not_applicable, allowed.clear, allowed.complete):
        assert not verdict.applies and verdict.reason
    assert run.toggle(0) == Toggle("nothing", "there is no checklist here", "no_checklist")
    assert allowed.back.ok and allowed.note.ok and allowed.abort.ok
    assert not allowed.accept_role.applies


def test_awaiting_a_role_refuses_work_until_someone_acts_as_it() -> None:
    definition = load_file(LAB).definition
    digest = content_hash(LAB.read_text(encoding="utf-8"))
    ticks = iter(range(1_795_000_000_000, 1_795_000_000_000 + 10**9, 1000))
    run = Run.start(definition, digest, MemorySink(), "Tess", "courier", clock=lambda: next(ticks))
    for index, item in enumerate(definition.steps["unpack"].items):
        if item.record == "choice":
            run.record(index, item.choices[0])
        elif item.record == "number":
            run.record(index, "-30" if index == 3 else "5")
        else:
            run.check(index)
    run.complete()  # the logger's 5 °C is out of range: temperature-ok chooses No itself
    assert run.state.current_node == "qa-review"  # the quality officer is next
    assert run.state.awaiting_role is not None
    allowed = run.allowed(0)
    assert allowed.accept_role.ok and allowed.hand_over.ok and allowed.note.ok
    assert allowed.choose.applies and "Quality officer is next" in allowed.choose.reason
    run.accept_role()
    assert run.allowed().choose.ok and not run.allowed().accept_role.applies
    run.choose(0)  # accept the sample: the technician inspects it, after a hand-over
    assert run.state.current_node == "inspect" and run.state.awaiting_role is not None
    toggle = run.toggle(0)
    assert toggle.why == "role" and "is next: hand the run over" in toggle.reason
    assert "is next" in run.allowed(0).not_applicable.reason


def test_a_finished_or_paused_run_allows_only_what_its_status_permits() -> None:
    run = _demo()
    run.pause()
    allowed = run.allowed(WASH)
    assert allowed.resume.ok and not allowed.pause.ok
    assert allowed.toggle.reason == "the run is paused: resume it first"
    assert run.toggle(WASH) == Toggle("nothing", "the run is paused: resume it first", "status")
    assert allowed.note.ok and allowed.abort.ok and not allowed.back.ok
    run.resume()
    run.abort("test over")
    done = run.allowed(WASH)
    finished = "the run is aborted: nothing more can be done in it"
    for verdict in (done.toggle, done.note, done.hand_over, done.abort, done.pause, done.resume):
        assert verdict.reason == finished
    assert not any(getattr(done, name).ok for name in done.__slots__)
    assert run.toggle(WASH).why == "status"


def test_back_at_the_first_node_is_refused_with_the_operations_message() -> None:
    run = _demo()
    back = run.allowed().back
    assert back == Verdict(True, "this is the first node: there is nothing to go back to")
    with pytest.raises(Refused, match=back.reason):
        run.back()
