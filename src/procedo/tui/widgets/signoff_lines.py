"""The sign-offs of the current node as the node panel lists them: each given one with its
signature (``signature_text``), each missing one as ``role · meaning: to sign``."""

from __future__ import annotations

from textual.content import Content

from procedo.engine import Run
from procedo.tui.signing_view import given_text
from procedo.tui.text import Part, line


def signoffs_content(run: Run) -> Content | None:
    """One line per sign-off of the current node (None where it has none)."""
    statuses = run.signoffs()
    if not statuses:
        return None
    definition = run.definition
    parts: list[Part] = []
    for status in statuses:
        if parts:
            parts.append("\n")
        asked = f"{definition.role_name(status.signoff.role)} · {status.signoff.meaning}"
        if status.given is not None:
            parts += [("✓ ", "bold $success"), (asked, "bold"), ": ", given_text(status.given)]
            continue
        parts += [("✎ ", "bold $warning"), (asked, "bold")]
        if status.withdrawn:
            parts.append((": withdrawn by a change, to sign again", "$warning"))
        else:
            parts.append((": to sign", "$warning"))
        if status.signoff.distinct:
            parts.append(("  (by someone who took no part here)", "$text-muted"))
    return line(*parts)


def signing_hint(run: Run) -> str:
    """What the progress line says once the items are done but sign-offs are missing."""
    missing = sum(1 for status in run.signoffs() if status.given is None)
    return f"  · c to sign ({missing} to give)" if missing else ""


__all__ = ["signing_hint", "signoffs_content"]
