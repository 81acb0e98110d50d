"""``verify`` and the signatures of issue 11: the signer log's chain, each ``signers`` row against
its log, and each ``sign``/``override`` event's signature (what it covers, who signed and
whether they could). Sign events are appended here as rows with correct hashes, as the engine
writes them, so that only what is checked here is wrong."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.engine import Event, iso_from_ms
from procedo.journal import Journal
from procedo.journal.signers import add_signer, authenticate, disable_signer, set_roles
from procedo.journal.verify_calls import verify_with_links
from procedo.journal.verify_signatures import signature_breaches, signer_breaches
from procedo.model import LoadedProcess, content_hash, load_file
from procedo.model.signature import Signature
from signoff_defs import SIGNOFF_TOML, signoff_definition

REPO = Path(__file__).resolve().parent.parent
T0 = 1_795_000_000_000
MINUTE = 60_000


@pytest.fixture
def journal(tmp_path: Path):
    tick = iter(range(T0 + 10 * MINUTE, T0 + 10**9, 1000))
    with Journal(tmp_path / "j.db") as opened:
        opened.clock = lambda: next(tick)
        add_signer(opened, "ann", "Ann Example", ["surgeon"], "240681", now_ms=T0)
        add_signer(opened, "bob", "Bob Builder", ["supervisor"], "135790", now_ms=T0)
        yield opened


def start(journal: Journal, operator: str = "Cy") -> str:
    run = journal.start_run(
        load_file(REPO / "processes" / "incident-response.toml"), operator, "pager"
    )
    run.check(0)
    run.check(1)
    return run.run_id


def hashes(journal: Journal, run_id: str) -> list[str]:
    rows = journal.rows("SELECT hash FROM events WHERE run_id = ? ORDER BY seq", (run_id,))
    return [str(r["hash"]) for r in rows]


def append(
    journal: Journal,
    run_id: str,
    kind: str,
    value: str,
    *,
    at: int,
    reason: str | None = None,
) -> int:
    """Append an event with a correct hash (and the runs row that follows it); its seq."""
    run = journal.run_row(run_id)
    seq = int(run["last_seq"]) + 1
    event = Event(run_id, seq, iso_from_ms(at), "Cy", kind, "triage", 0, value, reason)
    digest = event.compute_hash(str(run["last_hash"]))
    conn = journal.db.conn
    conn.execute(
        "INSERT INTO events (run_id, seq, ts, actor, kind, node, item, value, reason, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (run_id, seq, event.ts, "Cy", kind, "triage", 0, value, reason, digest),
    )
    conn.execute("UPDATE runs SET last_seq = ?, last_hash = ? WHERE id = ?", (seq, digest, run_id))
    conn.commit()
    return seq


def signature(covers: str, *, signer: str = "ann", name: str = "Ann Example", **kw: str) -> str:
    fields = {"role": "surgeon", "meaning": "approved", **kw}
    return Signature(signer, name, fields["role"], fields["meaning"], covers).to_json()


def reasons(journal: Journal, run_ids: list[str] | None = None) -> list[tuple[int | None, str]]:
    return [(b.seq, b.reason) for b in signature_breaches(journal, run_ids)]


def tamper(journal: Journal, *statements: str) -> None:
    conn = journal.db.conn
    for trigger in ("signer_log_append_only_update", "signer_log_append_only_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP TRIGGER IF EXISTS signers_never_deleted")
    for sql in statements:
        conn.execute(sql)
    conn.commit()


# -- sign and override events ------------------------------------------------------------


def test_a_signature_covering_the_last_event_by_an_enabled_signer_holds(journal: Journal) -> None:
    run_id = start(journal)
    append(journal, run_id, "sign", signature(hashes(journal, run_id)[-1]), at=T0 + 20 * MINUTE)
    covers = hashes(journal, run_id)[-1]
    override = signature(covers, signer="bob", name="Bob Builder", role="supervisor",
                         meaning="override")  # fmt: skip
    append(journal, run_id, "override", override, at=T0 + 21 * MINUTE, reason="gauge broken")
    assert reasons(journal) == []
    assert signer_breaches(journal) == []


def test_a_signature_replayed_onto_another_run_covers_nothing_there(journal: Journal) -> None:
    first, second = start(journal), start(journal, "Di")
    value = signature(hashes(journal, first)[-1])
    append(journal, first, "sign", value, at=T0 + 20 * MINUTE)
    seq = append(journal, second, "sign", value, at=T0 + 21 * MINUTE)
    expected = "its signature covers no earlier event of this run (moved or edited)"
    assert [(b.run_id, b.seq, b.reason) for b in signature_breaches(journal)] == [
        (second, seq, expected)
    ]
    assert reasons(journal, [first]) == []  # only the runs asked for
    assert reasons(journal, [second]) == [(seq, expected)]


def test_covers_must_name_an_earlier_event_not_the_sign_event_itself(journal: Journal) -> None:
    run_id = start(journal)
    seq = append(journal, run_id, "sign", signature("0" * 64), at=T0 + 20 * MINUTE)
    assert reasons(journal) == [
        (seq, "its signature covers no earlier event of this run (moved or edited)")
    ]


def test_a_covers_edited_by_sql_is_caught(journal: Journal) -> None:
    run_id = start(journal)
    seq = append(
        journal, run_id, "sign", signature(hashes(journal, run_id)[-1]), at=T0 + 20 * MINUTE
    )
    conn = journal.db.conn
    conn.execute("DROP TRIGGER events_append_only_update")
    edited = signature(hashes(journal, run_id)[-1])  # covers the sign event itself now
    conn.execute("UPDATE events SET value = ? WHERE run_id = ? AND seq = ?", (edited, run_id, seq))
    conn.commit()
    assert reasons(journal) == [
        (seq, "its signature covers no earlier event of this run (moved or edited)")
    ]
    report = verify_with_links(journal, [run_id])
    assert any(b.seq == seq and "content or hash was changed" in b.reason for b in report.breaches)


def test_the_signer_must_have_existed_been_enabled_and_held_the_role(journal: Journal) -> None:
    add_signer(journal, "late", "Late Comer", ["surgeon"], "246802", now_ms=T0 + 30 * MINUTE)
    disable_signer(journal, "bob", now_ms=T0 + 5 * MINUTE)
    set_roles(journal, "ann", ["qa"], now_ms=T0 + 40 * MINUTE)
    run_id = start(journal)
    cover = hashes(journal, run_id)[-1]
    at = T0 + 20 * MINUTE
    not_then = "who was not a signer then"
    cases = [
        (signature(cover, signer="late", name="Late Comer"), f"signed by 'late', {not_then}"),
        (signature(cover, signer="zed", name="Zed"), f"signed by 'zed', {not_then}"),
        (
            signature(cover, signer="bob", name="Bob Builder", role="supervisor"),
            "signed by 'bob', who was disabled then",
        ),
        (
            signature(cover, name="Ann Other"),
            "signed as 'Ann Other', but the signer 'ann' is 'Ann Example'",
        ),
        (
            signature(cover, role="supervisor"),
            "signed as 'supervisor', a role 'ann' did not hold then",
        ),
    ]
    seqs = [append(journal, run_id, "sign", value, at=at) for value, _ in cases]
    # ann held "surgeon" at the event's time; that she holds "qa" since does not matter
    ok = append(journal, run_id, "sign", signature(cover), at=at)
    assert reasons(journal) == [(seq, why) for seq, (_, why) in zip(seqs, cases, strict=True)]
    assert ok not in [seq for seq, _ in reasons(journal)]


def test_an_unreadable_signature_or_an_override_not_meaning_override(journal: Journal) -> None:
    run_id = start(journal)
    cover = hashes(journal, run_id)[-1]
    bad = append(journal, run_id, "sign", '{"signer": "ann"}', at=T0 + 20 * MINUTE)
    wrong = append(journal, run_id, "override", signature(cover), at=T0 + 20 * MINUTE, reason="x")
    assert reasons(journal) == [
        (bad, "its sign value is not a signature"),
        (wrong, "an override signed with the meaning 'approved'"),
    ]


# -- the signers and their log -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "fields"),
    [
        ("UPDATE signers SET roles = '[\"surgeon\",\"supervisor\"]' WHERE id = 'ann'", "roles"),
        ("UPDATE signers SET enabled = 0 WHERE id = 'ann'", "enabled"),
        ("UPDATE signers SET name = 'Anne Example' WHERE id = 'ann'", "printed name"),
        (
            "UPDATE signers SET secret = (SELECT secret FROM signers WHERE id = 'bob') "
            "WHERE id = 'ann'",
            "secret",
        ),
        ("UPDATE signers SET enabled = 1, updated_at = 'x' WHERE id = 'ann'", "updated_at"),
    ],
)
def test_a_signer_row_edited_behind_procedos_back_is_reported(
    journal: Journal, sql: str, fields: str
) -> None:
    tamper(journal, sql)
    (breach,) = signer_breaches(journal)
    assert str(breach) == (
        f"signer ann: its row disagrees with the signer log in {fields} (changed without a log row)"
    )


def test_a_signer_added_or_removed_without_the_log_is_reported(journal: Journal) -> None:
    tamper(
        journal,
        "INSERT INTO signers SELECT 'eve', 'Eve', '[\"surgeon\"]', secret, 1, created_at, "
        "updated_at FROM signers WHERE id = 'ann'",
        "DELETE FROM signers WHERE id = 'bob'",
    )
    assert [str(b) for b in signer_breaches(journal)] == [
        "signer bob: log row 2: the log adds it but its row is gone",
        "signer eve: its row has no `add` in the signer log",
    ]


def test_a_log_row_edited_deleted_or_inserted_breaks_the_chain(journal: Journal) -> None:
    disable_signer(journal, "bob", now_ms=T0 + 1)
    tamper(journal, "UPDATE signer_log SET detail = NULL, kind = 'enable' WHERE seq = 3")
    assert str(signer_breaches(journal)[0]) == (
        "signer log: row 3: its content or hash was changed "
        "(or row 2 was rewritten with a fresh hash)"
    )
    tamper(journal, "DELETE FROM signer_log WHERE seq = 2")
    assert str(signer_breaches(journal)[0]) == "signer log: row 2: row 2 is missing"


def test_verify_reports_the_signers_and_fails(journal: Journal, tmp_path: Path) -> None:
    start(journal)
    assert verify_with_links(journal).intact
    tamper(journal, "UPDATE signers SET enabled = 1, roles = '[]' WHERE id = 'bob'")
    report = verify_with_links(journal)
    assert report.breaches == [] and not report.intact and len(report.signers) == 1
    db = str(tmp_path / "j.db")
    text = CliRunner().invoke(cli, ["--db", db, "verify"], prog_name="procedo")
    assert text.exit_code == 1
    assert text.output.splitlines() == [
        "signer bob: its row disagrees with the signer log in roles (changed without a log row)",
        "Checked 1 run(s), 3 event(s): the runs are intact, but the signers are NOT intact.",
    ]
    data = json.loads(CliRunner().invoke(cli, ["--db", db, "verify", "--json"]).output)
    assert data["intact"] is False and data["breaches"] == []
    assert data["signers"] == [
        {
            "signer_id": "bob",
            "seq": None,
            "reason": "its row disagrees with the signer log in roles (changed without a log row)",
        }
    ]
    anchor = CliRunner().invoke(cli, ["--db", db, "anchor"], prog_name="procedo")
    assert anchor.exit_code == 1 and "signer bob: its row disagrees" in anchor.output


def test_no_secret_reaches_verify_output(journal: Journal, tmp_path: Path) -> None:
    tamper(journal, "UPDATE signers SET secret = 'scrypt$16$1$1$AAAA$BBBB' WHERE id = 'ann'")
    output = CliRunner().invoke(cli, ["--db", str(tmp_path / "j.db"), "verify", "--json"]).output
    stored = [
        str(r[0]) for r in sqlite3.connect(tmp_path / "j.db").execute("SELECT secret FROM signers")
    ]
    assert "secret" in output  # the field is named ...
    assert not any(s in output for s in stored) and "scrypt$" not in output  # ... never shown


# -- through the engine ----------------------------------------------------------------------


def test_signatures_given_through_the_engine_verify_and_cannot_be_moved(tmp_path: Path) -> None:
    """Signers authenticated from the journal sign through ``Run.sign`` and ``Run.override``:
    ``verify`` finds the whole journal intact; the same signature appended to another run is
    caught, and so is a signer disabled before a signature dated after."""
    loaded = LoadedProcess(signoff_definition(), Path("theatre.toml"), SIGNOFF_TOML,
                           content_hash(SIGNOFF_TOML))  # fmt: skip
    tick = iter(range(T0 + MINUTE, T0 + 10**9, 1000))
    with Journal(tmp_path / "j.db") as journal:
        journal.clock = lambda: next(tick)
        for signer_id, name, role in [("ak", "Anna Kurz", "anaesthetist"),
                                      ("rs", "Rosa Stein", "surgeon"),
                                      ("ts", "Tom Sand", "supervisor")]:  # fmt: skip
            add_signer(journal, signer_id, name, [role], f"{signer_id} secret", now_ms=T0)
        run = journal.start_run(loaded, "Nora Nurse")
        run.check(0)
        supervisor = authenticate(journal, "ts", "ts secret", run_id=run.run_id)
        run.override(1, "the machine was checked by biomed", supervisor)
        run.record(2, "70")
        run.sign(0, authenticate(journal, "ak", "ak secret"))
        run.sign(1, authenticate(journal, "rs", "rs secret"))
        run.complete()
        report = verify_with_links(journal)
        assert report.intact, (report.breaches, report.signers)
        kinds = journal.rows(
            "SELECT kind, value FROM events WHERE kind IN ('sign', 'override') ORDER BY seq"
        )
        assert [k["kind"] for k in kinds] == ["override", "sign", "sign"]
        other = journal.start_run(loaded, "Nora Nurse").run_id
        disable_signer(journal, "rs", now_ms=journal.clock())
        moved = append(journal, other, "sign", str(kinds[2]["value"]), at=journal.clock())
        assert reasons(journal, [other]) == [
            (moved, "its signature covers no earlier event of this run (moved or edited)")
        ]
        cover = hashes(journal, other)[-1]
        late = Signature("rs", "Rosa Stein", "surgeon", "approved", cover).to_json()
        after = append(journal, other, "sign", late, at=journal.clock())
        assert reasons(journal, [other])[-1] == (after, "signed by 'rs', who was disabled then")
        assert reasons(journal, [run.run_id]) == []  # the earlier signatures still hold
