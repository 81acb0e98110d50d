"""The SQL of every history and metrics figure: the one definition that procedo and the views share.

:mod:`procedo.journal.metrics` runs these fragments over one scope (bound parameters) and
:mod:`procedo.journal.views` stores them as views over every non-practice run, grouped by
process and version. Ranks of medians and percentiles are in :mod:`order_stats`.

Sources take ``select`` (the grouping columns, with their table alias) and ``where`` (a WHERE
clause on that alias) and give the rows a figure reads; builders take ``keys`` (the grouping
column names) and a source and give one SELECT.
"""

from __future__ import annotations

from collections.abc import Sequence

DONE = "status = 'completed'"

RUN_COUNTS: dict[str, str] = {
    "started": "COUNT(*)",
    "completed": f"COUNT(CASE WHEN {DONE} THEN 1 END)",
    "aborted": "COUNT(CASE WHEN status = 'aborted' THEN 1 END)",
    "unfinished": "COUNT(CASE WHEN status IN ('active', 'paused') THEN 1 END)",
    "succeeded": f"COUNT(CASE WHEN {DONE} AND success = 1 THEN 1 END)",
    "with_target": f"COUNT(CASE WHEN {DONE} AND target_ms IS NOT NULL THEN 1 END)",
    "within_target": f"COUNT(CASE WHEN {DONE} AND duration_ms <= target_ms THEN 1 END)",
}
"""Counts of runs (an aggregate over ``runs``); a sum of counts is the count of the union."""

SUCCESS_RATE = "1.0 * succeeded / NULLIF(completed + aborted, 0)"
"""Runs that ended at a success outcome over the finished runs (completed + aborted)."""
ON_TARGET_SHARE = "1.0 * within_target / NULLIF(with_target, 0)"
"""Completed runs within their target over the completed runs with a target."""

STEP_VISITS = "kind = 'step' AND outcome = 'completed'"
DECISION_VISITS = "kind = 'decision' AND outcome = 'chosen'"
KEPT_VISITS = "outcome IS NULL OR outcome != 'back'"
"""Visits not undone with *back*: the WHERE of the partial index ``visits_moves``, to be
written exactly so (unqualified) in a query that means to use it."""


def run_counts() -> str:
    """The select list of :data:`RUN_COUNTS` (over ``runs``, columns unqualified)."""
    return ", ".join(f"{sql} AS {name}" for name, sql in RUN_COUNTS.items())


def _k(keys: Sequence[str], prefix: str = "") -> str:
    return ", ".join(prefix + k for k in keys)


def node_field(field: str, process: str, node: str, version: str) -> str:
    """A column of ``nodes`` (title, kind, position) in the newest stored definition that has
    the node; ``version`` is an SQL expression: a version, or ``'*'`` for any version."""
    return f"""(
        SELECT t.{field} FROM nodes t JOIN definitions d ON d.hash = t.definition_hash
        WHERE d.process_id = {process} AND t.node = {node}
            AND ({version} = '*' OR d.version = {version})
        ORDER BY d.first_seen DESC, d.hash LIMIT 1
    )"""


def node_title(process: str, node: str, version: str) -> str:
    """The title (or question) of a node, as :func:`node_field`."""
    return node_field("title", process, node, version)


def item_unit(process: str, node: str, text: str) -> str:
    """The unit of a number item in the newest stored definition (any version) that has it."""
    return f"""(
        SELECT i.unit FROM items i JOIN definitions d ON d.hash = i.definition_hash
        WHERE d.process_id = {process} AND i.node = {node} AND i.text = {text}
        ORDER BY d.first_seen DESC, d.hash LIMIT 1
    )"""


def decision_figures(keys: Sequence[str], source: str, labels: str) -> str:
    """Per decision option: how often it was chosen and its share of the decision's choices.

    ``source`` gives ``keys``, node, label, n (n choices of that option);
    ``labels`` gives ``keys``, node, label, pos (every option, so untaken ones show 0).
    """
    k = _k(keys)
    return f"""
    WITH chosen AS (
        SELECT {k}, node, label, SUM(n) AS count FROM ({source}) GROUP BY {k}, node, label
    ),
    labels AS (
        SELECT {k}, node, label, MIN(pos) AS pos FROM (
            SELECT {k}, node, label, pos FROM ({labels})
            UNION ALL SELECT {k}, node, label, 1000000 FROM chosen
        ) GROUP BY {k}, node, label
    )
    SELECT {_k(keys, "l.")}, l.node, l.label, l.pos AS option,
        COALESCE(c.count, 0) AS count,
        1.0 * COALESCE(c.count, 0)
            / NULLIF(SUM(COALESCE(c.count, 0)) OVER (PARTITION BY {_k(keys, "l.")}, l.node), 0)
            AS share
    FROM labels l LEFT JOIN chosen c USING ({k}, node, label)
    """


def na_figures(keys: Sequence[str], source: str) -> str:
    """Per item marked not applicable and reason: how often, with the item's total.

    ``source`` gives ``keys``, node, item, text, reason, n (n marks). One row per (item,
    reason); ``count`` is the item's total and ``reason_rank`` 1 its commonest reason.
    """
    k = _k(keys)
    item = f"PARTITION BY {k}, node, text"
    return f"""
    SELECT {k}, node, MIN(item) OVER ({item}) AS item, text,
        SUM(reason_count) OVER ({item}) AS count, reason, reason_count,
        ROW_NUMBER() OVER ({item} ORDER BY reason_count DESC, reason) AS reason_rank
    FROM (
        SELECT {k}, node, text, MIN(item) AS item, reason, SUM(n) AS reason_count
        FROM ({source}) GROUP BY {k}, node, text, reason
    )
    """


def loop_figures(keys: Sequence[str], source: str) -> str:
    """Per node visited more than once in a run: in how many runs, the most visits, repeats.

    ``source`` gives ``keys``, node, n (one row per run and node it visited n > 1 times).
    """
    k = _k(keys)
    return f"""
    SELECT {k}, node, COUNT(*) AS runs_with_repeats, MAX(n) AS max_visits,
        SUM(n - 1) AS repeats
    FROM ({source}) GROUP BY {k}, node
    """


# -- sources: the rows each figure reads ---------------------------------------------------


def choice_counts(select: str, where: str) -> str:
    """Choices counted per definition and option (alias v), in the order of ``visits_choices``."""
    groups = ", ".join(str(i + 1) for i in range(select.count(",") + 1))
    return (
        f"SELECT {select}, v.node, v.definition_hash, v.choice, COUNT(*) AS n FROM visits v "
        f"{where} AND {DECISION_VISITS} GROUP BY {groups}, v.node, v.definition_hash, v.choice"
    )


def decision_source(select: str, where: str) -> str:
    """Choices counted per definition and option, then labelled (alias v).

    The counts come first so that each (definition, option) pair is looked up once.
    """
    return f"""
    SELECT c.*, o.label FROM ({choice_counts(select, where)}) c JOIN options o
        ON o.definition_hash = c.definition_hash AND o.node = c.node AND o.option = c.choice
    """


def labels_source(select: str, where: str) -> str:
    """Every option of the stored definitions (alias d for definitions)."""
    return (
        f"SELECT {select}, o.node, o.label, o.option AS pos FROM options o "
        f"JOIN definitions d ON d.hash = o.definition_hash {where}"
    )


def na_source(select: str, where: str) -> str:
    """Items marked not applicable, as they stand in each visit, counted (alias m).

    ``select`` starts with ``m.process_id``; the groups follow ``marks_na`` in its order.
    """
    more = "".join(f", {i + 1}" for i in range(1, select.count(",") + 1))
    return (
        f"SELECT {select}, m.node, m.text, m.na_reason AS reason, m.item, COUNT(*) AS n "
        f"FROM marks m {where} AND m.na_reason IS NOT NULL "
        f"GROUP BY m.process_id, m.node, m.text, m.na_reason, m.item, m.practice{more}"
    )


def loop_source(select: str, where: str) -> str:
    """Runs with loops and, per looped node, its visits (alias r)."""
    return (
        f"SELECT {select}, j.key AS node, j.value AS n FROM runs r, json_each(r.repeats) j "
        f"{where} AND r.repeats IS NOT NULL"
    )
