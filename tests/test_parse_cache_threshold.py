"""The parse cache keeps only large files, where it pays; small ones are always parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.model import load_file
from procedo.model import loader as loader_module
from procedo.model.parse_cache import CACHE_MIN_CHARS, ENV_CACHE_DIR

HEAD = '[process]\ntitle = "Long"\nstart = "s0000"\n\n'
STEP = '[steps.s{0:04d}]\ntitle = "Step {0}"\nitems = ["Check the seal", "Log"]\nnext = "{1}"\n\n'
END = '[ends.done]\ntitle = "Done"\noutcome = "success"\n'


def process_text(steps: int) -> str:
    """A valid process of ``steps`` steps in a line, then an end."""
    body = "".join(
        STEP.format(n, f"s{n + 1:04d}" if n + 1 < steps else "done") for n in range(steps)
    )
    return HEAD + body + END


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE_DIR, str(folder))
    return folder


def test_a_small_file_is_never_cached(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(process_text(10), encoding="utf-8")
    assert len(path.read_text(encoding="utf-8")) < CACHE_MIN_CHARS
    first, second = load_file(path), load_file(path)
    assert first.definition == second.definition
    assert not cache.exists()


def test_a_large_file_is_cached_and_served_without_reading_toml(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "large.toml"
    path.write_text(process_text(1500), encoding="utf-8")
    assert len(path.read_text(encoding="utf-8")) >= CACHE_MIN_CHARS
    parsed = load_file(path).definition
    assert len(list(cache.glob("*.json"))) == 1

    def refuse(_text: str) -> dict[str, object]:
        raise AssertionError("the TOML was read although the cache holds the text")

    monkeypatch.setattr(loader_module.toml_parser, "loads", refuse)
    assert load_file(path).definition == parsed
