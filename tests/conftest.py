"""Shared fixtures. Keep this file small and additive: other test files add their own."""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from procedo.config import ENV_CONFIG
from procedo.model.parse_cache import ENV_CACHE_DIR
from tui_marking import mark_tui_tests, refuse_unmarked_app

# pytester: test_tui_marker runs a tiny suite through the real marking; slow_first orders the
# collection so that the xdist workers end together.
pytest_plugins = ["pytester", "slow_first"]

# The parse cache (files of 100,000+ characters) stays on, but never in the user's folder: a
# cache of this test session's own.
os.environ[ENV_CACHE_DIR] = tempfile.mkdtemp(prefix="procedo-test-cache-")

# Hypothesis: no per-example deadline (a loaded 2-core machine made 200 ms examples fail as
# "flaky"), and a failure prints the blob that replays it. Each test sets its own max_examples.
settings.register_profile(
    "procedo", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "procedo"))

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_PROCESSES = REPO_ROOT / "processes"


def pytest_collection_finish(session: pytest.Session) -> None:
    """The cyclic garbage collector's passes over the objects every test leaves alive (the
    modules, Textual's classes and styles): frozen out after collection, and run less often,
    as the app does (``gc.freeze`` in the CLI): the suite went from 240 to 211 s on 2 cores;
    nothing a test checks depends on when the collector runs."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 50)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs the Textual app ``tui`` (``-m "not tui"`` is the fast loop)."""
    mark_tui_tests(items)


@pytest.fixture(autouse=True)
def _only_tui_tests_run_the_app(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A test the marking missed fails at ``run_test``, saying to mark it, instead of slipping
    into the fast loop."""
    refuse_unmarked_app(request.node, monkeypatch)


@pytest.fixture(autouse=True)
def own_settings_file(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own settings file: never the user's theme, never written there."""
    path = tmp_path_factory.mktemp("config") / "settings.toml"
    monkeypatch.setenv(ENV_CONFIG, str(path))
    return path


@pytest.fixture(autouse=True)
def _steady_cursor_in_snapshots(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """In a snapshot, a focused field's cursor stays shown: it blinks every 0.5 s, so a loaded
    machine took the picture half the time with the cursor hidden (a flaky snapshot)."""
    if "snap_compare" in request.fixturenames:
        from textual.widgets import Input

        monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
        # The run screen reads what past runs took in a thread worker: a loaded machine took
        # the picture before it came back ("reading past runs…"). Read it at once here.
        from procedo.tui import querying
        from procedo.tui.screens import run_clock

        def at_once(node, compute, apply, *, group):
            apply(querying._read(querying.procedo_app(node.app).paths.db, compute))

        monkeypatch.setattr(run_clock, "query_in_thread", at_once)


@pytest.fixture
def journal_paths(tmp_path: Path):
    """A copy of the bundled processes and a journal of four incident runs (see build_journal)."""
    from tui_support import FakeClock, build_journal, make_paths

    paths = make_paths(tmp_path)
    ids = build_journal(paths, FakeClock(step=1000))
    return paths, ids


@pytest.fixture
def bundled_dir() -> Path:
    """The repository's ``processes/`` folder (the demo and the fixtures)."""
    return BUNDLED_PROCESSES


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signers' PINs are hashed with cheap scrypt parameters in every test (the default costs
    about 0.1 s and 32 MiB a hash); a test of the defaults passes them explicitly."""
    from procedo.journal import secrets

    monkeypatch.setattr(secrets, "PARAMS", secrets.TEST_PARAMS)
