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

T = TypeVar("T")


def query_in_thread(
    node: DOMNode,
    compute: Callable[[Journal], T],
    apply: Callable[[T], None],
    *,
    group: str,
) -> None:
    """Run ``compute(journal)`` in a thread worker, then ``apply(result)`` on the UI thread."""
    db = node.app.paths.db  # type: ignore[attr-defined]

    def read() -> T:
        with Journal(db, create=False) as journal:
            return compute(journal)

    _in_worker(node, read, apply, group)


def show_when_done(
    node: DOMNode, future: Future[T], apply: Callable[[T], None], *, group: str
) -> None:
    """Wait in a thread worker for a query already started (see :func:`beside`), then
    ``apply(result)`` on the UI thread, as :func:`query_in_thread` does."""
    _in_worker(node, future.result, apply, group)


def _in_worker(
    node: DOMNode, read: Callable[[], T], apply: Callable[[T], None], group: str
) -> None:
    app = node.app

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

    node.run_worker(job, thread=True, exclusive=True, group=group)  # type: ignore[attr-defined]


def beside(db: Path, compute: Callable[[Journal], T]) -> Future[T]:
    """Run ``compute`` on a connection of its own in another thread, alongside the caller's
    queries (SQLite lets go of the GIL while it reads); the result or error in the future."""
    future: Future[T] = Future()

    def job() -> None:
        try:
            with Journal(db, create=False) as journal:
                future.set_result(compute(journal))
        except BaseException as error:  # handed to whoever waits on the future
            future.set_exception(error)

    Thread(target=job, name="procedo-beside", daemon=True).start()
    return future
