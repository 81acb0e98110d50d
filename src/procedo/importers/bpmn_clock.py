"""Issue 13's time keys in a BPMN file procedo wrote (or one written to match): on a task
``procedo:target_minutes``, ``procedo:remind_minutes`` and ``procedo:remind_text``; on an
exclusive gateway ``procedo:timeout_minutes`` and ``procedo:timeout_suggest``; on
``procedo:process`` ``remind_minutes`` and ``remind_text``; on a ``procedo:item``
``wait_minutes``. A value that is not a positive number is left out and reported."""

from __future__ import annotations

from typing import Any


def minutes(text: str | None, what: str, report: list[str]) -> int | float | None:
    """A positive number of minutes, or None (reported when it is not one)."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        report.append(f"{what}={text!r} is not a positive number of minutes: left out")
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def remind(attrs: dict[str, str], prefix: str, where: str, report: list[str]) -> dict[str, Any]:
    """``{"remind": {...}}`` from ``remind_minutes`` and ``remind_text`` (empty without)."""
    every = minutes(attrs.get(f"{prefix}remind_minutes"), f"{where}: remind_minutes", report)
    text = attrs.get(f"{prefix}remind_text", "").strip()
    if every is None or not text:
        return {}
    return {"remind": {"every_minutes": every, "text": text}}


def step_keys(attrs: dict[str, str], where: str, report: list[str]) -> dict[str, Any]:
    """A task's ``target_minutes`` and ``remind``."""
    found: dict[str, Any] = {}
    target = minutes(attrs.get("procedo:target_minutes"), f"{where}: target_minutes", report)
    if target is not None:
        found["target_minutes"] = target
    return {**found, **remind(attrs, "procedo:", where, report)}


def timeout(attrs: dict[str, str], where: str, report: list[str]) -> dict[str, Any]:
    """An exclusive gateway's ``timeout`` (empty without)."""
    after = minutes(attrs.get("procedo:timeout_minutes"), f"{where}: timeout_minutes", report)
    suggest = attrs.get("procedo:timeout_suggest", "")
    if after is None or not suggest:
        return {}
    return {"timeout": {"after_minutes": after, "suggest": suggest}}
