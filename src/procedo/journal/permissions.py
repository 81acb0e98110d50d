"""Who may read a new journal: its owner only, unless its folder is meant to be shared.

A journal records who did what and when, so a new one is created ``0600`` (SQLite gives its
``-wal`` and ``-shm`` files the mode of the main file). A folder is *shared* when it is
group-writable or has the set-group-id bit (the usual set-up for a team folder,
``chmod 2775``), and is not writable by everyone (as ``/tmp`` is): there the new journal is
created ``0666`` less the umask (``0664`` with the usual team umask ``002``), so the group can
use it. An existing journal's mode is never changed.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_MODE = 0o600
SHARED_MODE = 0o666


def is_shared_folder(folder: Path) -> bool:
    """Whether new journals in ``folder`` are meant for a group: group-writable or setgid,
    and not writable by everyone (``/tmp`` is no team folder)."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWGRP | stat.S_ISGID)) and not mode & stat.S_IWOTH


def create_new(path: Path) -> None:
    """Create ``path`` empty, ``0600`` (or for the group in a shared folder), unless it exists.

    An empty file is a valid new SQLite database. Failures are left for SQLite's own open to
    report, with its usual message.
    """
    if str(path) == ":memory:" or path.exists():
        return
    mode = SHARED_MODE if is_shared_folder(path.parent) else PRIVATE_MODE
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
