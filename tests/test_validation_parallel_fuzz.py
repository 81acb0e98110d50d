"""Property test: random flows with parallel blocks and calls load or are reported, never crash.

Every generated node points at random nodes, so the flows hold every shape the checks judge:
nested, crossing, looping and shut blocks, joins that are ends or blocks, calls of anything.
"""

from __future__ import annotations

from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedo.model import DefinitionError, ProcessDefinition, parse_definition
from procedo.model.parallel_graph import block_shapes, reachable_nodes
from procedo.model.value_flow import recorded_on_entry

NAMES = ["a", "b", "c", "d", "e", "f", "g", "h"]
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def flows(draw: st.DrawFn) -> dict[str, Any]:
    """A definition whose nodes are drawn from a few names, each going on to random ones."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=8, unique=True))
    target = st.sampled_from([*names, "done", "failed"])
    steps: dict[str, Any] = {}
    decisions: dict[str, Any] = {}
    parallel: dict[str, Any] = {}
    for name in names:
        kind = draw(st.sampled_from(["step", "step", "decision", "parallel", "call"]))
        if kind == "parallel":
            branches = draw(st.lists(target, min_size=2, max_size=3))
            parallel[name] = {"title": name, "branches": branches, "join": draw(target)}
        elif kind == "decision":
            options = [{"label": f"o{i}", "next": draw(target)} for i in range(2)]
            decisions[name] = {"question": f"{name}?", "options": options}
        else:
            item: dict[str, Any] = {"text": f"v {name}", "record": "text", "id": f"v_{name}"}
            read = draw(st.sampled_from(NAMES))
            step: dict[str, Any] = {
                "title": f"{name} {{v_{read}}}",
                "next": draw(target),
                "items": [item],
            }
            if kind == "call":
                step["call"] = draw(st.sampled_from(["fuzz", "other", "Bad"]))
                step["outcomes"] = {draw(st.sampled_from(["success", "failed", "x"])): draw(target)}
            steps[name] = step
    document: dict[str, Any] = {
        "process": {"title": "Fuzz", "start": draw(st.sampled_from(names))},
        "ends": {
            "done": {"title": "Done", "outcome": "success"},
            "failed": {"title": "Failed", "outcome": "failure"},
        },
    }
    for table, content in (("steps", steps), ("decisions", decisions), ("parallel", parallel)):
        if content:
            document[table] = content
    return document


@SETTINGS
@given(flows())
def test_flows_with_parallel_blocks_load_or_report(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    lines = text.count("\n") + 1
    try:
        definition = parse_definition(text, source="fuzz.toml", default_id="fuzz")
    except DefinitionError as error:
        assert error.problems
        keys = [p.key for p in error.problems]
        assert len(keys) == len(set(zip(keys, (p.message for p in error.problems), strict=True)))
        for problem in error.problems:
            assert problem.message and "{" not in problem.message.replace("{v_", "")
            assert problem.line is None or 1 <= problem.line <= lines
        return
    assert isinstance(definition, ProcessDefinition)
    # a valid flow: every block opens, and a join is entered knowing what each branch recorded
    shapes = block_shapes(definition)
    assert all(shape.opens for shape in shapes.values())
    reachable = reachable_nodes(definition, [definition.start])
    entry = recorded_on_entry(definition)
    assert set(entry) == reachable
    for shape in shapes.values():
        for index, region in enumerate(shape.regions):
            assert shape.block_id not in region
            for other in shape.regions[:index]:
                assert region & other <= definition.ends.keys()


class _Builder:
    """Builds a well-formed flow: segments of steps, loops and nested blocks, drawn at random."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.count = 0
        self.steps: dict[str, Any] = {}
        self.decisions: dict[str, Any] = {}
        self.parallel: dict[str, Any] = {}

    def new_id(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def step(self, exit_to: str, reads: tuple[str, ...] = ()) -> tuple[str, str]:
        """A step going on to ``exit_to``; returns its id and the value id it records."""
        node = self.new_id("s")
        shown = " ".join(f"{{{value}}}" for value in reads)
        item = {"text": f"value of {node}", "record": "text", "id": f"v_{node}"}
        self.steps[node] = {"title": f"{node} {shown}".strip(), "next": exit_to, "items": [item]}
        return node, f"v_{node}"

    def segment(self, exit_to: str, depth: int) -> tuple[str, frozenset[str]]:
        """A segment that ends by going on to ``exit_to``: its first node and the values it
        surely records."""
        kind = self.draw(st.sampled_from(["step", "loop", "block"] if depth < 3 else ["step"]))
        if kind == "step":
            node, value = self.step(exit_to)
            return node, frozenset({value})
        if kind == "loop":
            check = self.new_id("d")
            node, value = self.step(check)
            way_out = self.draw(st.sampled_from(["again", "failed"]))
            options = [{"label": "on", "next": exit_to}, {"label": "again", "next": node}]
            if way_out == "failed":
                options.append({"label": "give up", "next": "failed"})
            self.decisions[check] = {"question": f"{check}?", "options": options}
            return node, frozenset({value})
        block = self.new_id("p")
        join = self.new_id("j")
        count = self.draw(st.integers(min_value=2, max_value=3))
        firsts, recorded = [], frozenset[str]()
        for _ in range(count):
            first, values = self.segment(join, depth + 1)
            firsts.append(first)
            recorded |= values
        # the join shows what every branch recorded: known once all have arrived
        join_node, value = self.step(exit_to, reads=tuple(sorted(recorded)))
        self.steps[join] = self.steps.pop(join_node)
        self.steps[join]["items"][0]["id"] = f"v_{join}"
        self.parallel[block] = {"title": block, "branches": firsts, "join": join}
        return block, recorded | {f"v_{join}"}


@st.composite
def sound_flows(draw: st.DrawFn) -> dict[str, Any]:
    builder = _Builder(draw)
    first, _ = builder.segment("done", 0)
    ends: dict[str, Any] = {"done": {"title": "Done", "outcome": "success"}}
    if any(o["next"] == "failed" for d in builder.decisions.values() for o in d["options"]):
        ends["failed"] = {"title": "Failed", "outcome": "failure"}  # only when led to
    document: dict[str, Any] = {"process": {"title": "Sound", "start": first}, "ends": ends}
    for table in ("steps", "decisions", "parallel"):
        if getattr(builder, table):
            document[table] = getattr(builder, table)
    return document


@SETTINGS
@given(sound_flows())
def test_well_formed_nested_blocks_are_valid(document: dict[str, Any]) -> None:
    text = tomli_w.dumps(document)
    try:
        parse_definition(text, source="sound.toml", default_id="sound")
    except DefinitionError as error:
        raise AssertionError(f"{error}\n{text}") from None
