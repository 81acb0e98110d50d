"""The figures of conditions (issue 10), over the marks and visits of the runs in scope.

- *deviations*: per item with an ``expect``, the marks holding a value (``recorded``) and
  those that missed it (``missed``: explained by a reason or routed by the flow), with the
  commonest missed values;
- *suggestions*: per decision, its choices taken with a basis (its conditions were read),
  how many had a suggestion, followed it (``confirmed``, by the operator), overrode it (with a
  reason) or were taken by the process (``automatic``);
- *inactive*: per item with a ``when``, the visits where it was switched off (counted as
  inactive only: never as done nor as not applicable).

Each is one walk of a partial index of schema 5 (``marks_recorded``, ``visits_bases``,
``marks_inactive``); a journal with no conditions answers from empty index ranges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procedo.journal import figure_sql as sql
from procedo.journal.store import Journal
from procedo.model.figures import ExpectedMiss, InactiveCount, SuggestionCount, ValueCount

if TYPE_CHECKING:
    from procedo.journal.metrics import Scope

TOP_VALUES = 5


def _items_with(journal: Journal, scope: Scope, column: str) -> list[dict[str, Any]]:
    """The items in scope's definitions whose ``column`` is set (the latest text wins)."""
    return journal.rows(
        "SELECT d.process_id, i.node, i.item, "
        f"MAX(d.first_seen || char(31) || i.text) AS text, MAX(i.{column}) AS condition, "
        f"{sql.node_field('position', 'd.process_id', 'i.node', ':version')} AS position "
        "FROM items i JOIN definitions d ON d.hash = i.definition_hash "
        f"{scope.where('d', version='version')} AND i.{column} IS NOT NULL "
        "GROUP BY d.process_id, i.node, i.item ORDER BY d.process_id, position, i.item",
        scope.params,
    )


def _text(row: dict[str, Any]) -> str:
    return str(row["text"]).split("\x1f", 1)[-1]


def deviations(journal: Journal, scope: Scope) -> tuple[ExpectedMiss, ...]:
    """How often each expected value is missed."""
    result = []
    source = (
        f"FROM marks m INDEXED BY marks_recorded {scope.where('m')} AND m.value IS NOT NULL "
        "AND m.process_id = :p AND m.node = :node AND m.item = :item"
    )
    for g in _items_with(journal, scope, "expect"):
        params = {**scope.params, "p": g["process_id"], "node": g["node"], "item": g["item"]}
        counts = journal.rows(
            f"SELECT COUNT(*) AS recorded, COALESCE(SUM(m.deviation), 0) AS missed {source}",
            params,
        )[0]
        if not counts["recorded"]:
            continue
        values = journal.rows(
            f"SELECT m.value, COUNT(*) AS n {source} AND m.deviation = 1 "
            f"GROUP BY m.value ORDER BY n DESC, m.value LIMIT {TOP_VALUES}",
            params,
        )
        recorded, missed = counts["recorded"], counts["missed"]
        result.append(
            ExpectedMiss(
                g["process_id"],
                g["node"],
                g["item"],
                _text(g),
                g["condition"],
                recorded,
                missed,
                missed / recorded,
                tuple(ValueCount(v["value"], v["n"]) for v in values),
            )
        )
    return tuple(result)


def suggestions(journal: Journal, scope: Scope) -> tuple[SuggestionCount, ...]:
    """Per decision: suggestions followed, overridden, and automatic choices."""
    title = sql.node_title("g.process_id", "g.node", ":version")
    position = sql.node_field("position", "g.process_id", "g.node", ":version")
    rows = journal.rows(
        f"SELECT g.*, {title} AS question, {position} AS position FROM ("
        "SELECT v.process_id, v.node, COUNT(*) AS choices, "
        "SUM(v.suggested IS NOT NULL) AS suggested, "
        "SUM(v.chosen_by = 'operator' AND v.suggested = v.choice) AS confirmed, "
        "SUM(v.chosen_by = 'operator' AND v.suggested IS NOT NULL "
        "AND v.suggested != v.choice) AS overridden, "
        "SUM(v.chosen_by = 'process') AS automatic "
        f"FROM visits v INDEXED BY visits_bases {scope.where('v')} "
        "AND v.basis_values IS NOT NULL AND v.outcome = 'chosen' "
        "GROUP BY v.process_id, v.node) g ORDER BY process_id, position, node",
        scope.params,
    )
    return tuple(
        SuggestionCount(
            r["process_id"],
            r["node"],
            r["question"] or r["node"],
            r["choices"],
            r["suggested"],
            r["confirmed"],
            r["overridden"],
            r["automatic"],
        )
        for r in rows
    )


def inactive(journal: Journal, scope: Scope) -> tuple[InactiveCount, ...]:
    """Per item: the visits where it was switched off."""
    held = journal.rows(
        "SELECT m.process_id, m.node, m.item, COUNT(*) AS n "
        f"FROM marks m INDEXED BY marks_inactive {scope.where('m')} AND m.inactive = 1 "
        "GROUP BY m.process_id, m.node, m.item",
        scope.params,
    )
    if not held:
        return ()
    counts = {(r["process_id"], r["node"], r["item"]): r["n"] for r in held}
    result = []
    for g in _items_with(journal, scope, "when_condition"):
        key = (g["process_id"], g["node"], g["item"])
        if key in counts:
            result.append(InactiveCount(*key, _text(g), g["condition"], counts.pop(key)))
    # items switched off whose definitions are out of scope's versions: still counted
    result.extend(InactiveCount(*key, f"item {key[2] + 1}", None, n) for key, n in counts.items())
    return tuple(result)
