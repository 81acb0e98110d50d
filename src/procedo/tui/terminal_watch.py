"""Noticing that the terminal went away (its window closed, tmux killed, ssh dropped).

When the terminal hangs up, a process that the hang-up signal did not end (procedo launched by
``make run``: the signal reaches ``make``) reads end-of-file from its input for ever: Textual's
input thread then spins at full speed and the run stays open. The app asks once a second
whether the session still has its controlling terminal (opening ``/dev/tty`` fails once it
hung up) and quits as ``ctrl+q`` does: any open run left paused and resumable.
"""

from __future__ import annotations

import os
from collections.abc import Callable

CHECK_SECONDS = 1.0
"""How often the app asks whether its terminal is still there."""

Opener = Callable[[str, int], int]


def terminal_gone(opener: Opener = os.open) -> bool:
    """True when the process no longer has a controlling terminal (it hung up)."""
    try:
        fd = opener("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        return True
    os.close(fd)
    return False


def had_terminal(opener: Opener = os.open) -> bool:
    """True when the process has a controlling terminal now (only then is one watched)."""
    return not terminal_gone(opener)


__all__ = ["CHECK_SECONDS", "had_terminal", "terminal_gone"]
