"""Handbook pages list the non-normal procedures and the deferrable items, and the Markdown
import reads both back: from the handbook's own pages (with and without anchors, any text) and
from pages written by hand."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings

from interrupt_map_defs import LOCKOUT, hostile_lockout, lockout
from procedo.importers.markdown import MarkdownImportError, import_markdown
from procedo.model import ProcessDefinition, parse_definition
from procedo.render.handbook import render_handbook
from procedo.render.interrupt_graph import by_priority
from test_import_markdown import PAGE_LINE, PAGE_TEXT, literal


def section(page: str, node_id: str) -> str:
    return page.split(f'## <a id="{node_id}"></a>', 1)[1].split("\n## ", 1)[0]


def imported(page: str, process_id: str = "lockout") -> ProcessDefinition:
    result = import_markdown(page, process_id=process_id, source=f"{process_id}.md")
    assert parse_definition(result.toml, default_id=process_id) == result.definition
    return result.definition


def same(got: ProcessDefinition, want: ProcessDefinition) -> None:
    assert got.steps == want.steps
    assert got.decisions == want.decisions
    assert got.ends == want.ends
    assert got.interrupts == want.interrupts
    assert by_priority(got) == by_priority(want)  # the page's order: by priority, then file
    assert got.roles == want.roles
    assert got.start == want.start


def test_the_non_normal_procedures_follow_the_ends_highest_priority_first() -> None:
    headings = re.findall(r'^## <a id="([^"]+)"></a>', render_handbook(lockout()), re.M)
    assert headings[-5:] == ["done", "abandoned", "fire-alarm", "leak", "paged"]


def test_a_procedure_says_its_priority_role_where_it_applies_and_what_comes_after() -> None:
    page = render_handbook(lockout())
    fire = section(page, "fire-alarm")
    assert fire.startswith("Fire alarm\n\n**Priority:** warning — a non-normal procedure: it")
    assert "\n**Role:** Operator\n" in fire
    assert "\n**During:** anywhere (at any step or decision)\n" in fire
    assert "\n1. [ ] Stop work\n2. [ ] Leave by the nearest exit\n" in fire
    assert fire.rstrip().endswith(
        "**After:** [Work abandoned](#abandoned) — the run goes on there instead of going back"
    )
    leak = section(page, "leak")
    assert "**Priority:** caution — " in leak and "**Role:**" not in leak
    assert "\n**During:** [Release stored energy](#release), [Is the press dead?](#works)\n" in leak
    assert "\nKeep clear of the spray.\n\n1. [ ] Put down absorbent\n" in leak
    assert "2. [ ] Litres spilt: ____ l *(record: number)*" in leak
    assert leak.rstrip().endswith(
        "**After:** Can work resume?\n\n"
        "- Resume → back to where the run was\n"
        "- Abandon → [Work abandoned](#abandoned)"
    )
    paged = section(page, "paged")
    assert paged.rstrip().endswith(
        "**After:** back to where the run was (the same step and item, every mark as it was)"
    )


def test_an_item_with_defer_to_says_where_it_may_be_deferred() -> None:
    page = render_handbook(lockout())
    assert "2. [ ] Photograph the lock *(may be deferred to: Close out)*" in section(
        page, "isolate"
    )
    assert "*(may be deferred to: Close out)*" in section(page, "release")
    assert "deferred" not in section(page, "close-out")


def test_the_page_s_map_holds_the_interrupts() -> None:
    page = render_handbook(lockout())
    assert '    subgraph nonnormal ["Non-normal checklists"]' in page


def test_a_page_without_interrupts_says_nothing_of_them() -> None:
    plain = lockout().model_copy(update={"interrupts": {}})
    page = render_handbook(plain)
    assert "Priority" not in page and "nonnormal" not in page


@pytest.mark.parametrize("make", [lockout, hostile_lockout], ids=["plain", "hostile"])
def test_the_page_imports_back_to_the_same_interrupts_and_deferred_items(
    make: Callable[[], ProcessDefinition],
) -> None:
    definition = make()
    same(imported(render_handbook(definition)), definition)


def test_hostile_texts_render_literally_on_the_page() -> None:
    page = render_handbook(hostile_lockout())
    leak = section(page, "leak")
    escaped = r"\[bold\]x\[/bold\] \]\] \`code\` \<script\>alert(1)\</script\>"
    assert f"Hydraulic leak {escaped}" in leak
    assert f"**After:** Can work resume? {escaped}" in leak
    assert f"- Resume {escaped}" in leak
    assert "<script>" not in page.split("```mermaid", 1)[0] + page.split("```\n", 1)[1]
    # an instruction line that would read as a checklist item stays text
    assert "\n\\- \\[ \\] no\n" in leak
    in_note = escaped.replace("(1)", "\\(1\\)")  # a note's parentheses are escaped too
    assert f"*(may be deferred to: Close out {in_note}" in section(page, "isolate")


def test_the_flow_and_the_interrupts_survive_a_page_without_its_anchors() -> None:
    page = re.sub(r'<a id="[^"]*"></a>', "", render_handbook(lockout()))
    got = imported(page)
    assert list(got.interrupts) == ["fire-alarm", "hydraulic-leak", "paged-by-the-control-room"]
    leak = got.interrupts["hydraulic-leak"]
    assert leak.during == ("release-stored-energy", "is-the-press-dead")
    assert [(o.label, o.next) for o in leak.after.options] == [  # type: ignore[union-attr]
        ("Resume", "return"),
        ("Abandon", "work-abandoned"),
    ]
    assert got.interrupts["fire-alarm"].after == "work-abandoned"
    assert got.steps["isolate-the-press"].items[1].defer_to == "close-out"


def test_two_steps_of_one_title_are_told_apart_by_the_id() -> None:
    text = LOCKOUT.replace('title = "Isolate the press"', 'title = "Close out"')
    definition = parse_definition(text, source="twins.toml")
    page = render_handbook(definition)
    assert "*(may be deferred to: close-out)*" in section(page, "release")
    same(imported(page), definition)


def test_a_step_before_a_procedure_goes_on_to_the_next_step_of_the_flow() -> None:
    page = """\
# Press

## Isolate
- [ ] Switch off
- [ ] File the photo *(deferred to: Wrap up)*

## Fire alarm
Priority: warning
During: Isolate, [Wrap up](#wrap-up)
- [ ] Leave
After: Abandoned

## Wrap up
- [ ] Sign
"""
    got = imported(page, "press")
    assert got.steps["isolate"].next == "wrap-up"
    assert got.steps["isolate"].items[1].defer_to == "wrap-up"
    fire = got.interrupts["fire-alarm"]
    assert (fire.priority, fire.during, fire.after) == (
        "warning",
        ("isolate", "wrap-up"),
        "abandoned",
    )
    assert got.ends["abandoned"].title == "Abandoned"
    assert got.start == "isolate"


def test_after_or_during_in_a_step_s_text_stays_text() -> None:
    page = "# P\n\n## Lunch\n\nAfter: wash up.\nDuring: keep the door shut.\n\n- [ ] Eat\n"
    got = imported(page, "p")
    assert got.steps["lunch"].instructions == "After: wash up.\nDuring: keep the door shut."
    assert not got.interrupts


def test_a_wrong_priority_or_option_is_a_clear_error() -> None:
    with pytest.raises(MarkdownImportError, match="must be 'warning', 'caution' or 'advisory'"):
        import_markdown("## Leak\nPriority: urgent\n- [ ] Mop\n", process_id="p")
    page = "## Step\n- [ ] a\n\n## Leak\nPriority: caution\n- [ ] Mop\nAfter: Go on?\n- Yes\n- No\n"
    with pytest.raises(MarkdownImportError, match="are written 'Label → \\[Node\\]\\(#id\\)'"):
        import_markdown(page, process_id="p")


@given(title=PAGE_LINE, question=PAGE_LINE, label=PAGE_LINE, item=PAGE_LINE, text=PAGE_TEXT)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_comes_back_from_a_procedure_s_section(
    title: str, question: str, label: str, item: str, text: str
) -> None:
    title, question, label, item, text = map(literal, (title, question, label, item, text))
    data = {
        "process": {"id": "p", "title": "P", "start": "s"},
        "roles": {"r": "R"},
        "steps": {
            "s": {"title": title, "next": "t", "items": [{"text": item, "defer_to": "t"}]},
            "t": {"title": title + " later", "role": "r", "next": "e", "items": [item]},
        },
        "ends": {"e": {"title": "E", "outcome": "success"},
                 "x": {"title": title, "outcome": "failure"}},
        "interrupts": {
            "i": {"title": title, "priority": "caution", "role": "r", "instructions": text,
                  "items": [item, {"text": item, "record": "text"}], "during": ["t", "s"],
                  "after": {"question": question, "options": [
                      {"label": label, "next": "return"}, {"label": label + " no", "next": "x"}]}},
            "j": {"title": question, "priority": "warning", "after": "t"},
        },
    }  # fmt: skip
    definition = ProcessDefinition.model_validate(data)
    same(imported(render_handbook(definition), "p"), definition)
