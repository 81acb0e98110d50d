"""``procedo import FILE.bpmn``: every process of the file (or the one chosen) to a TOML file."""

from __future__ import annotations

from pathlib import Path

from procedo.cli.common import echo, fail
from procedo.cli.files import write_file


def import_bpmn_file(
    path: Path, text: str, *, process_id: str | None, output: str | None, process: str | None
) -> None:
    """Import ``text`` (read from ``path``), write one TOML file per process, print the report.

    Nothing is written when any target exists or any process would not be valid.
    """
    from procedo.importers.bpmn import BpmnError, import_bpmn
    from procedo.model import parse_definition

    try:
        results = import_bpmn(text, process=process, process_id=process_id)
    except BpmnError as error:
        where = f":{error.line}" if error.line is not None else ""
        fail(f"{path}{where}: {error.message}")
    if output is not None and len(results) > 1:
        names = ", ".join(r.process_id for r in results)
        fail(
            f"{path} holds {len(results)} processes ({names}): choose one with --process, "
            "or leave out -o to write ID.toml for each"
        )
    targets = [Path(output) if output else Path(f"{r.process_id}.toml") for r in results]
    for target in targets:
        if target.exists():
            fail(f"{target} already exists; not overwriting it (choose another file with -o)")
    for result, target in zip(results, targets, strict=True):
        try:
            write_file(target, result.toml, force=False)
        except FileExistsError:
            fail(f"{target} already exists; not overwriting it (choose another file with -o)")
        except OSError as error:
            fail(f"cannot write {target}: {error.strerror or error}")
        definition = parse_definition(result.toml, default_id=result.process_id)
        items = sum(len(step.items) for step in definition.steps.values())
        echo(
            f"Wrote {target}: {len(definition.steps)} step(s), {items} item(s), "
            f"{len(definition.decisions)} decision(s), {len(definition.parallel)} parallel "
            f"block(s), {len(definition.ends)} end(s). Check it with `procedo validate {target}`."
        )
        if result.report:
            echo(f"  {len(result.report)} element(s) mapped differently or left out:")
            for line in result.report:
                echo(
                    f"  {path}:{line.removeprefix('line ')}"
                    if line.startswith("line ")
                    else f"  {line}"
                )
