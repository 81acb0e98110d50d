"""The metrics of ``procedo stats`` as readable text lines, in the words of the metrics screen
(:mod:`procedo.render.metrics_text`), laid out for a terminal."""

from __future__ import annotations

from procedo.model.clock_figures import ClockFigures, TimeSplit, TrendPoint
from procedo.model.figures import Metrics
from procedo.model.parallel_figures import ParallelFigures
from procedo.render import clock_text as ct
from procedo.render import interrupt_text as it
from procedo.render import metrics_text as t
from procedo.render import parallel_text as pt

BAR = 24
LABEL = 14  # the width of "Success rate  "


def _bar(value: float, top: float) -> str:
    return "#" * max(1, round(BAR * value / top)) if top > 0 and value > 0 else ""


def _where(process_id: str, node: str, many: bool) -> str:
    return f"{process_id}/{node}" if many else node


def metrics_lines(
    m: Metrics,
    title: str,
    parallel: ParallelFigures | None = None,
    clock: ClockFigures | None = None,
) -> list[str]:
    """The figures of ``m`` (its parallel blocks and calls, its time split and trends),
    headed by ``title``."""
    parallel = parallel or ParallelFigures()
    calling = parallel.calling_steps()
    scope = f", {t.scope(m)}" if t.scope(m) else ""
    lines = [f"{title}{scope} ({t.practice(m)})", ""]
    rate, of_finished = t.success(m)
    share, of_targeted = t.on_target(m)
    lines.append(f"{t.RUNS:<{LABEL}}{t.runs(m)}")
    lines.append(f"{t.SUCCESS:<{LABEL}}{rate} ({of_finished})")
    lines.append(f"{t.DURATION:<{LABEL}}{t.durations(m)}")
    lines.append(f"{t.ON_TARGET:<{LABEL}}{share} ({of_targeted})")
    many = m.process_id is None
    if m.steps:
        lines += ["", t.STEPS]
        top = max(s.median_ms for s in m.steps)
        for s in m.steps:
            median, title_, visits = t.step(s)
            called = pt.CALLING_STEP if (s.process_id, s.node) in calling else ""
            name = f"{title_}{called} ({_where(s.process_id, s.node, many)})"
            lines.append(f"  {name[:44]:<44} {median:>12}  {visits:>11}  {_bar(s.median_ms, top)}")
    if m.decisions:
        lines += ["", t.DECISIONS]
        last = None
        for d in m.decisions:
            if (d.process_id, d.node) != last:
                lines.append(f"  {d.question} ({_where(d.process_id, d.node, many)})")
                last = (d.process_id, d.node)
            chosen, label, count = t.option(d)
            lines.append(f"    {label[:40]:<40} {count:>6}  {chosen:>5}  {_bar(d.share or 0, 1)}")
    if m.not_applicable:
        lines += ["", t.NOT_APPLICABLE]
        for n in m.not_applicable:
            times, text, reasons = t.not_applicable(n)
            lines.append(f"  {times:>5} {text} ({_where(n.process_id, n.node, many)}) — {reasons}")
    if m.loops:
        lines += ["", t.LOOPS]
        for lp in m.loops:
            name, repeated = t.loop(lp)
            lines.append(f"  {name} ({_where(lp.process_id, lp.node, many)}): {repeated}")
    if m.numbers:
        lines += ["", t.NUMBERS]
        for n in m.numbers:
            text, median, spread, values = t.recorded(n)
            where = _where(n.process_id, n.node, many)
            lines.append(f"  {text} ({where}): {median} · {spread} ({values})")
    if m.deviations:
        lines += ["", t.DEVIATIONS]
        for miss in m.deviations:
            share, text, said, values = t.deviation(miss)
            where = _where(miss.process_id, miss.node, many)
            lines.append(
                f"  {share:>5} {text} ({where}): {said}" + (f" — {values}" if values else "")
            )
    if m.suggestions:
        lines += ["", t.SUGGESTIONS]
        for counted in m.suggestions:
            question, said = t.suggestion(counted)
            lines.append(f"  {question} ({_where(counted.process_id, counted.node, many)}): {said}")
    if m.inactive:
        lines += ["", t.INACTIVE]
        for off in m.inactive:
            times, text, when = t.inactive(off)
            lines.append(f"  {times:>5} {text} ({_where(off.process_id, off.node, many)}) {when}")
    lines += interrupt_lines(m, many)
    lines += parallel_lines(parallel, many)
    lines += clock_lines(clock or ClockFigures(), many)
    tallies = [
        f"{label}: " + ", ".join(f"{name} {count}" for count, name in map(t.tally, found))
        for label, found in ((t.OPERATORS, m.operators), (t.TRIGGERS, m.triggers))
        if found
    ]
    lines += ["", *tallies] if tallies else []
    if m.durations:
        lines += [
            "",
            f"Durations of the last {len(m.durations)} completed runs (oldest first): "
            + ", ".join(t.duration_text(p.duration_ms) for p in m.durations[-10:])
            + (" ..." if len(m.durations) > 10 else ""),
        ]
    return lines


def interrupt_lines(m: Metrics, many: bool) -> list[str]:
    """Each interrupt (how often, its median, how it ended, where) and the items deferred
    most (how often, how many open, where done, why)."""
    lines: list[str] = []
    if m.interrupts:
        lines += ["", it.INTERRUPTS]
        for f in m.interrupts:
            times, title, said, at = it.interrupt(f)
            where = _where(f.process_id, f.interrupt, many)
            lines.append(f"  {times:>5} {title} ({where}): {said}" + (f"; {at}" if at else ""))
    if m.deferrals:
        lines += ["", it.DEFERRED]
        for d in m.deferrals:
            times, text, said, reasons = it.deferral(d)
            where = _where(d.process_id, d.node, many)
            lines.append(f"  {times:>5} {text} ({where}): {said} — {reasons}")
    return lines


def parallel_lines(parallel: ParallelFigures, many: bool) -> list[str]:
    """The parallel blocks (each branch's median and how often it is last) and the calls."""
    lines: list[str] = []
    if parallel.blocks:
        lines += ["", pt.BLOCKS]
        for block in parallel.blocks:
            lines.append(
                f"  {pt.block_heading(block)} ({_where(block.process_id, block.block, many)})"
            )
            for branch in block.branches:
                number, title, median, last = pt.branch_cells(branch)
                lines.append(f"    {number}. {title[:40]:<40} {median:>12}  {last}")
    if parallel.calls:
        lines += ["", pt.CALLS]
        for call in parallel.calls:
            lines.append(f"  {pt.call_text(call)} ({_where(call.process_id, call.step, many)})")
    return lines


SPLIT_ROWS = 10
"""The nodes and operators a time split lists (most time first); roles are all listed."""


def _split_row(name: str, s: TimeSplit) -> str:
    cells = "".join(f"{c:>11}" for c in ct.split_cells(s))
    return f"    {name[:30]:<30}{cells}"


def _trend_row(p: TrendPoint, top: float) -> str:
    period, runs, rate, median = ct.trend_cells(p)
    bar = ct.bar(p.median_ms, top)
    return f"  {period[:24]:<24} {median:>14} {rate:>6}  {runs:<26} {bar}"


def clock_lines(clock: ClockFigures, many: bool) -> list[str]:
    """The time split (in all, per node, role and operator) and the trends per week and
    version (a text bar of each median)."""
    split = clock.time_split
    lines: list[str] = []
    if split.total.visits:
        heading = "".join(f"{h:>11}" for h in ct.SPLIT_HEADINGS)
        lines += ["", ct.TIME_SPLIT, f"    {'':<30}{heading}", _split_row("All", split.total)]
        for label, rows, limit in (
            (ct.BY_NODE, split.nodes, SPLIT_ROWS),
            (ct.BY_ROLE, split.roles, None),
            (ct.BY_OPERATOR, split.operators, SPLIT_ROWS),
        ):
            if rows:
                lines.append(f"  {label}")
                lines += [_split_row(ct.split_name(s, many), s) for s in rows[:limit]]
    for label, points in (
        (ct.TRENDS_BY_WEEK, clock.trends.weeks),
        (ct.TRENDS_BY_VERSION, clock.trends.versions),
    ):
        if points:
            top = max((p.median_ms or 0) for p in points)
            lines += ["", label, *(_trend_row(p, top) for p in points)]
    return lines
