"""Review finding: a BPMN parallel join whose one flow out meets another way at a merge (a
choice between a parallel block and a task, inside a loop or before a decision) was mapped
with the node after the merge as the block's join. That node is also reached from the other
way, without passing the split, so the import refused a well-formed block-structured file
("... goes on to 'g2', the join of 'g5', without passing its split"). A step is inserted as
the join there instead, as when the join is followed by no step or decision."""

from __future__ import annotations

from procedo.importers.bpmn import import_bpmn
from procedo.model import parse_definition
from test_import_bpmn_property import document

AND_OR_TASK_IN_A_LOOP = (
    "loop",
    ("xor", [("and", [("task", "Order the laptop"), ("task", "Book a desk")]), ("task", "Reuse")]),
)


def test_a_block_whose_join_meets_another_way_imports_with_a_join_step() -> None:
    text, _ = document(AND_OR_TASK_IN_A_LOOP)
    [result] = import_bpmn(text)
    definition = parse_definition(result.toml, default_id=result.process_id)
    [(block_id, block)] = definition.parallel.items()
    join = definition.steps[block.join]
    assert block.join.endswith("-joined") and join.next is not None
    assert sorted(definition.steps[b].title for b in block.branches) == [
        "Book a desk",
        "Order the laptop",
    ]
    assert any(f"the join of {block_id!r}" in line for line in result.report)


def test_a_join_followed_by_a_decision_only_it_reaches_still_joins_there() -> None:
    text, _ = document(("loop", ("and", [("task", "A"), ("task", "B")])))
    [result] = import_bpmn(text)
    definition = parse_definition(result.toml, default_id=result.process_id)
    [block] = definition.parallel.values()
    assert block.join in definition.decisions  # "Again?": no step inserted
