"""When a run should be done (issue 13): a pure function of the definition, the run's state, the
usual time of each node (:func:`procedo.journal.step_figures.usual_all`), the branch shares of
the map figures (:func:`procedo.journal.map_figures.map_figures`) and the time ``now_ms``.

No SQL and no clock: the caller reads the figures once per process (the run screen in a worker)
and asks again as often as it redraws.

The most likely path from the node in focus: after a step its ``next`` (a calling step's
``success`` outcome, else its first); at a decision the option taken most often in past runs
(the map's edge counts; a tie, or no count, goes to the default option, then the first in the
definition); a parallel block counts its slowest branch (each branch followed to the join),
then goes on from the join. The walk stops at an end, or when it comes back to a node already
counted (a loop is counted once). The node in focus counts its usual time less the active time
its visit has already taken (never below 0). Inside a parallel block only the branch in focus is
followed (to the join, and on): the other open branches' remaining time is not counted.
"""

from __future__ import annotations

from collections.abc import Mapping

from procedo.engine import RunState
from procedo.engine.targets import target_ms
from procedo.model import ProcessDefinition
from procedo.model.clock_figures import FinishEstimate, StepUsual
from procedo.model.figures import MapFigures

__all__ = ["FinishEstimate", "estimate_finish", "likely_path"]


def estimate_finish(
    definition: ProcessDefinition,
    state: RunState,
    usual: Mapping[str, StepUsual],
    shares: MapFigures | None,
    now_ms: int,
) -> FinishEstimate | None:
    """The run's estimated active total and finish time, with its target for comparison.

    None when there is no history (``usual`` empty), the run is finished, or it is at no node.
    """
    if not usual or state.finished:
        return None
    visit = state.current
    if visit is None and state.position.path:
        visit = state.visits[state.position.path[-1]]  # waiting at a hand-over point
    if visit is None:
        return None
    spent = now_ms - visit.entered_ms - visit.paused_ms
    if state.pause_started_ms is not None:
        spent -= max(0, now_ms - state.pause_started_ms)
    path = likely_path(definition, visit.node, shares)
    remaining, unknown = _remaining(definition, path, usual, shares)
    current = usual.get(visit.node)
    if current is not None:  # the node in focus: only what its usual time has left
        remaining -= min(round(current.median_ms), max(0, spent))
    elapsed = state.active_ms(now_ms)
    return FinishEstimate(
        elapsed_ms=elapsed,
        remaining_ms=remaining,
        total_ms=elapsed + remaining,
        finish_ms=now_ms + remaining,
        target_ms=target_ms(definition),
        path=tuple(path),
        unknown=tuple(unknown),
    )


def likely_path(definition: ProcessDefinition, node: str, shares: MapFigures | None) -> list[str]:
    """The nodes of the most likely path from ``node`` to an end (``node`` first, the end
    last), a parallel block's branches left out (see :func:`estimate_finish`)."""
    path: list[str] = []
    current: str | None = node
    while current is not None and current not in path:
        path.append(current)
        current = _next(definition, current, shares)
    return path


def _next(definition: ProcessDefinition, node: str, shares: MapFigures | None) -> str | None:
    kind = definition.kind_of(node)
    if kind == "step":
        step = definition.steps[node]
        if step.next is not None:
            return step.next
        outcomes = step.outcomes
        return outcomes.get("success") or next(iter(outcomes.values()), None)
    if kind == "decision":
        options = definition.decisions[node].options
        counts = shares.edge_counts if shares is not None else {}
        ranked = sorted(
            range(len(options)),
            key=lambda i: (
                -counts.get((node, options[i].next, options[i].label), 0),
                not options[i].default,
                i,
            ),
        )
        return options[ranked[0]].next
    if kind == "parallel":
        return definition.parallel[node].join
    return None  # an end


def _remaining(
    definition: ProcessDefinition,
    path: list[str],
    usual: Mapping[str, StepUsual],
    shares: MapFigures | None,
) -> tuple[int, list[str]]:
    """The usual time of the nodes of ``path`` (a parallel block: its slowest branch), and the
    nodes with no figure (ends and parallel blocks need none)."""
    total, unknown = 0, []
    for node in path:
        kind = definition.kind_of(node)
        if kind == "parallel":
            block = definition.parallel[node]
            branches = [
                _remaining(
                    definition, _branch(definition, start, block.join, shares), usual, shares
                )
                for start in block.branches
            ]
            total += max(b[0] for b in branches)
            unknown.extend(n for b in branches for n in b[1])
        elif kind != "end":
            figure = usual.get(node)
            if figure is None:
                unknown.append(node)
            else:
                total += round(figure.median_ms)
    return total, unknown


def _branch(
    definition: ProcessDefinition, start: str, join: str, shares: MapFigures | None
) -> list[str]:
    path: list[str] = []
    current: str | None = start
    while current is not None and current != join and current not in path:
        path.append(current)
        current = _next(definition, current, shares)
    return path
