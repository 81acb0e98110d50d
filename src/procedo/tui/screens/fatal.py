"""For problems that stop procedo from working at all (an unusable journal): say why, quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from procedo.tui.text import lit
from procedo.tui.widgets.footer import FittedFooter


class FatalScreen(Screen[None]):
    """Explain what is wrong and let the user quit."""

    BINDINGS = [Binding("q,escape", "app.quit", "Quit", id="fatal.quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(lit(self.message), id="fatal-message")
        yield FittedFooter(compact=True)
