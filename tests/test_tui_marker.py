"""The ``tui`` marker: every test that runs the Textual app carries it, so ``-m "not tui"`` is a
fast loop that leaves none of them in, and a test the marking misses fails instead of running."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import pytest

from tui_marking import drives_app

TESTS = Path(__file__).resolve().parent

# A tiny suite run by pytester: the marking is the real one (tests/tui_marking.py).
CONFTEST = """
import pytest
from tui_marking import mark_tui_tests, refuse_unmarked_app

def pytest_configure(config):
    config.addinivalue_line("markers", "tui: runs the app")

def pytest_collection_modifyitems(items):
    mark_tui_tests(items)

@pytest.fixture(autouse=True)
def _guard(request, monkeypatch):
    refuse_unmarked_app(request.node, monkeypatch)
"""

SUITE = """
import asyncio

import pytest
from textual.app import App


def helper_that_runs_the_app():
    async def go():
        async with App().run_test():
            pass

    asyncio.run(go())


@pytest.fixture
def app_running():
    helper_that_runs_the_app()


def test_plain():
    assert True


def test_through_a_helper():
    helper_that_runs_the_app()


def test_through_a_fixture(app_running):
    pass


async def test_directly():
    async with App().run_test():
        pass


def test_snapshot(snap_compare):
    pass


def test_hidden_from_the_marking():
    asyncio.run(getattr(App(), "run_" + "test")().__aenter__())
"""


# In-process, the snapshot plugin would clean up the outer session's report folder.
OPTIONS = ("-q", "-p", "no:xdist", "-p", "no:textual-snapshot")


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.syspathinsert(TESTS)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_suite=SUITE)
    return pytester


def test_tests_that_run_the_app_are_marked_and_the_others_not(suite: pytest.Pytester) -> None:
    result = suite.runpytest(*OPTIONS, "--collect-only", "-m", "tui")
    collected = {line.split("::")[1] for line in result.outlines if "::" in line}
    assert collected == {
        "test_through_a_helper",
        "test_through_a_fixture",
        "test_directly",
        "test_snapshot",
    }


def test_an_unmarked_test_that_runs_the_app_fails_saying_so(suite: pytest.Pytester) -> None:
    result = suite.runpytest(*OPTIONS, "-m", "not tui")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_hidden_from_the_marking runs the Textual app but is not*"])


def _names_the_app(node: ast.AST) -> bool:
    """Whether the source of ``node`` names run_test or snap_compare (read, not imported)."""
    return any(
        (isinstance(n, ast.Attribute) and n.attr == "run_test")
        or (isinstance(n, ast.arg) and n.arg == "snap_compare")
        for n in ast.walk(node)
    )


def test_every_test_in_the_suite_that_names_the_app_is_detected() -> None:
    """Read from the source (not through the marking's code objects): each test function that
    itself names run_test or snap_compare is one the marking detects."""
    missed = []
    for path in sorted(TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tests = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
            and _names_the_app(node)
        ]
        if not tests:
            continue
        module = __import__(path.stem)
        missed += [
            f"{path.name}::{t.name}" for t in tests if not drives_app(getattr(module, t.name))
        ]
    assert missed == []


def test_every_collected_test_that_names_the_app_carries_the_marker(
    request: pytest.FixtureRequest,
) -> None:
    """Over what this session collected (the whole suite under ``make test``): a test whose
    own source names run_test or snap_compare is marked tui."""
    unmarked = []
    for item in request.session.items:
        if not isinstance(item, pytest.Function) or item.get_closest_marker("tui"):
            continue
        function = inspect.unwrap(item.function)
        try:
            source = textwrap.dedent(inspect.getsource(function))
        except (OSError, TypeError):
            continue
        if _names_the_app(ast.parse(source)) or "snap_compare" in item.fixturenames:
            unmarked.append(item.nodeid)
    assert unmarked == []
