"""``procedo signers``: enrol the people who sign, list them, disable, enable, reset a PIN.

A PIN or passphrase is asked twice with a hidden prompt (``--pin-stdin`` reads one line, for
scripts); it is never printed, nor is its hash.
"""

from __future__ import annotations

import sys

import click

from procedo.cli.common import ProcedoContext, add_path_options, echo, fail, pass_procedo

_PIN_HELP = "Read the PIN or passphrase from one line of standard input (for scripts)."


@click.group("signers")
@add_path_options
def signers_command() -> None:
    """Enrol and manage the signers of the journal (who may sign off a step).

    A signer has an id, a printed name, roles and a PIN or passphrase (at least 6 digits, or
    at least 4 characters that are not all digits). Signers are never deleted: a disabled
    signer's signatures stay readable.
    """


@signers_command.command("add")
@click.argument("signer_id")
@click.option("--name", required=True, help="The printed name shown with each signature.")
@click.option("--role", "roles", multiple=True, help="A role the signer may sign for (repeat).")
@click.option("--pin-stdin", is_flag=True, help=_PIN_HELP)
@add_path_options
@pass_procedo
def add_command(
    obj: ProcedoContext, signer_id: str, name: str, roles: tuple[str, ...], pin_stdin: bool
) -> None:
    """Enrol a signer: asks the PIN or passphrase twice."""
    from procedo.cli.runs import journal_for
    from procedo.journal.signers import add_signer, check_new_signer

    with journal_for(obj, create=True) as journal:
        check_new_signer(journal, signer_id, name, roles)
        secret = _read_secret(pin_stdin)
        row = add_signer(journal, signer_id, name, roles, secret)
    held = ", ".join(row.roles) or "none"
    echo(f"Added the signer {row.id} ({row.name}); roles: {held}.")


@signers_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@add_path_options
@pass_procedo
def list_command(obj: ProcedoContext, as_json: bool) -> None:
    """List the signers: id, name, roles, enabled, created (never a PIN)."""
    from procedo.cli.common import print_json, print_table
    from procedo.cli.runs import journal_for, short_time
    from procedo.journal.signers import list_signers

    with journal_for(obj) as journal:
        rows = list_signers(journal)
    if as_json:
        print_json(
            [
                {
                    "id": row.id,
                    "name": row.name,
                    "roles": list(row.roles),
                    "enabled": row.enabled,
                    "created_at": row.created_at,
                    "updated_at": row.updated_at,
                    "locked_until": row.locked_until,
                }
                for row in rows
            ]
        )
        return
    if not rows:
        echo("No signers yet (`procedo signers add ID --name NAME` enrols one).")
        return
    cells = [
        [row.id, row.name, ", ".join(row.roles), _enabled(row.enabled, row.locked_until),
         short_time(row.created_at)]
        for row in rows
    ]  # fmt: skip
    print_table(cells, ["ID", "NAME", "ROLES", "ENABLED", "CREATED"])


@signers_command.command("disable")
@click.argument("signer_id")
@add_path_options
@pass_procedo
def disable_command(obj: ProcedoContext, signer_id: str) -> None:
    """Disable a signer (kept in the journal; its signatures stay readable)."""
    from procedo.cli.runs import journal_for
    from procedo.journal.signers import disable_signer

    with journal_for(obj) as journal:
        row = disable_signer(journal, signer_id)
    echo(f"Disabled the signer {row.id} ({row.name}).")


@signers_command.command("enable")
@click.argument("signer_id")
@add_path_options
@pass_procedo
def enable_command(obj: ProcedoContext, signer_id: str) -> None:
    """Enable a disabled signer again."""
    from procedo.cli.runs import journal_for
    from procedo.journal.signers import enable_signer

    with journal_for(obj) as journal:
        row = enable_signer(journal, signer_id)
    echo(f"Enabled the signer {row.id} ({row.name}).")


@signers_command.command("roles")
@click.argument("signer_id")
@click.option("--role", "roles", multiple=True, help="A role the signer may sign for (repeat).")
@add_path_options
@pass_procedo
def roles_command(obj: ProcedoContext, signer_id: str, roles: tuple[str, ...]) -> None:
    """Replace a signer's roles (no --role: none)."""
    from procedo.cli.runs import journal_for
    from procedo.journal.signers import set_roles

    with journal_for(obj) as journal:
        row = set_roles(journal, signer_id, roles)
    echo(f"The signer {row.id} ({row.name}) now has the roles: {', '.join(row.roles) or 'none'}.")


@signers_command.command("reset-pin")
@click.argument("signer_id")
@click.option("--pin-stdin", is_flag=True, help=_PIN_HELP)
@add_path_options
@pass_procedo
def reset_pin_command(obj: ProcedoContext, signer_id: str, pin_stdin: bool) -> None:
    """Give a signer a new PIN or passphrase (asked twice); ends a lockout."""
    from procedo.cli.runs import journal_for
    from procedo.journal.signers import SignerError, get_signer, reset_secret, unknown_signer

    with journal_for(obj) as journal:
        if get_signer(journal, signer_id.strip()) is None:
            raise SignerError(unknown_signer(signer_id.strip()))
        secret = _read_secret(pin_stdin)
        row = reset_secret(journal, signer_id, secret)
    echo(f"Set a new PIN or passphrase for the signer {row.id} ({row.name}).")


def _read_secret(from_stdin: bool) -> str:
    """The secret from one line of standard input, or typed twice at hidden prompts."""
    from procedo.journal.secrets import secret_problem

    if from_stdin:
        line = sys.stdin.readline()
        secret = line.removesuffix("\n").removesuffix("\r")
    else:
        secret = click.prompt("PIN or passphrase", hide_input=True, default="", show_default=False)
    problem = secret_problem(secret)
    if problem is not None:
        fail(f"{problem}; nothing was changed")
    if not from_stdin:
        again = click.prompt("The same again", hide_input=True, default="", show_default=False)
        if again != secret:
            fail("the two entries do not match; nothing was changed")
    return secret


def _enabled(enabled: bool, locked_until: str | None) -> str:
    if not enabled:
        return "no"
    return f"yes, locked until {locked_until[11:16]} UTC" if locked_until else "yes"
