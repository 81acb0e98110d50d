"""Metrics: how often a process finishes, how long it takes, where time goes, what is skipped."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from procedo.journal import Journal
from procedo.journal.figures import Metrics
from procedo.journal.map_figures import map_figures
from procedo.journal.metrics import compute_metrics, metrics_by_version
from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.render.words import plural
from procedo.tui.querying import beside, query_in_thread
from procedo.tui.text import duration, line, lit, percent
from procedo.tui.widgets.flow_map import lines_content, map_lines
from procedo.tui.widgets.footer import FittedFooter

Parts = list[str | tuple[str, str]]
BAR = 24


def _bar(value: float, largest: float) -> str:
    filled = round(BAR * value / largest) if largest else 0
    return "█" * filled + "·" * (BAR - filled)


MUTED = "$text-muted"


def metrics_content(m: Metrics, title: str) -> Content:
    """Every figure of one scope as literal text with styles."""
    p: Parts = [(title, "bold")]
    if m.version:
        p.append((f"  version {m.version}", "$accent"))
    p.append(
        (
            "  (practice runs included)" if m.include_practice else "  (practice runs left out)",
            "$text-muted",
        )
    )
    p += [
        "\n\n",
        ("Runs  ", "bold"),
        f"{m.started} started · {m.completed} completed · ",
        f"{m.aborted} aborted · {m.unfinished} unfinished",
    ]
    p += [
        "\n",
        ("Success rate  ", "bold"),
        percent(m.success_rate),
        (f"  ({m.succeeded} of {plural(m.finished, 'finished run')} ended at a success)", MUTED),
    ]
    p += [
        "\n",
        ("Duration  ", "bold"),
        "median ",
        duration(_int(m.median_ms)),
        " · 90th percentile ",
        duration(m.p90_ms),
    ]
    p += [
        "\n",
        ("On target  ", "bold"),
        percent(m.on_target_share),
        (f"  ({m.within_target} of {plural(m.with_target, 'completed run')} with a target)", MUTED),
    ]
    if m.steps:
        p += ["\n\n", ("Where the time goes (median per step)", "bold")]
        largest = max(s.median_ms for s in m.steps)
        for step in m.steps[:10]:
            p += [
                "\n  ",
                (_bar(step.median_ms, largest), "$accent"),
                " ",
                f"{duration(_int(step.median_ms)):>10}  ",
                step.title,
                (f"  ({plural(step.visits, 'visit')})", "$text-muted"),
            ]
    if m.decisions:
        p += ["\n\n", ("Decisions", "bold")]
        question = None
        for option in m.decisions:
            if option.question != question:
                question = option.question
                p += ["\n  ", (question, "italic")]
            p += [
                "\n    ",
                f"{percent(option.share):>6}  ",
                option.label,
                (f"  ({option.count})", "$text-muted"),
            ]
    if m.not_applicable:
        p += ["\n\n", ("Most often not applicable", "bold")]
        for na in m.not_applicable[:8]:
            reasons = "; ".join(f"{r.reason} ({r.count})" for r in na.reasons[:3])
            p += ["\n  ", f"{na.count:>4}× ", na.text, ("  — ", "$text-muted"), (reasons, "italic")]
    if m.loops:
        p += ["\n\n", ("Loops", "bold")]
        for loop in m.loops:
            p += [
                "\n  ",
                loop.title,
                (
                    f"  repeated in {plural(loop.runs_with_repeats, 'run')}, "
                    f"up to {plural(loop.max_visits, 'visit')}",
                    "$text-muted",
                ),
            ]
    if m.numbers:
        p += ["\n\n", ("Recorded numbers", "bold")]
        for number in m.numbers:
            unit = f" {number.unit}" if number.unit else ""
            p += [
                "\n  ",
                number.text,
                ("  median ", "$text-muted"),
                f"{number.median:g}{unit}",
                ("  range ", "$text-muted"),
                f"{number.min:g}–{number.max:g}{unit}",
                (f"  ({plural(number.count, 'value')})", "$text-muted"),
            ]
    for label, tallies in (("Runs per operator", m.operators), ("Runs per trigger", m.triggers)):
        if tallies:
            p += ["\n\n", (label, "bold")]
            for tally in tallies[:10]:
                p += ["\n  ", f"{tally.runs:>5}  ", tally.name or "(none)"]
    return line(*p)


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


class MetricsScreen(Screen[None]):
    """The figures for one process, or all of them."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="metrics.close"),
        Binding("v", "split", "By version", id="metrics.split"),
        Binding("p", "practice", "Practice runs", id="metrics.practice"),
        Binding("a", "scope", "This / all processes", id="metrics.scope"),
        Binding("h", "history", "History", id="metrics.history"),
    ]

    def __init__(self, process_id: str | None, home_process: str | None = None) -> None:
        super().__init__()
        self.process_id = process_id
        self.home_process = home_process or process_id
        self.by_version = False
        self.include_practice = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="metrics-scroll"):
            yield Static(lit("Computing…"), id="metrics-figures")
            yield Static("", id="durations-label")
            yield Sparkline([], id="durations")
            yield Static("", id="metrics-map")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def _definition(self) -> ProcessDefinition | None:
        workspace = getattr(self.app, "workspace", None)
        loaded = workspace.process(self.process_id) if workspace and self.process_id else None
        return loaded.definition if loaded is not None else None

    def _title(self) -> str:
        definition = self._definition()
        return definition.title if definition else self.process_id or "All processes"

    def reload(self) -> None:
        """Compute the figures (and the map's, for one process) in a thread and show them."""
        process, practice, split = self.process_id, self.include_practice, self.by_version
        mapped = process if self._definition() is not None else None
        db = self.app.paths.db  # type: ignore[attr-defined]

        def compute(journal: Journal) -> tuple[list[Metrics], MapFigures | None]:
            # The map's figures are read alongside the metrics, on a connection of their own;
            # one scope's step medians come from the metrics (the map's are left to it).
            mapping = None
            if mapped:
                medians = None if split else {}
                mapping = beside(
                    db, lambda j: map_figures(j, mapped, practice=practice, medians=medians)
                )
            if split and process:
                results = list(
                    metrics_by_version(journal, process, include_practice=practice).values()
                )
            else:
                results = [compute_metrics(journal, process, include_practice=practice)]
            figures = mapping.result() if mapping is not None else None
            if figures is not None and not split:
                medians = {s.node: s.median_ms / 1000 for s in results[0].steps}
                figures = replace(figures, median_seconds=medians)
            return results, figures

        query_in_thread(self, compute, self._show, group="metrics")

    def _show(self, computed: tuple[list[Metrics], MapFigures | None]) -> None:
        results, figures = computed
        self._show_map(figures)
        title = self._title()
        blocks = [metrics_content(m, title) for m in results] or [lit("No runs yet.")]
        self.query_one("#metrics-figures", Static).update(Content("\n\n").join(blocks))
        points = [
            p.duration_ms / 60_000
            for p in sorted((p for m in results for p in m.durations), key=lambda p: p.started_at)
        ]
        self.query_one("#durations", Sparkline).data = points
        label = self.query_one("#durations-label", Static)
        label.update(
            line(
                ("Durations over time", "bold"),
                (f"  ({plural(len(points), 'completed run')}, oldest left, minutes)", MUTED),
            )
        )
        label.display = self.query_one("#durations").display = bool(points)

    def _show_map(self, figures: MapFigures | None) -> None:
        """The process map with how often each branch was taken, under the figures."""
        shown = self.query_one("#metrics-map", Static)
        definition = self._definition()
        shown.display = figures is not None and definition is not None and figures.runs > 0
        if shown.display and definition is not None:
            heading = line(("The map with these runs", "bold"), "\n")
            shown.update(heading + lines_content(map_lines(definition, figures=figures)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "split":
            return bool(self.process_id)  # versions belong to one process
        return True

    def action_split(self) -> None:
        """Split the figures by process version."""
        if self.process_id:
            self.by_version = not self.by_version
            self.reload()

    def action_practice(self) -> None:
        """Include or leave out practice runs."""
        self.include_practice = not self.include_practice
        self.reload()

    def action_scope(self) -> None:
        """Switch between this process and all processes."""
        self.process_id = None if self.process_id else self.home_process
        self.by_version = False
        self.refresh_bindings()
        self.reload()

    def action_history(self) -> None:
        """Open the history of this process."""
        self.app.open_history(self.process_id)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        """Back."""
        self.app.pop_screen()
