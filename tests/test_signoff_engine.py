"""Issue 11 in the run engine: ``sign`` and ``override`` events, every refusal and its words,
signatures withdrawn by a change, ``covers`` = the previous event's hash, and a replay (and the
journal's ``verify``) that rebuilds them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from procedo.engine import MemorySink, Refused, ReplayError, Run, replay
from procedo.engine.errors import SignerRefused
from procedo.engine.events import Event
from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.model import LoadedProcess, content_hash
from procedo.model.signature import Signature, SignerIdentity
from signoff_defs import BRANCHES_TOML, SIGNOFF_TOML, signoff_definition

T0 = 1_795_000_000_000
DIGEST = content_hash(SIGNOFF_TOML)
NURSE = "Nora Nurse"
ANA = SignerIdentity("ak", "Anna Kurz", ("anaesthetist",))
SURGEON = SignerIdentity("rs", "Rosa Stein", ("surgeon",))
SUPERVISOR = SignerIdentity("ts", "Tom Sand", ("supervisor",))
TICK, MACHINE, WEIGHT = range(3)


class Clock:
    """A clock that moves only when told to (a second per reading)."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        self.now += 1000
        return self.now


def start(sink: MemorySink | None = None) -> Run:
    return Run.start(signoff_definition(), DIGEST, sink or MemorySink(), NURSE, clock=Clock())


def fill(run: Run) -> None:
    run.check(TICK)
    run.check(MACHINE)
    run.record(WEIGHT, "70")


def signed_in(run: Run) -> None:
    fill(run)
    run.sign(0, ANA)
    run.sign(1, SURGEON)
    run.complete()


def refused(action: Callable[[], object], words: str, kind: type[Refused] = Refused) -> None:
    with pytest.raises(kind) as caught:
        action()
    assert str(caught.value) == words


# -- a step ---------------------------------------------------------------------------------


def test_a_step_completes_only_once_each_signoff_is_given() -> None:
    run = start()
    fill(run)
    refused(
        run.complete,
        "2 sign-offs still to give: Anaesthetist (reviewed); Surgeon (approved)",
    )
    assert run.allowed().complete.reason.startswith("2 sign-offs still to give")
    run.sign(0, ANA)
    refused(run.complete, "1 sign-off still to give: Surgeon (approved)")
    run.sign(1, SURGEON)
    assert run.allowed().complete.ok
    run.complete()
    assert run.state.current_node == "time-out"


def test_sign_waits_until_the_step_would_complete_but_for_its_signoffs() -> None:
    run = start()
    run.check(TICK)
    words = (
        "the step is not ready to sign: 2 items still open: "
        "'Check the anaesthesia machine'; 'Record the weight'"
    )
    refused(lambda: run.sign(0, ANA), words)
    assert run.allowed().sign == type(run.allowed().sign)(True, words)
    assert [(s.can_sign, s.reason, s.signature) for s in run.signoffs()] == [
        (False, words, None),
        (False, words, None),
    ]
    run.check(MACHINE)
    run.record(WEIGHT, "70")
    assert run.allowed().sign.ok
    assert [s.can_sign for s in run.signoffs()] == [True, True]


def test_the_sign_event_covers_the_previous_event() -> None:
    sink = MemorySink()
    run = start(sink)
    fill(run)
    run.sign(0, ANA)
    before, event = sink.events[-2], sink.events[-1]
    assert (event.kind, event.node, event.item, event.actor) == ("sign", "sign-in", 0, NURSE)
    sig = Signature.from_json(event.value)
    assert sig == Signature("ak", "Anna Kurz", "anaesthetist", "reviewed", before.hash)
    assert event.value == sig.to_json()
    status = run.signoffs()[0]
    assert (status.signature, status.given.seq, status.given.ts) == (sig, event.seq, event.ts)
    assert (status.can_sign, status.reason) == (False, "given by Anna Kurz (ak)")


def test_a_signer_without_the_role_is_refused() -> None:
    run = start()
    fill(run)
    refused(
        lambda: run.sign(0, SURGEON),
        "Rosa Stein (rs) does not hold the role Anaesthetist",
        SignerRefused,
    )


def test_a_signoff_given_once_only_and_one_that_exists() -> None:
    run = start()
    fill(run)
    run.sign(0, ANA)
    other = SignerIdentity("bb", "Ben Bell", ("anaesthetist",))
    refused(lambda: run.sign(0, other), "this sign-off is already given, by Anna Kurz (ak)")
    refused(lambda: run.sign(2, other), "choose a sign-off from 1 to 2")


def test_sign_refused_while_the_run_is_not_active() -> None:
    run = start()
    fill(run)
    run.pause()
    refused(lambda: run.sign(0, ANA), "the run is paused: resume it first")
    run.resume()
    run.abort("patient unwell")
    refused(lambda: run.sign(0, ANA), "the run is aborted: nothing more can be done in it")


def test_nothing_to_sign_at_a_node_without_signoffs() -> None:
    run = start()
    signed_in(run)
    run.accept_role()
    run.sign(0, SURGEON)
    run.choose(0)
    assert run.state.current_node == "operate"
    assert not run.allowed().sign.applies and run.signoffs() == []
    refused(lambda: run.sign(0, SURGEON), "nothing here needs a sign-off")


def test_distinct_refuses_an_actor_of_the_visit_by_name_or_id() -> None:
    run = start()
    fill(run)
    by_name = SignerIdentity("nn", "  nora NURSE ", ("surgeon",))
    words = (
        "  nora NURSE  (nn) acted at this node: this sign-off needs someone who took no part in it"
    )
    refused(lambda: run.sign(1, by_name), words, SignerRefused)
    run.hand_over("rs")  # the run is journaled under a signer's id from here
    run.note("ready", on="node")
    refused(lambda: run.sign(1, SURGEON), words.replace("  nora NURSE  (nn)", "Rosa Stein (rs)"),
            SignerRefused)  # fmt: skip
    run.sign(0, ANA)  # not distinct: anyone in the role
    assert run.state.current.signatures.keys() == {0}


def test_distinct_refuses_the_signer_of_another_signoff_of_the_visit() -> None:
    run = start()
    fill(run)
    both = SignerIdentity("dd", "Dana Dual", ("anaesthetist", "surgeon"))
    run.sign(0, both)
    refused(
        lambda: run.sign(1, both),
        "Dana Dual (dd) acted at this node: this sign-off needs someone who took no part in it",
        SignerRefused,
    )
    run.sign(1, SURGEON)


# -- withdrawn by a change --------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda run: (run.uncheck(TICK), run.check(TICK)),
        lambda run: run.record(WEIGHT, "71"),
        lambda run: run.note("swab count re-done", on="item", item=TICK),
    ],
    ids=["uncheck-and-tick", "record-again", "note-on-an-item"],
)
def test_a_change_to_the_items_withdraws_the_signatures(change: Callable[[Run], object]) -> None:
    run = start()
    fill(run)
    run.sign(0, ANA)
    run.sign(1, SURGEON)
    change(run)
    assert run.state.current.signatures == {}
    assert [(s.signature, s.withdrawn, s.can_sign) for s in run.signoffs()] == [
        (None, True, True),
        (None, True, True),
    ]
    refused(
        run.complete,
        "the sign-off Anaesthetist (reviewed); Surgeon (approved) was withdrawn by a change "
        "made after it was given: it must be given again",
    )
    run.sign(0, ANA)
    refused(
        run.complete,
        "the sign-off Surgeon (approved) was withdrawn by a change made after it was given: "
        "it must be given again",
    )
    run.sign(1, SURGEON)  # the same signer again: their earlier signature was withdrawn
    assert not run.signoffs()[1].withdrawn
    run.complete()


def test_a_note_on_the_run_or_the_node_keeps_the_signatures() -> None:
    run = start()
    fill(run)
    run.sign(0, ANA)
    run.note("theatre 3")
    run.note("on time", on="node")
    assert run.state.current.signatures.keys() == {0}


# -- a decision -------------------------------------------------------------------------------


def test_a_decision_cannot_be_chosen_before_its_signoffs() -> None:
    run = start()
    signed_in(run)
    words = "Surgeon is next: hand the run over, or act as Surgeon, before going on"
    refused(lambda: run.sign(0, SURGEON), words)  # a hand-over point not accepted
    run.accept_role()
    refused(lambda: run.choose(0), "1 sign-off still to give: Surgeon (approved)")
    assert run.allowed().choose.reason == "1 sign-off still to give: Surgeon (approved)"
    run.sign(0, SURGEON)  # at a decision: any time while at it
    assert run.allowed().choose.ok and not run.allowed().sign.ok
    run.choose(0)
    assert run.state.current_node == "operate"


# -- override ---------------------------------------------------------------------------------


def test_an_override_passes_a_critical_item_with_a_mark() -> None:
    sink = MemorySink()
    run = start(sink)
    run.check(TICK)
    run.record(WEIGHT, "70")
    assert run.allowed(MACHINE).override.ok
    run.override(MACHINE, "  machine checked by biomed this morning ", SUPERVISOR)
    event = sink.events[-1]
    sig = Signature("ts", "Tom Sand", "supervisor", "override", sink.events[-2].hash)
    assert (event.kind, event.node, event.item, event.reason, event.actor) == (
        "override", "sign-in", MACHINE, "machine checked by biomed this morning", NURSE,
    )  # fmt: skip
    assert Signature.from_json(event.value) == sig
    mark = run.state.current.mark(MACHINE)
    assert mark.done and not mark.checked
    assert mark.overridden is not None and mark.overridden.signature == sig
    assert mark.overridden.reason == "machine checked by biomed this morning"
    assert run.open_items() == []
    refused(lambda: run.check(MACHINE), "'Check the anaesthesia machine' was overridden; "
            "clear the override first")  # fmt: skip
    assert run.toggle(MACHINE).why == "overridden"
    refused(
        lambda: run.override(MACHINE, "again", SUPERVISOR),
        "'Check the anaesthesia machine' is already overridden",
    )
    run.sign(0, ANA)
    run.sign(1, SURGEON)
    run.complete()


def test_override_refusals() -> None:
    run = start()
    words = "only a critical item with an override may be passed without being done"
    refused(lambda: run.override(TICK, "no", SUPERVISOR), words)
    assert not run.allowed(TICK).override.applies
    refused(lambda: run.override(MACHINE, "  ", SUPERVISOR), "the reason must not be empty")
    refused(
        lambda: run.override(MACHINE, "why", ANA),
        "Anna Kurz (ak) does not hold the role Theatre supervisor",
        SignerRefused,
    )
    operator = SignerIdentity("nn", "nora nurse", ("supervisor",))
    refused(
        lambda: run.override(MACHINE, "why", operator),
        "nora nurse (nn) has the run: an override needs a second person",
        SignerRefused,
    )
    run.check(MACHINE)
    refused(
        lambda: run.override(MACHINE, "why", SUPERVISOR),
        "'Check the anaesthesia machine' is done: there is nothing to override",
    )
    run.pause()
    refused(lambda: run.override(MACHINE, "why", SUPERVISOR), "the run is paused: resume it first")


def test_override_refuses_a_signer_who_acted_at_the_step() -> None:
    run = start()
    run.hand_over("Tom Sand")
    run.check(TICK)
    run.hand_over(NURSE)
    refused(
        lambda: run.override(MACHINE, "why", SUPERVISOR),
        "Tom Sand (ts) acted at this step: an override needs someone who took no part in it",
        SignerRefused,
    )


def test_clearing_an_override_opens_the_item_again() -> None:
    run = start()
    run.override(MACHINE, "biomed", SUPERVISOR)
    run.uncheck(MACHINE)
    assert run.state.current.mark(MACHINE).overridden is None
    assert MACHINE in run.open_items()


# -- replay and the journal ------------------------------------------------------------------


def walked(sink: MemorySink) -> Run:
    run = start(sink)
    run.check(TICK)
    run.override(MACHINE, "biomed", SUPERVISOR)
    run.record(WEIGHT, "70")
    run.sign(0, ANA)
    run.record(WEIGHT, "71")  # withdraws the anaesthetist's signature
    run.sign(0, ANA)
    run.sign(1, SURGEON)
    run.complete()
    run.accept_role()
    run.sign(0, SURGEON)
    return run


def test_replay_rebuilds_the_signatures_and_the_override() -> None:
    sink = MemorySink()
    run = walked(sink)
    state = replay(run.definition, DIGEST, run.run_id, sink.events)
    for mine, theirs in zip(run.state.visits, state.visits, strict=True):
        assert (mine.signatures, mine.withdrawn, mine.items) == (
            theirs.signatures, theirs.withdrawn, theirs.items,
        )  # fmt: skip
    assert state.visits[0].signatures.keys() == {0, 1}
    assert state.visits[1].signatures[0].signature.name == "Rosa Stein"


def rechained(events: list[Event], seq: int, value: str) -> list[Event]:
    """The events with event ``seq``'s value replaced and every hash after it made again."""
    out: list[Event] = []
    previous = events[0].hash
    for event in events:
        if event.seq == seq:
            event = dataclasses.replace(event, value=value)
        if event.seq >= seq:
            event = dataclasses.replace(event, hash=event.compute_hash(previous))
        out.append(event)
        previous = event.hash
    return out


def test_a_signature_moved_to_another_point_or_run_does_not_replay() -> None:
    sink = MemorySink()
    run = walked(sink)
    sign = next(e for e in sink.events if e.kind == "sign")
    sig = Signature.from_json(sign.value)
    assert sig is not None
    moved = dataclasses.replace(sig, covers=sink.events[0].hash).to_json()
    with pytest.raises(ReplayError, match="covers another event"):
        replay(run.definition, DIGEST, run.run_id, rechained(sink.events, sign.seq, moved))
    other = MemorySink()
    walked(other)  # another run: the same signature covers another hash there
    theirs = next(e for e in other.events if e.kind == "sign")
    assert Signature.from_json(theirs.value) != sig
    with pytest.raises(ReplayError, match="no readable signature"):
        replay(run.definition, DIGEST, run.run_id, rechained(sink.events, sign.seq, "{}"))


def test_a_journaled_run_with_signatures_verifies(tmp_path: Path) -> None:
    loaded = LoadedProcess(signoff_definition(), Path("theatre.toml"), SIGNOFF_TOML, DIGEST)
    with Journal(tmp_path / "journal.db") as journal:
        journal.clock = Clock()
        run = journal.start_run(loaded, NURSE)
        run.check(TICK)
        run.override(MACHINE, "biomed", SUPERVISOR)
        run.record(WEIGHT, "70")
        run.sign(0, ANA)
        run.sign(1, SURGEON)
        run.complete()
        run.accept_role()
        run.sign(0, SURGEON)
        run.choose(0)
        assert verify_journal(journal).breaches == []
        _, stored = journal.load_state(run.run_id)
        assert stored.visits[0].signatures == run.state.visits[0].signatures
        assert stored.visits[0].mark(MACHINE) == run.state.visits[0].mark(MACHINE)
        kinds = [e.kind for e in journal.events(run.run_id)]
        assert kinds.count("sign") == 3 and kinds.count("override") == 1


def test_signing_in_a_branch_and_overriding_inside_an_interrupt_replay() -> None:
    definition = signoff_definition(BRANCHES_TOML)
    sink = MemorySink()
    run = Run.start(definition, content_hash(BRANCHES_TOML), sink, "op", clock=Clock())
    boss = SignerIdentity("b", "Bo", ("boss",))
    run.switch("split:1")
    run.check(0)
    run.sign(0, boss)
    run.raise_interrupt("fire")
    run.override(0, "no alarm here", boss)
    run.return_from_interrupt()
    assert run.state.current.signatures.keys() == {0}  # the interrupt changed no item here
    run.complete()
    run.switch("split:2")
    run.check(0)
    run.complete()
    run.override(0, "fine", boss)
    run.complete()
    assert run.state.status == "completed"
    kinds = [(e.kind, e.branch) for e in sink.events if e.kind in ("sign", "override")]
    assert kinds == [("sign", "split:1"), ("override", "!fire"), ("override", None)]
    again = replay(definition, content_hash(BRANCHES_TOML), run.run_id, sink.events)
    assert [v.signatures for v in again.visits] == [v.signatures for v in run.state.visits]
