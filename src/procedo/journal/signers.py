"""The signers of a journal: enrolling, changing, disabling them, and checking a sign attempt.

Every change writes the ``signers`` row and its ``signer_log`` row in one ``BEGIN IMMEDIATE``
transaction; a refused sign attempt writes a ``failed`` row (the reason, never the secret).
Five wrong secrets within :data:`LOCK_WINDOW_MS` lock the signer for :data:`LOCK_MS` (a
``locked`` row); attempts while locked are refused without checking the secret. A signer is
never deleted: a disabled one's old signatures stay readable. Nothing here prints anything.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from procedo.engine.cleaning import clean_name, clean_text
from procedo.engine.errors import Refused
from procedo.engine.events import iso_from_ms, ms_from_iso
from procedo.journal.connection import write_transaction
from procedo.journal.errors import JournalError
from procedo.journal.secrets import ScryptParams, hash_secret, secret_problem, verify_secret
from procedo.journal.signer_lockout import (
    LOCK_AFTER,
    LOCK_MS,
    LOCK_WINDOW_MS,
    WRONG_SECRET,
    locked_until,
    record_failure,
)
from procedo.journal.signer_log import (
    append_log,
    detail_json,
    facts_from,
    rows_of,
    secret_digest,
)
from procedo.journal.store import Journal
from procedo.model import is_valid_id
from procedo.model.signature import SignerIdentity
from procedo.safe_text import first_unsafe

__all__ = [
    "LOCK_AFTER",
    "LOCK_MS",
    "LOCK_WINDOW_MS",
    "WRONG_SECRET",
    "SignRefused",
    "SignerError",
    "SignerRow",
    "add_signer",
    "authenticate",
    "check_new_signer",
    "disable_signer",
    "enable_signer",
    "get_signer",
    "list_signers",
    "log_refusal",
    "reset_secret",
    "set_roles",
    "signer_state_at",
    "unknown_signer",
]

MAX_ID = 120


class SignerError(JournalError):
    """A signer cannot be added or changed as asked (the message says why)."""


class SignRefused(JournalError):
    """A sign attempt is refused (unknown signer, disabled, locked, wrong secret, ...)."""


@dataclass(frozen=True, slots=True)
class SignerRow:
    """A signer as listed (never its secret); ``locked_until`` is set while it is locked."""

    id: str
    name: str
    roles: tuple[str, ...]
    enabled: bool
    created_at: str
    updated_at: str
    locked_until: str | None = None

    def identity(self) -> SignerIdentity:
        """The signer as the engine takes it."""
        return SignerIdentity(self.id, self.name, self.roles)


_COLUMNS = "id, name, roles, enabled, created_at, updated_at"


def add_signer(
    journal: Journal,
    id: str,
    name: str,
    roles: tuple[str, ...] | list[str],
    secret: str,
    *,
    now_ms: int | None = None,
    params: ScryptParams | None = None,
) -> SignerRow:
    """Enrol a signer; SignerError for a bad or taken id, an empty name, a weak secret."""
    signer_id, printed, held = _checked_signer(id, name, roles)
    _check_secret(secret)
    stored = hash_secret(secret, params)
    ts = _ts(journal, now_ms)
    detail = detail_json({"name": printed, "roles": list(held), "secret": secret_digest(stored)})
    with write_transaction(journal.db, f"adding the signer {signer_id}", journal.guard) as conn:
        if _row(conn, signer_id) is not None:
            raise SignerError(f"a signer with the id {signer_id!r} already exists")
        conn.execute(
            "INSERT INTO signers (id, name, roles, secret, enabled, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 1, ?, ?)",
            (signer_id, printed, json.dumps(list(held)), stored, ts, ts),
        )
        append_log(conn, ts=ts, signer_id=signer_id, kind="add", detail=detail)
    return SignerRow(signer_id, printed, held, True, ts, ts)


def check_new_signer(
    journal: Journal, id: str, name: str, roles: tuple[str, ...] | list[str]
) -> None:
    """SignerError when :func:`add_signer` would refuse this id, name or roles (before a
    command asks for the secret)."""
    signer_id, _, _ = _checked_signer(id, name, roles)
    if _row(journal.db.conn, signer_id) is not None:
        raise SignerError(f"a signer with the id {signer_id!r} already exists")


def set_roles(
    journal: Journal, id: str, roles: tuple[str, ...] | list[str], *, now_ms: int | None = None
) -> SignerRow:
    """Replace a signer's roles."""
    held = _checked_roles(roles)
    detail = detail_json({"roles": list(held)})
    return _change(journal, id, "roles", now_ms, detail, "roles = ?", (json.dumps(list(held)),))


def disable_signer(journal: Journal, id: str, *, now_ms: int | None = None) -> SignerRow:
    """Disable a signer (kept, never deleted); SignerError when unknown or already disabled."""
    return _change(journal, id, "disable", now_ms, None, "enabled = 0", ())


def enable_signer(journal: Journal, id: str, *, now_ms: int | None = None) -> SignerRow:
    """Enable a disabled signer again."""
    return _change(journal, id, "enable", now_ms, None, "enabled = 1", ())


def reset_secret(
    journal: Journal,
    id: str,
    secret: str,
    *,
    now_ms: int | None = None,
    params: ScryptParams | None = None,
) -> SignerRow:
    """Give a signer a new PIN or passphrase (ends a lockout too: its ``reset_pin`` row)."""
    _check_secret(secret)
    stored = hash_secret(secret, params)
    detail = detail_json({"secret": secret_digest(stored)})
    return _change(journal, id, "reset_pin", now_ms, detail, "secret = ?", (stored,))


def _change(
    journal: Journal,
    id: str,
    kind: str,
    now_ms: int | None,
    detail: str | None,
    assignment: str,
    values: tuple[object, ...],
) -> SignerRow:
    signer_id = _checked_id(id)
    ts = _ts(journal, now_ms)
    what = f"changing the signer {signer_id}"
    with write_transaction(journal.db, what, journal.guard) as conn:
        row = _row(conn, signer_id)
        if row is None:
            raise SignerError(unknown_signer(signer_id))
        if kind == "disable" and not row.enabled:
            raise SignerError(f"the signer {signer_id!r} is already disabled")
        if kind == "enable" and row.enabled:
            raise SignerError(f"the signer {signer_id!r} is already enabled")
        conn.execute(
            f"UPDATE signers SET {assignment}, updated_at = ? WHERE id = ?",
            (*values, ts, signer_id),
        )
        append_log(conn, ts=ts, signer_id=signer_id, kind=kind, detail=detail)
        changed = _row(conn, signer_id)
    assert changed is not None
    return changed


def get_signer(journal: Journal, id: str, *, now_ms: int | None = None) -> SignerRow | None:
    """One signer (with ``locked_until``), or None."""
    row = _row(journal.db.conn, id)
    if row is None:
        return None
    return _with_lock(journal.db.conn, row, _now(journal, now_ms))


def list_signers(journal: Journal, *, now_ms: int | None = None) -> list[SignerRow]:
    """Every signer, by id (never the secret)."""
    conn = journal.db.conn
    now = _now(journal, now_ms)
    try:
        found = conn.execute(f"SELECT {_COLUMNS} FROM signers ORDER BY id").fetchall()
        return [_with_lock(conn, _from_db(row), now) for row in found]
    except sqlite3.DatabaseError as error:
        raise JournalError(f"cannot read the signers: {error}") from None


def authenticate(
    journal: Journal,
    signer_id: str,
    secret: str,
    *,
    now_ms: int | None = None,
    run_id: str | None = None,
    node: str | None = None,
) -> SignerIdentity:
    """The signer, when ``secret`` is theirs and they may sign now; SignRefused otherwise
    (after writing the ``failed`` row, and the ``locked`` one on the fifth wrong secret)."""
    now = _now(journal, now_ms)
    wanted = str(signer_id).strip()
    if not is_valid_id(wanted) or len(wanted) > MAX_ID:
        raise SignRefused("that is not a signer id (lowercase letters, digits, - and _)")
    conn = journal.db.conn
    row = _row(conn, wanted)
    if row is None:
        record_failure(journal, wanted, "unknown signer", now, run_id, node)
        raise SignRefused(unknown_signer(wanted))
    until = locked_until(conn, wanted, now)
    if until is not None:
        record_failure(journal, wanted, "locked", now, run_id, node)
        raise SignRefused(f"the signer {wanted!r} is locked until {_clock(until)} UTC")
    if not row.enabled:
        record_failure(journal, wanted, "disabled", now, run_id, node)
        raise SignRefused(f"the signer {wanted!r} is disabled")
    stored = conn.execute("SELECT secret FROM signers WHERE id = ?", (wanted,)).fetchone()[0]
    if not verify_secret(secret, str(stored)):
        locked = record_failure(journal, wanted, WRONG_SECRET, now, run_id, node)
        later = f"; {wanted!r} is locked until {_clock(locked)} UTC" if locked else ""
        raise SignRefused(f"{WRONG_SECRET} for {wanted!r}{later}")
    return row.identity()


def log_refusal(
    journal: Journal,
    signer_id: str,
    reason: str,
    *,
    now_ms: int | None = None,
    run_id: str | None,
    node: str | None,
) -> None:
    """Journal a refusal the engine gave an authenticated signer (wrong role, ``distinct``)."""
    text = _checked(clean_text, reason, "reason")
    now = _now(journal, now_ms)
    record_failure(journal, str(signer_id), text, now, run_id, node, lockable=False)


def signer_state_at(
    journal: Journal, signer_id: str, ts_iso: str
) -> Literal["enabled", "disabled", "unknown"]:
    """What the log says the signer was at ``ts_iso``: enabled, disabled, or not yet added."""
    moment = ms_from_iso(ts_iso)
    rows = [r for r in rows_of(journal.db.conn, signer_id) if ms_from_iso(r.ts) <= moment]
    facts = facts_from(rows)
    if facts is None:
        return "unknown"
    return "enabled" if facts.enabled else "disabled"


def _with_lock(conn: sqlite3.Connection, row: SignerRow, now: int) -> SignerRow:
    until = locked_until(conn, row.id, now)
    if until is None:
        return row
    return SignerRow(*_fields(row), locked_until=iso_from_ms(until))


def _fields(row: SignerRow) -> tuple[str, str, tuple[str, ...], bool, str, str]:
    return row.id, row.name, row.roles, row.enabled, row.created_at, row.updated_at


def _row(conn: sqlite3.Connection, signer_id: str) -> SignerRow | None:
    found = conn.execute(f"SELECT {_COLUMNS} FROM signers WHERE id = ?", (signer_id,)).fetchone()
    return None if found is None else _from_db(found)


def _from_db(row: tuple[object, ...]) -> SignerRow:
    try:
        roles = json.loads(str(row[2]))
    except ValueError:
        roles = []
    held = tuple(str(r) for r in roles) if isinstance(roles, list) else ()
    return SignerRow(str(row[0]), str(row[1]), held, bool(row[3]), str(row[4]), str(row[5]))


def _checked_signer(
    id: str, name: str, roles: tuple[str, ...] | list[str]
) -> tuple[str, str, tuple[str, ...]]:
    return _checked_id(id), _checked(clean_name, name, "printed name"), _checked_roles(roles)


def _checked_id(value: str) -> str:
    text = str(value).strip()
    if not text:
        raise SignerError("the signer id must not be empty")
    if not is_valid_id(text) or len(text) > MAX_ID:
        raise SignerError(
            f"{value!r} is not a valid signer id: use lowercase letters, digits, - and _, "
            f"starting with a letter or digit, at most {MAX_ID} characters"
        )
    return text


def _checked_roles(roles: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    held: list[str] = []
    for role in roles:
        text = str(role).strip()
        if not text or len(text) > MAX_ID or first_unsafe(text) or len(text.split()) != 1:
            raise SignerError(f"{role!r} is not a role id (one word, as in a process's [roles])")
        if text not in held:
            held.append(text)
    return tuple(held)


def _checked(clean: Callable[[str, str], str], value: str, what: str) -> str:
    try:
        return clean(value, what)
    except Refused as error:
        raise SignerError(str(error)) from None


def _check_secret(secret: str) -> None:
    problem = secret_problem(secret)
    if problem is not None:
        raise SignerError(problem)


def unknown_signer(signer_id: str) -> str:
    """The message for an id no signer has."""
    return f"no signer has the id {signer_id!r} (`procedo signers list` lists them)"


def _now(journal: Journal, now_ms: int | None) -> int:
    return journal.clock() if now_ms is None else now_ms


def _ts(journal: Journal, now_ms: int | None) -> str:
    return iso_from_ms(_now(journal, now_ms))


def _clock(ms: int) -> str:
    return iso_from_ms(ms)[11:16]
