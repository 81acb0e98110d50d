"""A believable journal for the history and metrics screenshots: a few hundred seeded runs.

Eight weeks of work before the screenshots' fixed clock, driven through the real engine (so
hash chains, visits and marks are what the app writes): a team per process, incidents at any
hour and the other processes in working hours, items that take a realistic time, values in
the ranges people really see, decisions taken as often as they are in practice, loops, items
marked not applicable with reasons, hand-overs, notes, a few aborted, unfinished and practice
runs. The same seed gives the same journal, so the pictures change only when the app does.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from procedo.engine import Run, iso_from_ms
from procedo.journal import Journal
from procedo.model import Item, LoadedProcess, load_file

MINUTE = 60_000
DAY = 86_400_000
WEEKS = 8

# process id: (runs, seconds per item, team)
PLAN: dict[str, tuple[int, tuple[int, int], list[str]]] = {
    "incident-response": (110, (20, 150), ["Alice", "Bilal", "Chen", "Dana", "Emeka"]),
    "lab-sample-intake": (62, (20, 140), ["Freya", "Goran", "Hiro", "Ines"]),
    "refund-approval": (58, (20, 110), ["Jonas", "Kemi", "Lena", "Mateo", "Nora"]),
    "lockout-tagout": (26, (30, 190), ["Oskar", "Priya", "Quinn"]),
    "software-release": (24, (60, 560), ["Rosa", "Sami", "Tomas"]),
    "employee-onboarding": (20, (120, 880), ["Uma", "Viktor"]),
}
STEP_SECONDS = {("incident-response", "mitigate"): (300, 600)}  # its watch waits 5 min
# decision id: weights of its options, in order
CHOICES: dict[str, list[float]] = {
    "impact": [65, 35],
    "fixed": [72, 20, 8],
    "temperature-ok": [91, 9],
    "qa-review": [60, 40],
    "paperwork-ok": [86, 10, 4],
    "eligible": [72, 14, 14],
    "lead-approval": [75, 15, 10],
    "finance-approval": [80, 20],
    "chargeback-valid": [45, 55],
    "zero-energy": [94, 6],
    "restart-ok": [90, 10],
    "go-no-go": [82, 14, 4],
    "canary-healthy": [88, 12],
    "access-scope": [35, 65],
    "check-cleared": [62, 33, 5],
    "day-one-ready": [84, 11, 5],
}
# item text: (how often it is not applicable, why)
NOT_APPLICABLE: dict[str, tuple[float, str]] = {
    "Open an incident channel": (0.25, "Single-person incident"),
    "Roll back the last deploy": (0.3, "No deploy in the last 24 h"),
    "Data logger maximum during transit": (0.12, "No logger in this shipper"),
    "Place the samples in the quarantine rack at the stated condition": (
        0.3,
        "Sender corrected it on the phone at once",
    ),
    "Ask for photos of the damage or the packaging": (0.4, "Not delivered: nothing to photograph"),
    "Ask the carrier for the proof of delivery": (0.4, "Damaged item: delivery not in doubt"),
    "Cancel any pending return label or replacement": (0.5, "No return or replacement pending"),
    "Discharge capacitors with the drive's discharge tool": (0.3, "No drive on this machine"),
    "Publish the release notes": (0.1, "Hotfix: notes follow the next day"),
    "Order a phone if the role profile lists one": (0.6, "Office role, no phone"),
}
SHIFT_CHANGE = "Shift change during the work: the incoming worker locked on"
ABORTS = {
    "incident-response": ["False alarm: monitoring fault", "Duplicate of another incident"],
    "lab-sample-intake": ["Shipment recalled by the sender", "Wrong laboratory"],
    "refund-approval": ["Customer withdrew the request", "Duplicate ticket"],
    "lockout-tagout": ["Maintenance postponed", "Wrong machine scheduled"],
    "software-release": ["Release train cancelled by the CTO", "Freeze lifted for an incident"],
    "employee-onboarding": ["Candidate declined the offer", "Start postponed by months"],
}
NOTES = [
    "Second pair of eyes on the readings",
    "Called the team lead to confirm",
    "Photo attached to the ticket",
    "Took longer: system slow this morning",
]
Value = Callable[[random.Random, Item, dict[str, str]], str]


def _number(low: float, high: float, mode: float, digits: int = 1) -> Value:
    return lambda rng, item, seen: f"{round(rng.triangular(low, high, mode), digits):g}"


def _lab_temperature(rng: random.Random, item: Item, seen: dict[str, str]) -> str:
    condition = seen.get("Transport condition stated on the waybill", "Refrigerated")
    low, high, mode = {"Frozen": (-80, -20, -72), "Ambient": (15, 26, 21)}.get(condition, (2, 9, 5))
    if "maximum" in item.text:
        low, mode = mode, mode + 1
    return f"{round(rng.triangular(low, high, mode), 1):g}"


def _storage(rng: random.Random, item: Item, seen: dict[str, str]) -> str:
    condition = seen.get("Transport condition stated on the waybill", "Refrigerated")
    base = {"Frozen": -80.0, "Ambient": 20.0}.get(condition, 4.0)
    return f"{round(base + rng.uniform(-1.5, 1.5), 1):g}"


def _amount(rng: random.Random, item: Item, seen: dict[str, str]) -> str:
    if "refunded" in item.text and "amount" in seen:
        return seen["amount"] if rng.random() < 0.95 else f"{float(seen['amount']) * 0.9:.2f}"
    return f"{round(min(4800.0, rng.lognormvariate(4.3, 1.0)), 2):.2f}"


def _received(rng: random.Random, item: Item, seen: dict[str, str]) -> str:
    listed = int(float(seen.get("Number of sample containers on the manifest", "12")))
    return str(listed if rng.random() < 0.93 else max(1, listed - 1))


INPUTS: dict[str, Callable[[random.Random], str]] = {
    "amount": lambda rng: f"{round(min(4800.0, rng.lognormvariate(4.3, 1.0)), 2):.2f}",
    "error_budget": lambda rng: "1",
    "latency_objective": lambda rng: "400",
}
"""The start inputs of the bundled processes, as an operator gives them."""

DEVIATION_REASONS = [
    "Checked with the supervisor: accepted",
    "Agreed with the customer",
    "Sender phoned: the count on the manifest was wrong",
    "Re-measured with a second meter: accepted by the lead",
]
OVERRIDE_REASONS = [
    "Approved by phone, ticket attached",
    "The lead's call after a look at the logs",
]


VALUES: dict[str, Value] = {
    "Error rate": _number(0.5, 45, 6),
    "Time of first error (UTC)": lambda rng, item, seen: seen["now"][11:16],
    "Temperature inside the shipper on arrival": _lab_temperature,
    "Data logger maximum during transit": _lab_temperature,
    "Storage temperature at the time of storing": _storage,
    "Number of sample containers on the manifest": _number(2, 96, 12, 0),
    "Number of sample containers received": _received,
    "Name of the person contacted": lambda rng, item, seen: rng.choice(
        ["Dr Okafor", "Nurse Blom", "M. Laurent", "Reception, Eastside clinic"]
    ),
    "Storage location, freezer and rack": lambda rng, item, seen: (
        f"Freezer F{rng.randint(1, 4)}, rack {rng.randint(1, 24)}"
    ),
    "Amount requested": _amount,
    "Amount refunded": _amount,
    "Order number": lambda rng, item, seen: f"ORD-{rng.randint(400_000, 499_999)}",
    "Payment provider refund reference": lambda rng, item, seen: f"re_{rng.getrandbits(40):010x}",
    "Chargeback case number": lambda rng, item, seen: f"CB-{rng.randint(10_000, 99_999)}",
    "Response deadline": lambda rng, item, seen: seen["in a week"],
    "Machine or asset number": lambda rng, item, seen: f"PRESS-{rng.randint(1, 9):02d}",
    "Number of energy sources to isolate": _number(3, 6, 4, 0),
    "Residual hydraulic pressure": lambda rng, item, seen: "0",
    "Voltage measured at the motor terminals": lambda rng, item, seen: "0",
    "Pressure shown on the hydraulic gauge": lambda rng, item, seen: "0",
    "Job card number": lambda rng, item, seen: f"JC-{rng.randint(2000, 2999)}",
    "Fault description": lambda rng, item, seen: rng.choice(
        ["Ram drifts down with the valve closed", "Interlock does not make on the rear guard"]
    ),
    "Release version": lambda rng, item, seen: f"2026.{seen['now'][5:7]}.{rng.randint(1, 9)}",
    "Commit of the release candidate": lambda rng, item, seen: f"{rng.getrandbits(48):012x}",
    "Automated test pass rate": lambda rng, item, seen: rng.choice(["100", "100", "100", "99.6"]),
    "Error rate on the canary": _number(0.1, 2.5, 0.4, 2),
    "p99 latency on the canary": _number(180, 520, 260, 0),
    "What went wrong": lambda rng, item, seen: rng.choice(
        ["Connection pool exhausted under load", "Cache keys changed format"]
    ),
    "Start date": lambda rng, item, seen: seen["in a month"],
    "Contracted hours per week": lambda rng, item, seen: rng.choice(["40", "40", "37.5", "24"]),
    "Screening reference number": lambda rng, item, seen: f"SCR-{rng.randint(10_000, 99_999)}",
    "Date the provider expects to report": lambda rng, item, seen: seen["in a week"],
    "Laptop asset tag": lambda rng, item, seen: f"LT-{rng.randint(10_000, 19_999)}",
    "Building pass number": lambda rng, item, seen: f"BP-{rng.randint(100_000, 999_999)}",
}


def _value(rng: random.Random, item: Item, seen: dict[str, str]) -> str:
    if item.text in VALUES:
        return VALUES[item.text](rng, item, seen)
    if item.record == "choice":
        weights = [max(1, 6 - 2 * i) for i in range(len(item.choices))]
        return rng.choices(list(item.choices), weights)[0]
    if item.record == "number":
        low, high = item.min or 0, item.max if item.max is not None else 100
        return f"{round(rng.triangular(low, high, low + (high - low) * 0.2), 1):g}"
    return f"{item.text.split()[0].upper()}-{rng.randint(100, 999)}"


class _Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def _call(rng: random.Random, run: Run, clock: _Clock, calls: tuple[Journal, Path],
          team: list[str], item_seconds: tuple[int, int]) -> None:  # fmt: skip
    """At a calling step whose call is open: the child run walked to its end, then the parent
    goes on (a tenth of the testers fail their proof)."""
    call = run.open_call()
    assert call is not None
    journal, folder = calls
    child_loaded = load_file(folder / f"{call[1]}.toml")
    child = journal.start_run(child_loaded, run.state.operator, practice=run.state.practice,
                              run_id=call[0], parent=(run.run_id, call[2]))  # fmt: skip
    _walk(rng, child, clock, child_loaded, team, item_seconds, "completed", calls)
    journal.release(child.run_id)
    run.end_call(child.state)


SIGNER_PIN = "135790"


def _signer_id(role: str) -> str:
    return f"{role}-signer"


def _enrol_signers(journal: Journal, loaded: dict[str, LoadedProcess], at_ms: int) -> None:
    """One signer per role of every process with sign-offs (who signs its hold points)."""
    from procedo.journal.signers import add_signer, get_signer

    for process in loaded.values():
        d = process.definition
        if not any(node.signoff for node in (*d.steps.values(), *d.decisions.values())):
            continue
        for role, title in d.roles.items():
            if get_signer(journal, _signer_id(role)) is None:
                add_signer(journal, _signer_id(role), f"{title} on duty", [role], SIGNER_PIN,
                           now_ms=at_ms)  # fmt: skip


def _sign(run: Run) -> None:
    """Give every sign-off of the node the run is at (the enrolled signer of its role)."""
    from procedo.model.signature import SignerIdentity

    for status in run.signoffs():
        if status.given is None:
            role = status.signoff.role
            title = run.definition.roles.get(role, role)
            signer = SignerIdentity(_signer_id(role), f"{title} on duty", (role,))
            run.sign(status.index, signer)


def _walk(rng: random.Random, run: Run, clock: _Clock, loaded: LoadedProcess, team: list[str],
          item_seconds: tuple[int, int], fate: str,
          calls: tuple[Journal, Path] | None = None) -> None:  # fmt: skip
    d = loaded.definition
    process = d.id
    seen: dict[str, str] = dict(run.state.inputs)
    visits: dict[str, int] = {}
    stop_at = rng.randint(1, 4) if fate != "completed" else -1
    while not run.state.finished:
        node = run.state.current_node or ""
        visits[node] = visits.get(node, 0) + 1
        if stop_at == 0:
            if fate == "aborted":
                run.abort(rng.choice(ABORTS[process]))
            else:
                run.pause("Waiting for a colleague")
            return
        stop_at -= 1
        if run.open_call() is not None and calls is not None:
            _call(rng, run, clock, calls, team, item_seconds)
            continue
        if run.state.awaiting_role is not None:  # a hand-over point: the next role acts
            clock.now += rng.randint(5, 90) * 1000
            others = [n for n in team if n != run.state.operator]
            if others and rng.random() < 0.5:
                run.hand_over(rng.choice(others), "Next role")
            else:
                run.accept_role()
        if rng.random() < 0.03 and len(team) > 1:
            run.hand_over(rng.choice([n for n in team if n != run.state.operator]), "Shift change")
        if node in d.decisions:
            _sign(run)  # a hold point before the answer
            options = d.decisions[node].options
            weights = CHOICES.get(node, [70] + [30 / max(1, len(options) - 1)] * (len(options) - 1))
            choice = rng.choices(range(len(options)), weights[: len(options)])[0]
            if visits[node] > 2:
                choice = 0  # the third time round, it works
            clock.now += rng.randint(20, 120) * 1000
            suggestion = run.suggestion()
            if suggestion is not None and suggestion.option is not None:
                if rng.random() < 0.92 or visits[node] > 2:
                    run.choose(suggestion.option)  # the readings decide, mostly
                else:
                    other = (suggestion.option + 1) % len(options)
                    run.choose(other, rng.choice(OVERRIDE_REASONS))
                continue
            run.choose(choice)
            continue
        low, high = STEP_SECONDS.get((process, node), item_seconds)
        for index, item in enumerate(d.steps[node].items):
            if not run.item_checks()[index].active:
                continue  # switched off by its condition: not needed
            clock.now += rng.randint(low, high) * 1000
            seen["now"] = iso_from_ms(clock.now)
            seen["in a week"] = iso_from_ms(clock.now + 7 * DAY)[:10]
            seen["in a month"] = iso_from_ms(clock.now + 30 * DAY)[:10]
            chance, why = NOT_APPLICABLE.get(item.text, (0.0, ""))
            if item.text.startswith(SHIFT_CHANGE) and rng.random() < 0.8:
                run.mark_not_applicable(index, "No shift change")
            elif rng.random() < chance and run.allowed(index).not_applicable.ok:
                run.mark_not_applicable(index, why)
            elif item.record:
                value = _value(rng, item, seen)
                seen[item.text] = value
                run.record(index, value)
                if run.item_checks()[index].needs_reason:
                    run.explain(index, rng.choice(DEVIATION_REASONS))
            else:
                run.check(index)
        if rng.random() < 0.06:
            run.note(rng.choice(NOTES))
        clock.now += rng.randint(5, 40) * 1000
        _sign(run)
        run.complete()


def fill_journal(processes: Path, db: Path, end_ms: int, seed: int = 2026) -> int:
    """Write the seeded runs, all started in the eight weeks before ``end_ms``; their count."""
    rng = random.Random(seed)
    clock = _Clock()
    starts: list[tuple[int, str]] = []
    for process, (count, _, _) in PLAN.items():
        for _ in range(count):
            day = end_ms - rng.randint(1, WEEKS * 7) * DAY
            day -= day % DAY
            if process == "incident-response":
                starts.append((day + rng.randint(0, DAY - 1), process))
            else:
                while (day // DAY + 3) % 7 >= 5:  # 1970-01-01 was a Thursday: no weekends
                    day -= DAY
                starts.append((day + rng.randint(8 * 60, 16 * 60) * MINUTE, process))
    starts.sort()
    loaded = {p: load_file(processes / f"{p}.toml") for p in PLAN}
    ids = (uuid.UUID(int=rng.getrandbits(128), version=4) for _ in iter(int, 1))
    fresh_id = mock.patch("procedo.engine.run.uuid.uuid4", side_effect=lambda: next(ids))
    with fresh_id, Journal(db) as journal:
        journal.clock = clock
        _enrol_signers(journal, loaded, end_ms - (WEEKS * 7 + 1) * DAY)
        for started, process in starts:
            _, item_seconds, team = PLAN[process]
            clock.now = started
            recent = started > end_ms - 7 * DAY  # only the last week still has open runs
            fate = rng.choices(["completed", "aborted", "paused"], [84, 6, 10 if recent else 0])[0]
            practice = rng.random() < 0.03
            definition = loaded[process].definition
            trigger = rng.choice(definition.triggers).id
            inputs = {key: INPUTS[key](rng) for key in definition.inputs}
            run = journal.start_run(
                loaded[process], rng.choice(team), trigger, practice=practice, inputs=inputs
            )
            _walk(rng, run, clock, loaded[process], team, item_seconds, fate,
                  (journal, processes))  # fmt: skip
            journal.release(run.run_id)
    return len(starts)
