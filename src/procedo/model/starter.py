"""A small valid starter process, written with tomli-w for ``procedo new``."""

from __future__ import annotations

from typing import Any

import tomli_w


def starter_data(process_id: str) -> dict[str, Any]:
    """The starter definition as plain data."""
    title = process_id.replace("-", " ").replace("_", " ").capitalize()
    return {
        "process": {
            "id": process_id,
            "title": title,
            "version": "0.1",
            "summary": "Describe in one sentence what this process achieves.",
            "owner": "Your team",
            "target_minutes": 30,
            "resources": ["What the operator needs at hand"],
        },
        "roles": {"operator": "Operator", "lead": "Team lead"},
        "triggers": [{"id": "request", "title": "A request arrives"}],
        "steps": {
            "prepare": {
                "title": "Prepare",
                "role": "operator",
                "instructions": "Gather what the process needs before you begin.",
                "next": "check",
                "items": [
                    {"text": "Read the request in full"},
                    {"text": "Confirm you are authorised to act", "critical": True},
                    {"text": "Reference number", "record": "text"},
                ],
            },
            "do-work": {
                "title": "Do the work",
                "role": "operator",
                "next": "done",
                "items": [{"text": "Carry out the request"}, {"text": "Tell the requester"}],
            },
        },
        "decisions": {
            "check": {
                "question": "Can the request go ahead?",
                "role": "lead",
                "options": [
                    {"label": "Yes", "next": "do-work"},
                    {"label": "No", "next": "declined"},
                ],
            }
        },
        "ends": {
            "done": {"title": "Request completed", "outcome": "success"},
            "declined": {"title": "Request declined", "outcome": "failure"},
        },
    }


def starter_toml(process_id: str) -> str:
    """The starter definition as TOML text."""
    return tomli_w.dumps(starter_data(process_id))
