"""Shared fixtures. Keep this file small and additive: other test files add their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.config import ENV_CONFIG

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_PROCESSES = REPO_ROOT / "processes"


@pytest.fixture(autouse=True)
def own_settings_file(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own settings file: never the user's theme, never written there."""
    path = tmp_path_factory.mktemp("config") / "settings.toml"
    monkeypatch.setenv(ENV_CONFIG, str(path))
    return path


@pytest.fixture
def bundled_dir() -> Path:
    """The repository's ``processes/`` folder (the demo and the fixtures)."""
    return BUNDLED_PROCESSES
