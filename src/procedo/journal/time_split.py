"""Where the time goes (issue 13): the time split of a scope, per node, role and operator.

Scope as in :mod:`procedo.journal.metrics` (one process or all, maybe one version, practice runs
left out unless asked for). Every left visit of a step or a decision counts, in any run (a visit
undone with *back* took its time too); an open visit does not yet. The parts, disjoint:

- *working*: a step visit's active time (``duration_ms``: pauses and interrupts left out);
- *deciding*: a decision visit's active time, from arriving at it to choosing;
- *hand-over*: from a ``handover`` event to the run's next event, at the visit open then (the
  step or decision entered last before it; only when that visit is left and the next event
  came before it was left), taken out of the visit's working or deciding time;
- *paused*: the visit's ``paused_ms`` less its ``interrupted_ms``;
- *interrupted*: the visit's ``interrupted_ms`` (time in interrupts opened over it; inside a
  parallel block an interrupt holds up every open branch, so each of their visits counts it).

*Per role*: the node's role in the run's own definition (key "" when it has none; the title is
the role's name in the definitions). *Per operator*: who held the run when the visit began (the
last ``start``, ``handover`` or ``takeover`` event at or before it: the starter, the new
operator, the one who took the run over).

The sums are SQL aggregates over ``visits`` (schema 8's ``paused_ms`` and ``interrupted_ms``):
per process, node and definition, a grouped walk of the partial index ``visits_split``; per
operator the same walk with one probe of ``events_holders`` per visit; the hand-overs walk
``events_holders`` first, then each one's visit. Only the grouping into roles (a node's role in
its definition) and the titles read the stored definitions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from procedo.engine.state import node_role
from procedo.journal.errors import SchemaError
from procedo.journal.schema_v8 import OPERATOR_EVENTS, SPLIT_VISITS
from procedo.journal.store import Journal
from procedo.model import ProcessDefinition
from procedo.model.clock_figures import TimeSplit, TimeSplits

if TYPE_CHECKING:
    from procedo.journal.metrics import Scope

__all__ = ["TimeSplit", "TimeSplits", "time_split"]

_HOLDER = f"""(
    SELECT CASE e.kind WHEN 'handover' THEN e.value ELSE e.actor END
    FROM events e INDEXED BY events_holders
    WHERE e.run_id = v.run_id AND e.ts <= v.entered_at AND e.{OPERATOR_EVENTS}
    ORDER BY e.ts DESC, e.seq DESC LIMIT 1
)"""
"""Who held the run (alias v for its visit) when the visit began."""

_FLOW = "v.kind IN ('step', 'decision') AND v.duration_ms IS NOT NULL"


@dataclass(slots=True)
class _Sum:
    visits: int = 0
    working: int = 0
    deciding: int = 0
    handover: int = 0
    paused: int = 0
    interrupted: int = 0

    def add(self, other: _Sum) -> None:
        self.visits += other.visits
        self.working += other.working
        self.deciding += other.deciding
        self.handover += other.handover
        self.paused += other.paused
        self.interrupted += other.interrupted

    def split(self, key: str, title: str, process_id: str | None = None) -> TimeSplit:
        return TimeSplit(
            key,
            title,
            self.visits,
            max(0, self.working),
            max(0, self.deciding),
            self.handover,
            max(0, self.paused),
            self.interrupted,
            process_id,
        )


_SUMS = """COUNT(*) AS visits,
    SUM(CASE WHEN kind = 'step' THEN duration_ms ELSE 0 END) AS working,
    SUM(CASE WHEN kind = 'decision' THEN duration_ms ELSE 0 END) AS deciding,
    SUM(paused_ms - interrupted_ms) AS paused, SUM(interrupted_ms) AS interrupted"""

NodeKey = tuple[str, str, str]
"""(process_id, definition_hash, node)"""


def time_split(journal: Journal, scope: Scope) -> TimeSplits:
    """The time split of ``scope``: in all, per node (most time first), per role, per operator."""
    by_node, by_holder = _node_groups(journal, scope), _holder_groups(journal, scope)
    for key, holder, kind, gap in _handovers(journal, scope):
        for group in (by_node.setdefault(key, _Sum()), by_holder.setdefault(holder, _Sum())):
            group.handover += gap
            if kind == "step":
                group.working -= gap
            else:
                group.deciding -= gap
    definitions = _definitions(journal, {k[1] for k in by_node})
    total, nodes, roles = _Sum(), {}, {}
    role_titles: dict[str, str] = {}
    for (process_id, digest, node), group in by_node.items():
        definition = definitions.get(digest)
        role = (node_role(definition, node) if definition else None) or ""
        if role and definition is not None:
            role_titles[role] = definition.roles.get(role, role)
        total.add(group)
        nodes.setdefault((process_id, node), _Sum()).add(group)
        roles.setdefault(role, _Sum()).add(group)
    titles = _titles(journal, scope, definitions)
    return TimeSplits(
        total=total.split("", "all", scope.process_id),
        nodes=_ranked(
            s.split(node, titles.get((p, node), node), p) for (p, node), s in nodes.items()
        ),
        roles=_ranked(
            s.split(role, role_titles.get(role, role) or "(no role)") for role, s in roles.items()
        ),
        operators=_ranked(s.split(name, name) for name, s in by_holder.items()),
    )


def _ranked(splits: Iterable[TimeSplit]) -> tuple[TimeSplit, ...]:
    return tuple(sorted(splits, key=lambda s: (-s.total_ms, s.process_id or "", s.key)))


def _sum(row: dict[str, int]) -> _Sum:
    return _Sum(
        row["visits"], row["working"], row["deciding"], 0, row["paused"], row["interrupted"]
    )


def _node_groups(journal: Journal, scope: Scope) -> dict[NodeKey, _Sum]:
    """The sums per node and definition: one walk of ``visits_split``, its groups in order."""
    rows = journal.rows(
        f"SELECT process_id, node, definition_hash, {_SUMS} "
        f"FROM visits v INDEXED BY visits_split {scope.where('v')} AND {SPLIT_VISITS} "
        "GROUP BY process_id, node, definition_hash",
        scope.params,
    )
    return {(r["process_id"], r["definition_hash"], r["node"]): _sum(r) for r in rows}


def _holder_groups(journal: Journal, scope: Scope) -> dict[str, _Sum]:
    """The sums per operator holding the run: a walk of ``visits_split`` with, per visit, a
    probe of ``events_holders`` (whose last entry before the visit names the holder)."""
    rows = journal.rows(
        f"SELECT holder, {_SUMS} FROM ("
        f"SELECT v.kind, v.duration_ms, v.paused_ms, v.interrupted_ms, {_HOLDER} AS holder "
        f"FROM visits v INDEXED BY visits_split {scope.where('v')} AND {SPLIT_VISITS}"
        ") GROUP BY holder",
        scope.params,
    )
    return {r["holder"] or "": _sum(r) for r in rows}


def _handovers(journal: Journal, scope: Scope) -> list[tuple[NodeKey, str, str, int]]:
    """Each counted hand-over's wait, summed: (node key, holder, the visit's kind, ms). The
    hand-overs are read first (a walk of ``events_holders``), then each one's visit."""
    rows = journal.rows(
        f"""
        WITH h AS MATERIALIZED (
            SELECT h.run_id, h.ts,
                (SELECT n.ts FROM events n WHERE n.run_id = h.run_id AND n.seq > h.seq
                 ORDER BY n.seq LIMIT 1) AS next_ts,
                (SELECT w.visit FROM visits w WHERE w.run_id = h.run_id
                 AND w.kind IN ('step', 'decision') AND w.entered_at <= h.ts
                 ORDER BY w.visit DESC LIMIT 1) AS visit
            FROM events h INDEXED BY events_holders
            WHERE h.{OPERATOR_EVENTS} AND h.kind = 'handover'
        ),
        g AS MATERIALIZED (
            SELECT v.run_id, v.entered_at, v.process_id, v.definition_hash, v.node, v.kind,
                CAST(round((julianday(h.next_ts) - julianday(h.ts)) * 86400000) AS INTEGER)
                    AS gap
            FROM h JOIN visits v ON v.run_id = h.run_id AND v.visit = h.visit
            {scope.where("v")} AND {_FLOW} AND h.next_ts IS NOT NULL AND h.next_ts <= v.left_at
        )
        SELECT v.process_id, v.definition_hash, v.node, v.kind, {_HOLDER} AS holder,
            SUM(v.gap) AS gap
        FROM g v GROUP BY v.process_id, v.definition_hash, v.node, v.kind, holder
        """,
        scope.params,
    )
    return [
        (
            (r["process_id"], r["definition_hash"], r["node"]),
            r["holder"] or "",
            r["kind"],
            int(r["gap"] or 0),
        )
        for r in rows
    ]


def _definitions(journal: Journal, digests: Iterable[str]) -> dict[str, ProcessDefinition]:
    found = {}
    for digest in digests:
        try:
            found[digest] = journal.definition(digest)
        except SchemaError:
            continue  # a lost or damaged definition: `procedo verify` reports it
    return found


def _titles(
    journal: Journal, scope: Scope, definitions: dict[str, ProcessDefinition]
) -> dict[tuple[str, str], str]:
    """Each (process, node)'s title in the newest stored definition of the scope that has it."""
    rows = journal.rows(
        f"SELECT hash FROM definitions d {scope.where('d', version='version')} "
        "ORDER BY d.first_seen, d.hash",
        scope.params,
    )
    titles: dict[tuple[str, str], str] = {}
    for row in rows:  # oldest first: a newer definition's title wins
        definition = definitions.get(row["hash"])
        if definition is None:
            continue
        for node, step in definition.steps.items():
            titles[(definition.id, node)] = step.title
        for node, decision in definition.decisions.items():
            titles[(definition.id, node)] = decision.question
    return titles
