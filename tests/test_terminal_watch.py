"""The app notices a terminal that hung up (tui/terminal_watch.py): opening /dev/tty fails then."""

from __future__ import annotations

import os

from procedo.tui.terminal_watch import had_terminal, terminal_gone


def _no_tty(path: str, flags: int) -> int:
    raise OSError(6, "No such device or address", path)


def _a_tty(path: str, flags: int) -> int:
    assert path == "/dev/tty" and flags & os.O_NOCTTY  # never becomes the controlling one
    return os.open(os.devnull, os.O_RDONLY)


def test_a_terminal_that_hung_up_is_gone() -> None:
    assert terminal_gone(_no_tty) is True
    assert had_terminal(_no_tty) is False


def test_a_terminal_still_there_is_not_gone() -> None:
    assert terminal_gone(_a_tty) is False
    assert had_terminal(_a_tty) is True
