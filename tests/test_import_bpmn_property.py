"""Generated block-structured BPMN (sequences, exclusive and parallel splits, loops, nested)
imports to a process that loads and has one step per task, one parallel block per parallel
split and one decision per exclusive split or loop."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedo.importers.bpmn import import_bpmn
from procedo.model import parse_definition

Block = tuple  # ("task", name) | ("seq", [blocks]) | ("xor"|"and", [blocks]) | ("loop", block)

NAMES = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")


def blocks() -> st.SearchStrategy[Block]:
    task = st.builds(lambda n: ("task", n), NAMES)
    return st.recursive(
        task,
        lambda inner: st.one_of(
            st.builds(lambda bs: ("seq", bs), st.lists(inner, min_size=2, max_size=3)),
            st.builds(lambda bs: ("xor", bs), st.lists(inner, min_size=2, max_size=3)),
            st.builds(lambda bs: ("and", bs), st.lists(inner, min_size=2, max_size=3)),
            st.builds(lambda b: ("loop", b), inner),
        ),
        max_leaves=12,
    )


@dataclass
class Writer:
    """Writes a block tree as BPMN elements and flows; counts what it wrote."""

    lines: list[str] = field(default_factory=list)
    count: int = 0
    tasks: list[str] = field(default_factory=list)
    splits: dict[str, int] = field(default_factory=lambda: {"xor": 0, "and": 0, "loop": 0})

    def fresh(self, kind: str) -> str:
        self.count += 1
        return f"{kind}{self.count}"

    def element(self, tag: str, key: str, name: str = "") -> None:
        escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        self.lines.append(f'<{tag} id="{key}" name="{escaped}"/>')

    def flow(self, source: str, target: str, name: str = "") -> None:
        key = self.fresh("f")
        self.lines.append(f'<sequenceFlow id="{key}" name="{name}" sourceRef="{source}" '
                          f'targetRef="{target}"/>')  # fmt: skip

    def write(self, block: Block) -> tuple[str, str]:
        """The (entry, exit) element ids of the block."""
        kind = block[0]
        if kind == "task":
            key = self.fresh("t")
            self.element("task", key, block[1])
            self.tasks.append(block[1])
            return key, key
        if kind == "seq":
            parts = [self.write(b) for b in block[1]]
            for (_, out), (into, _) in itertools.pairwise(parts):
                self.flow(out, into)
            return parts[0][0], parts[-1][1]
        if kind == "loop":
            self.splits["loop"] += 1
            merge, check = self.fresh("g"), self.fresh("g")
            self.element("exclusiveGateway", merge)
            self.element("exclusiveGateway", check, "Again?")
            into, out = self.write(block[1])
            self.flow(merge, into)
            self.flow(out, check)
            self.flow(check, merge, "Yes")
            after = self.fresh("g")
            self.element("exclusiveGateway", after)
            self.flow(check, after, "No")
            return merge, after
        self.splits[kind] += 1
        tag = "exclusiveGateway" if kind == "xor" else "parallelGateway"
        split, join = self.fresh("g"), self.fresh("g")
        self.element(tag, split, "Split")
        self.element(tag, join)
        for number, inner in enumerate(block[1]):
            into, out = self.write(inner)
            self.flow(split, into, f"Way {number}")
            self.flow(out, join)
        return split, join


def document(block: Block) -> tuple[str, Writer]:
    writer = Writer()
    into, out = writer.write(block)
    writer.element("startEvent", "start")
    writer.element("endEvent", "end", "Finished")
    writer.flow("start", into)
    writer.flow(out, "end")
    body = "\n".join(writer.lines)
    return (
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">\n'
        f'<process id="generated" name="Generated">\n{body}\n</process>\n</definitions>\n'
    ), writer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks())
def test_generated_block_structures_import_to_what_they_mean(block: Block) -> None:
    text, writer = document(block)
    [result] = import_bpmn(text)
    definition = parse_definition(result.toml, default_id=result.process_id)
    # the steps inserted as join nodes (a join followed by no step) are named "<gateway>-joined"
    tasks = [s for key, s in definition.steps.items() if not key.endswith("-joined")]
    # a name's runs of white space are one space; a brace is a brace (written doubled)
    assert sorted(s.title for s in tasks) == sorted(
        " ".join(t.split()).replace("{", "{{").replace("}", "}}") for t in writer.tasks
    )
    assert len(definition.parallel) == writer.splits["and"]
    assert len(definition.decisions) == writer.splits["xor"] + writer.splits["loop"]
    assert list(definition.ends) == ["end"]
    for block_id, parallel in definition.parallel.items():
        assert len(parallel.branches) >= 2
        assert definition.joins[parallel.join] == block_id
