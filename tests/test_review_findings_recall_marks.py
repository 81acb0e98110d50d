"""Review finding: calling again after an aborted child run (the step stays open, ``c``
calls again) journals the step's ``inactive`` (and routed ``deviation``) events a second
time for the same visit: the record says twice that the step completed with an item
switched off, and the exports list it twice."""

from __future__ import annotations

import itertools
import tomllib

import pytest

from procedo.engine import MemorySink, Run
from procedo.model import ProcessDefinition, parse_definition
from test_engine_calls import CHILD

PARENT = """
[process]
id = "lockout"
title = "Lockout"
start = "prove"

[inputs.volts]
title = "Volts at the panel"
record = "number"

[steps.prove]
title = "Prove the tester"
call = "tester"
outcomes = { success = "done", failure = "done" }
items = ["Fetch the tester", { text = "Put on high-voltage gloves", when = "volts > 1000" }]

[ends.done]
title = "Done"
outcome = "success"
"""


@pytest.mark.xfail(
    strict=True,
    reason="engine/run.py Run.complete drafts 'inactive'/'deviation' again for marks that "
    "already are (the second call after an aborted child)",
)
def test_calling_again_does_not_journal_the_switched_off_item_again() -> None:
    clock = itertools.count(1_795_000_000_000, 1000)
    sink = MemorySink()
    parent = Run.start(
        parse_definition(PARENT, source="lockout.toml"), "p" * 64, sink, "Ann",
        clock=lambda: next(clock), inputs={"volts": "230"},
    )  # fmt: skip
    parent.check(0)
    parent.complete()  # item 2 switched off, the first call
    call = parent.open_call()
    assert call is not None
    child = Run.start(
        ProcessDefinition.model_validate(tomllib.loads(CHILD)), "c" * 64, MemorySink(), "Ann",
        run_id=call[0], parent=(parent.run_id, "prove"), clock=lambda: next(clock),
    )  # fmt: skip
    child.abort("the tester fell")
    parent.end_call(child.state)  # aborted: the step stays open
    parent.complete()  # the second call
    kinds = [(e.kind, e.item) for e in sink.events]
    assert kinds.count(("call", None)) == 2
    assert kinds.count(("inactive", 1)) == 1
