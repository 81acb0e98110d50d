"""Conditions in CEL (Common Expression Language): ``expect = "residual_v < 1"``,
``when = "amount > 250"``.

Compiled through cel-expr-python, imported only inside the functions that compile: a
definition without conditions never loads it. Never Python ``eval``.

A recorded number is a decimal (CEL ``double``), and CEL's checker refuses ``double < int``,
which is what people write. So a source that does not compile as written is compiled again
with its decimal integer literals written as decimals (``1`` -> ``1.0``); when that fails too,
with only the literals next to the operator the checker names (so ``size(kind) > 3 &&
residual_v < 1`` works). When nothing compiles, the error of the source as written is told.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from procedo.model.cel_tokens import identifiers, is_decimal_int, token_tuple, with_decimals
from procedo.model.problems import did_you_mean

__all__ = [
    "MAX_LENGTH",
    "Condition",
    "ConditionError",
    "Kind",
    "compile_condition",
    "describe_values",
    "identifiers",
    "witnesses_of_overlap",
]

Kind = Literal["number", "text", "choice"]
MAX_LENGTH = 500
_MAX_TARGETED_FIXES = 16
DECIMAL_HINT = "a recorded number is a decimal: write 1.0, not 1"

_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): (.*)")
_UNDECLARED = re.compile(r"undeclared reference to '([^']*)'")
_OVERLOAD = re.compile(r"found no matching overload for '([^']*)' applied to '\((.*)\)'")
_OPERATORS = {
    "_<_": "<", "_<=_": "<=", "_>_": ">", "_>=_": ">=", "_==_": "==", "_!=_": "!=",
    "_+_": "+", "_-_": "-", "_*_": "*", "_/_": "/", "_%_": "%", "-_": "-", "!_": "!",
    "_&&_": "&&", "_||_": "||", "@in": "in", "_?_:_": "? :", "_[_]": "[ ]",
}  # fmt: skip
_TYPE_WORDS = {
    "double": "a number", "int": "a whole number", "uint": "a whole number",
    "string": "text", "bool": "true or false", "null_type": "null", "bytes": "bytes",
}  # fmt: skip


class ConditionError(ValueError):
    """A condition that cannot be used; ``message`` is one line for a person."""

    def __init__(self, message: str, column: int | None = None, line: int = 1) -> None:
        self.message = message
        self.column = column
        self.line = line
        where = f" (line {line}, column {column})" if column is not None else ""
        super().__init__(f"{message}{where}")


@dataclass(frozen=True)
class Condition:
    """A compiled condition: what it says, the ids it reads, and how to judge it."""

    source: str
    ids: tuple[str, ...]
    kinds: tuple[tuple[str, Kind], ...] = ()
    compiled_source: str = ""  # what was compiled: the source, or it with decimals
    _program: Any = field(default=None, compare=False, hash=False, repr=False)
    _env: Any = field(default=None, compare=False, hash=False, repr=False)

    def holds(self, values: Mapping[str, float | str]) -> bool | None:
        """True/False; None when a value it reads is missing from ``values`` or evaluation
        fails (division by zero, ...). Never raises."""
        try:
            data: dict[str, float | str] = {}
            for name, kind in self.kinds:
                if name not in values or values[name] is None:
                    return None
                value = values[name]
                data[name] = float(value) if kind == "number" else str(value)
            result = self._program.eval(data=data)
            if result.type().name() != "BOOL":
                return None
            return bool(result.value())
        except Exception:
            return None


def _cel() -> Any:
    """The CEL module, imported on first use."""
    import cel_expr_python.cel as cel  # lazily, on purpose

    return cel


@functools.lru_cache(maxsize=256)
def _env(kinds: frozenset[tuple[str, Kind]]) -> Any:
    """A CEL environment declaring these ids (number -> double, text and choice -> string)."""
    cel = _cel()
    types = {name: cel.Type.DOUBLE if kind == "number" else cel.Type.STRING for name, kind in kinds}
    return cel.NewEnv(variables=types)


def compile_condition(source: str, kinds: Mapping[str, Kind]) -> Condition:
    """Compile ``source`` over the ids of ``kinds``; raises ConditionError saying what is wrong.

    One CEL environment per set of kinds (a process's conditions share it: the first compile
    in a new environment costs 0.5-5 ms, the next ones 30-200 us).
    """
    outcome = _compile_cached(source, frozenset(kinds.items()))
    if isinstance(outcome, ConditionError):
        raise ConditionError(outcome.message, outcome.column, outcome.line)
    return outcome


@functools.lru_cache(maxsize=4096)
def _compile_cached(
    source: str, declared: frozenset[tuple[str, Kind]]
) -> Condition | ConditionError:
    """The condition, or the error to raise (both cached: 200 files often repeat conditions)."""
    if not source.strip():
        return ConditionError("the condition is empty")
    if len(source) > MAX_LENGTH:
        return ConditionError(
            f"the condition is {len(source)} characters long, at most {MAX_LENGTH} are allowed"
        )
    env = _env(declared)
    try:
        program, compiled = env.compile(source), source
    except RuntimeError as error:
        first_error = str(error)
        fixed = _compile_with_decimals(env, source)
        if fixed is None:
            return _error_of(first_error, sorted(name for name, _ in declared))
        program, compiled = fixed
    returned = program.return_type().name()
    if returned != "BOOL":
        return ConditionError(f"the condition must be true or false, {_gives(returned)}")
    order = dict(declared)
    ids = tuple(name for name in identifiers(source) if name in order)
    return Condition(source, ids, tuple((n, order[n]) for n in ids), compiled, program, env)


def _compile_with_decimals(env: Any, source: str) -> tuple[Any, str] | None:
    """The program and source compiled with integer literals as decimals: every one first,
    else only those beside an operator the checker refuses for ``(double, int)``, one error
    at a time (so ``size(kind) > 3 && residual_v < 1`` keeps its whole number 3)."""
    rewritten = with_decimals(source)
    if rewritten == source:
        return None
    try:
        return env.compile(rewritten), rewritten
    except RuntimeError:
        pass
    current = source
    for _ in range(_MAX_TARGETED_FIXES):
        try:
            return env.compile(current), current
        except RuntimeError as error:
            literal = _literal_to_fix(current, str(error))
        if literal is None:
            return None
        current = with_decimals(current, only=frozenset({literal}))
    return None


def _literal_to_fix(source: str, error: str) -> int | None:
    """Where the integer literal beside the operator of a ``(double, int)`` error starts."""
    match = _ERROR.search(error)
    overload = _OVERLOAD.search(error)
    if match is None or overload is None:
        return None
    types = {t.strip() for t in overload.group(2).split(",")}
    if not {"double", "int"} <= types:
        return None
    offset = _offset(source, int(match.group(1)), int(match.group(2)))
    meaningful = [t for t in token_tuple(source) if t.kind not in ("space", "comment")]
    at = next((i for i, t in enumerate(meaningful) if t.start == offset), None)
    if at is None:
        return None
    after = meaningful[at + 1 : at + 3]
    if after and after[0].text == "-":
        after = after[1:]
    candidates = [*after[:1], *meaningful[max(at - 1, 0) : at]]
    return next((t.start for t in candidates if is_decimal_int(t)), None)


def _offset(source: str, line: int, column: int) -> int:
    """The 0-based offset of a 1-based line and column."""
    lines = source.split("\n")
    return sum(len(text) + 1 for text in lines[: line - 1]) + column - 1


def _gives(type_name: str) -> str:
    """``this one gives a number`` for a CEL type name."""
    words = {"DOUBLE": "a number", "INT": "a number", "UINT": "a number", "STRING": "text"}
    return f"this one gives {words.get(type_name, type_name.lower())}"


def _error_of(text: str, known: list[str]) -> ConditionError:
    """The checker's most telling error, told for a person, with its position.

    An unknown id first, then any other error, a ``(double, int)`` mismatch last (the
    decimals rewrite may have been defeated by another error, which is then the one to fix).
    """
    matches = list(_ERROR.finditer(text))
    match = min(matches, key=_rank, default=None)
    if match is None:
        first = text.splitlines()[0] if text else "?"
        return ConditionError(f"the condition cannot be read: {first}")
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3).strip()
    undeclared = _UNDECLARED.search(detail)
    if undeclared:
        name = undeclared.group(1)
        message = f"{name!r} is not an item or input id{did_you_mean(name, known)}"
        return ConditionError(message, column, line)
    overload = _OVERLOAD.search(detail)
    if overload:
        return ConditionError(_overload_message(*overload.groups()), column, line)
    if detail.startswith("Syntax error:"):
        detail = detail.removeprefix("Syntax error:").strip()
        detail = detail.split(" expecting ", 1)[0]
        return ConditionError(f"the condition is not well formed here: {detail}", column, line)
    return ConditionError(detail, column, line)


def _rank(match: re.Match[str]) -> int:
    """0 for an unknown id, 2 for a ``double``/``int`` mismatch, 1 for anything else."""
    detail = match.group(3)
    if _UNDECLARED.search(detail):
        return 0
    overload = _OVERLOAD.search(detail)
    if overload and {"double", "int"} <= {t.strip() for t in overload.group(2).split(",")}:
        return 2
    return 1


def _overload_message(function: str, arguments: str) -> str:
    """Why an operator could not be applied, in words."""
    types = [t.strip() for t in arguments.split(",")]
    if "string" in types and "double" in types:
        return "a number is compared with text"
    operator = _OPERATORS.get(function, function)
    words = " and ".join(_TYPE_WORDS.get(t, t) for t in types)
    message = f"'{operator}' cannot be used with {words}"
    if {"double", "int"} <= set(types):
        message += (
            f" ({DECIMAL_HINT}; a whole number such as size(x) is made one by double(size(x)))"
        )
    return message


def describe_values(condition: Condition, values: Mapping[str, float | str]) -> str:
    """``arrival_temp = 12, kind = 'Frozen'``: the values a condition read."""
    parts = []
    for name in condition.ids:
        if name not in values or values[name] is None:
            parts.append(f"{name} = (not recorded)")
            continue
        value = values[name]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            parts.append(f"{name} = {_number(float(value))}")
        else:
            parts.append(f"{name} = {str(value)!r}")
    return ", ".join(parts)


def _number(value: float) -> str:
    """``12`` for 12.0, ``0.5`` for 0.5."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


from procedo.model.condition_overlap import witnesses_of_overlap  # noqa: E402
