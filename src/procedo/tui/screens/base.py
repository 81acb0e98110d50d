"""The typed app for screens: ``self.app`` is the :class:`ProcedoApp`, cast in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import App
from textual.screen import Screen

if TYPE_CHECKING:
    from procedo.tui.app import ProcedoApp


def procedo_app(app: App[object]) -> ProcedoApp:
    """``app`` as the ProcedoApp it is (the one cast of the app's type)."""
    return cast("ProcedoApp", app)


class ProcedoScreen(Screen[None]):
    """A screen of the procedo app: its ``app`` is typed, with the workspace and navigation."""

    @property
    def app(self) -> ProcedoApp:  # type: ignore[override]  # narrower, read-only
        """The running app."""
        return procedo_app(super().app)


__all__ = ["ProcedoScreen", "procedo_app"]
