"""Validation of parallel blocks: each problem with its message, key and line.

Each bad input is a small edit of one valid text, so the line a problem must point at is the
line of the edit, found by searching the edited text.
"""

from __future__ import annotations

import pytest

from procedo.model import DefinitionError, parse_definition

BASE = """\
[process]
id = "par"
title = "Parallel"
start = "prep"

[steps.prep]
title = "Prepare"
next = "split"
items = ["Read the request"]

[parallel.split]
title = "Both at once"
branches = ["a", "b"]
join = "meet"

[steps.a]
title = "Branch A"
next = "meet"
items = [{ text = "Serial", record = "text", id = "serial" }]

[steps.b]
title = "Branch B"
next = "meet"
items = [{ text = "Contract", record = "text", id = "contract" }]

[steps.meet]
title = "Together again"
next = "done"
items = ["Serial {serial}, contract {contract}"]

[ends.done]
title = "Done"
outcome = "success"
"""

FAILED = """
[ends.failed]
title = "Failed"
outcome = "failure"
"""

NESTED = """\
[process]
id = "nested"
title = "Nested"
start = "prep"

[steps.prep]
title = "Prepare"
next = "split"
items = ["Read the request"]

[parallel.split]
title = "Laptop and contract"
branches = ["laptop", "contract"]
join = "welcome"

[steps.laptop]
title = "Laptop"
next = "inner"
items = ["Order it"]

[parallel.inner]
title = "Image and label"
branches = ["image", "label"]
join = "inner-done"

[steps.image]
title = "Image"
next = "inner-done"
items = [{ text = "Serial", record = "text", id = "serial" }]

[steps.label]
title = "Label"
next = "label-ok"
items = ["Print the label"]

[decisions.label-ok]
question = "Is the label readable?"
options = [
  { label = "No, again", next = "label" },
  { label = "Yes", next = "inner-done" },
  { label = "Give up", next = "failed" },
]

[steps.inner-done]
title = "Laptop ready"
next = "welcome"
items = ["Serial {serial}"]

[steps.contract]
title = "Contract"
next = "welcome"
items = [{ text = "Contract number", record = "text", id = "contract" }]

[steps.welcome]
title = "Welcome"
next = "done"
items = ["Contract {contract}, laptop {serial}"]

[ends.done]
title = "Done"
outcome = "success"

[ends.failed]
title = "Failed"
outcome = "failure"
"""


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(text: str) -> list[tuple[str, int | None, str]]:
    """Every problem of ``text`` as (key, line, message), in the loader's order."""
    try:
        parse_definition(text, source="par.toml", default_id="par")
    except DefinitionError as error:
        return [(p.key, p.line, p.message) for p in error.problems]
    return []


def line_of(text: str, fragment: str, nth: int = 0) -> int:
    """The line of the ``nth`` line holding ``fragment``."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return lines[nth]


def test_the_base_and_nested_blocks_are_valid() -> None:
    assert problems(BASE) == []
    assert problems(NESTED) == []


SEQUENCE = """\
[process]
id = "seq"
title = "A block as a branch, then a second block right after the join"
start = "split"

[parallel.split]
title = "Outer"
branches = ["a", "inner"]
join = "meet"

[steps.a]
title = "A"
next = "meet"
items = ["a"]

[parallel.inner]
title = "Inner"
branches = ["b", "c"]
join = "inner-done"

[steps.b]
title = "B"
next = "inner-done"
items = ["b"]

[steps.c]
title = "C"
next = "inner-done"
items = ["c"]

[steps.inner-done]
title = "Inner done"
next = "meet"
items = ["inner done"]

[steps.meet]
title = "Meet"
next = "second"
items = ["meet"]

[parallel.second]
title = "Second"
branches = ["d", "e"]
join = "again"

[steps.d]
title = "D"
next = "again"
items = ["d"]

[steps.e]
title = "E"
next = "again"
items = ["e"]

[decisions.again]
question = "Once more?"
options = [{ label = "Yes", next = "split" }, { label = "No", next = "done" }]

[ends.done]
title = "Done"
outcome = "success"
"""


def test_a_block_as_a_branch_a_block_after_a_join_and_a_loop_round_both_are_valid() -> None:
    assert problems(SEQUENCE) == []


def branch_b_goes(text: str, target: str) -> str:
    """The base with branch B going on to ``target`` instead of the join."""
    return edit(text, 'title = "Branch B"\nnext = "meet"', f'title = "Branch B"\nnext = "{target}"')


CHECK = """
[decisions.check]
question = "Is B done?"
options = [{{ label = "Yes", next = "meet" }}, {{ label = "Not yet", next = "{target}" }}]
"""


def test_a_branch_that_is_the_join() -> None:
    text = edit(BASE, 'branches = ["a", "b"]', 'branches = ["a", "meet"]')
    assert problems(text) == [
        ("steps.b", line_of(text, "[steps.b]"), "'b' cannot be reached from any start"),
        (
            "parallel.split.branches.1",
            line_of(text, "branches ="),
            "the branch 'meet' is the join of 'split': a branch needs a node of its own "
            "before the join",
        ),
    ]


def test_a_branch_listed_twice() -> None:
    text = edit(BASE, 'branches = ["a", "b"]', 'branches = ["a", "a", "b"]')
    assert problems(text) == [
        (
            "parallel.split.branches.1",
            line_of(text, "branches ="),
            "'a' is listed twice in the branches of 'split'",
        )
    ]


def test_the_same_node_begins_branches_of_two_blocks() -> None:
    text = edit(BASE, 'title = "Together again"\nnext = "done"', 'title = "Together"\nnext = "two"')
    text += '\n[parallel.two]\ntitle = "Two"\nbranches = ["c", "a"]\njoin = "end-step"\n'
    text += '\n[steps.c]\ntitle = "C"\nnext = "end-step"\nitems = ["c"]\n'
    text += '\n[steps.end-step]\ntitle = "E"\nnext = "done"\nitems = ["e"]\n'
    found = problems(text)
    assert found[0] == (
        "parallel.two.branches.1",
        line_of(text, 'branches = ["c", "a"]'),
        "'a' is already a branch of parallel block 'split': a node may begin a branch of "
        "one block only",
    )


def test_a_join_that_is_an_end() -> None:
    text = edit(BASE, 'join = "meet"', 'join = "done"')
    text = edit(text, 'title = "Branch A"\nnext = "meet"', 'title = "Branch A"\nnext = "done"')
    text = branch_b_goes(text, "done")
    assert problems(text) == [
        ("steps.meet", line_of(text, "[steps.meet]"), "'meet' cannot be reached from any start"),
        (
            "parallel.split.join",
            line_of(text, 'join = "done"'),
            "the join 'done' is an end: join at a step or decision (a branch that reaches an "
            "end ends the whole run, so the others would never arrive)",
        ),
    ]


def test_a_join_that_is_a_parallel_block() -> None:
    text = edit(BASE, 'join = "meet"', 'join = "split"')
    found = problems(text)
    assert (
        "parallel.split.join",
        line_of(text, 'join = "split"'),
        "the join 'split' is a parallel block: join at a step or decision, which may go on "
        "to the next block",
    ) in found


def test_two_blocks_with_one_join() -> None:
    text = edit(BASE, 'title = "Branch B"\nnext = "meet"', 'title = "Branch B"\nnext = "two"')
    text += '\n[parallel.two]\ntitle = "Two"\nbranches = ["c", "d"]\njoin = "meet"\n'
    text += '\n[steps.c]\ntitle = "C"\nnext = "meet"\nitems = ["c"]\n'
    text += '\n[steps.d]\ntitle = "D"\nnext = "meet"\nitems = ["d"]\n'
    assert problems(text)[0] == (
        "parallel.two.join",
        line_of(text, 'join = "meet"', 1),
        "'meet' is already the join of parallel block 'split': each block needs a join of its own",
    )


def test_a_branch_that_reaches_neither_its_join_nor_an_end() -> None:
    text = branch_b_goes(BASE, "b")
    assert problems(text) == [
        ("steps.meet", line_of(text, "[steps.meet]"), "'meet' cannot be reached from any start"),
        ("ends.done", line_of(text, "[ends.done]"), "'done' cannot be reached from any start"),
        (
            "steps.b",
            line_of(text, "[steps.b]"),
            "no end can be reached from 'b': a loop with no way out",
        ),
        (
            "parallel.split.branches.1",
            line_of(text, "branches ="),
            "the branch 'b' of 'split' can reach neither its join 'meet' nor an end",
        ),
    ]


def test_a_branch_that_only_ends_the_run_leaves_the_join_shut() -> None:
    text = branch_b_goes(BASE, "failed") + FAILED
    assert problems(text) == [
        ("steps.meet", line_of(text, "[steps.meet]"), "'meet' cannot be reached from any start"),
        ("ends.done", line_of(text, "[ends.done]"), "'done' cannot be reached from any start"),
        (
            "parallel.split.branches.1",
            line_of(text, "branches ="),
            "the branch 'b' of 'split' never reaches the join 'meet', so the join can never "
            "open (a branch that reaches an end ends the whole run)",
        ),
    ]


def test_a_branch_may_end_the_run_on_one_of_its_ways() -> None:
    text = branch_b_goes(BASE, "check") + CHECK.format(target="failed") + FAILED
    assert problems(text) == []


def test_a_join_reachable_without_its_split() -> None:
    text = edit(BASE, 'title = "Prepare"\nnext = "split"', 'title = "Prepare"\nnext = "skip"')
    text += (
        '\n[decisions.skip]\nquestion = "Skip?"\n'
        'options = [{ label = "Yes", next = "meet" }, { label = "No", next = "split" }]\n'
    )
    assert problems(text) == [
        (
            "decisions.skip.options.0.next",
            line_of(text, 'label = "Yes", next = "meet"'),
            "'skip' goes on to 'meet', the join of 'split', without passing its split: the "
            "join would wait for branches that never started",
        )
    ]


def test_branches_that_share_a_node() -> None:
    text = edit(BASE, 'title = "Branch A"\nnext = "meet"', 'title = "Branch A"\nnext = "shared"')
    text = branch_b_goes(text, "shared")
    text += '\n[steps.shared]\ntitle = "Shared"\nnext = "meet"\nitems = ["s"]\n'
    assert problems(text) == [
        (
            "steps.b.next",
            line_of(text, 'next = "shared"', 1),
            "the branches 'a' and 'b' of 'split' both reach 'shared' before the join 'meet': "
            "branches must not share nodes",
        )
    ]


def test_a_branch_that_jumps_into_its_sibling() -> None:
    text = branch_b_goes(BASE, "a")
    assert problems(text) == [
        (
            "steps.b.next",
            line_of(text, 'next = "a"'),
            "the branches 'a' and 'b' of 'split' both reach 'a' before the join 'meet': "
            "branches must not share nodes",
        )
    ]


@pytest.mark.parametrize(
    ("target", "where"),
    [("prep", "goes back to 'prep', before the split"), ("split", "goes back to the split")],
)
def test_a_loop_from_a_branch_back_to_before_the_split(target: str, where: str) -> None:
    text = branch_b_goes(BASE, "check") + CHECK.format(target=target)
    assert problems(text) == [
        (
            "decisions.check.options.1.next",
            line_of(text, "Not yet"),
            f"'check', in branch 'b' of 'split', {where}: a branch may loop only within itself",
        )
    ]


def test_a_branch_that_jumps_past_the_join() -> None:
    text = branch_b_goes(BASE, "check") + CHECK.format(target="after")
    text = edit(text, 'title = "Together again"\nnext = "done"', 'title = "Again"\nnext = "after"')
    text += '\n[steps.after]\ntitle = "After"\nnext = "done"\nitems = ["x"]\n'
    assert problems(text) == [
        (
            "decisions.check.options.1.next",
            line_of(text, "Not yet"),
            "'check', in branch 'b' of 'split', goes on to 'after', which comes after the "
            "join 'meet': a branch leaves only at its join 'meet' or at an end",
        )
    ]


def test_a_loop_from_after_the_join_into_a_branch() -> None:
    text = edit(BASE, 'title = "Together again"\nnext = "done"', 'title = "Again"\nnext = "again"')
    text += (
        '\n[decisions.again]\nquestion = "Again?"\n'
        'options = [{ label = "Yes", next = "b" }, { label = "No", next = "done" }]\n'
    )
    assert problems(text) == [
        (
            "decisions.again.options.0.next",
            line_of(text, 'label = "Yes", next = "b"'),
            "'again', after the join 'meet', goes on to 'b', inside branch 'b' of 'split', "
            "without passing the split",
        )
    ]


def test_a_jump_into_a_branch_of_a_later_block() -> None:
    text = edit(BASE, 'title = "Together again"\nnext = "done"', 'title = "Again"\nnext = "two"')
    text = branch_b_goes(text, "check") + CHECK.format(target="c")
    text += '\n[parallel.two]\ntitle = "Two"\nbranches = ["c", "d"]\njoin = "meet2"\n'
    text += '\n[steps.c]\ntitle = "C"\nnext = "meet2"\nitems = ["c"]\n'
    text += '\n[steps.d]\ntitle = "D"\nnext = "meet2"\nitems = ["d"]\n'
    text += '\n[steps.meet2]\ntitle = "Meet 2"\nnext = "done"\nitems = ["m"]\n'
    found = problems(text)
    assert found[0] == (
        "decisions.check.options.1.next",
        line_of(text, "Not yet"),
        "'check', in branch 'b' of 'split', goes on to 'c', which comes after the join "
        "'meet': a branch leaves only at its join 'meet' or at an end",
    )
    assert len(found) == 1


def test_a_block_inside_a_branch_that_joins_in_the_sibling_branch() -> None:
    text = NESTED.replace('join = "inner-done"', 'join = "contract-done"')
    text = text.replace(
        'title = "Image"\nnext = "inner-done"', 'title = "Image"\nnext = "contract-done"'
    )
    text = edit(text, 'next = "inner-done" },', 'next = "contract-done" },')
    text = edit(
        text, 'title = "Contract"\nnext = "welcome"', 'title = "Contract"\nnext = "contract-done"'
    )
    text = edit(text, 'title = "Laptop ready"\nnext = "welcome"\nitems = ["Serial {serial}"]', "")
    text = edit(
        text,
        "[steps.inner-done]",
        '[steps.contract-done]\ntitle = "Filed"\nnext = "welcome"\nitems = ["File it"]',
    )
    assert problems(text) == [
        (
            "steps.contract.next",
            line_of(text, 'next = "contract-done"', 2),
            "the branches 'laptop' and 'contract' of 'split' both reach 'contract-done' "
            "before the join 'welcome': branches must not share nodes",
        ),
        (
            "parallel.inner.join",
            line_of(text, 'join = "contract-done"'),
            "the join 'contract-done' of 'inner' is inside branch 'contract' of 'split', but "
            "'inner' is not: blocks must nest",
        ),
    ]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            "meet",
            "a trigger cannot start at 'meet': it is the join of parallel block 'split', "
            "which opens only when its branches arrive",
        ),
        (
            "b",
            "a trigger cannot start at 'b': it is inside branch 'b' of parallel block 'split' "
            "(start at the block or before it)",
        ),
    ],
)
def test_a_trigger_that_starts_at_a_join_or_inside_a_branch(start: str, message: str) -> None:
    trigger = f'\n\n[[triggers]]\nid = "late"\ntitle = "Late"\nstart = "{start}"'
    text = edit(BASE, 'start = "prep"', 'start = "prep"' + trigger)
    assert problems(text) == [("triggers.0.start", line_of(text, f'start = "{start}"'), message)]


def test_the_process_starts_at_a_join() -> None:
    text = edit(BASE, 'start = "prep"', 'start = "meet"')
    found = problems(text)
    assert found[-1] == (
        "process.start",
        line_of(text, 'start = "meet"'),
        "a process cannot start at 'meet': it is the join of parallel block 'split', which "
        "opens only when its branches arrive",
    )
    assert (
        "parallel.split",
        line_of(text, "[parallel.split]"),
        "'split' cannot be reached from any start",
    ) in found


def test_a_value_a_sibling_branch_records_is_not_surely_recorded() -> None:
    text = edit(BASE, '{ text = "Contract", record', '{ text = "Contract for {serial}", record')
    assert problems(text) == [
        (
            "steps.b.items.0.text",
            line_of(text, "Contract for"),
            "'serial', read by the placeholder, is not recorded on every path to 'b' (not on "
            "the path from 'prep' through 'split')",
        )
    ]


def test_after_the_join_a_value_of_one_way_of_a_branch_is_not_surely_recorded() -> None:
    text = branch_b_goes(BASE, "check") + CHECK.format(target="b2")
    text = edit(text, '{ text = "Contract", record = "text", id = "contract" }', '"Read it"')
    text += '\n[steps.b2]\ntitle = "B2"\nnext = "meet"\n'
    text += 'items = [{ text = "Contract", record = "text", id = "contract" }]\n'
    assert problems(text) == [
        (
            "steps.meet.items.0.text",
            line_of(text, "Serial {serial}"),
            "'contract', read by the placeholder, is not recorded on every path to 'meet' (not "
            "on the path from 'prep' through 'split', 'b', 'check')",
        )
    ]


def test_the_bundled_processes_still_pass() -> None:
    from pathlib import Path

    from procedo.model import load_catalog

    catalog = load_catalog([Path(__file__).resolve().parent.parent / "processes"])
    assert catalog.problems == []
    assert len(catalog.processes) >= 6


def docs_example(heading: str) -> str:
    """The first TOML block under ``heading`` in docs/format.md."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "format.md").read_text("utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1]
    return section.split("```toml\n", 1)[1].split("```", 1)[0]


def test_the_documented_parallel_example_is_valid() -> None:
    definition = parse_definition(docs_example("Parallel blocks"), source="format.md")
    assert definition.kind_of("prepare") == "parallel"
    assert definition.joins == {"welcome": "prepare"}
