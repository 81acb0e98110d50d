"""Who may read a new journal: its owner only, unless its folder is meant to be shared.

A journal records who did what and when, so a new one is created ``0600`` (SQLite gives its
``-wal`` and ``-shm`` files the mode of the main file). A folder is *shared* when it is
group-writable or has the set-group-id bit (the usual set-up for a team folder,
``chmod 2775``), and is not writable by everyone (as ``/tmp`` is): there the new journal is
created ``0660``, so the group can write it and nobody else can read it. Both modes are set
exactly, whatever the umask (with the common umask ``022`` a shared journal would otherwise be
world-readable and not writable by the group). An existing journal's mode is never changed.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_MODE = 0o600
SHARED_MODE = 0o660


def is_shared_folder(folder: Path) -> bool:
    """Whether new journals in ``folder`` are meant for a group: group-writable or setgid,
    and not writable by everyone (``/tmp`` is no team folder)."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWGRP | stat.S_ISGID)) and not mode & stat.S_IWOTH


def create_new(path: Path) -> None:
    """Create ``path`` empty, ``0600`` (``0660`` in a shared folder), unless it exists.

    An empty file is a valid new SQLite database. Failures are left for SQLite's own open to
    report, with its usual message.
    """
    if str(path) == ":memory:" or path.exists():
        return
    mode = SHARED_MODE if is_shared_folder(path.parent) else PRIVATE_MODE
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            os.fchmod(fd, mode)  # the umask narrowed the mode given to open; fchmod ignores it
        finally:
            os.close(fd)
