"""The one ``m:ss`` clock of procedo: ``4:12``, ``0:05``, ``1:02:03``.

Every clock the operator reads (the run header, the step's time against its usual figures,
the board, a wait's countdown and its refusal) is written by :func:`clock_text`, so one
figure never shows in two shapes. It lives in the engine, the lowest layer that has a
clock of its own (the wait refusals), so every part above may import it. The words format
(``7 min 30 s``) is :func:`procedo.render.durations.duration`, not a clock.
"""

from __future__ import annotations

__all__ = ["clock_text"]


def clock_text(ms: float, *, round_up: bool = False) -> str:
    """``m:ss`` below an hour (``4:12``, ``0:05``), ``h:mm:ss`` from one (``1:02:03``).

    A stopwatch (an elapsed time, the default) shows the whole seconds gone: 4.9 s is
    ``0:04``. A countdown (``round_up=True``: a time left) shows the seconds begun, so it
    never reads ``0:00`` while something still waits: 0.1 s left is ``0:01``. A negative
    time (a clock set back) reads ``0:00``.
    """
    seconds = max(0, int(-(-ms // 1000) if round_up else ms // 1000))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
