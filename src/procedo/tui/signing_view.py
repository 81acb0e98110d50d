"""What a sign-off or an override shows: plain records the run screen fills from the run.

The dialogs (``screens/signoff_dialog.py``, ``screens/override_dialog.py``) draw only these
records, so what a signer sees is exactly what the screen put in them; every text here comes
from a TOML file or an operator and is drawn literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from procedo.model.placeholders import fill

if TYPE_CHECKING:
    from procedo.engine import ItemMark, Note, Run
    from procedo.engine.judge import ItemCheck
    from procedo.engine.lines import Line

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


def mark_of(found: Line, check: ItemCheck | None, overridden: str | None = None) -> tuple[str, str]:
    """What was done to a line, and its kind: ``("= 12 mg by ann at 14:03:12 UTC", "value")``.
    ``overridden``: the override's words, when the item was passed by one."""
    mark, spec = found.mark, found.spec
    if overridden is not None:
        return f"overridden: {overridden}", "override"
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


def sign_lines(run: Run, overrides: dict[int, str] | None = None) -> tuple[SignLine, ...]:
    """Every line of the current checklist as it is signed: text (placeholders filled), mark,
    notes. ``overrides``: the override's words by line number."""
    state, values = run.state, run.scope()
    visit = state.current
    checks = run.item_checks()
    shown: list[SignLine] = []
    for number, found in enumerate(run.lines()):
        check = checks[number] if number < len(checks) else None
        mark, kind = mark_of(found, check, (overrides or {}).get(number))
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


__all__ = [
    "MARK_KINDS",
    "OverrideView",
    "SignLine",
    "SigningView",
    "mark_of",
    "node_note_texts",
    "sign_lines",
]
