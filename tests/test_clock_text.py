"""The one m:ss clock (engine/clock_text): its shapes, its two roundings, hours, zero and below."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import procedo
from procedo.engine.clock_text import clock_text

SEC = 1000
MIN = 60 * SEC
HOUR = 60 * MIN


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "0:00"),
        (5 * SEC, "0:05"),
        (59 * SEC, "0:59"),
        (MIN, "1:00"),
        (3 * MIN + 30 * SEC, "3:30"),
        (4 * MIN + 12 * SEC, "4:12"),
        (14 * MIN + 30 * SEC, "14:30"),
        (59 * MIN + 59 * SEC, "59:59"),
        (HOUR, "1:00:00"),
        (HOUR + 2 * MIN + 3 * SEC, "1:02:03"),
        (25 * HOUR + 5 * SEC, "25:00:05"),
    ],
)
def test_one_shape_minutes_without_a_leading_zero_and_hours_past_an_hour(
    ms: int, text: str
) -> None:
    assert clock_text(ms) == text
    assert clock_text(ms, round_up=True) == text  # whole seconds read the same either way


@pytest.mark.parametrize(
    ("ms", "down", "up"),
    [
        (1, "0:00", "0:01"),
        (999, "0:00", "0:01"),
        (1001, "0:01", "0:02"),
        (4 * MIN + 12 * SEC + 900, "4:12", "4:13"),
        (HOUR - 1, "59:59", "1:00:00"),
        (2 * MIN + 0.5, "2:00", "2:01"),  # a float figure (a median) is rounded the same way
        (2 * MIN - 0.5, "1:59", "2:00"),
    ],
)
def test_a_stopwatch_shows_the_seconds_gone_a_countdown_the_seconds_begun(
    ms: float, down: str, up: str
) -> None:
    assert clock_text(ms) == down
    assert clock_text(ms, round_up=True) == up


@pytest.mark.parametrize("ms", [-1, -999, -1000, -61 * SEC, -2 * HOUR, -0.5])
def test_a_negative_time_reads_zero(ms: float) -> None:
    assert clock_text(ms) == "0:00"
    assert clock_text(ms, round_up=True) == "0:00"


def test_a_countdown_reads_zero_only_when_nothing_is_left() -> None:
    """A wait's countdown never says 0:00 while the tick is still refused."""
    assert [clock_text(ms, round_up=True) for ms in (0, 1, 1000, 1001)] == [
        "0:00",
        "0:01",
        "0:01",
        "0:02",
    ]


def test_no_other_module_formats_minutes_and_seconds() -> None:
    """The m:ss shape is made in one place: the words format (render/durations) is the only
    other module that splits seconds into minutes (besides the journal's ISO timestamps, whose
    time of day engine/events.py works out), and the TUI has no clock of its own."""
    from procedo.tui import text

    src = Path(procedo.__file__).parent
    splitting = {
        path.relative_to(src).as_posix()
        for path in src.rglob("*.py")
        if re.search(r"divmod\([^)]*,\s*60\)", path.read_text(encoding="utf-8"))
    }
    assert splitting == {"engine/clock_text.py", "render/durations.py", "engine/events.py"}
    assert not hasattr(text, "clock_text")
