"""The collection order of slow_first: each worker's share starts with slow files."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from slow_first import SLOW_FILES, slow_first


@dataclass
class FakeItem:
    nodeid: str


def _items(files: dict[str, int]) -> list[FakeItem]:
    return [
        FakeItem(f"tests/{name}::test_{n}") for name, count in files.items() for n in range(count)
    ]


def _shares(ordered: list[FakeItem], workers: int) -> list[list[FakeItem]]:
    """The contiguous shares worksteal deals out first (len // workers left, in turn)."""
    shares, rest = [], list(ordered)
    for index in range(workers):
        take = len(rest) // (workers - index)
        shares.append(rest[:take])
        del rest[:take]
    return shares


def test_each_workers_share_begins_with_slow_files_and_nothing_is_lost() -> None:
    slow = sorted(SLOW_FILES, key=lambda f: -SLOW_FILES[f])[:4]
    files = {"test_a.py": 30, slow[3]: 2, "test_b.py": 25, slow[0]: 5, slow[1]: 3, slow[2]: 3}
    items = _items(files)
    ordered = slow_first(items, workers=2)  # type: ignore[arg-type]
    assert sorted(i.nodeid for i in ordered) == sorted(i.nodeid for i in items)
    first, second = _shares(ordered, 2)  # type: ignore[arg-type]
    assert first[0].nodeid.startswith(f"tests/{slow[0]}::")
    assert second[0].nodeid.startswith(f"tests/{slow[1]}::")
    for share in (first, second):
        kinds = [i.nodeid.split("::")[0].rsplit("/", 1)[-1] in SLOW_FILES for i in share]
        assert kinds == sorted(kinds, reverse=True), "a slow test after a short one"
    # a file's tests stay in their order
    walk = [i.nodeid for i in ordered if slow[0] in i.nodeid]
    assert walk == [f"tests/{slow[0]}::test_{n}" for n in range(5)]


@pytest.mark.parametrize("workers", [1, 3])
def test_one_worker_gets_the_slow_files_first_and_three_share_them(workers: int) -> None:
    slow = sorted(SLOW_FILES, key=lambda f: -SLOW_FILES[f])[:3]
    items = _items({"test_a.py": 10, slow[2]: 1, slow[1]: 1, slow[0]: 1})
    ordered = slow_first(items, workers=workers)  # type: ignore[arg-type]
    assert len(ordered) == len(items)
    heads = [share[0].nodeid.split("::")[0] for share in _shares(ordered, workers)]
    assert heads == [f"tests/{name}" for name in slow[:workers]]
