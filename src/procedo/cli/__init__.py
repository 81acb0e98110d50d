"""The ``procedo`` command: a thin layer that parses, calls the domain, prints and exits.

Exit codes: 0 success, 1 a problem with the input or the data, 2 bad usage.
"""

from __future__ import annotations

import sys

import click

from procedo import __version__
from procedo.cli.anchor_command import anchor_command
from procedo.cli.common import ProcedoContext, add_path_options, fail
from procedo.cli.definitions import list_command, new_command, validate_command
from procedo.cli.diagram_command import diagram_command
from procedo.cli.doc_commands import docs_command, import_command
from procedo.cli.history_commands import COMMANDS as HISTORY_COMMANDS
from procedo.cli.runs import COMMANDS as RUN_COMMANDS
from procedo.cli.serve_command import serve_command


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="procedo")
@add_path_options
@click.pass_context
def cli(ctx: click.Context, **_: object) -> None:
    """Follow written processes: decision trees, checklists, a journal and metrics.

    Without a command, opens the terminal app on the processes folder.
    """
    ctx.ensure_object(ProcedoContext)
    if ctx.invoked_subcommand is None:
        from procedo.cli.tui_commands import open_home

        open_home(ctx.obj)


cli.add_command(validate_command)
cli.add_command(list_command)
cli.add_command(new_command)
cli.add_command(serve_command)
cli.add_command(diagram_command)
cli.add_command(docs_command)
cli.add_command(import_command)
cli.add_command(anchor_command)
for _command in RUN_COMMANDS:
    cli.add_command(_command)
for _command in HISTORY_COMMANDS:
    cli.add_command(_command)


def _register_optional() -> None:
    from procedo.cli import tui_commands

    tui_commands.register(cli)


_register_optional()


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="procedo", standalone_mode=True)
    except KeyboardInterrupt:
        fail("interrupted", code=130)
    except BrokenPipeError:
        sys.exit(0)


__all__ = ["cli", "main"]
