"""Slow reads (history, metrics, run records) run in a thread with a connection of their own.

A journal connection is bound to the thread that opened it, so each query opens a read
connection in its worker thread. One place turns a failed query into a message for the user;
a result that arrives after a newer query was started is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from threading import Thread
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import get_current_worker

from procedo.journal import Journal, JournalError
from procedo.tui.screens.base import procedo_app

T = TypeVar("T")


def _read(db: Path, compute: Callable[[Journal], T]) -> T:
    """``compute`` over a read connection of this thread's own."""
    from procedo.workspace import open_reader

    with open_reader(db) as journal:
        return compute(journal)


def query_in_thread(
    node: DOMNode,
    compute: Callable[[Journal], T],
    apply: Callable[[T], None],
    *,
    group: str,
) -> None:
    """Run ``compute(journal)`` in a thread worker, then ``apply(result)`` on the UI thread."""
    db = procedo_app(node.app).paths.db
    _in_worker(node, lambda: _read(db, compute), apply, group)


def show_when_done(
    node: DOMNode, future: Future[T], apply: Callable[[T], None], *, group: str
) -> None:
    """Wait in a thread worker for a query already started (see :func:`beside`), then
    ``apply(result)`` on the UI thread, as :func:`query_in_thread` does."""
    _in_worker(node, future.result, apply, group)


def _in_worker(
    node: DOMNode, read: Callable[[], T], apply: Callable[[T], None], group: str
) -> None:
    app = procedo_app(node.app)

    def job() -> None:
        worker = get_current_worker()
        try:
            result = read()
        except (JournalError, ValueError) as error:
            if not worker.is_cancelled:
                app.call_from_thread(
                    app.notify,
                    str(error),
                    title="Cannot read the journal",
                    severity="error",
                    markup=False,
                )
            return
        if not worker.is_cancelled:
            app.call_from_thread(apply, result)

    node.run_worker(job, thread=True, exclusive=True, group=group)


def beside(db: Path, compute: Callable[[Journal], T]) -> Future[T]:
    """Run ``compute`` on a connection of its own in another thread, alongside the caller's
    queries (SQLite lets go of the GIL while it reads); the result or error in the future."""
    future: Future[T] = Future()

    def job() -> None:
        try:
            future.set_result(_read(db, compute))
        except BaseException as error:  # handed to whoever waits on the future
            future.set_exception(error)

    Thread(target=job, name="procedo-beside", daemon=True).start()
    return future
