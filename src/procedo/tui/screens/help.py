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
    "exclamation_mark": "!",
}


def key_label(key: str) -> str:
    """A readable name for a binding's key string."""
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def _available(screen: Screen[object], action: str) -> bool:
    name, _, rest = action.partition("(")
    params: tuple[object, ...] = ()
    if rest.rstrip(")").strip().lstrip("-").isdigit():
        params = (int(rest.rstrip(")")),)
    try:
        return screen.check_action(name, params) is not False
    except Exception:  # a screen's check may need state that is not there: show the key
        return True


def help_rows(screen: Screen[object]) -> list[tuple[str, str, bool]]:
    """(keys, description, available here) for the screen's own bindings and the app's."""
    rows: list[tuple[str, str, bool]] = [("↑ ↓", "Move", True)]
    seen: set[str] = set()
    bindings = [*screen.BINDINGS, *screen.app.BINDINGS]
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        action = binding.action
        if action.startswith("choose("):
            if "choose" not in seen:
                seen.add("choose")
                rows.append(("1–9", "Choose that option", _available(screen, action)))
            continue
        if action.startswith("cursor("):
            if "cursor" not in seen:
                seen.add("cursor")
                rows.append(("j k", "Move down, up (a tick moves on by itself)", True))
            continue
        if action in seen:
            continue
        twice = sum(1 for b in bindings if isinstance(b, Binding) and b.key == binding.key) > 1
        if twice and not _available(screen, action):
            continue  # a key with two meanings (q: Pause, or Leave read-only) shows the one here
        seen.add(action)
        rows.append((key_label(binding.key), binding.description, _available(screen, action)))
    rows.append(("ctrl+p", "Command palette: runs, history, theme", True))
    return rows


def help_content(screen: Screen[object]) -> Content:
    """Every key of ``screen`` (and the app) with its description."""
    parts: list[str | tuple[str, str]] = [("Keys on this screen", "bold"), "\n"]
    for keys, description, available in help_rows(screen):
        parts += ["\n", (f"{keys:>14}  ", "bold $accent" if available else "$text-muted")]
        parts.append(description if available else (f"{description} (not here)", "$text-muted"))
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


__all__ = ["HelpScreen", "help_content", "help_rows"]
