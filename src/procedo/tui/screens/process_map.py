"""The map of a process: from home for the highlighted process, or a run's with its place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.widgets import Static

from procedo.engine import RunState
from procedo.journal import Journal
from procedo.journal.map_figures import map_figures
from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.tui.querying import query_in_thread
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.text import line
from procedo.tui.widgets.flow_map import current_line, lines_content, map_lines
from procedo.tui.widgets.footer import FittedFooter

LEGEND = "✓ done  ▶ here  ◇ decision  ↺ loop back  ↪ joins another branch  ● success  ✗ failure"


class MapScreen(ProcedoScreen):
    """The whole flow of one process, drawn once, scrollable."""

    BINDINGS = [
        Binding("escape,q,d", "close", "Back", id="map.close"),
        Binding("f", "figures", "Figures", id="map.figures"),
    ]

    def __init__(self, definition: ProcessDefinition, state: RunState | None = None) -> None:
        super().__init__()
        self.definition = definition
        self.state = state
        self.figures: MapFigures | None = None

    def compose(self) -> ComposeResult:
        d = self.definition
        heading = [(d.title, "bold"), (f"  version {d.version}", "$text-muted")]
        if self.state is not None:
            heading.append(("  (this run)", "$accent"))
        yield Static(line(*heading), id="map-title")
        with ScrollableContainer(id="map-scroll"):
            yield Static("", id="map-text")
        yield Static(line((LEGEND, "$text-muted")), id="map-legend")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        self.redraw()
        self.query_one("#map-scroll").focus()
        if self.app.settings.map_figures:
            self._read_figures()  # shown last time: shown again

    def redraw(self) -> None:
        """Draw the map (with the journal's figures when they are shown)."""
        lines = map_lines(
            self.definition, self.state, self.figures, width=max(40, self.app.size.width - 4)
        )
        self.query_one("#map-text", Static).update(lines_content(lines))
        row = current_line(lines)
        if row is not None:
            scroll = self.query_one("#map-scroll", ScrollableContainer)
            self.call_after_refresh(
                lambda: scroll.scroll_to(y=max(0, row - scroll.size.height // 2), animate=False)
            )

    def action_figures(self) -> None:
        """Show or hide how often each branch was taken and the median time per step."""
        if self.figures is not None:
            self.figures = None
            self.redraw()
            self._remember(False)
            return
        self._remember(True)
        self._read_figures()

    def _remember(self, shown: bool) -> None:
        self.app.remember(map_figures=shown)

    def _read_figures(self) -> None:
        process_id = self.definition.id

        def compute(journal: Journal) -> MapFigures:
            return map_figures(journal, process_id)

        query_in_thread(self, compute, self._show_figures, group="map-figures")

    def _show_figures(self, figures: MapFigures) -> None:
        self.figures = figures
        self.redraw()
        if not figures.runs:
            self.notify("No finished runs of this process yet.", markup=False)

    def action_close(self) -> None:
        """Back to where the map was opened."""
        self.app.pop_screen()
