"""Metrics: how often a process finishes, how long it takes, where time goes, what is skipped."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Sparkline, Static

from procedo.journal import Journal
from procedo.journal.map_figures import map_figures
from procedo.journal.metrics import compute_metrics, headline_metrics, metrics_by_version
from procedo.journal.parallel_metrics import compute_parallel_figures
from procedo.model import ProcessDefinition
from procedo.model.clock_figures import ClockFigures
from procedo.model.figures import MapFigures, Metrics
from procedo.model.parallel_figures import ParallelFigures
from procedo.render import metrics_text as t
from procedo.render.parallel_text import CALLING_STEP
from procedo.render.words import plural
from procedo.tui.querying import beside, query_in_thread
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.screens.metrics_clock import clock_content, clock_parts, clock_scopes
from procedo.tui.screens.metrics_interrupts import interrupt_parts
from procedo.tui.screens.metrics_parallel import parallel_parts
from procedo.tui.text import line, lit
from procedo.tui.widgets.flow_map import lines_content, map_lines
from procedo.tui.widgets.footer import FittedFooter

Parts = list[str | tuple[str, str]]
Computed = tuple[list[Metrics], MapFigures | None, list[ParallelFigures]]
BAR = 24


def _bar(value: float, largest: float) -> str:
    filled = round(BAR * value / largest) if largest else 0
    return "█" * filled + "·" * (BAR - filled)


MUTED = "$text-muted"
LOADING = "Computing the steps, decisions and the map…"


def metrics_content(
    m: Metrics,
    title: str,
    parallel: ParallelFigures | None = None,
    clock: ClockFigures | None = None,
) -> Content:
    """Every figure of one scope as literal text with styles (words from render.metrics_text),
    with its parallel blocks and calls, its time split and trends."""
    parallel = parallel or ParallelFigures()
    calling = parallel.calling_steps()
    p: Parts = [(title, "bold")]
    if m.version:
        p.append((f"  {t.scope(m)}", "$accent"))
    p.append((f"  ({t.practice(m)})", MUTED))
    rate, of_finished = t.success(m)
    share, of_targeted = t.on_target(m)
    p += ["\n\n", (f"{t.RUNS}  ", "bold"), t.runs(m)]
    p += ["\n", (f"{t.SUCCESS}  ", "bold"), rate, (f"  ({of_finished})", MUTED)]
    p += ["\n", (f"{t.DURATION}  ", "bold"), t.durations(m)]
    p += ["\n", (f"{t.ON_TARGET}  ", "bold"), share, (f"  ({of_targeted})", MUTED)]
    if m.steps:
        p += ["\n\n", (t.STEPS, "bold")]
        largest = max(s.median_ms for s in m.steps)
        for step in m.steps[:10]:
            median, name, visits = t.step(step)
            if (step.process_id, step.node) in calling:
                name += CALLING_STEP
            bar = (_bar(step.median_ms, largest), "$accent")
            p += ["\n  ", bar, " ", f"{median:>10}  ", name, (f"  ({visits})", MUTED)]
    if m.decisions:
        p += ["\n\n", (t.DECISIONS, "bold")]
        question = None
        for option in m.decisions:
            if option.question != question:
                question = option.question
                p += ["\n  ", (question, "italic")]
            chosen, label, count = t.option(option)
            p += ["\n    ", f"{chosen:>6}  ", label, (f"  ({count})", MUTED)]
    if m.not_applicable:
        p += ["\n\n", (t.NOT_APPLICABLE, "bold")]
        for na in m.not_applicable[:8]:
            times, text, reasons = t.not_applicable(na)
            p += ["\n  ", f"{times:>5} ", text, ("  — ", MUTED), (reasons, "italic")]
    if m.loops:
        p += ["\n\n", (t.LOOPS, "bold")]
        for loop in m.loops:
            name, repeated = t.loop(loop)
            p += ["\n  ", name, (f"  {repeated}", MUTED)]
    if m.numbers:
        p += ["\n\n", (t.NUMBERS, "bold")]
        for number in m.numbers:
            text, median, spread, values = t.recorded(number)
            p += ["\n  ", text, "  ", median, ("  · ", MUTED), spread, (f"  ({values})", MUTED)]
    if m.deviations:
        p += ["\n\n", (t.DEVIATIONS, "bold")]
        for miss in m.deviations:
            share, text, said, values = t.deviation(miss)
            p += ["\n  ", f"{share:>5} ", text, (f"  {said}", MUTED)]
            if values:
                p += [("  — ", MUTED), (values, "italic")]
    if m.suggestions:
        p += ["\n\n", (t.SUGGESTIONS, "bold")]
        for counted in m.suggestions:
            question, said = t.suggestion(counted)
            p += ["\n  ", question, (f"  {said}", MUTED)]
    if m.inactive:
        p += ["\n\n", (t.INACTIVE, "bold")]
        for off in m.inactive:
            times, text, when = t.inactive(off)
            p += ["\n  ", f"{times:>5} ", text, (f"  {when}", MUTED)]
    p += interrupt_parts(m)
    p += parallel_parts(parallel)
    p += clock_parts(clock, m.process_id is None)
    for label, tallies in ((t.OPERATORS, m.operators), (t.TRIGGERS, m.triggers)):
        if tallies:
            p += ["\n\n", (label, "bold")]
            for tally in tallies[:10]:
                count, name = t.tally(tally)
                p += ["\n  ", f"{count:>5}  ", name]
    return line(*p)


class MetricsScreen(ProcedoScreen):
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
        self._complete = False  # the full figures of the latest reload are shown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="metrics-scroll"):
            yield Static(lit("Computing…"), id="metrics-figures")
            yield Static("", id="durations-label")
            yield Sparkline([], id="durations")
            yield Static("", id="metrics-map")
            yield Static("", id="metrics-clock")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def _definition(self) -> ProcessDefinition | None:
        workspace = self.app.workspace
        loaded = workspace.process(self.process_id) if self.process_id else None
        return loaded.definition if loaded is not None else None

    def _title(self) -> str:
        definition = self._definition()
        return definition.title if definition else self.process_id or "All processes"

    def reload(self) -> None:
        """Compute the figures (and the map's, for one process) in a thread and show them."""
        process, practice, split = self.process_id, self.include_practice, self.by_version
        mapped = process if self._definition() is not None else None
        db = self.app.paths.db

        def compute(journal: Journal) -> Computed:
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
            versions = [m.version if split else None for m in results]
            parallel = [
                compute_parallel_figures(journal, process, include_practice=practice, version=v)
                for v in versions
            ]
            return results, figures, parallel

        self._complete = False
        if not split:  # the headline first (a few ms), the sections when they are computed
            query_in_thread(
                self,
                lambda journal: headline_metrics(journal, process, include_practice=practice),
                self._show_headline,
                group="metrics-head",
            )
        query_in_thread(self, compute, self._show, group="metrics")
        self.query_one("#metrics-clock", Static).update(lit(""))
        query_in_thread(
            self,
            lambda journal: clock_scopes(journal, process, practice=practice, split=split),
            self._show_clock,
            group="metrics-clock",
        )

    def _show_clock(self, scopes: list[tuple[str | None, ClockFigures]]) -> None:
        """The time split and the trends, once computed (after the other figures, most often:
        they take longer on a large journal, so they do not hold the rest back)."""
        self.query_one("#metrics-clock", Static).update(
            clock_content(scopes, many=self.process_id is None)
        )

    def _show_headline(self, head: Metrics) -> None:
        """The headline figures, with a loading line, until the full figures arrive."""
        if self._complete:
            return
        loading = line("\n\n", (LOADING, MUTED))
        self.query_one("#metrics-figures", Static).update(
            metrics_content(head, self._title()) + loading
        )

    def _show(self, computed: Computed) -> None:
        self._complete = True
        results, figures, parallel = computed
        self._show_map(figures)
        title = self._title()
        blocks = [metrics_content(m, title, f) for m, f in zip(results, parallel, strict=True)]
        blocks = blocks or [lit("No runs yet.")]
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
        self.app.open_history(self.process_id)

    def action_close(self) -> None:
        """Back."""
        self.app.pop_screen()
