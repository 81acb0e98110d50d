"""Help: every key of the screen it was opened from, from that screen's bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from procedo.tui.text import line

_KEY_NAMES = {
    "space": "space",
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "delete": "del",
    "enter": "enter",
    "tab": "tab",
}


def key_label(key: str) -> str:
    """A readable name for a binding's key string."""
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def help_content(screen: Screen[object]) -> Content:
    """Every active binding of ``screen`` (and the app) with its description."""
    seen: set[str] = set()
    rows: list[tuple[str, str]] = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or (binding.action in seen and binding.action != "choose"):
            continue
        if binding.action.startswith("choose("):
            if "choose" in seen:
                continue
            seen.add("choose")
            rows.append(("1–9", "Choose that option"))
            continue
        seen.add(binding.action)
        label = key_label(key) if active.enabled else f"{key_label(key)} (not here)"
        rows.append((label, binding.description))
    rows.append(("ctrl+p", "Command palette: start, resume, history"))
    parts: list[str | tuple[str, str]] = [("Keys on this screen", "bold"), "\n"]
    for key, description in rows:
        parts += ["\n", (f"{key:>14}  ", "bold $accent"), description]
    parts += ["\n\n", ("esc or ? closes this help", "$text-muted")]
    return line(*parts)


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen beneath."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(help_content(self.for_screen))

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)


__all__ = ["Binding", "HelpScreen", "help_content"]
