"""The open lines of work of a run inside parallel blocks, as a screen lists them."""

from __future__ import annotations

from dataclasses import dataclass

from procedo.engine.state import ARRIVED, OPEN, RunState
from procedo.model import ProcessDefinition


@dataclass(frozen=True, slots=True)
class BranchView:
    """One branch of an open parallel block: where it is and how far its step has got."""

    key: str
    number: int
    block_title: str
    title: str
    node: str | None
    node_title: str
    role: str | None
    arrived: bool
    done: int
    total: int
    focused: bool


def node_title(definition: ProcessDefinition, node: str) -> str:
    """A node's title (a decision's question)."""
    found = definition.node(node)
    return getattr(found, "title", None) or getattr(found, "question", "") or node


def branch_views(definition: ProcessDefinition, state: RunState) -> list[BranchView]:
    """Every branch of the open blocks (open or waiting at its join), numbered from 1 in the
    order they were opened; empty outside parallel blocks."""
    views: list[BranchView] = []
    for position in state.positions.values():
        if position.block is None or position.status not in (OPEN, ARRIVED):
            continue
        block = definition.parallel[position.block]
        number = int(position.branch.rpartition(":")[2])
        first = block.branches[number - 1]
        visit = state.current_of(position.branch)
        node = visit.node if visit is not None else None
        step = definition.steps.get(node or "")
        done = sum(1 for m in visit.items.values() if m.done) if visit and step else 0
        role_of = definition.steps.get(node or "") or definition.decisions.get(node or "")
        views.append(
            BranchView(
                key=position.branch,
                number=len(views) + 1,
                block_title=block.title,
                title=node_title(definition, first),
                node=node,
                node_title=node_title(definition, node) if node else "at the join",
                role=role_of.role if role_of is not None else None,
                arrived=position.status == ARRIVED,
                done=done,
                total=len(step.items) if step else 0,
                focused=position.branch == state.focus,
            )
        )
    return views
