"""The command palette: start any process, resume any unfinished run, open the history.

Textual's palette parses a hit's ``help`` and ``Matcher.highlight`` output as markup, so titles
from TOML files go only into literal :class:`Content` displays, highlighted here by hand, and
help strings carry only ids and fixed words. Titles are made :func:`shown` first (an escape
code stored in a journal appears as ``\\x1b``), so the highlight offsets match what is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from procedo.tui.screens.base import procedo_app
from procedo.tui.text import shown


def literal_highlight(matcher: Matcher, candidate: str) -> Content:
    """The candidate as literal text with the fuzzy-matched characters highlighted."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ProcedoCommands(Provider):
    """Commands built from the workspace: one per process and one per unfinished run."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = procedo_app(self.app)
        workspace = app.workspace
        commands: list[tuple[str, Callable[[], object], str]] = []
        for summary in workspace.summaries(figures=False):  # titles only: no journal figures
            loaded = summary.loaded
            commands.append(
                (
                    f"Start: {shown(loaded.definition.title)}",
                    partial(app.open_start, loaded.id),
                    f"Start a run of the process {loaded.id}",
                )
            )
        for run in workspace.unfinished():
            commands.append(
                (
                    shown(f"Resume: {run.title} ({run.operator}, at {run.node_title})"),
                    partial(app.resume_run, run.run_id),
                    f"Run {run.run_id[:8]}, {run.status}",
                )
            )
        commands.append(("Open history", app.open_history, "Every run, newest first"))
        commands.append(("Open metrics", partial(app.open_metrics, None), "Completion figures"))
        return commands

    async def startup(self) -> None:
        """Build the commands once per palette: typing only filters them."""
        self._built = self._commands()

    def _cached(self) -> list[tuple[str, Callable[[], object], str]]:
        built = getattr(self, "_built", None)
        return built if built is not None else self._commands()

    async def discover(self) -> Hits:
        for title, callback, help_text in self._cached():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._cached():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, literal_highlight(matcher, title), callback, text=title, help=help_text
                )
