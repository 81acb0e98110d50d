"""The slowest test files first, on every xdist worker: the workers end together.

``--dist worksteal`` hands each worker a contiguous share of the collection, in order, and a
worker that runs dry steals from the end of another's share. Collected alphabetically, the
Pilot walks of ``test_tui_walk.py`` (up to 20 s a test on the loaded machine) ran last, where
nothing was left to balance them. Here each worker's share starts with its part of the slow
files (dealt out by weight) and ends with short tests, so what is stolen at the end is short.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

SLOW_FILES: dict[str, float] = {
    "test_tui_walk.py": 200,
    "test_tui_conditions.py": 59,
    "test_tui_snapshots.py": 55,
    "test_journal_replay_property.py": 42,
    "test_tui_export.py": 35,
    "test_tui_run_keys.py": 35,
    "test_tui_bundled_conditions.py": 28,
    "test_tui_markup.py": 24,
    "test_serve_browser.py": 23,
    "test_journal_faults.py": 23,
    "test_unsafe_text.py": 17,
    "test_tui_footer.py": 15,
    "test_tui_history.py": 12,
}
"""Seconds a file's tests took on the loaded 2-core machine (weights: only their ratio counts).
A file not named is short; a name that no longer exists is ignored."""


def _file(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1]


def _worker_count() -> int:
    try:
        return max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    except ValueError:
        return 1


def slow_first(items: Sequence[pytest.Item], workers: int | None = None) -> list[pytest.Item]:
    """``items`` reordered: each worker's contiguous share begins with slow files.

    A file's tests stay together and in order (its module fixtures are set up once). Every
    worker computes the same order, as xdist requires.
    """
    workers = _worker_count() if workers is None else workers
    by_file: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_file.setdefault(_file(item), []).append(item)
    slow = sorted((f for f in by_file if f in SLOW_FILES), key=lambda f: -SLOW_FILES[f])
    buckets: list[list[pytest.Item]] = [[] for _ in range(workers)]
    weights = [0.0] * workers
    for name in slow:
        lightest = weights.index(min(weights))
        buckets[lightest].extend(by_file[name])
        weights[lightest] += SLOW_FILES[name]
    rest = [item for name, group in by_file.items() if name not in SLOW_FILES for item in group]
    # worksteal's first share: len // workers items to the first worker, and so on.
    ordered: list[pytest.Item] = []
    remaining = len(items)
    for index, bucket in enumerate(buckets):
        share = remaining // (workers - index)
        take = max(0, share - len(bucket))
        ordered.extend(bucket)
        ordered.extend(rest[:take])
        del rest[:take]
        remaining -= len(bucket) + take
    ordered.extend(rest)
    return ordered


@pytest.hookimpl(trylast=True)  # after the -m and -k deselection: the shares count what runs
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Reorder the collection (a plugin of conftest.py)."""
    items[:] = slow_first(items)
