"""The live board: every active and paused run of the journal, in three indexed reads.

1. the ``runs`` rows of the runs in progress (a range of the index ``runs_status``, so the
   finished runs are never read), with their lease (a primary-key read each);
2. their pause and resume events (a primary-key range of ``events`` per run in progress);
3. the open visit at each one's node (a primary-key range of ``visits`` per run in progress).

Given the rows of the previous read, a refresh first reads which runs are in progress, with
their ``last_seq`` and lease, from the covering index ``runs_board`` (no table row is read),
then 1, 2 and 3 only for the runs with a new event since; the others keep their rows.

All three in one read transaction (:meth:`Journal.snapshot`), so a run written meanwhile never
looks half changed. Node titles and roles come from the stored definitions, parsed once per
definition hash for the life of the process (a hash names one text forever).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from threading import Lock
from typing import Any

from procedo.engine import ms_from_iso
from procedo.journal.lease import Lease, is_live, this_host
from procedo.journal.store import Journal
from procedo.model import ProcessDefinition
from procedo.model.board import BoardRow, Holder, node_role, node_title
from procedo.model.placeholders import fill

UsualAt = Callable[[Journal, str, str], object | None]
"""``usual(journal, process_id, node)``: what past runs took at a node (the figures'
``usual_at``), or None when there is no history."""

SESSION_CHARS = 6
"""How much of a lease token names a session on the board."""

_IN_PROGRESS = "r.status IN ('active', 'paused')"
# CROSS JOIN keeps the runs in progress as the outer loop: with the statistics of ANALYZE on
# a large journal, the planner otherwise scans every event (600 ms at 3 million) with a bloom
# filter on the runs.
_RUN_COLUMNS = (
    "SELECT r.id, r.process_id, r.definition_hash, r.operator, r.status, r.practice, "
    "r.current_node, r.started_at, r.updated_at, r.target_ms, r.inputs, r.parent_run, "
    "r.last_seq, l.token, l.pid, l.host, l.operator, l.acquired_at "
    "FROM runs r LEFT JOIN leases l ON l.run_id = r.id "
)
_RUNS_SQL = f"{_RUN_COLUMNS}WHERE {_IN_PROGRESS}"
_RUNS_OF = f"{_RUN_COLUMNS}WHERE r.id IN ({{}})"
# Only the covering index (status, started_at, id, last_seq) and the leases' primary key.
_IN_PROGRESS_SEQS = (
    "SELECT r.id, r.last_seq, r.started_at, l.token, l.pid, l.host, l.operator, "
    "l.acquired_at FROM runs r INDEXED BY runs_board LEFT JOIN leases l ON l.run_id = r.id "
    f"WHERE {_IN_PROGRESS}"
)
_PAUSES_SQL = (
    "SELECT e.run_id, e.seq, e.ts, e.kind FROM runs r CROSS JOIN events e ON e.run_id = r.id "
    f"WHERE {_IN_PROGRESS} AND e.kind IN ('pause', 'resume')"
)
_VISITS_SQL = (
    "SELECT v.run_id, v.visit, v.entered_at FROM runs r CROSS JOIN visits v "
    f"ON v.run_id = r.id WHERE {_IN_PROGRESS} AND v.node = r.current_node "
    "AND v.left_at IS NULL"
)
_PAUSES_OF = (
    "SELECT run_id, seq, ts, kind FROM events WHERE run_id IN ({}) AND kind IN ('pause', 'resume')"
)
_VISITS_OF = (
    "SELECT v.run_id, v.visit, v.entered_at FROM runs r CROSS JOIN visits v "
    "ON v.run_id = r.id WHERE r.id IN ({}) AND v.node = r.current_node AND v.left_at IS NULL"
)
BOARD_QUERIES = (
    _RUNS_SQL, _PAUSES_SQL, _VISITS_SQL, _IN_PROGRESS_SEQS, _RUNS_OF, _PAUSES_OF, _VISITS_OF
)  # fmt: skip
"""The board's queries (for EXPLAIN QUERY PLAN in the tests and the bench): the first read's
three, then a refresh's (the last three take a list of run ids)."""
_CHUNK = 500
"""Run ids per query of the runs that changed (SQLite allows 32,766 parameters)."""

_DEFINITIONS: dict[str, ProcessDefinition] = {}
_DEFINITIONS_LOCK = Lock()
_KEPT_DEFINITIONS = 64


def board_rows(
    journal: Journal,
    now_ms: int,
    *,
    usual: UsualAt | None = None,
    token: str | None = None,
    previous: Sequence[BoardRow] = (),
) -> list[BoardRow]:
    """Every active and paused run, the most recently started first (a run keeps its place
    while it is worked on: the rows of a live board do not jump about).

    ``now_ms`` is when the rows are read (``BoardRow.read_ms``: the times tick on from the
    moments each row holds); ``usual`` (the figures' ``usual_at``) fills each row's usual
    time at its node, asked once per process and node; ``token`` is the asking window's own
    lease token (its runs say "this window"). A lease whose holder is gone (a dead process on
    this host) is nobody's. ``previous``: the rows of an earlier read; a run with no event
    since keeps its moments (only its lease is read again), so a refresh after one tick
    reads the events and visits of that one run.
    """
    kept = {row.run_id: row for row in previous}
    with journal.snapshot():
        if kept:  # which runs are in progress, from the index alone
            index = [(r[0], r[1], r[2], r[3:8]) for r in journal.iter_rows(_IN_PROGRESS_SEQS)]
        else:
            index = []
        changed = [entry[0] for entry in index if _changed(kept.get(entry[0]), entry[1])]
        if not kept or len(changed) == len(index):
            full = {run[0]: run for run in journal.iter_rows(_RUNS_SQL)}
            index = [(run[0], run[12], run[7], run[13:18]) for run in full.values()]
            pauses = _pauses(journal.iter_rows(_PAUSES_SQL))
            entered = _entered(journal.iter_rows(_VISITS_SQL))
        else:
            full, pauses, entered = {}, {}, {}
            for start in range(0, len(changed), _CHUNK):
                ids = tuple(changed[start : start + _CHUNK])
                marks = ", ".join("?" * len(ids))
                full.update((run[0], run) for run in journal.iter_rows(_RUNS_OF.format(marks), ids))
                pauses.update(_pauses(journal.iter_rows(_PAUSES_OF.format(marks), ids)))
                entered.update(_entered(journal.iter_rows(_VISITS_OF.format(marks), ids)))
    index.sort(key=lambda entry: (entry[2], entry[0]), reverse=True)  # the newest started first
    asked: dict[tuple[str, str], object | None] = {}

    def usual_at(process_id: str, node: str | None) -> object | None:
        if usual is None or node is None:
            return None
        key = (process_id, node)
        if key not in asked:
            asked[key] = usual(journal, *key)
        return asked[key]

    host = this_host()
    rows = []
    for run_id, last_seq, _started, lease in index:
        holder = _holder(run_id, lease, token, host)
        before = kept.get(run_id)
        if before is not None and not _changed(before, last_seq):
            usual_here = usual_at(before.process_id, before.node)
            same = before.holder == holder and before.usual is usual_here
            rows.append(before if same else replace(before, holder=holder, usual=usual_here))
            continue
        run = full.get(run_id)
        if run is None:  # gone between the two reads of one snapshot: cannot happen
            continue
        (_, process_id, digest, operator, status, practice, node, started_at, updated_at,
         target, inputs, parent) = run[:12]  # fmt: skip
        definition = _definition(journal, digest)
        node_at = entered.get(run_id)
        intervals = pauses.get(run_id, [])
        closed = [(start, end) for start, end in intervals if end is not None]
        open_pause = next((start for start, end in intervals if end is None), None)
        rows.append(
            BoardRow(
                run_id=run_id,
                process_id=process_id,
                process_title=definition.title if definition else process_id,
                operator=operator,
                status=status,
                practice=bool(practice),
                node=node,
                node_title=_title(definition, node, inputs),
                role=node_role(definition, node) if definition and node else "",
                started_ms=ms_from_iso(started_at),
                paused_ms=sum(end - start for start, end in closed),
                pause_started_ms=open_pause if status == "paused" else None,
                node_entered_ms=node_at,
                node_paused_ms=_overlap(closed, node_at),
                target_ms=target,
                last_activity=updated_at,
                holder=holder,
                parent_run=parent,
                usual=usual_at(process_id, node),
                read_ms=now_ms,
                last_seq=last_seq,
            )
        )
    return rows


def _changed(before: BoardRow | None, last_seq: int) -> bool:
    return before is None or before.last_seq != last_seq


def _entered(visits: Iterable[tuple[str, int, str]]) -> dict[str, int]:
    """When each run arrived at its node: its open visit there (the last one, in a
    parallel block where two branches stand at the same node)."""
    found: dict[str, tuple[int, str]] = {}
    for run_id, visit, at in visits:
        if run_id not in found or visit > found[run_id][0]:
            found[run_id] = (visit, at)
    return {run_id: ms_from_iso(at) for run_id, (_, at) in found.items()}


def _pauses(
    events: Iterable[tuple[str, int, str, str]],
) -> dict[str, list[tuple[int, int | None]]]:
    """Each run's pauses as (start, end) in ms, end None for the pause going on (the events
    in any order: put in each run's order here)."""
    result: dict[str, list[tuple[int, int | None]]] = {}
    for run_id, _seq, ts, kind in sorted(events):
        spans = result.setdefault(run_id, [])
        at = ms_from_iso(ts)
        if kind == "pause":
            spans.append((at, None))
        elif spans and spans[-1][1] is None:  # a resume closes the pause going on
            start = spans[-1][0]
            spans[-1] = (start, max(start, at))
    return result


def _overlap(closed: list[tuple[int, int]], since: int | None) -> int:
    """How much of the closed pauses falls after ``since``."""
    if since is None:
        return 0
    return sum(max(0, end - max(start, since)) for start, end in closed)


def _holder(run_id: str, lease_row: tuple[Any, ...], token: str | None, host: str) -> Holder | None:
    """The live holder of a run's lease (``lease_row``: token, pid, host, operator and
    acquired_at, all None when it has none; None: no lease, or its holder is gone)."""
    if lease_row[0] is None:
        return None
    lease = Lease(run_id, *lease_row)
    here = token is not None and lease.token == token
    if not here and not is_live(lease, token or ""):
        return None
    return Holder(
        host=lease.host,
        pid=lease.pid,
        session=lease.token[:SESSION_CHARS],
        operator=lease.operator,
        since=lease.acquired_at,
        here=here,
    )


def _title(definition: ProcessDefinition | None, node: str | None, inputs: str | None) -> str:
    """The node's title with the run's start inputs filled in (recorded values are not read:
    a placeholder for one stays marked as missing)."""
    if node is None:
        return ""
    if definition is None:
        return node
    title = node_title(definition, node)
    if "{" not in title:
        return title
    values: dict[str, str] = {}
    if inputs:
        try:
            loaded = json.loads(inputs)
        except ValueError:
            loaded = {}
        if isinstance(loaded, dict):
            values = {str(k): str(v) for k, v in loaded.items()}
    return fill(title, values)


def _definition(journal: Journal, digest: str) -> ProcessDefinition | None:
    """The stored definition with that hash, parsed once per process (None when it no longer
    loads: the run is shown by its ids, and ``procedo verify`` says what is wrong)."""
    found = _DEFINITIONS.get(digest)
    if found is not None:
        return found
    from procedo.journal.errors import SchemaError

    try:
        found = journal.definition(digest)
    except SchemaError:
        return None
    with _DEFINITIONS_LOCK:
        if len(_DEFINITIONS) >= _KEPT_DEFINITIONS:
            _DEFINITIONS.clear()
        _DEFINITIONS[digest] = found
    return found


__all__ = ["BOARD_QUERIES", "SESSION_CHARS", "UsualAt", "board_rows"]
