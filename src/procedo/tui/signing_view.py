"""What a sign-off or an override shows: plain records the run screen fills from the run.

The dialogs (``screens/signoff_dialog.py``, ``screens/override_dialog.py``) draw only these
records, so what a signer sees is exactly what the screen put in them; every text here comes
from a TOML file or an operator and is drawn literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from procedo.model.placeholders import fill
from procedo.model.signature import signature_text

if TYPE_CHECKING:
    from procedo.engine import ItemMark, Note, Run
    from procedo.engine.judge import ItemCheck
    from procedo.engine.lines import Line
    from procedo.engine.signatures import Given
    from procedo.engine.signing import SignOffStatus

MARK_KINDS = ("done", "na", "value", "deviation", "override", "deferred", "off", "open")
"""How a line's mark is drawn: ticked, not applicable, a value, a deviation, overridden,
deferred, switched off by its condition, still open."""


@dataclass(frozen=True, slots=True)
class SignLine:
    """One item of the node being signed, with its mark."""

    number: int
    """The item's number as on screen (from 1)."""
    text: str
    mark: str
    """What was done: ``done``, ``n/a: reason``, ``= 12 mg``, ``overridden: reason``..."""
    kind: str = "open"
    """One of :data:`MARK_KINDS`."""
    notes: tuple[str, ...] = ()
    """The notes on the item, each ``actor: text``."""
    critical: bool = False


@dataclass(frozen=True, slots=True)
class SigningView:
    """Exactly what one sign-off signs: the node, its items and marks, the role and meaning."""

    kind: str
    """``Step`` or ``Decision``."""
    title: str
    role: str
    """The role's name, as the process names it."""
    meaning: str
    """``approved``, ``reviewed``... or the process's own words."""
    lines: tuple[SignLine, ...] = ()
    detail: str = ""
    """Under the title: a decision's suggestion, say."""
    notes: tuple[str, ...] = ()
    """The notes on the node, each ``actor: text``."""
    position: str = ""
    """``Sign-off 1 of 2`` (empty when there is one)."""
    given: tuple[str, ...] = ()
    """The signatures this node already holds (``signature_text``), shown above the inputs."""
    distinct: bool = False
    """The signer must have taken no action at this node."""


@dataclass(frozen=True, slots=True)
class OverrideView:
    """What an override passes: the critical item of a step, and who may pass it."""

    step: str
    """The step's title."""
    item: SignLine
    role: str
    """The name of the role whose signature the override needs."""


# -- filling them from a run ----------------------------------------------------------------


def _at(mark: ItemMark) -> str:
    return f" by {mark.by} at {mark.at[11:19]} UTC" if mark.by and mark.at else ""


def given_text(given: Given) -> str:
    """A signature as every view shows it, with an override's reason after it."""
    text = signature_text(given.signature, given.ts)
    return f"{text}: {given.reason}" if given.reason else text


def mark_of(found: Line, check: ItemCheck | None) -> tuple[str, str]:
    """What was done to a line, and its kind: ``("= 12 mg by ann at 14:03:12 UTC", "value")``."""
    mark, spec = found.mark, found.spec
    if mark.overridden is not None:
        return f"overridden by {given_text(mark.overridden)}", "override"
    if mark.deferred:
        return "deferred", "deferred"
    if mark.na_reason is not None:
        return f"not applicable{_at(mark)}: {mark.na_reason}", "na"
    if mark.inactive or (check is not None and not check.active):
        why = check.why_inactive if check is not None and check.why_inactive else ""
        return f"off: {why or 'its condition was false'}", "off"
    if mark.value is not None:
        unit = f" {spec.unit}" if spec.unit else ""
        text = f"= {mark.value}{unit}{_at(mark)}"
        if (check is not None and check.deviation) or mark.deviation:
            why = check.why_deviation if check is not None else ""
            text += f"\n⚠ deviation{': ' + why if why else ''}"
            if mark.deviation_reason is not None:
                text += f"\naccepted: {mark.deviation_reason}"
            return text, "deviation"
        return text, "value"
    if mark.checked:
        return f"done{_at(mark)}", "done"
    return "not done", "open"


def _note_texts(notes: list[Note]) -> tuple[str, ...]:
    return tuple(f"{note.actor}: {note.text}" for note in notes)


def sign_lines(run: Run) -> tuple[SignLine, ...]:
    """Every line of the current checklist as it is signed: text (placeholders filled), mark,
    notes."""
    state, values = run.state, run.scope()
    visit = state.current
    checks = run.item_checks()
    shown: list[SignLine] = []
    for number, found in enumerate(run.lines()):
        check = checks[number] if number < len(checks) else None
        mark, kind = mark_of(found, check)
        notes = [
            n
            for n in state.notes
            if n.node == found.node and n.item == found.index and visit and n.visit == visit.index
        ]
        shown.append(
            SignLine(
                number + 1,
                fill(found.spec.text, values),
                mark,
                kind,
                _note_texts(notes),
                found.spec.critical,
            )
        )
    return tuple(shown)


def node_note_texts(run: Run) -> tuple[str, ...]:
    """The notes on the current visit as a whole."""
    visit = run.state.current
    if visit is None:
        return ()
    return _note_texts([n for n in run.state.notes if n.visit == visit.index and n.item is None])


def signing_view(run: Run, status: SignOffStatus) -> SigningView:
    """What sign-off ``status`` of the current node signs, as its dialog shows it."""
    definition, values = run.definition, run.scope()
    node = run.state.current_node or ""
    statuses = run.signoffs()
    given = tuple(
        f"{definition.role_name(s.signoff.role)} · {given_text(s.given)}"
        for s in statuses
        if s.given is not None
    )
    position = f"Sign-off {status.index + 1} of {len(statuses)}" if len(statuses) > 1 else ""
    step = definition.steps.get(node)
    if step is not None:
        kind, title, detail, shown = "Step", fill(step.title, values), "", sign_lines(run)
    else:
        decision = definition.decisions[node]
        kind, title, shown = "Decision", fill(decision.question, values), ()
        suggestion = run.suggestion()
        detail = ""
        if suggestion is not None and suggestion.option is not None:
            label = fill(decision.options[suggestion.option].label, values)
            detail = f"Suggested: {label}, because {suggestion.why}"
    return SigningView(
        kind=kind,
        title=title,
        role=definition.role_name(status.signoff.role),
        meaning=status.signoff.meaning,
        lines=shown,
        detail=detail,
        notes=node_note_texts(run),
        position=position,
        given=given,
        distinct=status.signoff.distinct,
    )


def override_view(run: Run, index: int) -> OverrideView:
    """What overriding line ``index`` of the current step passes (it must be overridable)."""
    found = run.lines()[index]
    override = found.spec.override
    assert override is not None and run.current_step is not None
    line = sign_lines(run)[index]
    return OverrideView(
        step=fill(run.current_step.title, run.scope()),
        item=line,
        role=run.definition.role_name(override.role),
    )


__all__ = [
    "MARK_KINDS",
    "OverrideView",
    "SignLine",
    "SigningView",
    "given_text",
    "mark_of",
    "node_note_texts",
    "override_view",
    "sign_lines",
    "signing_view",
]
