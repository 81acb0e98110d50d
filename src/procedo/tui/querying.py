"""Slow reads (history, metrics, run records) run in a thread with a connection of their own.

A journal connection is bound to the thread that opened it, so each query opens a read
connection in its worker thread. One place turns a failed query into a message for the user;
a result that arrives after a newer query was started is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import get_current_worker

from procedo.journal import Journal, JournalError
from procedo.tui.screens.base import procedo_app

T = TypeVar("T")


def query_in_thread(
    node: DOMNode,
    compute: Callable[[Journal], T],
    apply: Callable[[T], None],
    *,
    group: str,
) -> None:
    """Run ``compute(journal)`` in a thread worker, then ``apply(result)`` on the UI thread."""
    app = procedo_app(node.app)
    db = app.paths.db

    def job() -> None:
        from procedo.workspace import open_reader

        worker = get_current_worker()
        try:
            with open_reader(db) as journal:
                result = compute(journal)
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
