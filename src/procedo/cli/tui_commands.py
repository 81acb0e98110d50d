"""Commands that open the terminal app (filled in by the TUI work)."""

from __future__ import annotations

import click

from procedo.cli.common import ProcedoContext


def open_home(obj: ProcedoContext) -> None:
    """Open the home screen (until the TUI exists: list the processes)."""
    from procedo.cli.definitions import list_command

    click.get_current_context().invoke(list_command)


def register(group: click.Group) -> None:
    """Add the TUI commands to the CLI group."""
