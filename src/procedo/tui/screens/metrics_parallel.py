"""The metrics screen's parts for parallel blocks and calling steps (the words are
:mod:`procedo.render.parallel_text`'s, as ``procedo stats`` prints them)."""

from __future__ import annotations

from procedo.model.parallel_figures import ParallelFigures
from procedo.render import parallel_text as pt

Parts = list[str | tuple[str, str]]
MUTED = "$text-muted"


def parallel_parts(figures: ParallelFigures) -> Parts:
    """Each block's branches (median, share of last arrivals) and each calling step."""
    p: Parts = []
    if figures.blocks:
        p += ["\n\n", (pt.BLOCKS, "bold")]
        for block in figures.blocks:
            p += ["\n  ", (pt.block_heading(block), "italic")]
            for branch in block.branches:
                number, title, median, last = pt.branch_cells(branch)
                p += ["\n    ", f"{number}. ", title, f"  {median:>10}  ", (last, MUTED)]
    if figures.calls:
        p += ["\n\n", (pt.CALLS, "bold")]
        for call in figures.calls:
            p += ["\n  ", pt.call_text(call)]
    return p
