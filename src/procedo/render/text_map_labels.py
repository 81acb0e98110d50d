"""The text the terminal map writes for one node (glyph, title, role, hold point, figures) and
for one option's branch (its label and how often it was taken)."""

from __future__ import annotations

from collections.abc import Mapping

from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.model.placeholders import fill
from procedo.render.blocks import BranchExit
from procedo.render.durations import duration_of_seconds
from procedo.render.map_labels import CALL_SIGN, FORK_SIGN, hold_note


def node_label(
    definition: ProcessDefinition,
    node_id: str,
    figures: MapFigures | None,
    values: Mapping[str, str],
    roles: bool,
) -> str:
    """A node's own text: glyph, title or question, role (unless ``roles`` is false), and
    figures; ``values`` fill the titles' placeholders."""
    kind = definition.kind_of(node_id)
    if kind == "end":
        end = definition.ends[node_id]
        glyph = "●" if end.success else "✗"
        text = f"{glyph} {fill(end.title, values)} ({end.outcome})"
    elif kind == "decision":
        decision = definition.decisions[node_id]
        text = f"◇ {fill(decision.question, values)}"
        if decision.role and roles:
            text += f" · {definition.role_name(decision.role)}"
        if decision.auto:
            text += " · ⚙ auto"
        if decision.signoff:
            text += f" · {hold_note(len(decision.signoff))}"
    elif kind == "parallel":
        block = definition.parallel[node_id]
        count = len(block.branches)
        text = f"{FORK_SIGN} {fill(block.title, values)} · {count} branches at once"
    else:
        step = definition.steps[node_id]
        text = fill(step.title, values)
        if step.role and roles:
            text += f" · {definition.role_name(step.role)}"
        if step.call is not None:
            text += f" · {CALL_SIGN} runs {step.call}"
        if step.signoff:
            text += f" · {hold_note(len(step.signoff))}"
        if figures is not None and node_id in figures.median_seconds:
            visits = figures.node_visits.get(node_id, 0)
            median = duration_of_seconds(figures.median_seconds[node_id])
            text += f" · {visits}× median {median}"
    if figures is not None and figures.runs and kind != "parallel" and not figures.reached(node_id):
        text += " · never reached"
    return text


def option_text(figures: MapFigures | None, source: str, exit_: BranchExit) -> str:
    """An option's branch label, with how often runs took it when figures are given."""
    text = exit_.label
    if figures is not None and figures.runs:
        key = (source, exit_.target, exit_.key_label)
        count = figures.edge_counts.get(key, 0)
        share = figures.edge_share(key)
        text += f" ({count}×" + (f", {share:.0%})" if share is not None else ")")
    return text
