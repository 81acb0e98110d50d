"""No render output writes a raw control or bidi character, whatever a journal holds.

Definitions and the engine refuse such characters, so the hostile state is built directly: a
definition copied with every text field changed (pydantic's ``model_copy`` does not validate)
and a run's events with hostile actors, values and reasons, replayed as the journal would.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from fixtures_journal import build_history_journal
from procedo.engine import replay
from procedo.journal import Journal
from procedo.journal.run_record import RunRecord, load_run_record
from procedo.model import ProcessDefinition
from procedo.render.dot import render_dot
from procedo.render.export import to_csv, to_json, to_markdown
from procedo.render.handbook import render_handbook, render_index
from procedo.render.mermaid import render_mermaid
from procedo.render.text_map import render_text_map
from procedo.safe_text import json_text

HOSTILE = "\x1b]0;x\x07 \x08 \x9b \u202eevil"
RAW = ("\x1b", "\x07", "\x08", "\x9b", "\u202e")
SHOWN = "\\x1b]0;x\\x07 \\x08 \\x9b \\u202eevil"
TEXT_FIELDS = {"title", "summary", "owner", "version", "text", "unit", "details"}
TEXT_FIELDS |= {"instructions", "question", "label"}


def hostile(model: Any) -> Any:
    """A copy of a definition model with every text field ending in :data:`HOSTILE`."""
    if isinstance(model, BaseModel):
        update: dict[str, Any] = {}
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name in TEXT_FIELDS and isinstance(value, str):
                update[name] = value + HOSTILE
            elif name in ("choices", "resources"):
                update[name] = tuple(v + HOSTILE for v in value)
            elif name == "roles":
                update[name] = {k: v + HOSTILE for k, v in value.items()}
            elif isinstance(value, BaseModel | tuple | dict):
                update[name] = hostile(value)
        return model.model_copy(update=update)
    if isinstance(model, tuple):
        return tuple(hostile(v) for v in model)
    if isinstance(model, dict):
        return {k: hostile(v) for k, v in model.items()}
    return model


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunRecord]:
    path = tmp_path_factory.mktemp("unsafe") / "journal.db"
    ids = build_history_journal(path, only={"R3"})
    with Journal(path) as journal:
        clean = load_run_record(journal, ids["R3"])
    definition = hostile(clean.definition)
    events = tuple(
        dataclasses.replace(
            e,
            actor=e.actor + HOSTILE,
            value=e.value + HOSTILE if e.kind in ("record", "note", "handover") else e.value,
            reason=e.reason + HOSTILE if e.reason else e.reason,
        )
        for e in clean.events
    )
    state = replay(definition, clean.definition_hash, clean.run_id, events)
    run = {**clean.run, "operators": [n + HOSTILE for n in clean.run["operators"]]}
    yield dataclasses.replace(clean, definition=definition, events=events, state=state, run=run)


def assert_nothing_raw(text: str) -> None:
    found = [c for c in RAW if c in text]
    assert not found, f"raw {found!r} in output"


def test_the_hostile_state_really_is_hostile(record: RunRecord) -> None:
    assert HOSTILE in record.definition.title and HOSTILE in record.events[0].actor
    assert any(HOSTILE in (m.value or "") for v in record.state.visits for m in v.items.values())


def test_markdown_export_shows_escapes(record: RunRecord) -> None:
    text = to_markdown(record)
    assert_nothing_raw(text)
    assert "\\\\x1b\\]0;x\\\\x07 \\\\x08 \\\\x9b \\\\u202eevil" in text  # escaped for Markdown
    assert "Mini check" in text and "Room temperature" in text


def test_csv_export_shows_escapes(record: RunRecord) -> None:
    text = to_csv(record)
    assert_nothing_raw(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["actor"] == "Ann" + SHOWN
    assert rows[0]["node_title"] == "Prepare" + SHOWN


def test_json_export_is_valid_and_holds_the_data_exactly(record: RunRecord) -> None:
    text = to_json(record)
    assert_nothing_raw(text)
    assert "\\u202e" in text and "\\u009b" in text and "\\u001b" in text
    data = json.loads(text)
    assert data["events"][0]["actor"] == "Ann" + HOSTILE
    assert data["values"][0]["text"] == "Room temperature" + HOSTILE


def test_json_text_escapes_every_unsafe_character_and_keeps_letters() -> None:
    data = {"k\u2028": ["é 東京 °C", "\x7f\x85\u2066\U000e0001"]}
    text = json_text(data, indent=None)
    assert text == '{"k\\u2028": ["é 東京 °C", "\\u007f\\u0085\\u2066\\udb40\\udc01"]}'
    assert json.loads(text) == data


@pytest.mark.parametrize("detail", [False, True])
def test_maps_show_escapes(record: RunRecord, detail: bool) -> None:
    definition: ProcessDefinition = record.definition
    for text in (render_dot(definition, detail=detail), render_mermaid(definition, detail=detail)):
        assert_nothing_raw(text)
        assert "evil" in text
    dot = render_dot(definition, detail=detail)
    assert "\\\\x1b]0;x\\\\x07 \\\\x08 \\\\x9b \\\\u202eevil" in dot  # a DOT string shows one \
    lines = render_text_map(definition)
    assert_nothing_raw("\n".join(line.text for line in lines))
    assert any(SHOWN in line.text for line in lines)


def test_handbook_pages_show_escapes(record: RunRecord) -> None:
    page = render_handbook(record.definition)
    assert_nothing_raw(page)
    assert page.count("evil") > 10
    assert_nothing_raw(render_index([(record.definition, "mini.md")]))
