"""Pause Python's cycle collector while definitions are built.

Loading makes a million small objects that all stay alive (the models of every file); the
cycle collector, triggered by the allocations, walks them again and again: a third of the
time of loading 200 files (bench/README.md "Loading definitions"). Nothing built here forms
cycles that must be freed at once, reference counting frees the rest, and the collector is
back on (and catches up) as soon as the load ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cycle collector for the block, unless someone else already did."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
