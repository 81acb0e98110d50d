"""Counted words as a person writes them: ``1 visit``, ``2 visits``."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 visit``, ``0 visits``, ``3 people`` (``nouns`` for an irregular plural)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
