"""The metrics screen's parts for the clock figures of issue 13: where the time goes (working,
deciding, hand-overs, pauses, interrupts) per node, role and operator, and the trends per week
and version as text bars. The words are :mod:`procedo.render.clock_text`'s, as ``procedo
stats`` prints them; every name is literal text."""

from __future__ import annotations

from textual.content import Content

from procedo.journal import Journal
from procedo.journal.clock_metrics import clock_figures
from procedo.model.clock_figures import ClockFigures, TimeSplit, TrendPoint
from procedo.render import clock_text as ct
from procedo.tui.text import line

Parts = list[str | tuple[str, str]]
MUTED = "$text-muted"
ROWS = 8
"""The nodes and operators shown (most time first); every role is shown."""
WEEKS = 26
"""The latest weeks shown in the trend."""
BAR = 20


def _split_row(name: str, s: TimeSplit) -> Parts:
    total, *cells = ct.split_cells(s)
    said = " · ".join(
        f"{heading.lower()} {cell}"
        for heading, cell in zip(ct.SPLIT_HEADINGS[1:], cells, strict=True)
        if cell != ct.NONE
    )
    return ["\n    ", f"{total:>12}  ", name, (f"  {said}", MUTED)]


def _trend_row(p: TrendPoint, top: float) -> Parts:
    period, runs, rate, median = ct.trend_cells(p)
    bar = ct.bar(p.median_ms, top, BAR).replace("#", "█")
    return [
        "\n  ",
        f"{period[:20]:<20} ",
        (f"{bar:<{BAR}}", "$accent"),
        f" {median:>14}  {rate:>6}",
        (f"  {runs}", MUTED),
    ]


def clock_parts(clock: ClockFigures | None, many: bool) -> Parts:
    """The time split (in all, per node, role, operator) and the trends, as literal parts."""
    if clock is None:
        return []
    split = clock.time_split
    p: Parts = []
    if split.total.visits:
        p += ["\n\n", (ct.TIME_SPLIT, "bold"), *_split_row("All", split.total)]
        for label, rows, limit in (
            (ct.BY_NODE, split.nodes, ROWS),
            (ct.BY_ROLE, split.roles, None),
            (ct.BY_OPERATOR, split.operators, ROWS),
        ):
            if rows:
                p += ["\n  ", (label, "italic")]
                for s in rows[:limit]:
                    p += _split_row(ct.split_name(s, many), s)
    for label, points in (
        (ct.TRENDS_BY_WEEK, clock.trends.weeks[-WEEKS:]),
        (ct.TRENDS_BY_VERSION, clock.trends.versions),
    ):
        if points:
            top = max((pt.median_ms or 0) for pt in points)
            p += ["\n\n", (label, "bold")]
            for point in points:
                p += _trend_row(point, top)
    return p


def clock_scopes(
    journal: Journal, process_id: str | None, *, practice: bool, split: bool
) -> list[tuple[str | None, ClockFigures]]:
    """The clock figures the metrics screen shows: of its scope, or of each version of the
    process (oldest first) when split by version."""
    versions: list[str | None] = [None]
    if split and process_id:
        rows = journal.rows(
            "SELECT process_version, MIN(started_at) AS first FROM runs WHERE process_id = ? "
            + ("" if practice else "AND practice = 0 ")
            + "GROUP BY process_version ORDER BY first, process_version",
            (process_id,),
        )
        versions = [row["process_version"] for row in rows]
    return [
        (v, clock_figures(journal, process_id, include_practice=practice, version=v))
        for v in versions
    ]


def clock_content(scopes: list[tuple[str | None, ClockFigures]], *, many: bool) -> Content:
    """Each scope's time split and trends (headed by its version when there are several)."""
    p: Parts = []
    for version, clock in scopes:
        parts = clock_parts(clock, many)
        if version is not None and parts:
            parts = ["\n\n", (f"Version {version}", "bold"), *parts]
        p += parts
    return line(*p)
