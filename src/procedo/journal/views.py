"""The stored views: procedo's figures (:mod:`figure_sql`) over every non-practice run.

Each view gives one row per process and version, and rows with ``version = '*'`` for all
versions together (``process_metrics`` also ``process_id = '*'``, every process). They are
built to answer as Datasette asks (``select * from VIEW limit 101``, ``count(*)``) in well
under a second on 100,000 runs: counts stream through a covering index in its order, each
group's all-versions row sums its versions' rows (a count of a union is the sum of the
counts), and each median walks one index range (:func:`order_stats.median_of`). A process
node with runs of one version only takes its all-versions median from that version's row.

The views are stored by migration 3: a change here needs a migration that recreates them,
or the views and procedo would disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from procedo.journal import figure_sql as f
from procedo.journal.figure_sql import STEP_VISITS
from procedo.journal.order_stats import median_of, p90_of

__all__ = ["STEP_VISITS", "VIEWS", "VIEW_NAMES"]

_TITLE = f.node_title("g.process_id", "g.node", "g.version")

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

_COUNTS = list(f.RUN_COUNTS)
_SUMS = ", ".join(f"SUM({name}) AS {name}" for name in _COUNTS)
_DONE = "r.status = 'completed' AND r.practice = 0"


Stat = Callable[[str, str, str], str]


def _duration(of: Stat, where: str, index: str = "runs_figures") -> str:
    source = f"FROM runs r INDEXED BY {index} WHERE {where}"
    return of("r.duration_ms", source, "c.completed")


def _by_scope(of: Stat) -> str:
    """Median or p90 of the row's scope: a version, a process, or every process."""
    process = f"r.process_id = c.process_id AND {_DONE}"
    return f"""CASE WHEN c.process_id = '*' THEN {_duration(of, _DONE, "runs_durations")}
        WHEN c.version = '*' THEN {_duration(of, process)}
        ELSE {_duration(of, f"{process} AND r.process_version = c.version")} END"""


PROCESS_METRICS = f"""
CREATE VIEW process_metrics AS
WITH per_version AS MATERIALIZED (
    SELECT process_id, process_version AS version, {f.run_counts()}
    FROM runs WHERE practice = 0 GROUP BY process_id, process_version
),
counted AS (
    SELECT * FROM per_version
    UNION ALL SELECT process_id, '*', {_SUMS} FROM per_version GROUP BY process_id
    UNION ALL SELECT '*', '*', {_SUMS} FROM per_version HAVING COUNT(*) > 0
)
SELECT c.process_id, c.version, {", ".join(f"c.{name}" for name in _COUNTS[:5])},
    {f.SUCCESS_RATE} AS success_rate,
    {_by_scope(median_of)} AS median_ms,
    {_by_scope(p90_of)} AS p90_ms,
    c.with_target, c.within_target, {f.ON_TARGET_SHARE} AS on_target_share
FROM counted c
"""


def _spread_view(
    name: str,
    table: tuple[str, str, str],
    group: list[str],
    value: str,
    where: str,
    extra: str,
    columns: str,
) -> str:
    """A view of count, median, min and max of ``value`` per process, version and ``group``.

    ``table`` is the table and its two indexes, ordered by ``value`` after the process,
    ``group`` and practice, and after the version, the process, ``group`` and practice.
    ``where`` picks the rows (alias ``x``, the practice term last: it is written
    ``+x.practice = 0`` for the grouping pass, so that SQLite streams the groups in index
    order); ``extra`` is more aggregates of the rows
    (``MIN(x.item) AS item``, say) that the all-versions row takes the MIN of; ``columns`` is
    the final select list over ``g`` (with ``g.version``).
    """
    table, by_value, by_version = table
    keys = ", ".join(f"x.{k}" for k in group)
    same = " AND ".join(f"x.{k} = g.{k}" for k in ["process_id", *group])
    streamed = where.replace("x.practice = 0", "+x.practice = 0")
    extra_names = [e.rsplit(" AS ", 1)[1] for e in extra.split(", ")] if extra else []
    extra_min = "".join(f", MIN({e}) AS {e}" for e in extra_names)
    star = f"FROM {table} x INDEXED BY {by_value} WHERE {same} AND {where}"
    one = f"FROM {table} x INDEXED BY {by_version} WHERE {same} AND {where}"
    return f"""
CREATE VIEW {name} AS
WITH per_version AS MATERIALIZED (
    SELECT x.process_id, x.process_version AS version, {keys}, COUNT(*) AS count,
        MIN(x.{value}) AS min, MAX(x.{value}) AS max{", " + extra if extra else ""}
    FROM {table} x INDEXED BY {by_version} WHERE {streamed}
    GROUP BY x.process_version, x.process_id, {keys}, x.practice
),
versions AS MATERIALIZED (
    SELECT g.*, {median_of(f"x.{value}", f"{one} AND x.process_version = g.version", "g.count")}
        AS median
    FROM per_version g
),
every AS (
    SELECT g.process_id, '*' AS version, {", ".join(f"g.{k}" for k in group)},
        SUM(g.count) AS count, MIN(g.min) AS min, MAX(g.max) AS max{extra_min},
        COUNT(*) AS versions, MAX(g.median) AS median
    FROM versions g GROUP BY g.process_id, {", ".join(f"g.{k}" for k in group)}
)
SELECT {columns} FROM (
    SELECT * FROM versions
    UNION ALL
    SELECT g.process_id, g.version, {", ".join(f"g.{k}" for k in group)}, g.count, g.min, g.max
        {"".join(f", g.{e}" for e in extra_names)},
        CASE WHEN g.versions = 1 THEN g.median
            ELSE {median_of(f"x.{value}", star, "g.count")} END
    FROM every g
) g
"""


STEP_DURATIONS = _spread_view(
    "step_durations",
    ("visits", "visits_steps", "visits_step_versions"),
    ["node"],
    "duration_ms",
    f"x.{STEP_VISITS.replace(' AND ', ' AND x.')} AND x.practice = 0",
    "",
    "g.process_id, g.version, g.node, g.count AS visits, g.median AS median_ms, "
    f"g.min AS min_ms, g.max AS max_ms, {_TITLE} AS title",
)

RECORDED_NUMBERS = _spread_view(
    "recorded_numbers",
    ("marks", "marks_numbers", "marks_number_versions"),
    ["node", "text"],
    "number",
    "x.number IS NOT NULL AND x.practice = 0",
    "MIN(x.item) AS item",
    "g.process_id, g.version, g.node, g.item, g.text, g.count, g.median, g.min, g.max, "
    f"{f.item_unit('g.process_id', 'g.node', 'g.text')} AS unit",
)

_LABELLED = (
    "SELECT d.process_id, d.version, c.node, o.label, c.n FROM choice_counts c "
    "JOIN definitions d ON d.hash = c.definition_hash JOIN options o "
    "ON o.definition_hash = c.definition_hash AND o.node = c.node AND o.option = c.choice"
)

DECISION_CHOICES = f"""
CREATE VIEW decision_choices AS
WITH choice_counts AS MATERIALIZED ({f.choice_counts("v.process_id", "WHERE v.practice = 0")}),
labelled AS MATERIALIZED ({_LABELLED})
SELECT g.*, {_TITLE} AS question FROM ({
    f.decision_figures(
        ["process_id", "version"],
        "SELECT * FROM labelled UNION ALL SELECT process_id, '*', node, label, n FROM labelled",
        f.labels_source("d.process_id, d.version", "")
        + " UNION ALL "
        + f.labels_source("d.process_id, '*' AS version", ""),
    )
}) g
"""

NA_ITEMS = f"""
CREATE VIEW na_items AS
WITH marked AS MATERIALIZED (
    {f.na_source("m.process_id, m.process_version AS version", "WHERE +m.practice = 0")}
)
{
    f.na_figures(
        ["process_id", "version"],
        "SELECT * FROM marked UNION ALL SELECT process_id, '*', node, text, reason, item, "
        "SUM(n) FROM marked GROUP BY process_id, node, text, reason, item",
    )
}
"""


def _loop_rows(version: str) -> str:
    return f.loop_source(f"r.process_id, {version} AS version", "WHERE r.practice = 0")


LOOP_REPEATS = f"""
CREATE VIEW loop_repeats AS
SELECT g.*, {_TITLE} AS title FROM ({
    f.loop_figures(
        ["process_id", "version"],
        _loop_rows("r.process_version") + " UNION ALL " + _loop_rows("'*'"),
    )
}) g
"""


def _tally_view(name: str, table: str, column: str) -> str:
    """Runs per value of ``column``, per version and summed over the versions."""
    return f"""
CREATE VIEW {name} AS
WITH counted AS MATERIALIZED (
    SELECT x.process_id, x.process_version AS version, x.{column}, COUNT(*) AS runs
    FROM {table} x WHERE x.practice = 0
    GROUP BY x.{column}, x.practice, x.process_id, x.process_version
)
SELECT * FROM counted
UNION ALL SELECT process_id, '*', {column}, SUM(runs) FROM counted GROUP BY process_id, {column}
"""


VIEWS: list[str] = [
    RUN_SUMMARY,
    PROCESS_METRICS,
    STEP_DURATIONS,
    DECISION_CHOICES,
    NA_ITEMS,
    RECORDED_NUMBERS,
    LOOP_REPEATS,
    _tally_view("operator_runs", "run_operators", "operator"),
    _tally_view("trigger_runs", "runs", "trigger"),
]

VIEW_NAMES = [sql.split("CREATE VIEW ", 1)[1].split()[0] for sql in VIEWS]
