"""Property: random valid and invalid operations on every bundled process; after each step the
state rebuilt from the database (by a second ``Journal``) equals the live state, the ``runs`` and
``visits`` rows are in step with it, and a refused operation changes nothing at all."""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from procedo.engine import Refused, Run
from procedo.engine.clock_rules import wait_left_ms
from procedo.journal import Journal, RunLockedError
from procedo.journal.rows import run_row, visit_row
from procedo.journal.verify import verify_journal
from procedo.model import Item, LoadedProcess, ProcessDefinition, load_file
from procedo.model.definition import RecordSpec
from procedo.model.signature import SignerIdentity

BUNDLED = sorted((Path(__file__).resolve().parent.parent / "processes").glob("*.toml"))
T0 = 1_795_000_000_000

NAMES = st.sampled_from(["Ann", "Bob", "Cy Young", "", "   ", "Ann "])
REASONS = st.sampled_from(["", "  ", "not needed here", "waiting for parts"])
OVERRIDE_REASONS = st.sampled_from(["customer is a key account", "quarantined test, bug 4411"])
TEXTS = st.sampled_from(["", " ", "looks fine", "écart noté – 5 °C", "x" * 200])
JUNK_VALUES = st.sampled_from(
    ["", "  ", "abc", "nan", "inf", "-inf", "1e999", "1,2,3", "12,5", "-1", "1e9", "0", "EU"]
)


class Clock:
    """A deterministic clock: each reading is a quarter of a second after the previous one."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        self.now += 250
        return self.now


def valid_value(item: RecordSpec, draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
    """A value the item accepts (in a spelling the engine has to normalise)."""
    if item.record == "choice":
        choice = draw(st.sampled_from(item.choices))
        return draw(st.sampled_from([choice, choice.upper(), f"  {choice.lower()} "]))
    if item.record == "number":
        low = item.min if item.min is not None else -1000.0
        high = item.max if item.max is not None else 1000.0
        number = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
        text = repr(number)
        comma = text.replace(".", ",")
        if re.fullmatch(r"-?\d{1,3},\d{3}", comma):  # "0,001" could be 1 or 0.001: refused
            return text
        return draw(st.sampled_from([text, comma]))
    return draw(st.sampled_from(["ok", "  A-17 ", "09:30 UTC"]))


def snapshot_of(run: Run) -> dict[str, Any]:
    data = dataclasses.asdict(run.state)
    return data


class JournalMachine(RuleBasedStateMachine):
    """Drives one run at a time through a file journal; a fresh run starts when one ends."""

    loaded: LoadedProcess

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="procedo-prop-"))
        self.path = self.folder / "journal.db"
        self.clock = Clock()
        self.journal = self._journal()
        self.reader = Journal(self.path)
        self.run: Run | None = None
        self.runs_started = 0

    def _journal(self) -> Journal:
        journal = Journal(self.path)
        journal.clock = self.clock
        return journal

    def teardown(self) -> None:
        try:
            if self.runs_started:
                report = verify_journal(self.reader)
                assert report.intact, [str(b) for b in report.breaches]
                assert report.runs_checked == self.runs_started
        finally:
            self.journal.close()
            self.reader.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers ----------------------------------------------------------------------------

    @property
    def definition(self) -> ProcessDefinition:
        return self.loaded.definition

    def _event_count(self) -> int:
        assert self.run is not None
        rows = self.reader.rows(
            "SELECT count(*) AS n FROM events WHERE run_id = ?", (self.run.run_id,)
        )
        return int(rows[0]["n"])

    def attempt(self, action: Callable[[], object]) -> bool:
        """Do ``action``; if refused, nothing may have changed. True when it was applied."""
        assert self.run is not None
        before, count = snapshot_of(self.run), self._event_count()
        try:
            action()
        except (Refused, RunLockedError):
            assert snapshot_of(self.run) == before
            assert self._event_count() == count
            return False
        assert self.run.state.last_seq > before["last_seq"]
        return True

    def _start(
        self,
        trigger: str | None,
        operator: str,
        practice: bool,
        inputs: dict[str, str] | None = None,
    ) -> None:
        try:
            run = self.journal.start_run(
                self.loaded, operator, trigger, practice=practice, inputs=inputs
            )
        except Refused:
            return
        self.run = run
        self.runs_started += 1

    def _items(self) -> tuple[Item, ...]:
        assert self.run is not None
        step = self.run.current_step
        return step.items if step else ()

    # -- rules ------------------------------------------------------------------------------

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        triggers = [t.id for t in self.definition.triggers]
        # a refused start first (no trigger, or a bad one), then a good one
        self._start(data.draw(st.sampled_from([None, "not-a-trigger"])), "Ann", False)
        assert self.run is None
        assert self.reader.runs() == []
        self._start(
            data.draw(st.sampled_from(triggers)) if triggers else None,
            data.draw(st.sampled_from(["Ann", "  Ann  Lee "])),
            data.draw(st.booleans()),
            self._inputs(data),
        )
        assert self.run is not None

    def _inputs(self, data: st.DataObject) -> dict[str, str]:
        """A valid value for each start input (drawn: both sides of the conditions on them)."""
        return {key: valid_value(spec, data.draw) for key, spec in self.definition.inputs.items()}

    @precondition(lambda self: self.run is not None and self.run.state.finished)
    @rule(data=st.data())
    def start_another(self, data: st.DataObject) -> None:
        triggers = [t.id for t in self.definition.triggers] or [None]
        self._start(
            data.draw(st.sampled_from(triggers)), data.draw(NAMES), False, self._inputs(data)
        )

    @rule(data=st.data(), moves=st.integers(1, 8))
    def advance(self, data: st.DataObject, moves: int) -> None:
        """Valid moves forward (the property is checked after each one): do an open item,
        complete the step, or choose an option; resume first when paused."""
        for _ in range(moves):
            if self.run is None or self.run.state.finished:
                return
            self._advance_once(data)
            self.database_matches_the_live_state()

    def _advance_once(self, data: st.DataObject) -> None:
        run = self.run
        assert run is not None
        if run.state.status == "paused":
            assert self.attempt(run.resume)
            return
        open_items = run.open_items()
        node = run.state.current_node or ""
        if run.open_call() is not None:
            self._run_the_call(data)
        elif run.state.awaiting_role is not None:
            assert self.attempt(run.accept_role)
        elif open_items:
            index = data.draw(st.sampled_from(open_items))
            if self._items()[index].wait_minutes is not None:
                index = open_items[0]  # a wait counts from the items before: those first
            item = self._items()[index]
            left = wait_left_ms(self.definition, run.state, index, self.clock.now)
            if left is not None:  # the item's wait_minutes: the operator waits it out
                self.clock.now += left
            if item.is_record:
                value = valid_value(item, data.draw)
                assert self.attempt(lambda: run.record(index, value))
            else:
                assert self.attempt(lambda: run.check(index))
        elif node in self.definition.decisions and any(
            status.signature is None for status in run.signoffs()
        ):  # a decision's hold point: signed before it is answered
            status = next(status for status in run.signoffs() if status.signature is None)
            role = status.signoff.role
            signer = SignerIdentity(f"signer-{role}", f"Signer {role}", (role,))
            assert self.attempt(lambda: run.sign(status.index, signer))
        elif node in self.definition.decisions:
            count = len(self.definition.decisions[node].options)
            option = data.draw(st.integers(0, count - 1))
            suggestion = run.suggestion()
            # another option than the suggestion is an override: it needs a reason
            overrides = suggestion is not None and suggestion.option not in (None, option)
            reason = data.draw(OVERRIDE_REASONS) if overrides else None
            assert self.attempt(lambda: run.choose(option, reason))
        else:
            for index, check in enumerate(run.item_checks()):
                if check.needs_reason and not self._explained(index):
                    assert self.attempt(lambda i=index: run.explain(i, "re-measured, fine"))
                    return
            for status in run.signoffs():  # a hold point: a signer of each role signs
                if status.signature is None:
                    role = status.signoff.role
                    signer = SignerIdentity(f"signer-{role}", f"Signer {role}", (role,))
                    assert self.attempt(lambda i=status.index, s=signer: run.sign(i, s))
                    return
            assert self.attempt(run.complete)

    def _run_the_call(self, data: st.DataObject) -> None:
        """At a calling step: the child run walked to an end in the same journal, then the
        parent goes on (a call is always settled by the next move forward)."""
        run = self.run
        assert run is not None
        call = run.open_call()
        assert call is not None
        folder = BUNDLED[0].parent
        child = self.journal.start_run(
            load_file(folder / f"{call[1]}.toml"), run.state.operator,
            practice=run.state.practice, run_id=call[0], parent=(run.run_id, call[2]),
        )  # fmt: skip
        self.runs_started += 1
        for _ in range(200):
            if child.state.finished:
                break
            step = child.current_step
            if child.state.awaiting_role is not None:
                child.accept_role()
            elif step is not None and child.open_items():
                index = child.open_items()[0]
                item = step.items[index]
                if item.is_record:
                    child.record(index, valid_value(item, data.draw))
                else:
                    child.check(index)
            elif step is not None:
                for index, check in enumerate(child.item_checks()):
                    if (
                        check.needs_reason
                        and child.state.current.mark(index).deviation_reason is None
                    ):  # type: ignore[union-attr]
                        child.explain(index, "re-measured, fine")
                child.complete()
            else:
                suggestion = child.suggestion()
                child.choose(
                    suggestion.option if suggestion and suggestion.option is not None else 0
                )
        assert child.state.finished
        assert self.attempt(lambda: run.end_call(child.state))

    def _explained(self, index: int) -> bool:
        assert self.run is not None and self.run.state.current is not None
        return self.run.state.current.mark(index).deviation_reason is not None

    @rule(item=st.integers(-1, 9))
    def check(self, item: int) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.check(item))  # type: ignore[union-attr]

    @rule(item=st.integers(-1, 9))
    def uncheck(self, item: int) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.uncheck(item))  # type: ignore[union-attr]

    @rule(item=st.integers(-1, 9), data=st.data())
    def record(self, item: int, data: st.DataObject) -> None:
        run = self.run
        assert run is not None
        items = self._items()
        if 0 <= item < len(items) and items[item].is_record and data.draw(st.booleans()):
            raw = valid_value(items[item], data.draw)
        else:
            raw = data.draw(JUNK_VALUES)
        self.attempt(lambda: run.record(item, raw))

    @rule(item=st.integers(-1, 9), reason=REASONS)
    def not_applicable(self, item: int, reason: str) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.mark_not_applicable(item, reason))  # type: ignore[union-attr]

    @rule(
        on=st.sampled_from(["run", "node", "item", "elsewhere"]),
        item=st.none() | st.integers(-1, 9),
        text=TEXTS,
    )
    def note(self, on: str, item: int | None, text: str) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.note(text, on=on, item=item))  # type: ignore[union-attr]

    @rule()
    def complete(self) -> None:
        assert self.run is not None
        self.attempt(self.run.complete)

    @rule(option=st.integers(-1, 4))
    def choose(self, option: int) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.choose(option))  # type: ignore[union-attr]

    @rule(option=st.integers(-1, 4), reason=st.none() | OVERRIDE_REASONS)
    def choose_with_reason(self, option: int, reason: str | None) -> None:
        """Any option with or without a reason (refused: an override without one)."""
        assert self.run is not None
        self.attempt(lambda: self.run.choose(option, reason))  # type: ignore[union-attr]

    @rule(item=st.integers(-1, 9), reason=REASONS)
    def explain(self, item: int, reason: str) -> None:
        """Accept a deviation with a reason (refused where there is none, or no reason)."""
        assert self.run is not None
        self.attempt(lambda: self.run.explain(item, reason))  # type: ignore[union-attr]

    @rule()
    def accept_role(self) -> None:
        assert self.run is not None
        self.attempt(self.run.accept_role)

    @rule()
    def back(self) -> None:
        assert self.run is not None
        self.attempt(self.run.back)

    @rule(name=NAMES, reason=st.none() | REASONS)
    def hand_over(self, name: str, reason: str | None) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.hand_over(name, reason))  # type: ignore[union-attr]

    @rule(name=NAMES)
    def take_over(self, name: str) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.take_over(name))  # type: ignore[union-attr]

    @rule(reason=st.none() | REASONS)
    def pause(self, reason: str | None) -> None:
        assert self.run is not None
        self.attempt(lambda: self.run.pause(reason))  # type: ignore[union-attr]

    @rule()
    def resume(self) -> None:
        assert self.run is not None
        self.attempt(self.run.resume)

    @rule(reason=REASONS, now=st.integers(0, 3))
    def abort(self, reason: str, now: int) -> None:
        """Abort (only one time in four: an aborted run has little left to explore)."""
        assert self.run is not None
        if now == 0:
            self.attempt(lambda: self.run.abort(reason))  # type: ignore[union-attr]

    @rule()
    def reopen(self) -> None:
        """Leave the run and open it again from a new session (as after closing the app)."""
        assert self.run is not None
        run_id, before = self.run.run_id, snapshot_of(self.run)
        self.journal.release(run_id)
        self.journal.close()
        self.journal = self._journal()
        opened = self.journal.open_run(run_id)
        assert opened.read_only == self.run.state.finished
        assert opened.holder is None
        self.run = opened.run
        assert snapshot_of(self.run) == before

    # -- the property -----------------------------------------------------------------------

    @invariant()
    def database_matches_the_live_state(self) -> None:
        if self.run is None:
            return
        state = self.run.state
        definition, rebuilt = self.reader.load_state(self.run.run_id)
        assert definition == self.definition
        live = snapshot_of(self.run)
        again = dataclasses.asdict(rebuilt)
        assert again == live
        assert self._event_count() == state.last_seq
        expected = run_row(state)
        row = self.reader.run_row(self.run.run_id)
        assert {key: row[key] for key in expected} == expected
        visits = self.reader.rows(
            "SELECT * FROM visits WHERE run_id = ? ORDER BY visit", (self.run.run_id,)
        )
        wanted = [visit_row(state, visit) for visit in state.visits]
        assert [{key: v[key] for key in w} for v, w in zip(visits, wanted, strict=False)] == wanted
        assert len(visits) == len(wanted)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_replay_from_the_database_equals_the_live_state(path: Path) -> None:
    machine = type(f"Machine_{path.stem}", (JournalMachine,), {"loaded": load_file(path)})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=7,
            stateful_step_count=60,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
