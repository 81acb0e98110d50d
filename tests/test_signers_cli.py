"""``procedo signers``: add (asked twice, or one line of stdin), list (text and JSON), disable,
enable, roles, reset-pin; clear errors; and no PIN or PIN hash in any output or export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli
from procedo.journal import Journal
from procedo.journal.secrets import verify_secret
from procedo.journal.signers import SignRefused, authenticate
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
PIN = "240681"
OUTPUTS: list[str] = []


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.setenv("PROCEDO_DB", str(tmp_path / "journal.db"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "journal.db"


def run(*args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="procedo")
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    OUTPUTS.append(result.output)
    return result


def add(signer_id: str = "ann", *extra: str, pin: str = PIN) -> Result:
    return run("signers", "add", signer_id, "--name", "Ann Example", *extra, "--pin-stdin",
               stdin=pin + "\n")  # fmt: skip


def secrets_of(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [str(row[0]) for row in conn.execute("SELECT secret FROM signers")]
    finally:
        conn.close()


def test_add_from_stdin_then_list_as_text_and_json(isolated: Path) -> None:
    done = add("ann", "--role", "surgeon", "--role", "qa")
    assert done.exit_code == 0, done.output
    assert done.output == "Added the signer ann (Ann Example); roles: surgeon, qa.\n"
    listed = run("signers", "list")
    header, row = listed.output.splitlines()
    assert header.split() == ["ID", "NAME", "ROLES", "ENABLED", "CREATED"]
    assert row.startswith("ann  Ann Example  surgeon, qa  yes")
    (data,) = json.loads(run("signers", "list", "--json").output)
    assert data["id"] == "ann" and data["roles"] == ["surgeon", "qa"] and data["enabled"] is True
    assert set(data) == {"id", "name", "roles", "enabled", "created_at", "updated_at",
                         "locked_until"}  # fmt: skip
    (stored,) = secrets_of(isolated)
    assert verify_secret(PIN, stored)


def test_add_asks_twice_at_hidden_prompts(isolated: Path) -> None:
    done = run("signers", "add", "bob", "--name", "Bob Builder", stdin=f"{PIN}\n{PIN}\n")
    assert done.exit_code == 0, done.output
    assert done.output.count("PIN or passphrase:") == 1 and "The same again:" in done.output
    assert PIN not in done.output  # hidden: nothing of it echoed
    with Journal(isolated) as journal:
        assert authenticate(journal, "bob", PIN).name == "Bob Builder"


def test_mismatching_entries_add_nothing(isolated: Path) -> None:
    done = run("signers", "add", "bob", "--name", "Bob", stdin=f"{PIN}\n{PIN}9\n")
    assert done.exit_code == 1
    assert "procedo: the two entries do not match; nothing was changed" in done.output
    assert json.loads(run("signers", "list", "--json").output) == []


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "Ann", "--name", "Ann"], PIN, "'Ann' is not a valid signer id"),
        (["add", "ann", "--name", "  "], PIN, "the printed name must not be empty"),
        (["add", "ann", "--name", "Ann"], "12345", "a PIN of digits only must have at least 6"),
        (["add", "ann", "--name", "Ann"], "abc", "the PIN or passphrase must have at least 4"),
        (["disable", "zed"], None, "no signer has the id 'zed'"),
        (["enable", "zed"], None, "no signer has the id 'zed'"),
        (["roles", "zed", "--role", "qa"], None, "no signer has the id 'zed'"),
        (["reset-pin", "zed", "--pin-stdin"], PIN, "no signer has the id 'zed'"),
    ],
)
def test_clear_errors_and_exit_1(args: list[str], stdin: str | None, message: str) -> None:
    assert add("keep").exit_code == 0  # a journal exists, with someone else in it
    pin = ["--pin-stdin"] if args[0] == "add" else []
    done = run("signers", *args, *pin, stdin=None if stdin is None else stdin + "\n")
    assert done.exit_code == 1
    assert f"procedo: {message}" in done.output
    assert [s["id"] for s in json.loads(run("signers", "list", "--json").output)] == ["keep"]


def test_a_duplicate_id_is_refused_before_the_pin_is_asked() -> None:
    assert add("ann").exit_code == 0
    done = run("signers", "add", "ann", "--name", "Ann Again", stdin="")
    assert done.exit_code == 1
    assert "procedo: a signer with the id 'ann' already exists" in done.output
    assert "PIN or passphrase" not in done.output


def test_listing_a_missing_journal_or_an_empty_one(isolated: Path) -> None:
    missing = run("signers", "list")
    assert missing.exit_code == 1 and "no journal at" in missing.output
    Journal(isolated).close()
    assert "No signers yet" in run("signers", "list").output


def test_disable_enable_roles_and_reset_pin(isolated: Path) -> None:
    add("ann", "--role", "surgeon")
    assert run("signers", "disable", "ann").output == "Disabled the signer ann (Ann Example).\n"
    assert "ann  Ann Example  surgeon  no" in run("signers", "list").output
    again = run("signers", "disable", "ann")
    assert again.exit_code == 1 and "already disabled" in again.output
    assert run("signers", "enable", "ann").exit_code == 0
    assert "now has the roles: lead, qa" in run("signers", "roles", "ann", "--role", "lead",
                                                "--role", "qa").output  # fmt: skip
    reset = run("signers", "reset-pin", "ann", stdin="new passphrase\nnew passphrase\n")
    assert reset.exit_code == 0 and "Set a new PIN or passphrase" in reset.output
    with Journal(isolated) as journal:
        assert authenticate(journal, "ann", "new passphrase").roles == ("lead", "qa")
        kinds = [r["kind"] for r in journal.rows("SELECT kind FROM signer_log ORDER BY seq")]
    assert kinds == ["add", "disable", "enable", "roles", "reset_pin"]


def test_no_pin_nor_its_hash_in_any_output_or_export(isolated: Path) -> None:
    OUTPUTS.clear()
    add("ann", "--role", "surgeon")
    run("signers", "reset-pin", "ann", "--pin-stdin", stdin="second pin\n")
    with Journal(isolated) as journal:
        flow = journal.start_run(load_file(REPO / "processes" / "incident-response.toml"), "Cy",
                                 "pager")  # fmt: skip
        flow.check(0)
        with pytest.raises(SignRefused, match="wrong PIN"):
            authenticate(journal, "ann", PIN, run_id=flow.run_id, node="triage")
        run_id = flow.run_id
    run("signers", "list")
    run("signers", "list", "--json")
    for fmt in ("md", "json", "csv"):
        assert run("export", run_id, "--format", fmt).exit_code == 0
    run("verify")
    run("verify", "--json")
    run("show", run_id)
    (stored,) = secrets_of(isolated)
    salt, key = stored.split("$")[4:6]
    everything = "\n".join(OUTPUTS)
    assert "Ann Example" in everything  # the outputs were captured
    for secret in (PIN, "second pin", stored, salt, key, "scrypt$"):
        assert secret not in everything
