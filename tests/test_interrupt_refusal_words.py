"""Why an interrupt cannot be raised, in the operator's words: the nodes where it applies by
their titles with the run's values filled in (never ids or raw ``{placeholders}``), at most
three of them and how many more."""

from __future__ import annotations

from procedo.engine import MemorySink, Run
from procedo.engine.allowed_interrupts import raisable
from procedo.model import load_file
from tui_support import BUNDLED


def test_a_refusal_names_where_the_interrupt_applies_as_the_operator_reads_it() -> None:
    loaded = load_file(BUNDLED / "lockout-tagout.toml")
    run = Run.start(loaded.definition, loaded.sha256, MemorySink(), "Ann", trigger="planned")
    fire = next(r for r in raisable(run.definition, run.state) if r.interrupt == "fire-alarm")
    assert fire.reason == (
        "'Fire alarm' applies only at 'Isolate, lock and tag every energy source of ‹asset›', "
        "'Release stored energy', 'Prove the voltage tester' and 4 more"
    )
    run.record(0, "P-17")
    fire = next(r for r in raisable(run.definition, run.state) if r.interrupt == "fire-alarm")
    assert fire.reason.startswith(
        "'Fire alarm' applies only at 'Isolate, lock and tag every energy source of P-17', "
    )
