"""Shared pieces of the CLI: path options, output helpers and the error exit."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from click.core import ParameterSource

from procedo.cli.terminal_text import shown
from procedo.config import ENV_DB, ENV_PROCESSES, Paths
from procedo.safe_text import json_text, visible

if TYPE_CHECKING:
    from procedo.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class ProcedoContext:
    """Options collected on the group and on the subcommand (the latter wins)."""

    processes: Path | None = None
    db: Path | None = None
    quiet: bool = False
    """No terminal bell for a run's reminders (the notice only)."""

    @property
    def paths(self) -> Paths:
        """The resolved folders and files."""
        return Paths.resolve(self.processes, self.db)

    def workspace(self, *, create: bool = False) -> Workspace:
        """The command's workspace: how every command opens the journal and the catalog."""
        from procedo.workspace import Workspace

        return Workspace.for_command(self.paths, create=create)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None:
        obj = ctx.ensure_object(ProcedoContext)
        name = param.name or ""
        # The subcommand's copy of the option sees the environment variable too: it must not
        # override a value given explicitly on the group (``procedo --db X runs``).
        explicit = ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
        if explicit or getattr(obj, name, None) is None:
            setattr(obj, name, Path(value))
    return value


def add_path_options(func: F) -> F:
    """Add ``--processes`` and ``--db`` (usable before or after the subcommand name)."""
    func = click.option(
        "--db",
        type=click.Path(dir_okay=False),
        envvar=ENV_DB,
        callback=_remember,
        expose_value=False,
        is_eager=True,
        help=f"Journal database file [env {ENV_DB}].",
    )(func)
    func = click.option(
        "--processes",
        type=click.Path(),
        envvar=ENV_PROCESSES,
        callback=_remember,
        expose_value=False,
        is_eager=True,
        help=f"Folder of process definitions [env {ENV_PROCESSES}].",
    )(func)
    return func


def _be_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.ensure_object(ProcedoContext).quiet = True
    return value


def add_quiet_option(func: F) -> F:
    """Add ``--quiet`` (usable before or after the subcommand name): no bell for reminders."""
    return click.option(
        "--quiet",
        is_flag=True,
        callback=_be_quiet,
        expose_value=False,
        is_eager=True,
        help="No terminal bell when a run's reminder falls due (the notice still shows).",
    )(func)


def pass_procedo(func: F) -> F:
    """Pass the :class:`ProcedoContext` as the first argument."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        return func(ctx.ensure_object(ProcedoContext), *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for text that holds data (titles, names, notes, paths, messages quoting
    them): its line breaks stay, any other control or bidi character is shown escaped."""
    click.echo(visible(text, multiline=True), err=err, nl=nl)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``procedo: message`` to stderr and exit with ``code``."""
    echo(f"procedo: {message}", err=True)
    sys.exit(code)


def print_json(data: Any) -> None:
    """Print data as indented JSON (control and bidi characters written as ``\\u001b``)."""
    click.echo(json_text(data, indent=2, default=str))


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    """Print a plain aligned text table (cells on one line, control characters escaped)."""
    rows = [[shown(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    click.echo(line.rstrip())
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
