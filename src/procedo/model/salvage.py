"""Cross-checks for a file whose shape is wrong, so authors see every problem in one pass.

When pydantic rejects a file, the reference, role and decision checks of
:mod:`procedo.model.checks` still have something to say about the parts that are well formed.
:func:`salvage_findings` rebuilds a stand-in definition: each broken table is replaced by a
placeholder that keeps the references it holds as strings (so nothing that points at it becomes
"not a node"), then runs the checks and keeps what they find about values with no shape
problem of their own.
The graph checks (reachability, ways out) are left out: a placeholder could make them wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from procedo.model.checks import Finding, check_definition
from procedo.model.definition import ProcessDefinition

NODE_TABLES = ("steps", "decisions", "ends")


def salvage_findings(data: dict[str, Any], error_paths: Iterable[tuple[Any, ...]]) -> list[Finding]:
    """Findings of the cross-checks on the well-formed parts of ``data`` (never raises)."""
    if not any(isinstance(data.get(table), dict) for table in NODE_TABLES):
        return []  # nothing to cross-check: the shape problems say it all
    errors = [tuple(path) for path in error_paths if path]
    broken: set[tuple[Any, ...]] = set()
    for path in errors:
        if path[0] in NODE_TABLES and len(path) >= 2:
            broken.add(tuple(path[:2]))
        else:
            broken.add((path[0],))
    try:
        stand_in = ProcessDefinition.model_validate(_stand_in(data, broken))
        findings = check_definition(stand_in, graph=False)
    except (ValidationError, ValueError, TypeError, KeyError):
        return []
    return [(path, message) for path, message in findings if not _overlaps(tuple(path), errors)]


def _overlaps(path: tuple[Any, ...], errors: list[tuple[Any, ...]]) -> bool:
    """Whether a finding is about a value that already has a shape problem."""
    return any(path[: len(e)] == e or e[: len(path)] == path for e in errors)


def _stand_in(data: dict[str, Any], broken: set[tuple[Any, ...]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    process = data.get("process")
    if ("process",) in broken or not isinstance(process, dict):
        raw = process if isinstance(process, dict) else {}
        result["process"] = {"title": "?", **_strings(raw, "id", "start")}
    else:
        result["process"] = process
    roles = data.get("roles")
    if isinstance(roles, dict):
        # a broken role keeps its key, so steps that name it are not reported again
        result["roles"] = {k: v if isinstance(v, str) and v else "?" for k, v in roles.items()}
    triggers = data.get("triggers")
    if ("triggers",) not in broken and isinstance(triggers, list):
        result["triggers"] = triggers
    for table in NODE_TABLES:
        nodes = data.get(table)
        if not isinstance(nodes, dict):
            continue
        result[table] = {
            node_id: _placeholder(table, node_id, node) if (table, node_id) in broken else node
            for node_id, node in nodes.items()
        }
    return result


def _strings(raw: dict[str, Any], *keys: str) -> dict[str, str]:
    return {key: raw[key] for key in keys if isinstance(raw.get(key), str) and raw[key]}


def _placeholder(table: str, node_id: str, raw: Any) -> dict[str, Any]:
    """A valid node with the raw node's string references (its own id where none is usable)."""
    raw = raw if isinstance(raw, dict) else {}
    if table == "ends":
        return {"title": "?", "outcome": "success"}
    if table == "steps":
        return {"title": "?", "next": node_id, **_strings(raw, "next", "role")}
    raw_options = raw.get("options")
    options = [
        {
            "label": f"option {index + 1}",
            "next": option["next"]
            if isinstance(option, dict) and isinstance(option.get("next"), str) and option["next"]
            else node_id,
        }
        for index, option in enumerate(raw_options if isinstance(raw_options, list) else [])
    ]
    while len(options) < 2:
        options.append({"label": f"option {len(options) + 1}", "next": node_id})
    return {"question": "?", "options": options, **_strings(raw, "role")}
