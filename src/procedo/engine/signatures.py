"""The signatures a run holds, and the rules about them that need no signer: which sign-offs a
node has, which are still missing (or were withdrawn by a change), and who acted in a visit.

The fold (:mod:`procedo.engine.fold_signing`) keeps a :class:`Given` per sign-off given in a
visit (``Visit.signatures``) and on an overridden item's mark (``ItemMark.overridden``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from procedo.model.signature import Signature, SignerIdentity
from procedo.model.signoff import SignOff

if TYPE_CHECKING:
    from procedo.engine.state import RunState, Visit
    from procedo.model import ProcessDefinition

OVERRIDE_MEANING = "override"
"""The ``meaning`` of the signature of an ``override`` event."""


@dataclass(frozen=True, slots=True)
class Given:
    """A signature given in a run: the signature, the event's seq, time and actor (the
    operator at the keyboard), and for an override the reason."""

    signature: Signature
    seq: int
    ts: str
    actor: str
    reason: str | None = None


def person_key(name: str) -> str:
    """How a name or an id is compared with another: trimmed, case folded."""
    return name.strip().casefold()


def signer_keys(signer: SignerIdentity) -> frozenset[str]:
    """The signer's id and printed name, as compared with the actors of a visit."""
    return frozenset({person_key(signer.id), person_key(signer.name)})


def signoffs_of(definition: ProcessDefinition, node: str | None) -> tuple[SignOff, ...]:
    """The sign-offs of a step or a decision (empty for anything else)."""
    found = definition.steps.get(node or "") or definition.decisions.get(node or "")
    return found.signoff if found is not None else ()


def signoff_name(definition: ProcessDefinition, signoff: SignOff) -> str:
    """``Surgeon (approved)``: the sign-off as the operator reads it."""
    return f"{definition.role_name(signoff.role)} ({signoff.meaning})"


def missing_refusal(definition: ProcessDefinition, state: RunState) -> str:
    """Why the current node cannot be left for want of signatures ("" when each is given):
    a withdrawn one is named first, with the words that it must be given again."""
    visit = state.current
    signoffs = signoffs_of(definition, visit.node) if visit is not None else ()
    if visit is None or visit.kind == "interrupt" or not signoffs:
        return ""
    missing = [i for i in range(len(signoffs)) if i not in visit.signatures]
    if not missing:
        return ""
    withdrawn = [i for i in missing if i in visit.withdrawn]
    if withdrawn:
        names = "; ".join(signoff_name(definition, signoffs[i]) for i in withdrawn)
        return (
            f"the sign-off {names} was withdrawn by a change made after it was given: "
            "it must be given again"
        )
    names = "; ".join(signoff_name(definition, signoffs[i]) for i in missing)
    count = f"{len(missing)} sign-off{'s' if len(missing) != 1 else ''}"
    return f"{count} still to give: {names}"


def acted_in(visit: Visit) -> frozenset[str]:
    """Everyone who acted in a visit: the actors of its events, the signers of the
    signatures given in it and of its overridden items (compared as :func:`person_key`)."""
    found = set(visit.acted_by)
    for given in visit.signatures.values():
        found.update((person_key(given.signature.signer), person_key(given.signature.name)))
    for mark in visit.items.values():
        if mark.overridden is not None:
            sig = mark.overridden.signature
            found.update((person_key(sig.signer), person_key(sig.name)))
    return frozenset(found)


def distinct_refusal(visit: Visit, index: int, signer: SignerIdentity) -> str:
    """Why ``signer`` may not give the ``distinct`` sign-off ``index``: they acted in the
    visit (an event's actor, or the signer of another signature or override there)."""
    others = dict(visit.signatures)
    others.pop(index, None)
    acted = set(visit.acted_by)
    for given in others.values():
        acted.update((person_key(given.signature.signer), person_key(given.signature.name)))
    for mark in visit.items.values():
        if mark.overridden is not None:
            sig = mark.overridden.signature
            acted.update((person_key(sig.signer), person_key(sig.name)))
    if signer_keys(signer) & acted:
        return (
            f"{signer.name} ({signer.id}) acted at this node: this sign-off needs someone "
            "who took no part in it"
        )
    return ""
