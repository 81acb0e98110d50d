"""Shared by the Pilot tests of parallel branches and calls: start a bundled process, and a
side map that draws what the text map can (it learns parallel blocks and calls elsewhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import procedo.tui.widgets.flow_map as flow_map
from procedo.model import load_file
from procedo.tui import StartRequest
from tui_support import BUNDLED, inputs_for


def start_request(process_id: str, operator: str = "Tess") -> StartRequest:
    """Start a bundled process with its first trigger and a valid value for every input."""
    loaded = load_file(BUNDLED / f"{process_id}.toml")
    trigger = loaded.definition.triggers[0].id if loaded.definition.triggers else None
    return StartRequest(process_id, operator, trigger, inputs=inputs_for(loaded.definition))


def tolerant_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """Until the text map draws parallel blocks and calls, the side map of such a process is
    left empty instead of failing (these tests are about the node pane, not the map)."""
    drawn: Callable[..., Any] = flow_map.render_text_map

    def draw(definition: Any, **options: Any) -> Any:
        try:
            return drawn(definition, **options)
        except KeyError:
            return []

    monkeypatch.setattr(flow_map, "render_text_map", draw)
