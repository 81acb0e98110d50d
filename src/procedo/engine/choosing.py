"""The drafts of a choice at a decision: the ``basis`` (what the conditions read, the option
they or the decision's timeout suggested, and the timeout's reason) and the ``choose`` (with
the reason of an override), or :class:`Refused` with the operator's words."""

from __future__ import annotations

from procedo.engine import allowed as rules
from procedo.engine.cleaning import clean_text
from procedo.engine.drafts import Draft
from procedo.engine.errors import Refused
from procedo.engine.judge import Suggestion
from procedo.engine.state import RunState
from procedo.model import ProcessDefinition

__all__ = ["choose_drafts"]


def choose_drafts(
    definition: ProcessDefinition,
    state: RunState,
    option: int,
    reason: str | None,
    suggestion: Suggestion | None,
) -> tuple[Draft, ...]:
    """Choosing ``option`` (0-based) at the current decision, given its ``suggestion`` now.

    Another option than the suggested one needs ``reason`` (an override); the values the
    conditions read are journaled with the choice (and, when the timeout suggested, why).
    """
    node = state.current_node
    decision = definition.decisions.get(node or "")
    if decision is None or node is None:
        raise Refused("there is no decision to make here")
    if not 0 <= option < len(decision.options):
        raise Refused(f"choose an option from 1 to {len(decision.options)}")
    label = decision.options[option].label
    refusal = rules.success_end_refusal(definition, state, decision.options[option].next)
    if refusal:
        raise Refused(refusal)
    if suggestion is None:
        return (Draft("choose", node, option, value=label),)
    why: str | None = None
    if suggestion.option is not None and option != suggestion.option:
        if reason is None or not reason.strip():
            suggested = decision.options[suggestion.option].label
            raise Refused(
                f"{suggested!r} is suggested ({suggestion.why}): "
                f"choosing {label!r} instead needs a reason"
            )
        why = clean_text(reason, "reason")
    values = suggestion.values_json()
    return (
        Draft("basis", node, suggestion.option, value=values, reason=suggestion.timed_out),
        Draft("choose", node, option, value=label, reason=why),
    )
