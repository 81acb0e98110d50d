"""The disk cache of validated definitions: same models, never stale, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.model import DefinitionError, load_file, parse_cache
from procedo.model import loader as loader_module
from procedo.model.parse_cache import ENV_CACHE_DIR, cache_key

BUNDLED = sorted((Path(__file__).resolve().parent.parent / "processes").glob("*.toml"))

VALID = """
[process]
title = "Tiny"
version = "1"

[steps.only]
title = "Only step"
items = ["One thing"]
next = "done"

[ends.done]
title = "Done"
outcome = "success"
"""


@pytest.fixture(autouse=True)
def cache_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests use small files: cache them as if they were large."""
    monkeypatch.setattr(parse_cache, "CACHE_MIN_CHARS", 0)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE_DIR, str(folder))
    return folder


def _no_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_text: str) -> dict[str, object]:
        raise AssertionError("tomllib was called although the cache holds the text")

    monkeypatch.setattr(loader_module.toml_parser, "loads", refuse)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_cached_definition_equals_the_parsed_one(
    path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = load_file(path).definition
    assert len(list(cache.glob("*.json"))) == 1
    _no_toml(monkeypatch)
    assert load_file(path).definition == parsed


def test_an_edited_file_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(VALID, encoding="utf-8")
    assert load_file(path).definition.title == "Tiny"
    path.write_text(VALID.replace('"Tiny"', '"Tiny, edited"'), encoding="utf-8")
    assert load_file(path).definition.title == "Tiny, edited"
    assert len(list(cache.glob("*.json"))) == 2


def test_invalid_files_are_never_cached(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(VALID.replace('next = "done"', 'next = "dnoe"'), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DefinitionError, match="did you mean 'done'"):
            load_file(path)
    assert not cache.exists() or not list(cache.iterdir())


def test_the_default_id_is_part_of_the_key(cache: Path, tmp_path: Path) -> None:
    for name in ("first", "second"):
        (tmp_path / f"{name}.toml").write_text(VALID, encoding="utf-8")
        assert load_file(tmp_path / f"{name}.toml").definition.id == name
    assert cache_key(VALID, "first") != cache_key(VALID, "second")


def test_a_damaged_entry_is_ignored_and_replaced(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(VALID, encoding="utf-8")
    load_file(path)
    (entry,) = cache.glob("*.json")
    entry.write_text('{"process": "not a table"', encoding="utf-8")
    assert load_file(path).definition.title == "Tiny"
    _no_toml(monkeypatch)
    assert load_file(path).definition.title == "Tiny"  # rewritten whole


def test_an_unwritable_cache_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(ENV_CACHE_DIR, str(blocker / "cache"))
    path = tmp_path / "tiny.toml"
    path.write_text(VALID, encoding="utf-8")
    assert load_file(path).definition.title == "Tiny"
    assert load_file(path).definition.title == "Tiny"


def test_off_disables_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_CACHE_DIR, "off")
    path = tmp_path / "tiny.toml"
    path.write_text(VALID, encoding="utf-8")
    load_file(path)
    calls: list[str] = []
    real = loader_module.toml_parser.loads
    monkeypatch.setattr(
        loader_module.toml_parser, "loads", lambda text: calls.append(text) or real(text)
    )
    load_file(path)
    assert calls, "with the cache off every load parses the TOML"
