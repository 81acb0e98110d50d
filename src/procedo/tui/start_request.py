"""What starting a run needs: the ``procedo run`` command and the start screen both say it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procedo.model import ProcessDefinition


@dataclass(frozen=True, slots=True)
class StartRequest:
    """A run to start: as the app opens (``procedo run``), or as the start screen returns it."""

    process_id: str
    operator: str | None = None
    trigger: str | None = None
    practice: bool = False
    inputs: dict[str, str] = field(default_factory=dict)
    """The start inputs as typed (``--set ID=VALUE`` or the start screen), by input id."""


def input_problems(definition: ProcessDefinition, given: Mapping[str, str]) -> dict[str, str]:
    """Why each start input of ``definition`` cannot be taken as given, by id (a missing one:
    "give a value"); empty when every input is valid."""
    from procedo.engine.errors import RunError
    from procedo.engine.values import normalise_value

    problems: dict[str, str] = {}
    for key, spec in definition.inputs.items():
        raw = given.get(key)
        if raw is None or not raw.strip():
            problems[key] = "give a value"
            continue
        try:
            normalise_value(spec, raw)
        except (RunError, ValueError) as error:
            problems[key] = str(error)
    return problems


__all__ = ["StartRequest", "input_problems"]
