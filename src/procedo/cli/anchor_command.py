"""``procedo anchor``: the end of every run's chain, to keep outside the journal."""

from __future__ import annotations

import click

from procedo.cli.common import ProcedoContext, add_path_options, echo, fail, pass_procedo
from procedo.cli.files import write_or_print
from procedo.cli.runs import journal_for
from procedo.journal.anchor import make_anchor
from procedo.journal.verify_calls import verify_with_links


@click.command("anchor")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@add_path_options
@pass_procedo
def anchor_command(obj: ProcedoContext, output: str | None, force: bool) -> None:
    """Print every run's id, last seq and last hash, with a digest over them.

    Keep it elsewhere (print it, mail it, commit it); `procedo verify --anchor FILE` later
    names every run whose journal no longer reaches it. The journal is verified first: an
    anchor of a journal that is not intact is refused.
    """
    with journal_for(obj) as journal:
        report = verify_with_links(journal)
        if not report.intact:
            for breach in [*report.breaches, *report.signers]:
                echo(str(breach), err=True)
            fail("the journal is not intact (see above): no anchor made")
        text = make_anchor(journal)
    target = write_or_print(output, text, force=force)
    if target is None:
        return
    click.echo(f"Wrote {target}: {report.runs_checked} run(s) anchored.", err=True)
