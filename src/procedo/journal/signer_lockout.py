"""Refused sign attempts and the lockout they lead to, from the signer log.

Five wrong secrets (``failed`` rows whose detail is :data:`WRONG_SECRET`) within
:data:`LOCK_WINDOW_MS` lock a signer for :data:`LOCK_MS` (a ``locked`` row); the failures before
a lock, or before a new secret (``reset_pin``), no longer count, and a new secret ends a lock.
Other refusals (unknown, disabled, locked, a wrong role) are logged but never lock.
"""

from __future__ import annotations

import sqlite3

from procedo.engine.events import iso_from_ms, ms_from_iso
from procedo.journal.connection import write_transaction
from procedo.journal.signer_log import append_log, rows_of
from procedo.journal.store import Journal

__all__ = [
    "LOCK_AFTER",
    "LOCK_MS",
    "LOCK_WINDOW_MS",
    "WRONG_SECRET",
    "locked_until",
    "record_failure",
    "wrong_since_lock",
]

LOCK_AFTER = 5
"""Wrong secrets within the window that lock a signer."""
LOCK_WINDOW_MS = 15 * 60_000
LOCK_MS = 15 * 60_000
WRONG_SECRET = "wrong PIN or passphrase"
"""The detail of a ``failed`` row that counts towards a lockout."""


def record_failure(
    journal: Journal,
    signer_id: str,
    reason: str,
    now: int,
    run_id: str | None,
    node: str | None,
    *,
    lockable: bool = True,
) -> int | None:
    """Write the ``failed`` row; for a wrong secret, the ``locked`` row when it is the last
    one allowed. The time the lock ends, when this locked the signer."""
    ts = iso_from_ms(now)
    what = f"the refused attempt of {signer_id}"
    with write_transaction(journal.db, what, journal.guard) as conn:
        append_log(
            conn, ts=ts, signer_id=signer_id, kind="failed", run_id=run_id, node=node, detail=reason
        )
        if not lockable or reason != WRONG_SECRET:
            return None
        if wrong_since_lock(conn, signer_id, now) < LOCK_AFTER:
            return None
        until = now + LOCK_MS
        detail = f"{LOCK_AFTER} wrong PINs within {LOCK_WINDOW_MS // 60_000} minutes"
        append_log(
            conn, ts=ts, signer_id=signer_id, kind="locked", run_id=run_id, node=node, detail=detail
        )
        return until


def wrong_since_lock(conn: sqlite3.Connection, signer_id: str, now: int) -> int:
    """Wrong secrets in the window, not counting those before the last lock or reset."""
    since = now - LOCK_WINDOW_MS
    count = 0
    for row in reversed(rows_of(conn, signer_id)):
        at = ms_from_iso(row.ts)
        if at < since or row.kind in ("locked", "reset_pin"):
            break
        count += row.kind == "failed" and row.detail == WRONG_SECRET
    return count


def locked_until(conn: sqlite3.Connection, signer_id: str, now: int) -> int | None:
    """When the signer's lock ends, while it is locked (a ``reset_pin`` ends it at once)."""
    for row in reversed(rows_of(conn, signer_id)):
        if row.kind == "reset_pin":
            return None
        if row.kind == "locked":
            until = ms_from_iso(row.ts) + LOCK_MS
            return until if now < until else None
    return None
