"""A BPMN ``conditionExpression`` as a procedo condition (CEL), where CEL can say it.

Camunda writes ``${amount > 1000}`` (JUEL, with ``and``/``or``/``not``/``gt``...), Zeebe
``= amount > 1000`` (FEEL, ``=`` for equality), SpiffWorkflow ``amount > 1000 and ok``
(Python). The expression is unwrapped, those words are written as CEL operators, camelCase
names become value ids (``orderTotal`` -> ``order_total``), and the result is compiled with
:func:`procedo.model.conditions.compile_condition`; the names it reads that the process does
not record are given a kind (number, else text) that makes it compile.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from procedo.model.cel_tokens import tokens
from procedo.model.conditions import Kind
from procedo.model.placeholders import RESERVED_WORDS

_WORDS = {
    "and": "&&", "or": "||", "not": "!", "eq": "==", "ne": "!=", "lt": "<", "gt": ">",
    "le": "<=", "ge": ">=", "True": "true", "False": "false", "None": "null",
}  # fmt: skip
_WRAPPED = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.DOTALL)
_VALUE_ID = re.compile(r"[a-z][a-z0-9_]*")
_MAX_GUESSED = 4  # names whose kind is guessed: 2**4 compiles at most


@dataclass(frozen=True)
class Converted:
    """A condition procedo can judge, and the kinds it needed for names nothing records."""

    source: str
    new_kinds: dict[str, Kind]


def value_id(name: str) -> str:
    """``orderTotal`` -> ``order_total``; ``Amount-EUR`` -> ``amount_eur``."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    return re.sub(r"[^a-z0-9_]+", "_", snake).strip("_")


def to_cel(expression: str) -> str:
    """The expression unwrapped (``${...}``, ``= ...``) with JUEL/FEEL/Python words as CEL."""
    text = expression.strip()
    wrapped = _WRAPPED.match(text)
    if wrapped:
        text = wrapped.group(1).strip()
    elif text.startswith("=") and not text.startswith("=="):
        text = text[1:].strip()
    found = list(tokens(text))
    meaningful = [t for t in found if t.kind not in ("space", "comment")]
    after: dict[int, str] = {}
    before: dict[int, str] = {}
    for index, token in enumerate(meaningful):
        if index + 1 < len(meaningful):
            after[token.start] = meaningful[index + 1].text
        if index:
            before[token.start] = meaningful[index - 1].text
    out: list[str] = []
    for token in found:
        if token.kind == "ident":
            if before.get(token.start) == ".":
                out.append(token.text)  # a member name
            elif token.text in _WORDS:
                out.append(_WORDS[token.text])
            elif after.get(token.start) == "(" or token.text in RESERVED_WORDS:
                out.append(token.text)  # a function, or true/false/null/in
            else:
                out.append(value_id(token.text) or token.text)
        elif token.kind == "op" and token.text == "=":
            out.append("==")
        else:
            out.append(token.text)
    return "".join(out)


def convert(expression: str, kinds: dict[str, Kind]) -> Converted | None:
    """The expression as a compiling condition over ``kinds`` (plus guessed kinds for names
    nothing records), or None when CEL cannot express it."""
    from procedo.model.conditions import ConditionError, compile_condition, identifiers

    source = to_cel(expression)
    if not source or len(source) > 500:
        return None
    names = identifiers(source)
    unknown = [n for n in names if n not in kinds]
    if len(unknown) > _MAX_GUESSED or not all(_VALUE_ID.fullmatch(n) for n in unknown):
        return None
    guesses: tuple[Kind, ...] = ("number", "text")
    for combination in itertools.product(guesses, repeat=len(unknown)):
        new_kinds: dict[str, Kind] = dict(zip(unknown, combination, strict=True))
        try:
            compile_condition(source, {**kinds, **new_kinds})
        except ConditionError:
            continue
        return Converted(source, new_kinds)
    return None
