"""The ``procedo`` click group: every command, each imported only when it runs."""

from __future__ import annotations

import click

from procedo import __version__
from procedo.cli.common import ProcedoContext, add_path_options, add_quiet_option
from procedo.cli.lazy_group import LazyGroup

# Each command's module is imported only when that command runs (or --help lists them all):
# the bare ``procedo`` opens the app without importing any of them.
COMMANDS = {
    "anchor": "procedo.cli.anchor_command:anchor_command",
    "board": "procedo.cli.tui_commands:board_command",
    "diagram": "procedo.cli.diagram_command:diagram_command",
    "docs": "procedo.cli.doc_commands:docs_command",
    "export": "procedo.cli.history_commands:export_command",
    "history": "procedo.cli.history_commands:history_command",
    "import": "procedo.cli.doc_commands:import_command",
    "list": "procedo.cli.definitions:list_command",
    "new": "procedo.cli.definitions:new_command",
    "paths": "procedo.cli.runs:paths_command",
    "resume": "procedo.cli.tui_commands:resume_command",
    "run": "procedo.cli.tui_commands:run_command",
    "runs": "procedo.cli.runs:runs_command",
    "serve": "procedo.cli.serve_command:serve_command",
    "show": "procedo.cli.runs:show_command",
    "signers": "procedo.cli.signers_command:signers_command",
    "stats": "procedo.cli.history_commands:stats_command",
    "validate": "procedo.cli.definitions:validate_command",
    "verify": "procedo.cli.runs:verify_command",
}


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="procedo")
@add_path_options
@add_quiet_option
@click.pass_context
def cli(ctx: click.Context, **_: object) -> None:
    """Follow written processes: decision trees, checklists, a journal and metrics.

    Without a command, opens the terminal app on the processes folder.
    """
    ctx.ensure_object(ProcedoContext)
    if ctx.invoked_subcommand is None:
        from procedo.cli.tui_commands import open_home

        open_home(ctx.obj)


__all__ = ["COMMANDS", "cli"]
