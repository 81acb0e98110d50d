"""The ``tui`` marker, applied by what a test does: it runs the Textual app (``run_test``, a
fixture that does, or the ``snap_compare`` fixture). ``pytest -m "not tui"`` is the fast loop.

A test the detection misses still cannot run the app unmarked: :func:`refuse_unmarked_app`
makes ``App.run_test`` fail it with a message saying what to do.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from types import CodeType, FunctionType

import pytest

APP_NAMES = frozenset({"run_test", "snap_compare"})
"""A test (or a helper or fixture it uses) naming one of these drives the app."""

UNMARKED = (
    "{nodeid} runs the Textual app but is not marked tui: mark it @pytest.mark.tui "
    "(the conftest marks tests that name run_test or snap_compare, or use a fixture that does)"
)


def _codes(code: CodeType) -> Iterator[CodeType]:
    """A code object and the code of every function, class or lambda nested in it."""
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _codes(const)


def _target(function: object) -> object:
    """The function a decorator (hypothesis, functools.wraps) wraps."""
    inner = getattr(getattr(function, "hypothesis", None), "inner_test", None)
    return inspect.unwrap(inner or function)  # type: ignore[arg-type]


def drives_app(function: object, seen: set[int] | None = None, home: str = "") -> bool:
    """Whether ``function`` or a test helper it calls names ``run_test`` or ``snap_compare``.

    Helpers are followed in the test's own file and the support modules beside it, never into
    the app's code (which never runs the app).
    """
    function = _target(function)
    if not isinstance(function, FunctionType):
        return False
    filename = function.__code__.co_filename
    home = home or str(Path(filename).parent)
    if not filename.startswith(home):
        return False
    seen = set() if seen is None else seen
    if id(function) in seen:
        return False
    seen.add(id(function))
    names: set[str] = set()
    for code in _codes(function.__code__):
        names.update(code.co_names)
        names.update(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
    if names & APP_NAMES:
        return True
    helpers = (function.__globals__.get(name) for name in names)
    return any(drives_app(h, seen, home) for h in helpers if isinstance(h, FunctionType))


def _uses_the_app(item: pytest.Item) -> bool:
    if not isinstance(item, pytest.Function):
        return False
    if APP_NAMES & set(item.fixturenames) or drives_app(item.function):
        return True
    info = item._fixtureinfo
    return any(
        drives_app(definition.func)
        for name in item.fixturenames
        for definition in info.name2fixturedefs.get(name, ())
    )


def mark_tui_tests(items: list[pytest.Item]) -> None:
    """Add the ``tui`` marker to every collected test that runs the app."""
    for item in items:
        if item.get_closest_marker("tui") is None and _uses_the_app(item):
            item.add_marker(pytest.mark.tui)


def refuse_unmarked_app(item: pytest.Item, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a test without the ``tui`` marker, ``App.run_test`` fails the test and says why."""
    if item.get_closest_marker("tui") is not None:
        return
    from textual.app import App

    def run_test(*args: object, **kwargs: object) -> None:
        pytest.fail(UNMARKED.format(nodeid=item.nodeid), pytrace=False)

    monkeypatch.setattr(App, "run_test", run_test)
