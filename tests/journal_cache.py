"""Journals the tests build the same way every time: built once per test process, then copied.

Building one writes every event durably (synchronous FULL: a sync per transaction), so the
14-run history journal took 4-19 s on the loaded 2-core machine, for each of the ten modules
and tests that build it. Each caller still gets a journal file of its own, byte for byte the
one the builder writes (its WAL too), and a copy of what the builder returned.
"""

from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
import uuid
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SIDECARS = ("", "-wal", "-shm")
_templates: dict[Hashable, tuple[Path, object]] = {}
_REAL_UUID4 = uuid.uuid4


def cached_journal(key: Hashable, path: Path, build: Callable[[Path], T]) -> T:
    """``build(path)``, from a template built once per process for ``key``.

    A path that already holds a journal is built on as asked (the copy would replace it), and
    so is every journal while a test fixes the run ids (uuid4 patched, as the snapshots do).
    """
    if uuid.uuid4 is not _REAL_UUID4 or any(Path(f"{path}{s}").exists() for s in SIDECARS):
        return build(path)
    if key not in _templates:
        folder = Path(tempfile.mkdtemp(prefix="procedo-test-journal-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "journal.db"
        _templates[key] = (template, build(template))
    template, result = _templates[key]
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in SIDECARS:
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copy2(source, f"{path}{suffix}")
    return copy.deepcopy(result)  # type: ignore[return-value]
