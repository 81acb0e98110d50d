"""Review finding: the history lays a called run out under its parent with two spaces per
level before ``↳``, but the table's cells strip and fold spaces, so a run called by a called
run (lockout → tester → a calibration it calls) showed at the same depth as its parent."""

from __future__ import annotations

from procedo.journal.history_calls import CallLink, NestedRow
from procedo.tui.screens.history import called_title
from procedo.tui.text import cell


def _shown(depth: int) -> str:
    nested = NestedRow(row=None, depth=depth, link=CallLink("p" * 36, "prove"))  # type: ignore[arg-type]
    return str(cell(called_title(nested, "Calibrate")))


def test_each_level_of_calls_shows_deeper_in_the_history_table() -> None:
    child, grandchild = _shown(1), _shown(2)
    assert child.endswith("↳ Calibrate") and grandchild.endswith("↳ Calibrate")
    assert len(grandchild) > len(child)
