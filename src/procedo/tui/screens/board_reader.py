"""The board's reads: one thread with one read connection for as long as the board is open.

The other screens open a connection per query (:func:`procedo.tui.querying.query_in_thread`);
the board reads twice a second while other windows work, and opening the journal costs more
than its query (5-20 ms against under 1 ms for 50 runs in progress on the 100,000-run bench
journal), so it keeps one. A query that fails closes the connection: the next opens another.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from queue import SimpleQueue
from threading import Thread
from typing import Any, TypeVar

from procedo.journal import Journal

T = TypeVar("T")


class BoardReader:
    """Run queries one at a time on a connection of the reader's own thread."""

    def __init__(self, db: Path) -> None:
        self._db = db
        self._jobs: SimpleQueue[tuple[Callable[[Journal], Any], Future[Any]] | None] = SimpleQueue()
        self._thread = Thread(target=self._serve, name="procedo-board", daemon=True)
        self._thread.start()

    def submit(self, compute: Callable[[Journal], T]) -> Future[T]:
        """``compute(journal)`` in the reader's thread; its result or error in the future."""
        future: Future[T] = Future()
        self._jobs.put((compute, future))
        return future

    def close(self) -> None:
        """Stop the thread once the queries asked for are done (its connection closed)."""
        self._jobs.put(None)

    def _serve(self) -> None:
        from procedo.workspace import open_reader

        journal: Journal | None = None
        while (job := self._jobs.get()) is not None:
            compute, future = job
            try:
                if journal is None:
                    journal = open_reader(self._db)
                future.set_result(compute(journal))
            except BaseException as error:  # handed to whoever waits on the future
                future.set_exception(error)
                if journal is not None:
                    with contextlib.suppress(Exception):
                        journal.close()
                    journal = None
        if journal is not None:
            journal.close()


__all__ = ["BoardReader"]
