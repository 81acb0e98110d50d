"""A definition with every kind of condition, and a journal of runs that use each one: start
inputs, an overridden suggestion, an automatic choice, a deviation explained, a deviation
routed by the flow, an inactive item (shared by the tests of the record of conditions)."""

from __future__ import annotations

from pathlib import Path

from procedo.engine import Run
from procedo.journal import Journal
from procedo.model import LoadedProcess, load_file

T0 = 1_795_000_000_000

VOLTAGE = (
    'id = "residual_v", text = "Voltage at the isolator", record = "number", unit = "V", '
    'min = 0, max = 1000, expect = "residual_v < 1"'
)
PRESSURE = (
    'id = "pressure", text = "Pressure", record = "number", unit = "bar", min = 0, max = 100, '
    'expect = "pressure < 2"'
)
TOML = """
[process]
id = "cond"
title = "Refund of {amount}"

[inputs.amount]
title = "Amount asked"
record = "number"
unit = "EUR"
min = 0

[steps.check]
title = "Check {amount} EUR"
next = "limit"
items = [
  {VOLTAGE},
  { text = "Manager signs for {amount} EUR", when = "amount > 250" },
  "Plain <b>[bold]</b> tick",
]

[decisions.limit]
question = "Above the limit of {amount}?"
auto = true
options = [
  { label = "Yes, escalate", next = "measure", when = "amount > 250" },
  { label = "No", next = "measure", default = true },
]

[steps.measure]
title = "Measure pressure"
next = "safe"
items = [
  {PRESSURE},
]

[decisions.safe]
question = "Safe to work?"
options = [
  { label = "Yes, work may start", next = "ok", when = "pressure < 2" },
  { label = "No, bleed it first", next = "bad", when = "pressure >= 2" },
]

[ends.ok]
title = "Done"
outcome = "success"

[ends.bad]
title = "Stopped"
outcome = "failure"
""".replace("{VOLTAGE}", "{ " + VOLTAGE + " }").replace("{PRESSURE}", "{ " + PRESSURE + " }")


def loaded(tmp_path: Path) -> LoadedProcess:
    """The definition, loaded from a file in ``tmp_path``."""
    path = tmp_path / "cond.toml"
    path.write_text(TOML, encoding="utf-8")
    return load_file(path)


def clock() -> object:
    """A clock that moves 1.5 s an event."""
    tick = iter(range(T0, T0 + 10**9, 1500))
    return lambda: next(tick)


def high_run(journal: Journal, process: LoadedProcess) -> Run:
    """300 EUR: 230 V explained, the manager signs, escalated automatically; pressure 5 bar
    routed by the flow, then the suggestion "No" overridden with a reason."""
    run = journal.start_run(process, "Ann", inputs={"amount": "300"})
    run.record(0, "230")
    run.explain(0, "meter <faulty>, [re-measured] by hand")
    run.check(1)
    run.check(2)
    run.complete()  # the auto decision chooses "Yes, escalate"
    run.record(0, "5")
    run.complete()  # routed: the next decision reads pressure
    run.choose(0, "bled by [red]the fitter[/red], gauge stuck")
    return run


def low_run(journal: Journal, process: LoadedProcess) -> Run:
    """100 EUR: the manager's item inactive, "No" by default automatically, pressure fine and
    the suggestion confirmed."""
    run = journal.start_run(process, "Bo", inputs={"amount": "100"})
    run.record(0, "0.5")
    run.check(2)
    run.complete()
    run.record(0, "1")
    run.complete()
    run.choose(0)
    return run


def build(db: Path, tmp_path: Path) -> tuple[str, str]:
    """A journal with one high and one low run; their ids."""
    process = loaded(tmp_path)
    with Journal(db) as journal:
        journal.clock = clock()  # type: ignore[assignment]
        high = high_run(journal, process)
        low = low_run(journal, process)
    return high.run_id, low.run_id
