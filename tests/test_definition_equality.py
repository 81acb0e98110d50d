"""A definition whose value kinds were asked still equals one freshly parsed from its text
(the journal compares the stored definition with the live one)."""

from __future__ import annotations

from pathlib import Path

from procedo.model import load_file

LAB = Path(__file__).resolve().parent.parent / "processes" / "lab-sample-intake.toml"


def test_asking_the_value_kinds_leaves_equality_alone() -> None:
    asked, fresh = load_file(LAB).definition, load_file(LAB).definition
    assert asked.value_kinds()["arrival_temp"] == "number"
    assert asked == fresh
    assert asked.value_kinds() is asked.value_kinds()  # computed once
