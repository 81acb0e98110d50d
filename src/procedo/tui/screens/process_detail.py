"""The home screen's side panel: what a process is, who does it, and how it has gone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from procedo.render.words import plural
from procedo.tui.text import duration, line, percent

if TYPE_CHECKING:
    from procedo.workspace import ProcessSummary


def process_detail(summary: ProcessSummary) -> Content:
    """Title, summary, version, owner, target, roles, triggers, resources and figures."""
    d = summary.loaded.definition
    parts: list[object] = [(d.title, "bold"), "\n"]
    if d.process.summary:
        parts += [d.process.summary, "\n"]
    parts += ["\n", ("Version ", "dim"), d.version]
    if d.process.owner:
        parts += [("  Owner ", "dim"), d.process.owner]
    if d.process.target_minutes:
        parts += [("\nTarget ", "dim"), duration(int(d.process.target_minutes * 60_000))]
    if d.roles:
        parts += [("\nRoles ", "dim"), ", ".join(d.roles.values())]
    if d.triggers:
        parts += [("\nStarted by", "dim")]
        for trigger in d.triggers:
            parts += ["\n  • ", trigger.title]
    if d.process.resources:
        parts += [("\nHave at hand", "dim")]
        for resource in d.process.resources:
            parts += ["\n  • ", resource]
    parts += [
        (
            "\n\n"
            + f"{plural(len(d.steps), 'step')}, {plural(len(d.decisions), 'decision')}, "
            + plural(len(d.ends), "end"),
            "dim",
        )
    ]
    if summary.finished:
        parts += [
            (
                "\n" + f"{plural(summary.finished, 'finished run')}, "
                f"{percent(summary.success_rate)} successful",
                "dim",
            )
        ]
    return line(*parts)  # type: ignore[arg-type]
