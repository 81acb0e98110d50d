"""Issue 11's keys in Markdown (docs/import.md), as the handbook writes them: a hold point's
``**Hold point:** signed by Surgeon (approved), Nurse (reviewed, someone who took no part)``
under a step or decision heading (its ``signoff``), and an item's
``*(may be overridden by: Supervisor)*`` (its ``override``, read in ``markdown_items``).

A role name or a meaning writes ``(``, ``)`` and ``,`` escaped (``\\(``); the unescaped ones
separate the sign-offs, a role from its meaning, a meaning from the words of ``distinct``.
"""

from __future__ import annotations

from typing import Any

from procedo.importers.markdown_items import MarkdownImportError
from procedo.importers.markdown_preamble import Builder
from procedo.markdown_text import DISTINCT_WORDS, SIGNED_BY, find_unescaped, unescape

EXAMPLE = "**Hold point:** signed by Surgeon (approved), Nurse (reviewed, someone who took no part)"


def _split(text: str, separator: str) -> list[str]:
    """``text`` cut at each unescaped ``separator`` outside unescaped parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(text):
        found = [i for i in (find_unescaped(text, c, index) for c in f"(){separator}") if i >= 0]
        if not found:
            break
        index = min(found)
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts


def _one(builder: Builder, written: str, where: str) -> dict[str, Any]:
    """``Surgeon (approved)`` or ``Surgeon (approved, someone who took no part)``."""
    entry = written.strip(" \t")
    opening = -1
    while (found := find_unescaped(entry, "(", opening + 1)) >= 0:
        opening = found
    closing = find_unescaped(entry, ")", max(opening, 0))
    if opening <= 0 or closing != len(entry) - 1:
        raise MarkdownImportError(
            f"{where}: cannot read the sign-off {written.strip()!r}: write a role and its "
            f"meaning in parentheses (e.g. {EXAMPLE!r})"
        )
    name = unescape(entry[:opening].strip(" \t"))
    inside = _split(entry[opening + 1 : -1], ",")
    meaning = unescape(inside[0].strip(" \t"))
    rest = [unescape(part).strip().casefold() for part in inside[1:]]
    if not name.strip() or not meaning.strip() or any(r != DISTINCT_WORDS for r in rest):
        raise MarkdownImportError(
            f"{where}: cannot read the sign-off {written.strip()!r}: after the meaning only "
            f"{DISTINCT_WORDS!r} may follow (e.g. {EXAMPLE!r})"
        )
    data: dict[str, Any] = {"role": builder.role(name), "meaning": meaning}
    if rest:
        data["distinct"] = True
    return data


def signoff_of(builder: Builder, value: str, where: str) -> list[dict[str, Any]]:
    """A ``Hold point:`` field's value (Markdown) as a ``signoff`` list, in its order."""
    text = value.strip(" \t")
    if text[: len(SIGNED_BY)].casefold() == SIGNED_BY:
        text = text[len(SIGNED_BY) :]
        if text.startswith(":"):
            text = text[1:]
    parts = [part for part in _split(text, ",") if part.strip(" \t")]
    if not parts:
        raise MarkdownImportError(f"{where}: a hold point names no signer (write e.g. {EXAMPLE!r})")
    return [_one(builder, part, where) for part in parts]


def override_of(builder: Builder, written: str, where: str) -> dict[str, str]:
    """An item's ``override`` table from the role its annotation names."""
    if not written.strip():
        raise MarkdownImportError(
            f"{where}: an override names no role (write e.g. '*(may be overridden by: "
            "Supervisor)*')"
        )
    return {"role": builder.role(written)}
