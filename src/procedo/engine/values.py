"""Parsing and checking values recorded for checklist items."""

from __future__ import annotations

import math
import re

from procedo.engine.errors import InvalidValue
from procedo.model.definition import RecordSpec
from procedo.model.text_checks import MAX_MULTILINE as MAX_TEXT
from procedo.model.text_checks import MAX_NAME
from procedo.safe_text import describe_unsafe, first_unsafe

__all__ = ["MAX_NAME", "MAX_TEXT", "format_number", "normalise_value", "parse_number"]


def format_number(number: float) -> str:
    """A canonical text form of a number: ``12``, ``12.5``, ``0.001``."""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
"""A plain decimal number, with a decimal point or comma and an optional exponent."""
GROUPED = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")
"""``1,000``: a thousand with a separator, or one with a decimal comma."""


def parse_number(raw: str) -> float:
    """Parse a number as typed by an operator (a decimal comma is accepted).

    ``1,000`` is refused as ambiguous rather than read as one or as a thousand; digit
    separators (``1_000``, ``1 000``) and words (``nan``, ``infinity``) are not numbers.
    """
    shown = raw.strip()
    text = shown.replace("\u2212", "-")
    if GROUPED.fullmatch(text):
        whole = text.replace(",", "")
        one = text.replace(",", ".")
        raise InvalidValue(f"{shown!r} is ambiguous: type {whole} or {one}")
    if not NUMBER.fullmatch(text):
        raise InvalidValue(f"{shown!r} is not a number")
    number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise InvalidValue(f"{shown!r} is too large")
    return number


def normalise_value(item: RecordSpec, raw: str) -> str:
    """The canonical text of ``raw`` for ``item``, or :class:`InvalidValue` saying why not."""
    if item.record is None:
        raise InvalidValue("this item does not take a value; tick it instead")
    if len(raw) > MAX_TEXT:
        raise InvalidValue(f"the value is longer than {MAX_TEXT} characters")
    unsafe = first_unsafe(raw.strip())
    if unsafe is not None:
        raise InvalidValue(f"the value must not contain {describe_unsafe(unsafe)}")
    if item.record == "text":
        text = raw.strip()
        if not text:
            raise InvalidValue("the value must not be empty")
        return text
    if item.record == "choice":
        text = raw.strip()
        if text in item.choices:
            return text
        folded = [c for c in item.choices if c.casefold() == text.casefold()]
        if folded:
            return folded[0]
        raise InvalidValue(f"{text!r} is not one of: {', '.join(item.choices)}")
    number = parse_number(raw)
    unit = f" {item.unit}" if item.unit else ""
    if item.min is not None and number < item.min:
        raise InvalidValue(f"{format_number(number)}{unit} is below the minimum {item.min:g}{unit}")
    if item.max is not None and number > item.max:
        raise InvalidValue(f"{format_number(number)}{unit} is above the maximum {item.max:g}{unit}")
    return format_number(number)
