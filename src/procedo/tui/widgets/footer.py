"""A footer that shows only whole keys: no half key cut off by the ``^p palette`` key.

Textual's footer lays its keys out in one row and docks the command palette key on the
right, over whatever does not fit: at 60 columns that left a stray "r" of "r Reload" beside
it. Keys that do not fit whole are hidden (they keep their place, so nothing moves); ``?``
lists every key anyway.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.widgets import Footer

MAX_TRIES = 20
"""How many refreshes the footer waits for its keys to be laid out before giving up."""


class FittedFooter(Footer):
    """The compact footer, without partly shown keys."""

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    _shown: Hashable = None

    async def recompose(self) -> None:
        # Textual recomposes the footer on every focus change and bindings refresh, most of
        # which leave the keys as they were (4 times out of 5 in a walk): rebuilding them then
        # cost a re-layout of the screen per key press. Only what compose() reads counts.
        shown = self._keys_shown()
        if shown is not None and shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()
        self.call_after_refresh(self._fit)

    def _keys_shown(self) -> Hashable:
        """Everything Footer.compose() reads, to compare (None when it cannot be read)."""
        try:
            app = self.app
            bindings = tuple(
                (binding, enabled, tooltip, app.get_key_display(binding))
                for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            )
        except (NoScreen, NoMatches):
            return None
        return (
            self._bindings_ready,
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            app.COMMAND_PALETTE_BINDING,
            bindings,
        )

    _tries = 0

    def _fit(self) -> None:
        """Hide the keys that end past the docked palette key (from widths: no regions,
        which may still be those of the last layout).

        Keys just recomposed (the bindings changed) have no width until they are laid out,
        which can be a few refreshes later (under a dialog, say): then it tries again.
        """
        children = list(self.children)
        if not self.size.width or any(not c.outer_size.width for c in children if c.display):
            if self._tries < MAX_TRIES:
                self._tries += 1
                self.call_after_refresh(self._fit)
            return
        self._tries = 0
        docked = [c for c in children if c.has_class("-command-palette")]
        room = self.size.width - sum(c.outer_size.width + c.styles.margin.width for c in docked)
        x = 0
        for child in children:
            if child in docked:
                continue
            margin = child.styles.margin
            x += margin.left + child.outer_size.width
            child.styles.visibility = "visible" if x <= room else "hidden"
            x += margin.right


__all__ = ["FittedFooter"]
