"""The metrics of ``procedo stats`` as readable text lines."""

from __future__ import annotations

from procedo.journal.figures import Metrics
from procedo.render.export import duration
from procedo.render.words import plural

BAR = 24


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _bar(value: float, top: float) -> str:
    return "#" * max(1, round(BAR * value / top)) if top > 0 and value > 0 else ""


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def _where(process_id: str, node: str, many: bool) -> str:
    return f"{process_id}/{node}" if many else node


def metrics_lines(m: Metrics, title: str) -> list[str]:
    """The figures of ``m``, headed by ``title``."""
    scope = f", version {m.version}" if m.version else ", all versions" if m.process_id else ""
    practice = "practice runs included" if m.include_practice else "practice runs left out"
    lines = [f"{title}{scope} ({practice})", ""]
    lines.append(
        f"Runs        {m.started} started: {m.completed} completed, {m.aborted} aborted, "
        f"{m.unfinished} unfinished"
    )
    lines.append(
        f"Success     {_share(m.succeeded, m.finished)} "
        f"({m.succeeded} of {m.finished} finished runs ended at a success outcome)"
    )
    if m.median_ms is not None:
        lines.append(
            f"Duration    median {duration(round(m.median_ms))}, 90th percentile "
            f"{duration(m.p90_ms)} (of {m.completed} completed runs)"
        )
    if m.with_target:
        lines.append(
            f"On target   {_share(m.within_target, m.with_target)} "
            f"({m.within_target} of {m.with_target} completed runs within the target)"
        )
    many = m.process_id is None
    if m.steps:
        lines += ["", "Steps by median time"]
        top = max(s.median_ms for s in m.steps)
        for s in m.steps:
            name = f"{s.title} ({_where(s.process_id, s.node, many)})"
            lines.append(
                f"  {name[:44]:<44} {duration(round(s.median_ms)):>12}  "
                f"{s.visits:>5} {'visit ' if s.visits == 1 else 'visits'}  {_bar(s.median_ms, top)}"
            )
    if m.decisions:
        lines += ["", "Decisions"]
        last = None
        for d in m.decisions:
            if (d.process_id, d.node) != last:
                lines.append(f"  {d.question} ({_where(d.process_id, d.node, many)})")
                last = (d.process_id, d.node)
            share = "-" if d.share is None else f"{round(100 * d.share)}%"
            lines.append(
                f"    {d.label[:40]:<40} {d.count:>6}  {share:>4}  {_bar(d.share or 0, 1)}"
            )
    if m.not_applicable:
        lines += ["", "Most often not applicable"]
        for n in m.not_applicable:
            reasons = "; ".join(f"{r.reason} ({r.count})" for r in n.reasons)
            times = "time" if n.count == 1 else "times"
            lines.append(
                f"  {n.text} ({_where(n.process_id, n.node, many)}): {n.count} {times}: {reasons}"
            )
    if m.loops:
        lines += ["", "Loops"]
        for lp in m.loops:
            lines.append(
                f"  {lp.title} ({_where(lp.process_id, lp.node, many)}): repeated in "
                f"{plural(lp.runs_with_repeats, 'run')}, up to {plural(lp.max_visits, 'visit')}"
            )
    if m.numbers:
        lines += ["", "Recorded numbers"]
        for n in m.numbers:
            unit = f" {n.unit}" if n.unit else ""
            lines.append(
                f"  {n.text} ({_where(n.process_id, n.node, many)}): median "
                f"{_number(n.median)}{unit}, range {_number(n.min)} to {_number(n.max)}{unit}, "
                f"{plural(n.count, 'value')}"
            )
    if m.operators:
        lines += ["", "Runs per operator: " + ", ".join(f"{t.name} {t.runs}" for t in m.operators)]
    if m.triggers:
        lines.append(
            "Runs per trigger:  " + ", ".join(f"{t.name or '(none)'} {t.runs}" for t in m.triggers)
        )
    if m.durations:
        lines += [
            "",
            f"Durations of the last {len(m.durations)} completed runs (oldest first): "
            + ", ".join(duration(p.duration_ms) for p in m.durations[-10:])
            + (" ..." if len(m.durations) > 10 else ""),
        ]
    return lines
