"""The figures of a process map as plain data: how often each edge was taken, time per step.

:mod:`procedo.journal.map_figures` computes a :class:`MapFigures` from the journal; the
renderers (Mermaid, DOT, terminal text) draw one and never read the journal themselves. Both
import it from here, the domain, so that neither imports the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

EdgeKey = tuple[str, str, str]
"""``(source node, target node, label)``: the option label at a decision, ``""`` after a step."""


@dataclass(frozen=True, slots=True)
class MapFigures:
    """What the journal says about one process's map (practice runs left out)."""

    runs: int = 0
    """Runs counted."""
    node_visits: Mapping[str, int] = field(default_factory=dict)
    """Node id -> visits (a loop's second visit counts again)."""
    edge_counts: Mapping[EdgeKey, int] = field(default_factory=dict)
    """Edge -> times taken."""
    median_seconds: Mapping[str, float] = field(default_factory=dict)
    """Step id -> median seconds of its completed visits."""
    commonest_path: tuple[str, ...] = ()
    """The node ids of the path most runs took, start to end (empty when no run)."""
    departures: Mapping[str, int] = field(init=False, repr=False, compare=False)
    """Node id -> moves that left it (the sum of its edges' counts), computed once."""
    commonest_moves: frozenset[tuple[str, str]] = field(init=False, repr=False, compare=False)
    """The consecutive ``(source, target)`` pairs of the commonest path, computed once."""
    commonest_nodes: frozenset[str] = field(init=False, repr=False, compare=False)
    """The node ids of the commonest path, computed once."""

    def __post_init__(self) -> None:
        left: dict[str, int] = {}
        for (source, _, _), count in self.edge_counts.items():
            left[source] = left.get(source, 0) + count
        object.__setattr__(self, "departures", left)
        object.__setattr__(self, "commonest_moves", frozenset(pairwise(self.commonest_path)))
        object.__setattr__(self, "commonest_nodes", frozenset(self.commonest_path))

    def edge_share(self, key: EdgeKey) -> float | None:
        """The share of the source node's departures that took this edge (None if never left)."""
        left = self.departures.get(key[0], 0)
        if not left:
            return None
        return self.edge_counts.get(key, 0) / left

    def reached(self, node_id: str) -> bool:
        """Whether any counted run reached the node."""
        return self.node_visits.get(node_id, 0) > 0

    def on_commonest_path(self, source: str, target: str) -> bool:
        """Whether ``source -> target`` is a consecutive pair of the commonest path."""
        return (source, target) in self.commonest_moves
