"""The drafts of a signature: ``sign`` (a sign-off of the current node) and ``override`` (a
critical item passed without being done), with every refusal, and what the sign-offs of the
current node say for a screen (:func:`signoff_statuses`).

The rules that need no signer are in :mod:`procedo.engine.allowed` (``sign_refusal``,
``override_refusal``); the signer's own (the role, ``distinct``, not the operator) are here
and raise :class:`SignerRefused`, which a face logs as a refused attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from procedo.engine import allowed as rules
from procedo.engine.cleaning import clean_text
from procedo.engine.drafts import Draft
from procedo.engine.errors import Refused, SignerRefused
from procedo.engine.lines import line_at
from procedo.engine.signatures import (
    OVERRIDE_MEANING,
    Given,
    distinct_refusal,
    person_key,
    signer_keys,
    signoffs_of,
)
from procedo.engine.state import RunState
from procedo.model import ProcessDefinition
from procedo.model.signature import Signature, SignerIdentity
from procedo.model.signoff import SignOff

__all__ = ["SignOffStatus", "override_draft", "sign_draft", "signoff_statuses"]


@dataclass(frozen=True, slots=True)
class SignOffStatus:
    """One sign-off of the current node: what it asks, the signature given (None: not yet),
    and whether it can be given now (``reason`` says why not, whoever signs)."""

    index: int
    signoff: SignOff
    signature: Signature | None
    given: Given | None
    """The signature with its event's seq, time and actor (None: not given)."""
    withdrawn: bool
    """It was given, then withdrawn by a change to the items: it must be given again."""
    can_sign: bool
    reason: str = ""


def _role_refusal(definition: ProcessDefinition, role: str, signer: SignerIdentity) -> str:
    if role in signer.roles:
        return ""
    return f"{signer.name} ({signer.id}) does not hold the role {definition.role_name(role)}"


def sign_draft(
    definition: ProcessDefinition, state: RunState, index: int, signer: SignerIdentity
) -> Draft:
    """The ``sign`` of sign-off ``index`` of the current node by ``signer``."""
    refusal = rules.sign_refusal(definition, state)
    if refusal:
        raise Refused(refusal)
    visit = state.current
    signoffs = signoffs_of(definition, state.current_node)
    assert visit is not None  # sign_refusal says so otherwise
    if not 0 <= index < len(signoffs):
        raise Refused(f"choose a sign-off from 1 to {len(signoffs)}")
    if index in visit.signatures:
        sig = visit.signatures[index].signature
        raise Refused(f"this sign-off is already given, by {sig.name} ({sig.signer})")
    signoff = signoffs[index]
    refusal = _role_refusal(definition, signoff.role, signer)
    if not refusal and signoff.distinct:
        refusal = distinct_refusal(visit, index, signer)
    if refusal:
        raise SignerRefused(refusal)
    sig = Signature(signer.id, signer.name, signoff.role, signoff.meaning, state.last_hash)
    return Draft("sign", visit.node, index, value=sig.to_json())


def override_draft(
    definition: ProcessDefinition,
    state: RunState,
    item: int,
    reason: str,
    signer: SignerIdentity,
) -> Draft:
    """The ``override`` of line ``item`` (a critical item with ``override``) by ``signer``."""
    refusal = rules.override_refusal(definition, state, item)
    if refusal:
        raise Refused(refusal)
    line = line_at(definition, state, item)
    visit = state.current
    assert line is not None and line.spec.override is not None and visit is not None
    why = clean_text(reason, "reason")
    role = line.spec.override.role
    refusal = _role_refusal(definition, role, signer)
    if not refusal and person_key(state.operator) in signer_keys(signer):
        refusal = f"{signer.name} ({signer.id}) has the run: an override needs a second person"
    if not refusal and signer_keys(signer) & visit.acted_by:
        refusal = (
            f"{signer.name} ({signer.id}) acted at this step: an override needs someone "
            "who took no part in it"
        )
    if refusal:
        raise SignerRefused(refusal)
    sig = Signature(signer.id, signer.name, role, OVERRIDE_MEANING, state.last_hash)
    return Draft("override", line.node, line.index, value=sig.to_json(), reason=why)


def signoff_statuses(definition: ProcessDefinition, state: RunState) -> list[SignOffStatus]:
    """Every sign-off of the current node, in order (empty where none is asked)."""
    visit = state.current
    if visit is None or visit.kind == "interrupt":
        return []
    ready = rules.sign_refusal(definition, state)
    found: list[SignOffStatus] = []
    for index, signoff in enumerate(signoffs_of(definition, visit.node)):
        given = visit.signatures.get(index)
        if given is not None:
            sig = given.signature
            reason = f"given by {sig.name} ({sig.signer})"
        else:
            reason = ready
        found.append(
            SignOffStatus(
                index,
                signoff,
                given.signature if given is not None else None,
                given,
                index in visit.withdrawn,
                not reason,
                reason,
            )
        )
    return found
