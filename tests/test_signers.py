"""Signers in the journal (issue 11): enrolment rules, the scrypt secret, the hash-chained log
written with every change, authentication and its lockout, and what the log says a signer was
at a moment. Scrypt runs with cheap parameters (the ``_cheap_scrypt`` fixture of conftest)."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from procedo.engine import iso_from_ms
from procedo.journal import Journal
from procedo.journal.secrets import (
    DEFAULT_PARAMS,
    TEST_PARAMS,
    hash_secret,
    secret_problem,
    stored_params,
    verify_secret,
)
from procedo.journal.signer_log import LOG_SEED, log_hash
from procedo.journal.signers import (
    LOCK_MS,
    WRONG_SECRET,
    SignerError,
    SignRefused,
    add_signer,
    authenticate,
    disable_signer,
    enable_signer,
    get_signer,
    list_signers,
    log_refusal,
    reset_secret,
    set_roles,
    signer_state_at,
)
from procedo.journal.verify_signatures import signer_breaches
from procedo.model.signature import SignerIdentity
from schema9_downgrade import drop_schema_9

T0 = 1_795_000_000_000  # 2026-11-18 11:06:40 UTC
MINUTE = 60_000
PIN = "240681"


@pytest.fixture
def journal(tmp_path: Path):
    with Journal(tmp_path / "j.db") as opened:
        yield opened


def log(journal: Journal) -> list[dict[str, object]]:
    return journal.rows("SELECT * FROM signer_log ORDER BY seq")


def kinds(journal: Journal) -> list[tuple[object, object]]:
    return [(r["kind"], r["detail"]) for r in log(journal)]


def enrol(journal: Journal, signer_id: str = "ann", roles: tuple[str, ...] = ("surgeon",)):
    return add_signer(journal, signer_id, "Ann Example", roles, PIN, now_ms=T0)


# -- secrets ------------------------------------------------------------------------------


def test_a_secret_is_stored_as_salted_scrypt_with_its_parameters() -> None:
    first, second = hash_secret(PIN), hash_secret(PIN)
    assert first.startswith(f"scrypt${TEST_PARAMS.n}${TEST_PARAMS.r}${TEST_PARAMS.p}$")
    assert first != second  # a fresh salt each time
    assert PIN not in first
    assert verify_secret(PIN, first) and verify_secret(PIN, second)
    assert not verify_secret("240682", first)


def test_the_default_parameters_are_those_of_the_spec_and_travel_with_the_hash() -> None:
    assert (DEFAULT_PARAMS.n, DEFAULT_PARAMS.r, DEFAULT_PARAMS.p) == (2**15, 8, 1)
    stored = hash_secret(PIN, DEFAULT_PARAMS)
    assert stored_params(stored) == DEFAULT_PARAMS
    assert verify_secret(PIN, stored)  # checked with the stored parameters, not the cheap ones


def test_a_damaged_or_outrageous_hash_never_matches() -> None:
    good = hash_secret(PIN)
    parts = good.split("$")
    assert not verify_secret(PIN, "")
    assert not verify_secret(PIN, "argon2$x")
    assert not verify_secret(PIN, "$".join([*parts[:4], "not base64!", parts[5]]))
    # a row given a cost of 2**30 must not make a check take minutes: refused at once
    assert not verify_secret(PIN, "$".join([parts[0], str(2**30), *parts[2:]]))
    assert not verify_secret(PIN, "$".join([parts[0], "1000", *parts[2:]]))  # not a power of 2


def test_a_passphrase_matches_however_its_accents_were_typed() -> None:
    composed = "crème brûlée"
    stored = hash_secret(composed)
    assert verify_secret(unicodedata.normalize("NFD", composed), stored)


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("", "must not be empty"),
        ("    ", "must not be empty"),
        ("12345", "at least 6 digits"),
        ("abc", "at least 4 characters"),
        (" ab ", "at least 4 characters"),
        ("x" * 1025, "longer than 1024"),
    ],
)
def test_weak_secrets_are_refused(secret: str, problem: str) -> None:
    assert problem in (secret_problem(secret) or "")


@pytest.mark.parametrize("secret", ["123456", "abcd", "a1b2", "correct horse battery"])
def test_strong_enough_secrets_pass(secret: str) -> None:
    assert secret_problem(secret) is None


# -- enrolment and changes ---------------------------------------------------------------


def test_adding_a_signer_writes_its_row_and_an_add_log_row(journal: Journal) -> None:
    row = add_signer(
        journal, "ann", "  Ann   Example ", ["surgeon", "qa", "surgeon"], PIN, now_ms=T0
    )
    assert row.name == "Ann Example" and row.roles == ("surgeon", "qa") and row.enabled
    assert row.created_at == row.updated_at == iso_from_ms(T0)
    assert row.identity() == SignerIdentity("ann", "Ann Example", ("surgeon", "qa"))
    assert list_signers(journal, now_ms=T0) == [row]
    assert not hasattr(row, "secret")
    stored = journal.rows("SELECT secret FROM signers")[0]["secret"]
    assert verify_secret(PIN, stored)
    (entry,) = log(journal)
    assert (entry["seq"], entry["kind"], entry["signer_id"]) == (1, "add", "ann")
    assert stored not in str(entry["detail"]) and PIN not in str(entry["detail"])
    assert '"name":"Ann Example"' in str(entry["detail"])
    assert signer_breaches(journal) == []


@pytest.mark.parametrize(
    ("signer_id", "name", "roles", "message"),
    [
        ("Ann", "Ann", (), "not a valid signer id"),
        ("ann smith", "Ann", (), "not a valid signer id"),
        ("", "Ann", (), "must not be empty"),
        ("ann", "   ", (), "printed name must not be empty"),
        ("ann", "Ann\x1b[31m", (), "printed name must not contain"),
        ("ann", "A" * 121, (), "longer than 120"),
        ("ann", "Ann", ("two words",), "not a role id"),
        ("ann", "Ann", ("",), "not a role id"),
    ],
)
def test_bad_ids_names_and_roles_are_refused_and_nothing_is_written(
    journal: Journal, signer_id: str, name: str, roles: tuple[str, ...], message: str
) -> None:
    with pytest.raises(SignerError, match=message):
        add_signer(journal, signer_id, name, roles, PIN, now_ms=T0)
    assert list_signers(journal) == [] and log(journal) == []


def test_a_duplicate_id_or_a_weak_secret_is_refused(journal: Journal) -> None:
    enrol(journal)
    with pytest.raises(SignerError, match="'ann' already exists"):
        add_signer(journal, "ann", "Another Ann", (), PIN, now_ms=T0 + 1)
    with pytest.raises(SignerError, match="at least 6 digits"):
        add_signer(journal, "bob", "Bob", (), "1234", now_ms=T0 + 1)
    assert [r.id for r in list_signers(journal)] == ["ann"] and len(log(journal)) == 1


def test_every_change_writes_one_log_row_and_the_chain_holds(journal: Journal) -> None:
    enrol(journal)
    assert set_roles(journal, "ann", ["lead"], now_ms=T0 + 1).roles == ("lead",)
    assert not disable_signer(journal, "ann", now_ms=T0 + 2).enabled
    with pytest.raises(SignerError, match="already disabled"):
        disable_signer(journal, "ann", now_ms=T0 + 3)
    assert enable_signer(journal, "ann", now_ms=T0 + 4).enabled
    with pytest.raises(SignerError, match="already enabled"):
        enable_signer(journal, "ann", now_ms=T0 + 5)
    row = reset_secret(journal, "ann", "new passphrase", now_ms=T0 + 6)
    assert row.updated_at == iso_from_ms(T0 + 6) and row.created_at == iso_from_ms(T0)
    assert [k for k, _ in kinds(journal)] == ["add", "roles", "disable", "enable", "reset_pin"]
    previous = LOG_SEED
    for entry in log(journal):
        fields = [entry[k] for k in ("seq", "ts", "signer_id", "kind", "run_id", "node", "detail")]
        assert entry["hash"] == log_hash(*fields, previous)  # type: ignore[arg-type]
        previous = str(entry["hash"])
    assert signer_breaches(journal) == []
    authenticate(journal, "ann", "new passphrase", now_ms=T0 + 7)
    with pytest.raises(SignRefused):
        authenticate(journal, "ann", PIN, now_ms=T0 + 8)


def test_changing_an_unknown_signer_is_refused(journal: Journal) -> None:
    for change in (
        lambda: disable_signer(journal, "zed"),
        lambda: enable_signer(journal, "zed"),
        lambda: reset_secret(journal, "zed", PIN),
        lambda: set_roles(journal, "zed", ["qa"]),
    ):
        with pytest.raises(SignerError, match="no signer has the id 'zed'"):
            change()
    assert log(journal) == []


def test_signers_are_never_deleted_and_the_log_is_append_only(journal: Journal) -> None:
    enrol(journal)
    conn = journal.db.conn
    for sql in (
        "DELETE FROM signers",
        "DELETE FROM signer_log",
        "UPDATE signer_log SET detail = 'x'",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)
    assert get_signer(journal, "ann") is not None


def test_a_schema_8_journal_gains_the_signers_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Journal(path).close()
    conn = sqlite3.connect(path)
    drop_schema_9(conn)
    conn.commit()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 8
    conn.close()
    with Journal(path) as journal:
        assert journal.rows("PRAGMA user_version")[0]["user_version"] == 9
        enrol(journal)
        assert [r.id for r in list_signers(journal)] == ["ann"]


# -- authentication ------------------------------------------------------------------------


def test_the_right_secret_gives_the_identity_and_writes_nothing(journal: Journal) -> None:
    enrol(journal)
    found = authenticate(journal, "ann", PIN, now_ms=T0 + 1, run_id="r1", node="timeout")
    assert found == SignerIdentity("ann", "Ann Example", ("surgeon",))
    assert [k for k, _ in kinds(journal)] == ["add"]


def test_each_refusal_writes_a_failed_row_without_the_secret(journal: Journal) -> None:
    enrol(journal)
    add_signer(journal, "bob", "Bob Builder", (), "bobs secret", now_ms=T0)
    disable_signer(journal, "bob", now_ms=T0 + 1)
    cases = [
        ("zed", PIN, "no signer has the id 'zed'", "unknown signer"),
        ("bob", "bobs secret", "the signer 'bob' is disabled", "disabled"),
        ("ann", "999999", "wrong PIN or passphrase for 'ann'", WRONG_SECRET),
    ]
    for signer_id, secret, message, detail in cases:
        with pytest.raises(SignRefused, match=message):
            authenticate(journal, signer_id, secret, now_ms=T0 + 2, run_id="r1", node="sign-in")
        entry = log(journal)[-1]
        assert (entry["kind"], entry["signer_id"], entry["detail"]) == ("failed", signer_id, detail)
        assert (entry["run_id"], entry["node"]) == ("r1", "sign-in")
    assert all("999999" not in str(e["detail"]) for e in log(journal))
    assert signer_breaches(journal) == []


def test_a_malformed_id_is_refused_without_a_log_row(journal: Journal) -> None:
    with pytest.raises(SignRefused, match="not a signer id"):
        authenticate(journal, "Robert'); DROP TABLE signers;--", PIN, now_ms=T0)
    assert log(journal) == []


def test_five_wrong_secrets_within_15_minutes_lock_for_15_minutes(journal: Journal) -> None:
    enrol(journal)
    for attempt in range(4):
        with pytest.raises(SignRefused) as refused:
            authenticate(journal, "ann", "000000", now_ms=T0 + attempt * 3 * MINUTE)
        assert "locked" not in str(refused.value)
    fifth = T0 + 12 * MINUTE  # 11:18:40
    with pytest.raises(SignRefused, match="'ann' is locked until 11:33 UTC"):
        authenticate(journal, "ann", "000000", now_ms=fifth)
    assert [k for k, _ in kinds(journal)][-2:] == ["failed", "locked"]
    assert get_signer(journal, "ann", now_ms=fifth + 1).locked_until == iso_from_ms(fifth + LOCK_MS)
    # while locked, even the right secret is refused (and not checked)
    with pytest.raises(SignRefused, match="locked until 11:33 UTC"):
        authenticate(journal, "ann", PIN, now_ms=fifth + LOCK_MS - 1)
    assert kinds(journal)[-1] == ("failed", "locked")
    # the lock ends on time, and the failures before it no longer count
    assert authenticate(journal, "ann", PIN, now_ms=fifth + LOCK_MS).id == "ann"
    assert get_signer(journal, "ann", now_ms=fifth + LOCK_MS).locked_until is None
    with pytest.raises(SignRefused) as refused:
        authenticate(journal, "ann", "000000", now_ms=fifth + LOCK_MS + 1)
    assert "locked" not in str(refused.value)


def test_wrong_secrets_spread_over_more_than_15_minutes_do_not_lock(journal: Journal) -> None:
    enrol(journal)
    for attempt in range(8):
        with pytest.raises(SignRefused) as refused:
            authenticate(journal, "ann", "000000", now_ms=T0 + attempt * 4 * MINUTE)
        assert "locked" not in str(refused.value)
    assert "locked" not in [k for k, _ in kinds(journal)]


def test_a_new_secret_ends_a_lockout(journal: Journal) -> None:
    enrol(journal)
    for attempt in range(5):
        with pytest.raises(SignRefused):
            authenticate(journal, "ann", "000000", now_ms=T0 + attempt)
    reset_secret(journal, "ann", "fresh start", now_ms=T0 + 10)
    assert authenticate(journal, "ann", "fresh start", now_ms=T0 + 11).id == "ann"


def test_refusals_after_authentication_are_logged_and_never_lock(journal: Journal) -> None:
    enrol(journal)
    for attempt in range(6):
        log_refusal(
            journal, "ann", "not a surgeon", now_ms=T0 + attempt, run_id="r1", node="sign-out"
        )
    entry = log(journal)[-1]
    assert (entry["kind"], entry["detail"], entry["run_id"], entry["node"]) == (
        "failed",
        "not a surgeon",
        "r1",
        "sign-out",
    )
    assert "locked" not in [k for k, _ in kinds(journal)]
    assert authenticate(journal, "ann", PIN, now_ms=T0 + 10).id == "ann"


def test_the_state_at_a_moment_comes_from_the_log(journal: Journal) -> None:
    enrol(journal)
    disable_signer(journal, "ann", now_ms=T0 + MINUTE)
    enable_signer(journal, "ann", now_ms=T0 + 2 * MINUTE)
    at = signer_state_at
    assert at(journal, "ann", iso_from_ms(T0 - 1)) == "unknown"
    assert at(journal, "ann", iso_from_ms(T0)) == "enabled"
    assert at(journal, "ann", iso_from_ms(T0 + MINUTE)) == "disabled"
    assert at(journal, "ann", iso_from_ms(T0 + 2 * MINUTE - 1)) == "disabled"
    assert at(journal, "ann", iso_from_ms(T0 + 3 * MINUTE)) == "enabled"
    assert at(journal, "zed", iso_from_ms(T0 + 3 * MINUTE)) == "unknown"
    # the row edited behind procedo's back does not change what the log says
    journal.db.conn.execute("UPDATE signers SET enabled = 0")
    assert at(journal, "ann", iso_from_ms(T0 + 3 * MINUTE)) == "enabled"
