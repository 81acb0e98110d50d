"""The SQL of history and metrics figures, shared by the stored views and :mod:`metrics`.

Each builder takes ``keys`` (the grouping columns) and ``source`` (a SELECT giving those keys
and the columns the figure needs) and returns one SELECT. The views of schema 2 are these
builders over every non-practice run, grouped by process and version (``'*'`` stands for all
versions, and for all processes in ``process_metrics``); :mod:`metrics` runs the same builders
over one scope. Percentiles: the median is the middle value (the mean of the two middle values
for an even count); the 90th percentile is nearest-rank (the value at rank ceil(0.9 n)).

The views are stored by migration 2: a change to a builder needs a migration that recreates
them, or the views and procedo would disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


def _k(keys: Sequence[str], prefix: str = "") -> str:
    return ", ".join(prefix + k for k in keys)


def median(value: str, rn: str = "rn", n: str = "n") -> str:
    """The median of ``value`` over rows ranked ``rn`` of ``n`` (ascending)."""
    return f"AVG(CASE WHEN {rn} IN (({n} + 1) / 2, ({n} + 2) / 2) THEN {value} END)"


def p90(value: str, rn: str = "rn", n: str = "n") -> str:
    """The nearest-rank 90th percentile: the value at rank ceil(0.9 n)."""
    return f"MAX(CASE WHEN {rn} = (9 * {n} + 9) / 10 THEN {value} END)"


OUTCOME = (
    "CASE WHEN status = 'completed' THEN CASE success WHEN 1 THEN 'success' ELSE 'failure' END END"
)
ON_TARGET = (
    "CASE WHEN status = 'completed' AND target_ms IS NOT NULL THEN duration_ms <= target_ms END"
)


def run_figures(keys: Sequence[str], source: str) -> str:
    """Counts, success rate, median/p90 duration and on-target share of runs.

    ``source`` gives ``keys``, status, success, duration_ms, target_ms.
    """
    k = _k(keys)
    done = "status = 'completed'"
    return f"""
    WITH ranked AS (
        SELECT *,
            ROW_NUMBER() OVER (PARTITION BY {k}, {done} ORDER BY duration_ms) AS rn,
            SUM({done}) OVER (PARTITION BY {k}) AS n
        FROM ({source})
    )
    SELECT {k},
        COUNT(*) AS started,
        SUM({done}) AS completed,
        SUM(status = 'aborted') AS aborted,
        SUM(status IN ('active', 'paused')) AS unfinished,
        SUM({done} AND success = 1) AS succeeded,
        1.0 * SUM({done} AND success = 1)
            / NULLIF(SUM(status IN ('completed', 'aborted')), 0) AS success_rate,
        {median(f"CASE WHEN {done} THEN duration_ms END")} AS median_ms,
        {p90(f"CASE WHEN {done} THEN duration_ms END")} AS p90_ms,
        SUM({done} AND target_ms IS NOT NULL) AS with_target,
        SUM({done} AND duration_ms <= target_ms) AS within_target,
        1.0 * SUM({done} AND duration_ms <= target_ms)
            / NULLIF(SUM({done} AND target_ms IS NOT NULL), 0) AS on_target_share
    FROM ranked
    GROUP BY {k}
    """


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


def step_figures(keys: Sequence[str], source: str) -> str:
    """Per step: completed visits and their median, min and max duration.

    ``source`` gives ``keys``, node, duration_ms (one row per completed step visit).
    """
    k = _k(keys)
    return f"""
    WITH ranked AS (
        SELECT *,
            ROW_NUMBER() OVER (PARTITION BY {k}, node ORDER BY duration_ms) AS rn,
            COUNT(*) OVER (PARTITION BY {k}, node) AS n
        FROM ({source})
    )
    SELECT {k}, node, COUNT(*) AS visits, {median("duration_ms")} AS median_ms,
        MIN(duration_ms) AS min_ms, MAX(duration_ms) AS max_ms
    FROM ranked
    GROUP BY {k}, node
    """


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

    ``source`` gives ``keys``, node, item, text, reason. One row per (item, reason);
    ``count`` is the item's total and ``reason_rank`` 1 its commonest reason.
    """
    k = _k(keys)
    item = f"PARTITION BY {k}, node, text"
    return f"""
    SELECT {k}, node, MIN(item) OVER ({item}) AS item, text,
        SUM(reason_count) OVER ({item}) AS count, reason, reason_count,
        ROW_NUMBER() OVER ({item} ORDER BY reason_count DESC, reason) AS reason_rank
    FROM (
        SELECT {k}, node, text, MIN(item) AS item, reason, COUNT(*) AS reason_count
        FROM ({source}) GROUP BY {k}, node, text, reason
    )
    """


def number_figures(keys: Sequence[str], source: str) -> str:
    """Per number item: count, median, min and max of the values recorded, and the unit.

    ``source`` gives ``keys`` (with process_id), node, item, text, v (the value as REAL).
    The unit is the item's in the newest stored definition that has it.
    """
    k = _k(keys)
    return f"""
    WITH ranked AS (
        SELECT *,
            ROW_NUMBER() OVER (PARTITION BY {k}, node, text ORDER BY v) AS rn,
            COUNT(*) OVER (PARTITION BY {k}, node, text) AS n
        FROM ({source})
    )
    SELECT g.*, (
        SELECT i.unit FROM items i JOIN definitions d ON d.hash = i.definition_hash
        WHERE d.process_id = g.process_id AND i.node = g.node AND i.text = g.text
        ORDER BY d.first_seen DESC, d.hash LIMIT 1
    ) AS unit
    FROM (
        SELECT {k}, node, MIN(item) AS item, text, COUNT(*) AS count,
            {median("v")} AS median, MIN(v) AS min, MAX(v) AS max
        FROM ranked
        GROUP BY {k}, node, text
    ) g
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


def count_figures(keys: Sequence[str], source: str, column: str) -> str:
    """Runs per value of ``column`` (``source`` gives ``keys`` and ``column``)."""
    k = _k(keys)
    return f"SELECT {k}, {column}, COUNT(*) AS runs FROM ({source}) GROUP BY {k}, {column}"


# -- sources: the rows each figure reads ---------------------------------------------------

STEP_VISITS = "kind = 'step' AND outcome = 'completed'"
KEPT_VISITS = "outcome IS NULL OR outcome != 'back'"
"""Visits not undone with *back*: the WHERE of the partial index ``visits_moves``, to be
written exactly so (unqualified) in a query that means to use it."""
DECISION_VISITS = "kind = 'decision' AND outcome = 'chosen'"


def runs_source(select: str, where: str) -> str:
    """Rows of ``runs`` (alias r)."""
    return f"SELECT {select}, r.status, r.success, r.duration_ms, r.target_ms FROM runs r {where}"


def step_source(select: str, where: str) -> str:
    """Completed step visits (alias v)."""
    return f"SELECT {select}, v.node, v.duration_ms FROM visits v {where} AND {STEP_VISITS}"


def decision_source(select: str, where: str) -> str:
    """Choices counted per definition and option, then labelled (alias v).

    The counts come first so that each (definition, option) pair is looked up once.
    """
    groups = ", ".join(str(i + 1) for i in range(select.count(",") + 1))
    return f"""
    SELECT c.*, o.label FROM (
        SELECT {select}, v.node, v.definition_hash, v.choice, COUNT(*) AS n FROM visits v
        {where} AND {DECISION_VISITS} GROUP BY {groups}, v.node, v.definition_hash, v.choice
    ) c JOIN options o
        ON o.definition_hash = c.definition_hash AND o.node = c.node AND o.option = c.choice
    """


def labels_source(select: str, where: str) -> str:
    """Every option of the stored definitions (alias d for definitions)."""
    return (
        f"SELECT {select}, o.node, o.label, o.option AS pos FROM options o "
        f"JOIN definitions d ON d.hash = o.definition_hash {where}"
    )


def na_source(select: str, where: str) -> str:
    """Items marked not applicable, as they stand in each visit (alias m)."""
    return (
        f"SELECT {select}, m.node, m.item, m.text, m.na_reason AS reason "
        f"FROM marks m {where} AND m.na_reason IS NOT NULL"
    )


def number_source(select: str, where: str) -> str:
    """Values recorded for number items, as they stand in each visit (alias m)."""
    return (
        f"SELECT {select}, m.node, m.item, m.text, m.number AS v "
        f"FROM marks m {where} AND m.number IS NOT NULL"
    )


def loop_source(select: str, where: str) -> str:
    """Runs with loops and, per looped node, its visits (alias r)."""
    return (
        f"SELECT {select}, j.key AS node, j.value AS n FROM runs r, json_each(r.repeats) j "
        f"{where} AND r.repeats IS NOT NULL"
    )


# -- the stored views -----------------------------------------------------------------------


def _by_version(make: Callable[[str, str], str], alias: str) -> str:
    """``make(select, where)`` twice: per version, and with ``'*'`` for all versions."""
    where = f"WHERE {alias}.practice = 0"
    per_version = make(f"{alias}.process_id, {alias}.process_version AS version", where)
    every = make(f"{alias}.process_id, '*' AS version", where)
    return f"{per_version} UNION ALL {every}"


_KEYS = ("process_id", "version")
_TITLE = node_title("g.process_id", "g.node", "g.version")

RUN_SUMMARY = """
CREATE VIEW run_summary AS
SELECT r.id AS run_id, r.process_id, d.title AS process_title, r.process_version AS version,
    r.definition_hash, r.started_at, r.ended_at, r.operator, r.operators, r.trigger,
    r.practice, r.status,
    CASE WHEN r.status = 'completed' THEN CASE r.success WHEN 1 THEN 'success'
        ELSE 'failure' END END AS outcome,
    r.end_node, r.duration_ms, r.target_ms,
    CASE WHEN r.status = 'completed' AND r.target_ms IS NOT NULL
        THEN r.duration_ms <= r.target_ms END AS on_target,
    r.current_node, r.abort_reason
FROM runs r LEFT JOIN definitions d ON d.hash = r.definition_hash
"""

_ALL_RUNS = runs_source("'*' AS process_id, '*' AS version", "WHERE r.practice = 0")

VIEWS: list[str] = [
    RUN_SUMMARY,
    "CREATE VIEW process_metrics AS "
    + run_figures(_KEYS, f"{_by_version(runs_source, 'r')} UNION ALL {_ALL_RUNS}"),
    "CREATE VIEW step_durations AS "
    f"SELECT g.*, {_TITLE} AS title FROM ({step_figures(_KEYS, _by_version(step_source, 'v'))}) g",
    "CREATE VIEW decision_choices AS "
    f"SELECT g.*, {_TITLE} AS question FROM ("
    + decision_figures(
        _KEYS,
        _by_version(decision_source, "v"),
        labels_source("d.process_id, d.version", "")
        + " UNION ALL "
        + labels_source("d.process_id, '*' AS version", ""),
    )
    + ") g",
    f"CREATE VIEW na_items AS {na_figures(_KEYS, _by_version(na_source, 'm'))}",
    f"CREATE VIEW recorded_numbers AS {number_figures(_KEYS, _by_version(number_source, 'm'))}",
    "CREATE VIEW loop_repeats AS "
    f"SELECT g.*, {_TITLE} AS title FROM ({loop_figures(_KEYS, _by_version(loop_source, 'r'))}) g",
    "CREATE VIEW operator_runs AS "
    + count_figures(
        _KEYS,
        _by_version(lambda s, w: f"SELECT {s}, o.operator FROM run_operators o {w}", "o"),
        "operator",
    ),
    "CREATE VIEW trigger_runs AS "
    + count_figures(
        _KEYS, _by_version(lambda s, w: f"SELECT {s}, r.trigger FROM runs r {w}", "r"), "trigger"
    ),
]
