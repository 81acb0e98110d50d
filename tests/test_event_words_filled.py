"""The run detail, ``show`` and the exports say what each event did with the run's values in
the titles and item texts (``Collect 3 padlocks``, not ``Collect {workers} padlocks``); an
operator's text that looks like a placeholder stays as typed."""

from __future__ import annotations

from procedo.engine import MemorySink, Run
from procedo.engine.judge import scope_texts
from procedo.model import parse_definition
from procedo.render.event_words import describe

TEXT = """\
[process]
id = "p"
title = "Padlocks"
start = "count"

[steps.count]
title = "Count"
next = "collect"
items = [
  { id = "site", text = "Site", record = "text" },
  { id = "workers", text = "Workers", record = "number" },
]

[steps.collect]
title = "Collect at {site}"
next = "done"
items = ["Collect {workers} padlocks"]

[ends.done]
title = "Done"
outcome = "success"
"""


def test_titles_and_items_are_filled_with_the_runs_values() -> None:
    sink = MemorySink()
    run = Run.start(parse_definition(TEXT), "d" * 64, sink, "Ann")
    run.record(0, "{workers}")  # typed by the operator: shown as typed
    run.record(1, "3")
    run.complete()
    run.check(0)
    values = scope_texts(run.definition, run.state)
    said = [describe(run.definition, e, values) for e in sink.events]
    assert said[0] == "started at Count"
    assert "completed Count" in said
    assert "ticked Collect 3 padlocks" in said
    run.complete()
    values = scope_texts(run.definition, run.state)
    assert describe(run.definition, sink.events[-2], values) == "completed Collect at {workers}"
    assert describe(run.definition, sink.events[-3]) == "ticked Collect ‹workers› padlocks"
