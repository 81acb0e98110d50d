"""The signers and the signatures, checked by ``procedo verify`` after the runs' chains.

- The signer log's chain: each row's hash is that of its fields and the row before, its
  ``seq`` one more than the row before (an edited, inserted, deleted or reordered row shows).
- Each ``signers`` row is what its log rows say (printed name, roles, enabled, the secret's
  digest, when it was added and last changed): a row edited behind procedo's back, or added
  without an ``add``, or gone while its log remains, is reported.
- Each ``sign`` and ``override`` event (through the index ``events_signatures``): its value is
  a signature; its ``covers`` is the hash of an earlier event of the same run; its signer was
  added, enabled and held its role at the event's time, under the printed name it shows; an
  override's meaning is ``override``.

A signature moved to another run fails its chain there (and its ``covers`` names no event of
that run); one copied consistently into a rewritten chain is caught by the anchor, as for any
event (:mod:`procedo.journal.anchor`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from procedo.engine.events import ms_from_iso
from procedo.engine.signatures import OVERRIDE_MEANING
from procedo.journal.connection import describe_sqlite_error
from procedo.journal.errors import JournalError
from procedo.journal.schema_v9 import SIGNATURE_EVENTS
from procedo.journal.signer_log import (
    CHANGE_KINDS,
    LOG_COLUMNS,
    LOG_SEED,
    LogRow,
    SignerFacts,
    facts_from,
    secret_digest,
)
from procedo.journal.store import Journal
from procedo.journal.verify_run import Breach
from procedo.model.signature import Signature

__all__ = ["SignerBreach", "signature_breaches", "signer_breaches"]


@dataclass(frozen=True, slots=True)
class SignerBreach:
    """A place where the signers or their log stop being what procedo wrote."""

    signer_id: str | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        if self.signer_id is None:
            return f"signer log: row {self.seq}: {self.reason}"
        row = f": log row {self.seq}" if self.seq is not None else ""
        return f"signer {self.signer_id}{row}: {self.reason}"


def signer_breaches(journal: Journal) -> list[SignerBreach]:
    """What is wrong with the signer log's chain and with the ``signers`` rows."""
    conn = journal.db.conn
    try:
        held = conn.execute(f"SELECT {LOG_COLUMNS} FROM signer_log ORDER BY seq")
        log = [LogRow(*r) for r in held]
        signers = conn.execute(
            "SELECT id, name, roles, secret, enabled, created_at, updated_at FROM signers"
        ).fetchall()
    except sqlite3.DatabaseError as error:
        raise JournalError(f"cannot read the signers: {describe_sqlite_error(error)}") from None
    found = _chain_breaches(log)
    by_signer: dict[str, list[LogRow]] = {}
    for row in log:
        by_signer.setdefault(row.signer_id, []).append(row)
    rows = {str(r[0]): r for r in signers}
    for signer_id in sorted({*rows, *(s for s, held in by_signer.items() if _adds(held))}):
        found += _row_breaches(signer_id, rows.get(signer_id), by_signer.get(signer_id, []))
    return found


def _chain_breaches(log: list[LogRow]) -> list[SignerBreach]:
    previous = LOG_SEED
    for expected, row in enumerate(log, start=1):
        if row.seq != expected:
            what = "missing" if row.seq > expected else "out of order or inserted"
            return [SignerBreach(None, expected, f"row {expected} is {what}")]
        if row.compute_hash(previous) != row.hash:
            reason = "its content or hash was changed"
            if row.seq > 1:
                reason += f" (or row {row.seq - 1} was rewritten with a fresh hash)"
            return [SignerBreach(None, row.seq, reason)]
        previous = row.hash
    return []


def _adds(rows: Iterable[LogRow]) -> bool:
    return any(row.kind == "add" for row in rows)


def _row_breaches(
    signer_id: str, row: tuple[object, ...] | None, log: list[LogRow]
) -> list[SignerBreach]:
    adds = [r for r in log if r.kind == "add"]
    if row is None:
        return [SignerBreach(signer_id, adds[0].seq, "the log adds it but its row is gone")]
    if not adds:
        return [SignerBreach(signer_id, None, "its row has no `add` in the signer log")]
    found: list[SignerBreach] = []
    if len(adds) > 1:
        found.append(SignerBreach(signer_id, adds[1].seq, "the log adds it a second time"))
    first = next(r for r in log if r.kind in CHANGE_KINDS)
    if first.kind != "add":
        found.append(SignerBreach(signer_id, first.seq, "the log changes it before adding it"))
    facts = facts_from(log)
    assert facts is not None
    differ = _differences(row, facts)
    if differ:
        found.append(
            SignerBreach(
                signer_id,
                None,
                f"its row disagrees with the signer log in {', '.join(differ)} "
                "(changed without a log row)",
            )
        )
    return found


def _differences(row: tuple[object, ...], facts: SignerFacts) -> list[str]:
    _, name, roles, secret, enabled, created_at, updated_at = row
    try:
        held = json.loads(str(roles))
    except ValueError:
        held = None
    checks = {
        "printed name": name == facts.name,
        "roles": isinstance(held, list) and tuple(held) == facts.roles,
        "secret": secret_digest(str(secret)) == facts.secret_digest,
        "enabled": enabled in (0, 1) and bool(enabled) == facts.enabled,
        "created_at": created_at == facts.created_at,
        "updated_at": updated_at == facts.updated_at,
    }
    return [what for what, same in checks.items() if not same]


def signature_breaches(journal: Journal, run_ids: Iterable[str] | None = None) -> list[Breach]:
    """Every ``sign`` or ``override`` event (of the given runs, or all) whose signature does
    not hold: unreadable, covering no earlier event of its run, or by a signer who was not
    enabled with that role and name then."""
    conn = journal.db.conn
    wanted = None if run_ids is None else set(run_ids)
    try:
        events = _signature_events(conn, wanted)
        logs = _logs(conn, {_signer_of(e[4]) for e in events} - {None})
        hashes: dict[str, dict[str, int]] = {}
        found: list[Breach] = []
        for run_id, seq, ts, kind, value in events:
            if run_id not in hashes:
                hashes[run_id] = _event_hashes(conn, run_id)
            reason = _signature_problem(kind, value, seq, ts, hashes[run_id], logs)
            if reason is not None:
                found.append(Breach(run_id, seq, reason))
    except sqlite3.DatabaseError as error:
        raise JournalError(f"cannot read the journal: {describe_sqlite_error(error)}") from None
    return found


def _signature_events(
    conn: sqlite3.Connection, wanted: set[str] | None
) -> list[tuple[str, int, str, str, object]]:
    sql = f"SELECT run_id, seq, ts, kind, value FROM events WHERE {SIGNATURE_EVENTS}"
    if wanted is None:
        return conn.execute(f"{sql} ORDER BY run_id, seq").fetchall()
    found: list[tuple[str, int, str, str, object]] = []
    for run_id in sorted(wanted):
        found += conn.execute(f"{sql} AND run_id = ? ORDER BY seq", (run_id,)).fetchall()
    return found


def _signer_of(value: object) -> str | None:
    sig = Signature.from_json(value if isinstance(value, str) else None)
    return None if sig is None else sig.signer


def _logs(conn: sqlite3.Connection, signer_ids: set[str | None]) -> dict[str, list[LogRow]]:
    logs: dict[str, list[LogRow]] = {}
    for signer_id in sorted(s for s in signer_ids if s is not None):
        found = conn.execute(
            f"SELECT {LOG_COLUMNS} FROM signer_log WHERE signer_id = ? ORDER BY seq", (signer_id,)
        )
        logs[signer_id] = [LogRow(*r) for r in found]
    return logs


def _event_hashes(conn: sqlite3.Connection, run_id: str) -> dict[str, int]:
    """Each event hash of the run and the seq of its first event."""
    hashes: dict[str, int] = {}
    for seq, digest in conn.execute(
        "SELECT seq, hash FROM events WHERE run_id = ? ORDER BY seq", (run_id,)
    ):
        hashes.setdefault(str(digest), int(seq))
    return hashes


def _signature_problem(
    kind: str,
    value: object,
    seq: int,
    ts: str,
    hashes: dict[str, int],
    logs: dict[str, list[LogRow]],
) -> str | None:
    sig = Signature.from_json(value if isinstance(value, str) else None)
    if sig is None:
        return f"its {kind} value is not a signature"
    if kind == "override" and sig.meaning != OVERRIDE_MEANING:
        return f"an override signed with the meaning {sig.meaning!r}"
    covered = hashes.get(sig.covers)
    if covered is None or covered >= seq:
        return "its signature covers no earlier event of this run (moved or edited)"
    signer = sig.signer
    moment = ms_from_iso(ts)
    facts = facts_from(r for r in logs.get(signer, []) if ms_from_iso(r.ts) <= moment)
    if facts is None:
        return f"signed by {signer!r}, who was not a signer then"
    if not facts.enabled:
        return f"signed by {signer!r}, who was disabled then"
    if facts.name != sig.name:
        return f"signed as {sig.name!r}, but the signer {signer!r} is {facts.name!r}"
    if sig.role not in facts.roles:
        return f"signed as {sig.role!r}, a role {signer!r} did not hold then"
    return None
