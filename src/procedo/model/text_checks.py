"""Every text of a definition: a length limit, and no character that could act on a terminal.

One pass over the parsed TOML, before the models, so it covers every string (values, list
entries and keys, known or not) and names the key each problem is in. A string costs a length
test and one compiled search (:func:`procedo.safe_text.unsafe_at`); a text over its limit is
reported without being searched, so a 10 MB title is refused at once.
"""

from __future__ import annotations

from typing import Any

from procedo.model.toml_index import KeyPath
from procedo.safe_text import describe_unsafe, unsafe_at, unsafe_search

MAX_NAME = 120
"""Ids, keys, references, role names, owner, version, unit; operator names in a run."""
MAX_LINE = 500
"""One-line texts: titles, questions, option labels, item texts, choices, resources."""
MAX_MULTILINE = 10_000
"""Summary, instructions, details; a run's notes, reasons and values (the engine's MAX_TEXT)."""

MULTILINE_KEYS = frozenset({"summary", "instructions", "details"})
NAME_KEYS = frozenset(
    {"id", "start", "next", "role", "version", "unit", "owner", "record", "outcome"}
)

Finding = tuple[KeyPath, str]


def text_rule(path: KeyPath) -> tuple[int, bool]:
    """The length limit of the string at ``path``, and whether it may span lines."""
    if len(path) == 2 and path[0] == "roles":
        return MAX_NAME, False  # a role's display name
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    return _key_rule(key)


def _key_rule(key: str) -> tuple[int, bool]:
    if key in MULTILINE_KEYS:
        return MAX_MULTILINE, True
    if key in NAME_KEYS:
        return MAX_NAME, False
    return MAX_LINE, False


def text_problem(text: str, limit: int, multiline: bool) -> str | None:
    """What is wrong with one text (too long, or an unsafe character), or None."""
    if len(text) > limit:
        return f"is {len(text):,} characters long: the limit is {limit:,}"
    index = unsafe_at(text, multiline=multiline)
    if index < 0:
        return None
    char = text[index]
    if char == "\n":
        return (
            f"must not contain a line break (character {index + 1}): only summary, "
            "instructions and details may span lines"
        )
    return (
        f"must not contain {describe_unsafe(char)} (character {index + 1}): control and "
        "text-direction characters could act on a terminal"
    )


def text_findings(data: dict[str, Any]) -> list[Finding]:
    """A problem for every string in ``data`` (parsed TOML) that is too long or unsafe."""
    findings: list[Finding] = []
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    # The loop is the hot path of loading (about 20 strings per node): the common case, a
    # string within its limit and with nothing unsafe, costs one length test and one search.
    one_line, multi_line = unsafe_search(multiline=False), unsafe_search(multiline=True)
    rules = {key: _key_rule(key) for key in (*MULTILINE_KEYS, *NAME_KEYS)}
    default = (MAX_LINE, False)
    while stack:  # a loop, not recursion: a deeply nested array must not overflow the stack
        path, value = stack.pop()
        if isinstance(value, dict):
            roles = path == ("roles",)
            for key, child in value.items():
                if len(key) > MAX_NAME or one_line(key):
                    message = text_problem(key, MAX_NAME, False)
                    findings.append(((*path, key), f"the key {message}"))
                if isinstance(child, str):  # most values: checked here, not pushed
                    limit, multiline = (MAX_NAME, False) if roles else rules.get(key, default)
                    if len(child) > limit or (multi_line if multiline else one_line)(child):
                        findings.append(((*path, key), text_problem(child, limit, multiline)))
                elif isinstance(child, dict | list):
                    stack.append(((*path, key), child))
        elif isinstance(value, list):
            limit, multiline = text_rule(path)
            search = multi_line if multiline else one_line
            for index, child in enumerate(value):
                if isinstance(child, str):
                    if len(child) > limit or search(child):
                        findings.append(((*path, index), text_problem(child, limit, multiline)))
                elif isinstance(child, dict | list):
                    stack.append(((*path, index), child))
    return findings
