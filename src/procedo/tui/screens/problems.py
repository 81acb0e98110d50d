"""The process files that could not be loaded, each problem as ``procedo validate`` prints it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from procedo.safe_text import visible
from procedo.tui.text import line

if TYPE_CHECKING:
    from procedo.model import Catalog

SHOWN_NAMES = 4


def broken_files_line(catalog: Catalog) -> Content | None:
    """``2 process files could not be loaded: a.toml, b.toml · v to see why`` (None if none)."""
    files = catalog.files_with_problems
    if not files:
        return None
    names = [visible(Path(f).name) for f in files[:SHOWN_NAMES]]
    if len(files) > SHOWN_NAMES:
        names.append(f"and {len(files) - SHOWN_NAMES} more")
    count = "1 process file" if len(files) == 1 else f"{len(files)} process files"
    return line(
        ("⚠ ", "bold"),
        (f"{count} could not be loaded: ", "bold"),
        ", ".join(names),
        (" · v to see why", "bold"),
    )


def reload_message(catalog: Catalog) -> str:
    """``Processes reloaded: 6 loaded, 2 could not be loaded``."""
    text = f"Processes reloaded: {len(catalog.processes)} loaded"
    broken = len(catalog.files_with_problems)
    return text + (f", {broken} could not be loaded" if broken else "")


def problems_content(catalog: Catalog) -> Content:
    """Every problem, one per line (``file:line: key: message``), then the count."""
    parts: list[str | tuple[str, str]] = [("Process files that could not be loaded", "bold")]
    parts.append("\n")
    for problem in catalog.problems:
        parts += ["\n", visible(str(problem))]
    files = len(catalog.files_with_problems)
    parts += [
        "\n\n",
        (
            f"{len(catalog.problems)} problem(s) in {files} file(s). Fix them, then press r "
            "on the home screen to reload (procedo validate checks them too).",
            "$text-muted",
        ),
        "\n",
        ("esc closes this list", "$text-muted"),
    ]
    return line(*parts)


class ProblemsScreen(ModalScreen[None]):
    """Lists each problem of the files left out of the catalog."""

    BINDINGS = [Binding("escape,v,q", "close", "Close", id="problems.close")]

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="problems-list"):
            yield Static(problems_content(self.catalog))

    def action_close(self) -> None:
        """Close the list."""
        self.dismiss(None)


__all__ = ["ProblemsScreen", "broken_files_line", "problems_content", "reload_message"]
