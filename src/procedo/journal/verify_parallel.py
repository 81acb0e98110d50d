"""Verify on two cores: the journal is read once, here, and chunks of runs go to a second
process while this one checks others; a chunk goes there only when that process keeps up,
so neither waits and memory holds a few chunks at most. Every run is checked with the same
:class:`RunChecker` and read in the same snapshot (only this process reads the file)."""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from procedo.journal.store import Journal
from procedo.journal.verify_rows import RunRows, all_runs
from procedo.journal.verify_run import RunChecker, Tally
from procedo.model import parse_definition

PARALLEL_FROM: int | None = None
"""Runs from which a second process is used; None: never. Off: on the shared 2-core machine
(load average 6 to 13) it did not pay (bench/README.md, "Verify"); set it (e.g. 20,000) to
measure again on a quieter one."""
CHUNK = 200
"""Runs in a chunk."""


def check_in_parallel(journal: Journal, checker: RunChecker) -> Tally | None:
    """Every run checked on two processes, or None when one is better (a small journal, one
    core) and the caller checks them itself."""
    if PARALLEL_FROM is None or (os.cpu_count() or 1) < 2:
        return None
    runs = journal.rows("SELECT count(*) AS n FROM runs")[0]["n"]
    if runs < PARALLEL_FROM:
        return None
    texts = {
        row["hash"]: (row["process_id"], row["toml"])
        for row in journal.rows("SELECT hash, process_id, toml FROM definitions")
        if row["hash"] in checker.problems and checker.problems[row["hash"]] is None
    }
    context = multiprocessing.get_context("spawn")
    tasks: Any = context.Queue(maxsize=2)
    results: Any = context.Queue()
    worker = context.Process(
        target=_work, args=(tasks, results, checker.problems, texts), daemon=True
    )
    worker.start()
    try:
        try:
            _wait(lambda: results.get(timeout=1), worker)  # ready: it imported and parsed
        except RuntimeError:
            return None  # it could not start (e.g. a __main__ it cannot import): one core
        return _dispatch(all_runs(journal), checker, tasks, results, worker)
    finally:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.terminate()


def _dispatch(
    held: Iterator[RunRows], checker: RunChecker, tasks: Any, results: Any, worker: Any
) -> Tally:
    tallies: dict[int, Tally] = {}
    sent = 0
    try:
        for index, chunk in enumerate(iter(lambda: list(islice(held, CHUNK)), [])):
            try:
                tasks.put_nowait((index, [_packed(rows) for rows in chunk]))
                sent += 1
            except queue.Full:
                tallies[index] = checker.check_all(chunk)
    finally:
        _wait(lambda: tasks.put(None, timeout=1), worker)
    for _ in range(sent):
        index, tally, error = _wait(lambda: results.get(timeout=1), worker)
        if error is not None:
            raise RuntimeError(f"verify's second process failed: {error}")
        tallies[index] = tally
    total = Tally([], [])
    for index in sorted(tallies):
        total.add(tallies[index])
    return total


def _wait(step: Callable[[], Any], worker: Any) -> Any:
    """``step()`` retried while it times out and the second process lives."""
    while True:
        try:
            return step()
        except (queue.Full, queue.Empty):
            if not worker.is_alive():
                raise RuntimeError("verify's second process ended unexpectedly") from None


def _packed(rows: RunRows) -> tuple[Any, ...]:
    return (
        rows.run_id,
        rows.run,
        rows.events,
        rows.visits,
        rows.marks,
        rows.operators,
        rows.interrupts,
        rows.deferrals,
    )


def _work(
    tasks: Any,
    results: Any,
    problems: dict[str, str | None],
    texts: dict[str, tuple[str, str]],
) -> None:
    """The second process: check the chunks it is given until it gets None."""
    definitions = {
        digest: parse_definition(text, default_id=process_id, check_texts=False)
        for digest, (process_id, text) in texts.items()
    }
    checker = RunChecker(problems, definitions.__getitem__)
    results.put("ready")
    while (task := tasks.get()) is not None:
        index, chunk = task
        try:
            tally = checker.check_all(RunRows(*packed) for packed in chunk)
            results.put((index, tally, None))
        except Exception:  # a bug: the parent says so rather than wait for ever
            results.put((index, None, traceback.format_exc()))
