"""Cleaning what an operator types before it reaches the journal: names, free text, inputs.

Each function returns the cleaned text or raises :class:`Refused` (or :class:`InvalidValue`)
with a message for the operator; nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

from procedo.engine.errors import InvalidValue, Refused
from procedo.engine.values import MAX_NAME, MAX_TEXT, normalise_value
from procedo.model import ProcessDefinition
from procedo.safe_text import describe_unsafe, first_unsafe

__all__ = ["MAX_NAME", "MAX_TEXT", "clean_inputs", "clean_name", "clean_text", "optional_reason"]


def clean_name(name: str, what: str = "operator name") -> str:
    """A trimmed, non-empty, single-line name, or :class:`Refused`.

    Runs of spaces and tabs become one space; a control character (a line break, an escape
    code) or a text-direction control is refused, not silently dropped.
    """
    trimmed = str(name).strip()
    _refuse_unsafe(trimmed, what, multiline=False)
    cleaned = " ".join(trimmed.split())
    if not cleaned:
        raise Refused(f"the {what} must not be empty")
    if len(cleaned) > MAX_NAME:
        raise Refused(f"the {what} is longer than {MAX_NAME} characters")
    return cleaned


def clean_text(text: str, what: str, *, multiline: bool = False) -> str:
    """Trimmed, non-empty free text, or :class:`Refused`.

    Only ``multiline`` text (a note) may hold line breaks (a Windows line end becomes one);
    any other control character or a text-direction control is refused.
    """
    cleaned = str(text).strip()
    if multiline:
        cleaned = cleaned.replace("\r\n", "\n")
    if not cleaned:
        raise Refused(f"the {what} must not be empty")
    if len(cleaned) > MAX_TEXT:
        raise Refused(f"the {what} is longer than {MAX_TEXT} characters")
    _refuse_unsafe(cleaned, what, multiline=multiline)
    return cleaned


def optional_reason(reason: str | None) -> str | None:
    """A reason that may be left out (pause, handover): None when blank, else cleaned."""
    if reason is None or not str(reason).strip():
        return None
    return clean_text(reason, "reason")


def _refuse_unsafe(text: str, what: str, *, multiline: bool) -> None:
    char = first_unsafe(text, multiline=multiline)
    if char is not None:
        one_line = " (it is one line)" if char == "\n" else ""
        raise Refused(f"the {what} must not contain {describe_unsafe(char)}{one_line}")


def clean_inputs(definition: ProcessDefinition, raw: Mapping[str, str]) -> dict[str, str]:
    """Every start input, normalised, in the definition's order; :class:`Refused` for one
    missing, unknown or invalid."""
    unknown = [key for key in raw if key not in definition.inputs]
    if unknown:
        known = ", ".join(definition.inputs) or "none"
        raise Refused(f"{unknown[0]!r} is not an input of this process (inputs: {known})")
    missing = [key for key in definition.inputs if key not in raw]
    if missing:
        names = ", ".join(f"{key} ({definition.inputs[key].title})" for key in missing)
        raise Refused(f"give the start input{'s' if len(missing) > 1 else ''}: {names}")
    given: dict[str, str] = {}
    for key, spec in definition.inputs.items():
        try:
            given[key] = normalise_value(spec, raw[key])
        except InvalidValue as error:
            raise InvalidValue(f"{key}: {error}") from None
    return given
