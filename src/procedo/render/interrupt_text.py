"""The words of the interrupt and deferral figures, as plain text: the metrics screen and
``procedo stats`` both draw these (see :mod:`procedo.render.metrics_text`)."""

from __future__ import annotations

from procedo.model.figures import DeferralFigure, InterruptFigure, NodeCount
from procedo.render.metrics_text import REASONS_SHOWN, duration_text
from procedo.render.words import plural

INTERRUPTS = "Interrupts (non-normal checklists)"
DEFERRED = "Most often deferred"


def _nodes(counts: tuple[NodeCount, ...]) -> str:
    return ", ".join(f"{c.title} ({c.count})" for c in counts)


def interrupt(f: InterruptFigure) -> tuple[str, str, str, str]:
    """(``5×``, title and priority, ``median 3 min · 4 returned, 1 led away, in 4 runs``,
    ``at Isolate the press (3), Service the press (2)``)."""
    priority = f" ({f.priority})" if f.priority else ""
    ended = f"{f.returned} returned, {f.led_away} led away"
    said = f"median {duration_text(f.median_ms)} · {ended}, in {plural(f.runs, 'run')}"
    return f"{f.count}×", f.title + priority, said, f"at {_nodes(f.at)}" if f.at else ""


def deferral(f: DeferralFigure) -> tuple[str, str, str, str]:
    """(``3×``, item text, ``1 open · done at Close out (2)``, its commonest reasons)."""
    said = f"{f.open} open" + (f" · done at {_nodes(f.done_at)}" if f.done_at else "")
    reasons = "; ".join(f"{r.reason} ({r.count})" for r in f.reasons[:REASONS_SHOWN])
    return f"{f.count}×", f.text, said, reasons
