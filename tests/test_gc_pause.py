"""Loading pauses the cycle collector, and always gives it back as it found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from procedo.model import load_catalog, parse_definition
from procedo.model import loader as loader_module
from procedo.model.gc_pause import paused_gc

VALID = """
[process]
title = "Tiny"

[steps.only]
title = "Only step"
next = "done"

[ends.done]
title = "Done"
outcome = "success"
"""


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_back_on_after_even_on_error() -> None:
    with pytest.raises(ValueError), paused_gc():
        assert not gc.isenabled()
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    with paused_gc():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_a_catalog_loads_with_the_collector_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.toml").write_text(VALID, encoding="utf-8")
    seen: list[bool] = []
    real = loader_module.load_file
    monkeypatch.setattr(
        loader_module, "load_file", lambda path: seen.append(gc.isenabled()) or real(path)
    )
    catalog = load_catalog([tmp_path])
    assert [p.id for p in catalog.processes] == ["one", "two"]
    assert seen and not any(seen)
    assert gc.isenabled()


def test_one_definition_parses_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = loader_module.toml_parser.loads
    monkeypatch.setattr(
        loader_module.toml_parser, "loads", lambda text: seen.append(gc.isenabled()) or real(text)
    )
    assert parse_definition(VALID, default_id="tiny").id == "tiny"
    assert seen == [False] and gc.isenabled()
