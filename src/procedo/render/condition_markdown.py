"""The Markdown sections of a run's conditions: start inputs, suggested and automatic choices,
deviations and inactive items (see :mod:`procedo.render.condition_record`)."""

from __future__ import annotations

from procedo.render.condition_record import ConditionRecord
from procedo.render.md_cells import code, md, table


def conditions_markdown(record: ConditionRecord) -> list[str]:
    """The sections of the run's conditions (none for a run without any)."""
    lines: list[str] = []
    if record.inputs:
        lines += ["## Start inputs", ""]
        rows = [[md(i.title), code(i.id), md(i.shown)] for i in record.inputs]
        lines += table(["Input", "Id", "Value"], rows)
    if record.choices:
        lines += ["## Suggested and automatic choices", ""]
        how = {
            "confirmed": "suggestion confirmed",
            "automatic": "chosen by the process",
            "overridden": "overridden",
            "none": "nothing suggested",
        }
        rows = [
            [
                md(c.question),
                md(c.suggested or ""),
                md(c.condition),
                md(c.values),
                md(c.chosen),
                how[c.how],
                md(c.reason or ""),
            ]
            for c in record.choices
        ]
        headers = ["Decision", "Suggested", "Condition", "Values", "Chosen", "How", "Reason"]
        lines += table(headers, rows)
    if record.deviations:
        lines += ["## Deviations", ""]
        rows = [
            [
                md(v.step),
                str(v.item + 1),
                md(v.text),
                md(v.value),
                md(v.expect),
                md(v.reason) if v.reason else "routed by the flow",
            ]
            for v in record.deviations
        ]
        lines += table(["Step", "#", "Item", "Value", "Expected", "Accepted"], rows)
    if record.inactive:
        lines += ["## Inactive items", ""]
        rows = [[md(i.step), str(i.item + 1), md(i.text), md(i.when)] for i in record.inactive]
        lines += table(["Step", "#", "Item", "Condition that was false"], rows)
    return lines
