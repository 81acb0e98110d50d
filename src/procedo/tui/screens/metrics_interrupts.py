"""The metrics screen's parts for interrupts and deferred items (the words are
:mod:`procedo.render.interrupt_text`'s, as ``procedo stats`` prints them)."""

from __future__ import annotations

from procedo.model.figures import Metrics
from procedo.render import interrupt_text as it

Parts = list[str | tuple[str, str]]
MUTED = "$text-muted"


def interrupt_parts(m: Metrics) -> Parts:
    """Each interrupt (how often, its median, how it ended, where) and the items deferred
    most (how often, how many open, where done, why), as literal parts."""
    p: Parts = []
    if m.interrupts:
        p += ["\n\n", (it.INTERRUPTS, "bold")]
        for f in m.interrupts:
            times, title, said, at = it.interrupt(f)
            p += ["\n  ", f"{times:>5} ", title, (f"  {said}", MUTED)]
            if at:
                p += ["\n        ", (at, "italic")]
    if m.deferrals:
        p += ["\n\n", (it.DEFERRED, "bold")]
        for d in m.deferrals:
            times, text, said, reasons = it.deferral(d)
            p += ["\n  ", f"{times:>5} ", text, (f"  {said}", MUTED)]
            if reasons:
                p += [("  — ", MUTED), (reasons, "italic")]
    return p
