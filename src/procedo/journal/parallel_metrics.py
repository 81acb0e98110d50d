"""The figures of parallel blocks and calling steps, from the ``visits`` and ``runs`` rows.

- A block pass is one run's branches of one block (their ``visits.branch`` keys end in
  ``BLOCK:n`` under the same outer branch) from one split to its join: a run that loops
  back before the split passes the block again (a branch's visit after it arrived begins
  the next pass). It counts when every branch arrived: its last visit was left for the
  block's join. A branch's duration runs from its first visit's
  ``entered_at`` (the split) to its last visit's ``left_at`` (its arrival, pauses included);
  the last to arrive is the critical path of that pass (a tie goes to the lower number); the
  wait at the join is the last arrival minus the first. A pass a branch ended (the run reached
  an end inside the block) or that is still open does not count.
- A calling step's step time is the median of its completed visits, which span the called
  run; beside it, the called process's own success rate (succeeded / finished runs).

Only rows of processes whose stored definition has a block or a call are read: the visits
of branches through a partial index, one run at a time (memory holds one run's branches and
a duration per pass). Practice runs are left out unless asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from procedo.engine import ms_from_iso
from procedo.journal.store import Journal
from procedo.model import ProcessDefinition
from procedo.model.parallel_figures import (
    BlockFigure,
    BranchFigure,
    CallFigure,
    ParallelFigures,
)

__all__ = ["compute_parallel_figures"]


def compute_parallel_figures(
    journal: Journal,
    process_id: str | None,
    *,
    include_practice: bool = False,
    version: str | None = None,
) -> ParallelFigures:
    """The blocks and calls of one process (None: of every process), maybe one version."""
    scope = _Scope(process_id, version, include_practice)
    blocks: list[BlockFigure] = []
    calls: list[CallFigure] = []
    for pid, definition in _latest_definitions(journal, process_id):
        if definition.parallel:
            blocks += _block_figures(journal, scope, pid, definition)
        for step, called in sorted(definition.calls.items()):
            calls.append(_call_figure(journal, scope, pid, definition, step, called))
    return ParallelFigures(tuple(blocks), tuple(calls))


@dataclass(frozen=True, slots=True)
class _Scope:
    process_id: str | None
    version: str | None
    practice: bool

    def terms(self, alias: str) -> tuple[str, list[Any]]:
        """Extra SQL terms (`` AND ...``) on a table with process_version and practice."""
        sql, params = "", []
        if self.version is not None:
            sql += f" AND {alias}.process_version = ?"
            params.append(self.version)
        if not self.practice:
            sql += f" AND {alias}.practice = 0"
        return sql, params


def _latest_definitions(
    journal: Journal, process_id: str | None
) -> Iterator[tuple[str, ProcessDefinition]]:
    """Each process's newest stored definition that has a block or a call."""
    sql = "SELECT process_id, hash FROM definitions"
    params: tuple[Any, ...] = ()
    if process_id is not None:
        sql += " WHERE process_id = ?"
        params = (process_id,)
    newest: dict[str, str] = {}
    for row in journal.rows(sql + " ORDER BY first_seen, rowid", params):
        newest[str(row["process_id"])] = str(row["hash"])
    for pid in sorted(newest):
        try:
            definition = journal.definition(newest[pid])
        except Exception:  # a damaged definition: verify says so; no figures from it
            continue
        if definition.parallel or definition.calls:
            yield pid, definition


@dataclass(slots=True)
class _Pass:
    """One block pass of one run: each branch number's first entry and last visit."""

    first: dict[int, int] = field(default_factory=dict)
    left: dict[int, int | None] = field(default_factory=dict)
    next_node: dict[int, str | None] = field(default_factory=dict)


@dataclass(slots=True)
class _Tally:
    durations: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    last: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    waits: list[int] = field(default_factory=list)
    runs: int = 0


def _block_figures(
    journal: Journal, scope: _Scope, process_id: str, latest: ProcessDefinition
) -> list[BlockFigure]:
    terms, params = scope.terms("v")
    rows = journal.iter_rows(
        "SELECT v.run_id, v.definition_hash, v.branch, v.entered_at, v.left_at, v.next_node "
        f"FROM visits v WHERE v.process_id = ? AND v.branch IS NOT NULL{terms} "
        "ORDER BY v.run_id, v.visit",
        (process_id, *params),
    )
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for definition, passes in _runs(rows, journal.definition):
        for (_, block), found in passes:
            if block in definition.parallel:
                _count(tallies[block], found, definition, block)
    return [_block(process_id, latest, block, tallies[block]) for block in latest.parallel]


def _runs(
    rows: Iterable[tuple[Any, ...]], definition_of: Callable[[str], ProcessDefinition]
) -> Iterator[tuple[ProcessDefinition, list[tuple[tuple[str, str], _Pass]]]]:
    """Each run's block passes, keyed by (outer branch, block id) in the order they began,
    one run at a time (with the run's definition)."""
    current: str | None = None
    definition: ProcessDefinition | None = None
    passes: list[tuple[tuple[str, str], _Pass]] = []
    latest: dict[tuple[str, str], _Pass] = {}
    for run_id, run_digest, key, entered, left, next_node in rows:
        if run_id != current:
            if definition is not None:
                yield definition, passes
            current, definition = run_id, definition_of(str(run_digest))
            passes, latest = [], {}
        outer, _, last = str(key).rpartition("/")
        block, _, number_text = last.rpartition(":")
        if not number_text.isdigit():
            continue
        number = int(number_text)
        found = latest.get((outer, block))
        parallel = definition.parallel.get(block) if definition is not None else None
        join = parallel.join if parallel is not None else None
        if found is None or (join is not None and found.next_node.get(number) == join):
            # the first visit of the pass, or a branch that goes on after its arrival: the
            # run passes the block again
            found = latest[(outer, block)] = _Pass()
            passes.append(((outer, block), found))
        found.first.setdefault(number, ms_from_iso(entered))
        found.left[number] = ms_from_iso(left) if left else None
        found.next_node[number] = next_node
    if definition is not None:
        yield definition, passes


def _count(tally: _Tally, found: _Pass, definition: ProcessDefinition, block: str) -> None:
    """Add a pass in which every branch arrived at the join."""
    parallel = definition.parallel[block]
    numbers = range(1, len(parallel.branches) + 1)
    arrivals: dict[int, int] = {}
    for number in numbers:
        left = found.left.get(number)
        if left is None or found.next_node.get(number) != parallel.join:
            return
        arrivals[number] = left
    tally.runs += 1
    for number in numbers:
        tally.durations[number].append(arrivals[number] - found.first[number])
    latest = max(arrivals.values())
    tally.last[min(n for n, at in arrivals.items() if at == latest)] += 1
    tally.waits.append(latest - min(arrivals.values()))


def _block(
    process_id: str, definition: ProcessDefinition, block: str, tally: _Tally
) -> BlockFigure:
    parallel = definition.parallel[block]
    branches = tuple(
        BranchFigure(
            number=number,
            node=node,
            title=_title(definition, node),
            median_ms=_median(tally.durations.get(number, [])),
            last=tally.last.get(number, 0),
            last_share=tally.last.get(number, 0) / tally.runs if tally.runs else None,
        )
        for number, node in enumerate(parallel.branches, start=1)
    )
    return BlockFigure(
        process_id=process_id,
        block=block,
        title=parallel.title,
        join=parallel.join,
        join_title=_title(definition, parallel.join),
        runs=tally.runs,
        branches=branches,
        median_wait_ms=_median(tally.waits),
    )


def _call_figure(
    journal: Journal,
    scope: _Scope,
    process_id: str,
    definition: ProcessDefinition,
    step: str,
    called: str,
) -> CallFigure:
    terms, params = scope.terms("v")
    durations = [
        int(value)
        for (value,) in journal.iter_rows(
            "SELECT v.duration_ms FROM visits v WHERE v.process_id = ? AND v.node = ? "
            f"AND v.outcome = 'completed' AND v.duration_ms IS NOT NULL{terms}",
            (process_id, step, *params),
        )
    ]
    child_terms, child_params = scope.terms("p")
    (called_runs,) = next(
        journal.iter_rows(
            "SELECT count(*) FROM runs c JOIN runs p ON p.id = c.parent_run "
            f"WHERE c.parent_run IS NOT NULL AND c.parent_step = ? AND p.process_id = ?"
            f"{child_terms}",
            (step, process_id, *child_params),
        )
    )
    own_terms, own_params = _Scope(called, None, scope.practice).terms("r")
    finished, succeeded = next(
        journal.iter_rows(
            "SELECT count(*), coalesce(sum(r.status = 'completed' AND r.success = 1), 0) "
            f"FROM runs r WHERE r.process_id = ? AND r.status IN ('completed', 'aborted')"
            f"{own_terms}",
            (called, *own_params),
        )
    )
    return CallFigure(
        process_id=process_id,
        step=step,
        title=_title(definition, step),
        called=called,
        called_title=_called_title(journal, called),
        visits=len(durations),
        median_ms=_median(durations),
        called_runs=int(called_runs),
        called_finished=int(finished),
        called_succeeded=int(succeeded),
        called_success_rate=int(succeeded) / int(finished) if finished else None,
    )


def _called_title(journal: Journal, process_id: str) -> str:
    rows = journal.rows(
        "SELECT title FROM definitions WHERE process_id = ? ORDER BY first_seen DESC LIMIT 1",
        (process_id,),
    )
    return str(rows[0]["title"]) if rows else process_id


def _title(definition: ProcessDefinition, node: str) -> str:
    found = definition.node(node)
    return str(getattr(found, "title", None) or getattr(found, "question", None) or node)


def _median(values: list[int]) -> float | None:
    return float(median(values)) if values else None
