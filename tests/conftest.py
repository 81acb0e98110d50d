"""Shared fixtures. Keep this file small and additive: other test files add their own."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_PROCESSES = REPO_ROOT / "processes"


@pytest.fixture
def bundled_dir() -> Path:
    """The repository's ``processes/`` folder (the demo and the fixtures)."""
    return BUNDLED_PROCESSES
