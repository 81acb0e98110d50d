"""The examples of docs/format.md for non-normal checklists and deferred items load, and mean
what the page says."""

from __future__ import annotations

import re
from pathlib import Path

from procedo.model import parse_definition
from procedo.model.definition import RETURN, AfterChoice

DOCS = Path(__file__).resolve().parent.parent / "docs"

AROUND = """\
[process]
id = "doc"
title = "Doc"
start = "isolate"

[roles]
operator = "Operator"

[steps.release-energy]
title = "Release"
next = "verify"
items = ["Bleed"]

[steps.verify]
title = "Verify"
next = "close-out"
items = ["Try the start button"]

[steps.close-out]
title = "Close out"
next = "done"
items = ["Sign"]

[ends.done]
title = "Done"
outcome = "success"

[ends.abandoned]
title = "Abandoned"
outcome = "failure"
"""


def toml_blocks(heading: str) -> list[str]:
    """The TOML blocks of one ``##`` section of docs/format.md (its ``###`` parts included)."""
    text = (DOCS / "format.md").read_text("utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```toml\n(.*?)```", section, re.S)


def test_the_documented_interrupts_and_deferred_item_load() -> None:
    interrupts, deferred = toml_blocks("Non-normal checklists and deferred items")
    step = deferred.replace('next = "close-out"', 'next = "release-energy"')
    definition = parse_definition(AROUND + interrupts + step, source="format.md")
    fire = definition.interrupts["fire-alarm"]
    assert (fire.priority, fire.during) == ("warning", ("release-energy", "verify"))
    assert isinstance(fire.after, AfterChoice)
    assert [o.next for o in fire.after.options] == [RETURN, "abandoned"]
    assert definition.interrupts["paged"].after == RETURN
    assert definition.interrupts_at("verify") == ["fire-alarm", "paged"]
    assert definition.interrupts_at("close-out") == ["paged"]
    assert [i.defer_to for i in definition.steps["isolate"].items] == [None, "close-out"]
