"""The signer log: appending a hash-chained row, and what a signer's rows say it was.

Each row's hash is the SHA-256 of ``[seq, ts, signer_id, kind, run_id, node, detail,
previous hash]`` as :func:`procedo.engine.events.canonical_bytes` writes it, the previous hash
of the first row being :data:`LOG_SEED`. A change row's ``detail`` is JSON (keys sorted) with
what it set: ``add`` the printed name, the roles and the secret's digest; ``roles`` the roles;
``reset_pin`` the secret's digest. The digest is the SHA-256 of the stored scrypt hash: it ties
the log to the ``signers`` row without holding the hash itself.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from procedo.engine.events import canonical_bytes

__all__ = [
    "CHANGE_KINDS",
    "LOG_SEED",
    "LogRow",
    "SignerFacts",
    "append_log",
    "facts_from",
    "log_hash",
    "secret_digest",
]

LOG_SEED = hashlib.sha256(b"procedo-signer-log").hexdigest()
"""The 'previous hash' of the first row of the signer log."""
CHANGE_KINDS = ("add", "roles", "disable", "enable", "reset_pin")
"""The kinds of rows that change a ``signers`` row (the others record sign attempts)."""
LOG_COLUMNS = "seq, ts, signer_id, kind, run_id, node, detail, hash"


@dataclass(frozen=True, slots=True)
class LogRow:
    """One row of ``signer_log``."""

    seq: int
    ts: str
    signer_id: str
    kind: str
    run_id: str | None
    node: str | None
    detail: str | None
    hash: str

    def compute_hash(self, previous_hash: str) -> str:
        """The hash this row should have after a row with ``previous_hash``."""
        return log_hash(
            self.seq,
            self.ts,
            self.signer_id,
            self.kind,
            self.run_id,
            self.node,
            self.detail,
            previous_hash,
        )


def log_hash(
    seq: int,
    ts: str,
    signer_id: str,
    kind: str,
    run_id: str | None,
    node: str | None,
    detail: str | None,
    previous_hash: str,
) -> str:
    """The SHA-256 of a row's canonical fields and the previous row's hash."""
    fields: list[object] = [seq, ts, signer_id, kind, run_id, node, detail, previous_hash]
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()


def secret_digest(stored_secret: str) -> str:
    """What the log holds of a stored secret hash: its SHA-256."""
    return hashlib.sha256(stored_secret.encode("utf-8")).hexdigest()


def detail_json(data: dict[str, object]) -> str:
    """A change row's detail: compact JSON, keys sorted."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def append_log(
    conn: sqlite3.Connection,
    *,
    ts: str,
    signer_id: str,
    kind: str,
    run_id: str | None = None,
    node: str | None = None,
    detail: str | None = None,
) -> LogRow:
    """Append a row after the last one (inside the caller's write transaction)."""
    last = conn.execute("SELECT seq, hash FROM signer_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, previous = (1, LOG_SEED) if last is None else (int(last[0]) + 1, str(last[1]))
    digest = log_hash(seq, ts, signer_id, kind, run_id, node, detail, previous)
    conn.execute(
        f"INSERT INTO signer_log ({LOG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, ts, signer_id, kind, run_id, node, detail, digest),
    )
    return LogRow(seq, ts, signer_id, kind, run_id, node, detail, digest)


@dataclass(frozen=True, slots=True)
class SignerFacts:
    """What a signer's change rows say its ``signers`` row holds."""

    name: str | None
    roles: tuple[str, ...]
    secret_digest: str | None
    enabled: bool
    created_at: str
    updated_at: str


def facts_from(rows: Iterable[LogRow]) -> SignerFacts | None:
    """Fold one signer's rows (in log order) into what its row should hold; None before its
    ``add``. Rows that are not changes are skipped; a detail that is not the JSON written is
    read as empty (verify reports the disagreement with the row)."""
    facts: SignerFacts | None = None
    for row in rows:
        if row.kind not in CHANGE_KINDS:
            continue
        data = _detail(row.detail)
        if row.kind == "add":
            facts = SignerFacts(
                _text(data.get("name")),
                _roles(data.get("roles")),
                _text(data.get("secret")),
                True,
                row.ts,
                row.ts,
            )
            continue
        if facts is None:
            continue  # a change before the signer was added: verify reports it
        name, roles, secret, enabled = facts.name, facts.roles, facts.secret_digest, facts.enabled
        if row.kind == "roles":
            roles = _roles(data.get("roles"))
        elif row.kind == "reset_pin":
            secret = _text(data.get("secret"))
        else:
            enabled = row.kind == "enable"
        facts = SignerFacts(name, roles, secret, enabled, facts.created_at, row.ts)
    return facts


def _detail(text: str | None) -> dict[str, object]:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _roles(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(role) for role in value)


def rows_of(conn: sqlite3.Connection, signer_id: str) -> list[LogRow]:
    """One signer's log rows, in log order."""
    found = conn.execute(
        f"SELECT {LOG_COLUMNS} FROM signer_log WHERE signer_id = ? ORDER BY seq", (signer_id,)
    )
    return [LogRow(*row) for row in found]
