"""The terminal map of parallel blocks and calling steps: columns, nesting, width, places."""

from __future__ import annotations

import pytest

from parallel_defs import calling, nested
from procedo.model.figures import MapFigures
from procedo.render.map_lines import MapLine, cell_width
from procedo.render.text_map import render_text_map

NESTED = nested()
CALLING = calling()


def texts(lines: list[MapLine]) -> list[str]:
    return [line.text for line in lines]


def row_with(lines: list[MapLine], *parts: str) -> MapLine | None:
    """The line that holds every part, if any."""
    return next((line for line in lines if all(p in line.text for p in parts)), None)


def drawn_nodes(lines: list[MapLine]) -> list[str]:
    """Every node drawn in full (not as a ↺ or ↪ reference), spans of side-by-side rows too."""
    return [
        span.node
        for line in lines
        for span in line.parts()
        if span.node is not None and not {"↺", "↪"} & set(span.text)
    ]


def test_the_branches_of_a_block_stand_side_by_side_and_join_again_below() -> None:
    lines = render_text_map(NESTED)
    text = texts(lines)
    split = text.index("  ⫼ Get everything ready · 2 branches at once")
    assert text[split - 1] == "  Welcome · HR partner"
    assert text[split + 1].startswith("┌") and "┬" in text[split + 1]
    both = row_with(lines, "Prepare the laptop", "File the contract")
    assert both is not None and both.text.startswith("│ ") and both.text.endswith(" │")
    bottom = next(i for i, t in enumerate(text) if t.startswith("└") and "┴" in t)
    assert text[bottom + 1] == "  First day · HR partner"  # the join node, under the columns
    assert text[-1] == "  ● Started (success)"
    assert row_with(lines, "├─ Yes → ⫼ join") is not None  # the option that arrives at the join
    assert row_with(lines, "└─ Broken → ✗ Laptop scrapped (failure)") is not None


def test_a_nested_block_nests_in_its_column() -> None:
    wide = render_text_map(NESTED, width=200)
    inner = row_with(wide, "Sign the forms", "Order the badge")
    assert inner is not None and inner.text.count("│") == 6  # two boxes, one inside the other
    assert row_with(wide, "Prepare the laptop", "File the contract") is not None
    # the inner block joins at "Everything filed", drawn in the outer column under its box
    text = texts(wide)
    inner_row = text.index(inner.text)
    filed = next(i for i, t in enumerate(text) if "Everything filed" in t)
    assert filed > inner_row and "┴" in text[filed - 1]


def test_a_block_too_wide_lists_its_branches_one_after_another() -> None:
    lines = render_text_map(NESTED, width=60)
    text = texts(lines)
    assert not any("┬" in t for t in text)
    headers = [t.strip() for t in text if "branch " in t]
    assert headers == [
        "┌ branch 1 of 2: Prepare the laptop",
        "├ branch 2 of 2: File the contract",
        "│ ┌ branch 1 of 2: Sign the forms",
        "│ ├ branch 2 of 2: Order the badge",
    ]
    assert text.count("└ all branches joined") == 1
    assert "│ └ all branches joined" in text
    assert text[text.index("└ all branches joined") + 1] == "  First day · HR partner"


@pytest.mark.parametrize("width", [60, 100, 200])
def test_the_map_stays_within_its_width_and_draws_each_node_once(width: int) -> None:
    lines = render_text_map(NESTED, width=width)
    assert max(cell_width(line.text) for line in lines) <= width
    flow = [n for n in drawn_nodes(lines) if NESTED.kind_of(n) != "end"]
    expected = [n for n in NESTED.node_ids() if NESTED.kind_of(n) != "end"]
    assert sorted(flow) == sorted(expected)
    assert {n for n in drawn_nodes(lines) if n in NESTED.ends} == set(NESTED.ends)
    for line in lines:  # the spans of a line make up its text
        assert "".join(span.text for span in line.parts()) == line.text


def test_a_narrow_inner_block_falls_back_while_the_outer_stays_side_by_side() -> None:
    lines = render_text_map(NESTED, width=100)
    assert row_with(lines, "Prepare the laptop", "File the contract") is not None
    assert row_with(lines, "Sign the forms", "Order the badge") is None
    assert row_with(lines, "┌ branch 1 of 2: Sign the forms") is not None


def test_each_open_branch_s_node_is_marked_where_it_is() -> None:
    lines = render_text_map(
        NESTED,
        visited={"welcome", "laptop", "contract", "papers", "badge"},
        here={"software", "sign"},
        width=200,
    )
    current = [line for line in lines if line.style == "current"]
    assert {line.node for line in current} == {"software", "sign"}
    marked = [s for line in lines for s in line.parts() if s.text.lstrip().startswith("▶")]
    assert [(s.node, s.style) for s in marked] == [("software", "current"), ("sign", "current")]
    assert sum(line.text.count("▶") for line in lines) == 2
    # a row holds other branches' nodes in their own styles
    row = row_with(lines, "▶ Install the software", "⫼ Papers and badge")
    assert row is not None
    styles = {s.node: s.style for s in row.parts() if s.node}
    assert styles == {"software": "current", "papers": "visited"}
    by_node = {s.node: s.style for line in lines for s in line.parts() if s.node}
    assert by_node["badge"] == "visited"  # arrived at the inner join, waiting for sign
    assert by_node["filed"] == "possible" and by_node["first-day"] == "possible"
    assert by_node["scrapped"] == "possible"
    assert by_node["welcome"] == "visited"


def test_the_old_current_parameter_still_marks_one_place_and_joins_here() -> None:
    one = render_text_map(NESTED, visited={"welcome", "laptop"}, current="software")
    assert [line.node for line in one if line.style == "current"] == ["software"]
    both = render_text_map(NESTED, current="software", here=["badge"], width=200)
    assert {line.node for line in both if line.style == "current"} == {"software", "badge"}


def test_before_the_split_the_branches_are_possible_and_the_split_not_yet_taken() -> None:
    lines = render_text_map(NESTED, current="welcome")
    split = row_with(lines, "⫼ Get everything ready")
    assert split is not None and split.style == "possible" and not split.text.startswith("✓")
    inside = {s.node: s.style for line in lines for s in line.parts() if s.node}
    assert inside["laptop"] == "possible" and inside["sign"] == "possible"


def test_after_the_join_the_block_is_on_the_path() -> None:
    lines = render_text_map(
        NESTED,
        visited=set(NESTED.node_ids()) - {"first-day", "done", "scrapped"},
        current="first-day",
        taken={("welcome", "ready"), ("works", "first-day"), ("filed", "first-day")},
    )
    split = row_with(lines, "⫼ Get everything ready")
    assert split is not None and split.text.startswith("✓ ") and split.style == "visited"
    assert [line.node for line in lines if line.style == "current"] == ["first-day"]
    assert row_with(lines, "├─ ✓ Yes → ⫼ join") is not None


def test_a_calling_step_names_its_process_and_opens_a_branch_per_outcome() -> None:
    text = "\n".join(texts(render_text_map(CALLING)))
    assert "  Prove the tester · ▸ runs tester-check\n├─ success\n│    Do the work" in text
    assert "├─ failure → ✗ Stopped (failure)" in text
    assert "└─ broken\n     Repair the tester · ▸ runs tester-check\n     ↪ Do the work" in text


def test_a_calling_step_s_outcomes_are_counted_as_its_moves() -> None:
    figures = MapFigures(
        runs=4,
        node_visits={"prepare": 4, "prove": 4, "work": 3, "stop": 1, "done": 3},
        edge_counts={("prove", "work", ""): 3, ("prove", "stop", ""): 1},
    )
    text = texts(render_text_map(CALLING, figures=figures))
    assert "├─ success (3×, 75%)" in text
    assert "├─ failure (1×, 25%) → ✗ Stopped (failure)" in text


def test_a_step_with_outcomes_and_a_next_calls_the_next_otherwise() -> None:
    step = CALLING.steps["prove"].model_copy(update={"outcomes": {"failure": "stop"}})
    definition = CALLING.model_copy(update={"steps": {**CALLING.steps, "prove": step}})
    definition = definition.model_copy(
        update={"steps": {**definition.steps, "prove": step.model_copy(update={"next": "work"})}}
    )
    text = texts(render_text_map(definition))
    assert "├─ failure → ✗ Stopped (failure)" in text
    assert "└─ otherwise" in text


HOSTILE = "\x1b[31m [b]x[/b] ┬│\u202e"


def test_hostile_block_titles_are_shown_visibly_and_do_not_break_the_columns() -> None:
    blocks = {
        key: block.model_copy(update={"title": block.title + HOSTILE})
        for key, block in NESTED.parallel.items()
    }
    steps = {
        key: step.model_copy(update={"title": step.title + HOSTILE})
        for key, step in NESTED.steps.items()
    }
    definition = NESTED.model_copy(update={"parallel": blocks, "steps": steps})
    for width in (60, 200, 400):
        lines = render_text_map(definition, width=width)
        joined = "\n".join(texts(lines))
        assert "\x1b" not in joined and "\u202e" not in joined
        assert "Get everything ready\\x1b[31m [b]x[/b] ┬│\\u202e" in joined
    wide = render_text_map(definition, width=400)
    box = [line.text for line in wide if line.text[:1] in "┌│└"]
    assert len({cell_width(row) for row in box}) == 1  # every row of the box is as wide


def test_procedo_diagram_text_draws_blocks_within_the_width_it_is_given() -> None:
    from procedo.cli.diagram_command import render

    narrow = render(NESTED, "text", detail=False, figures=None, width=60)
    assert "┬" not in narrow and "┌ branch 1 of 2: Prepare the laptop" in narrow
    default = render(NESTED, "text", detail=False, figures=None)
    assert "┬" in default  # 100 columns: the outer block side by side
