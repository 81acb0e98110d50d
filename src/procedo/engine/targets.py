"""Whether a run finished within its process's target time: one rule for every screen and file."""

from __future__ import annotations

from procedo.model import ProcessDefinition


def target_ms(definition: ProcessDefinition) -> int | None:
    """The definition's ``target_minutes`` in milliseconds (None when it has none)."""
    minutes = definition.process.target_minutes
    return None if minutes is None else round(minutes * 60_000)


def within_target(
    definition: ProcessDefinition, status: str, duration_ms: int | None
) -> bool | None:
    """True or False for a completed run of a process with a target; None otherwise.

    Only a completed run can be on target: an aborted or unfinished one has no verdict.
    """
    target = target_ms(definition)
    if target is None or duration_ms is None or status != "completed":
        return None
    return duration_ms <= target
