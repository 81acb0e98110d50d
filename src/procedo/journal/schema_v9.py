"""Schema 9: the signers of issue 11 and their log.

- ``signers``: one row per signer, never deleted (old signatures stay readable): id, printed
  name, roles (a JSON list), the secret's scrypt hash (:mod:`procedo.journal.secrets`),
  ``enabled`` (0 or 1), when it was added and last changed.
- ``signer_log``: every change of a signer (``add``, ``roles``, ``disable``, ``enable``,
  ``reset_pin``), every refused sign attempt (``failed``: the reason, never the secret) and
  every lockout (``locked``), append-only and hash-chained (:mod:`procedo.journal.signers`
  writes it in the transaction that changes the ``signers`` row; ``procedo verify`` checks the
  chain and that each ``signers`` row is what its log says).
- ``events_signatures``: the ``sign`` and ``override`` events, so that ``verify`` reads them
  without reading every event.

Nothing to backfill: a journal of schema 8 has no signer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

LOG_KINDS = ("add", "roles", "disable", "enable", "reset_pin", "failed", "locked")
"""The kinds of ``signer_log`` rows."""
SIGNATURE_EVENTS = "kind IN ('sign', 'override')"
"""The WHERE of the partial index ``events_signatures``, to be written exactly so."""

_KINDS = ", ".join(f"'{kind}'" for kind in LOG_KINDS)

V9: list[str | Callable[[sqlite3.Connection], None]] = [
    """
    CREATE TABLE signers (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        roles      TEXT NOT NULL,
        secret     TEXT NOT NULL,
        enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER signers_never_deleted BEFORE DELETE ON signers
    BEGIN SELECT RAISE(ABORT, 'signers are never deleted: disable the signer instead'); END
    """,
    f"""
    CREATE TABLE signer_log (
        seq       INTEGER PRIMARY KEY,
        ts        TEXT NOT NULL,
        signer_id TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ({_KINDS})),
        run_id    TEXT,
        node      TEXT,
        detail    TEXT,
        hash      TEXT NOT NULL
    )
    """,
    "CREATE INDEX signer_log_signer ON signer_log(signer_id, seq)",
    """
    CREATE TRIGGER signer_log_append_only_update BEFORE UPDATE ON signer_log
    BEGIN SELECT RAISE(ABORT, 'the signer log is append-only: UPDATE is refused'); END
    """,
    """
    CREATE TRIGGER signer_log_append_only_delete BEFORE DELETE ON signer_log
    BEGIN SELECT RAISE(ABORT, 'the signer log is append-only: DELETE is refused'); END
    """,
    f"CREATE INDEX events_signatures ON events(run_id, seq) WHERE {SIGNATURE_EVENTS}",
]

V9_TABLES = ("signers", "signer_log")
V9_INDEXES = ("events_signatures",)
