"""Turn pydantic validation errors into messages a process author can act on."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from procedo.model.definition import ProcessDefinition
from procedo.model.problems import did_you_mean
from procedo.model.toml_index import KeyPath

_TYPE_WORDS = {
    "string_type": "text (a quoted string)",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}


def describe_value(value: Any) -> str:
    """A short description of a TOML value for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def model_at(path: KeyPath) -> type[BaseModel] | None:
    """The model class that describes the table at ``path`` in a definition, if any."""
    annotation: Any = ProcessDefinition
    for part in path:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None
            annotation = field.annotation
            continue
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is dict and args:
            annotation = args[-1]
        elif origin in (tuple, list) and args:
            annotation = args[0]
        else:
            return None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else options[0]
        else:
            return annotation


def error_message(error: ErrorDetails) -> tuple[KeyPath, str]:
    """The key path and the author-facing message for one pydantic error."""
    path: KeyPath = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return path, f"required key {str(path[-1])!r} is missing"
    if kind == "next_missing":  # a step's next is required unless it calls a process
        return (*path, "next"), "required key 'next' is missing"
    if kind == "extra_forbidden":
        parent = model_at(path[:-1])
        known = list(parent.model_fields) if parent else []
        hint = did_you_mean(str(path[-1]), known)
        if not hint and known:
            hint = f" (known keys: {', '.join(known)})"
        return path, f"unknown key {str(path[-1])!r}{hint}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        allowed = [part.strip().strip("'") for part in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), [a for a in allowed if a]) if isinstance(value, str) else ""
        return path, f"must be one of {expected}, not {describe_value(value)}{hint}"
    if kind in _TYPE_WORDS:
        expected = _TYPE_WORDS[kind]
        if kind == "model_type" and len(path) >= 2 and path[-2] == "items":
            expected = "a string or a table"  # an item is "text" or { text = ..., ... }
        return path, f"must be {expected}, not {describe_value(value)}"
    if kind == "finite_number":
        return path, f"must be a finite number, not {describe_value(value)}"
    if kind == "string_too_short":
        return path, "must not be empty"
    if kind == "greater_than":
        return path, f"must be above {error.get('ctx', {}).get('gt')}, not {describe_value(value)}"
    return path, error["msg"]
