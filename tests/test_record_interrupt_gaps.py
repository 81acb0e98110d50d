"""What the record of issue 12 once could not say because the engine did not keep it (each was
a strict xfail until the engine kept it): a deferred item done at a later step is a deed of
the stay it was done in."""

from __future__ import annotations

from interrupt_defs import INTERRUPTS, interrupts_definition
from procedo.engine import MemorySink, Run
from procedo.model import content_hash
from procedo.render.run_path import path_entries


def to_close_with_a_deferred_item() -> Run:
    run = Run.start(interrupts_definition(), content_hash(INTERRUPTS), MemorySink(), "Ann")
    run.check(0)
    run.check(1)
    run.record(2, "7")
    run.complete()
    run.check(0)
    run.defer(1, "camera flat")  # to close
    run.check(2)
    run.check(3)
    run.complete()
    run.choose(0)  # at close: Remove the locks, then Photograph the seals (deferred)
    return run


def test_the_deferred_item_comes_back_at_close() -> None:
    run = to_close_with_a_deferred_item()
    assert [(line.spec.text, line.carried) for line in run.lines()] == [
        ("Remove the locks", False),
        ("Photograph the seals", True),
    ]


def test_a_deferred_item_done_later_is_a_deed_of_the_stay_it_was_done_in() -> None:
    run = to_close_with_a_deferred_item()
    run.check(0)
    run.check(1)  # Photograph the seals, at close
    close = path_entries(run.definition, run.state)[-1]
    assert close.deeds == ["ticked Remove the locks, Photograph the seals"]


def test_a_deferred_item_cleared_and_marked_not_applicable_later_is_listed_by_its_text() -> None:
    run = to_close_with_a_deferred_item()
    run.check(1)
    run.uncheck(1)
    run.mark_not_applicable(1, "no camera on site")
    run.check(0)
    close = path_entries(run.definition, run.state)[-1]
    assert close.deeds == [
        "ticked Photograph the seals",
        "cleared Photograph the seals",
        "marked Photograph the seals not applicable (no camera on site)",
        "ticked Remove the locks",
    ]
    service = path_entries(run.definition, run.state)[1]
    assert service.deeds == ["ticked Change the filter, File the work order, Torque the bolts"]
