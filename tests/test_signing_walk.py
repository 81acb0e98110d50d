"""Signing in a run, key by key: c at a step whose items are done opens the sign-off dialog;
a wrong PIN, a signer without the role and a signer refused by ``distinct`` are refused with
the reason (each logged, nothing else journaled); both sign-offs given, c completes the step.
O passes a critical item with an override, signed by a second person in its role."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from procedo.config import Paths
from procedo.journal import Journal
from procedo.journal.signers import add_signer
from procedo.tui import StartRequest
from procedo.tui.screens.override_dialog import OverrideDialog
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.signoff_dialog import CHECKING, SignerDialog, SignoffDialog
from tui_support import FIXED_MS, app_for, static_text, wait_until

PROCESS = """
[process]
id = "swabs"
title = "Swab count"

[roles]
nurse = "Scrub nurse"
surgeon = "Surgeon"
anaesthetist = "Anaesthetist"
supervisor = "Supervisor"

[steps.count]
title = "Count the [b]swabs[/b]"
role = "nurse"
next = "close"
items = [
  "Count the swabs",
  { text = "Confirm the [red]implant[/]", critical = true, override = { role = "supervisor" } },
]
signoff = [
  { role = "anaesthetist", meaning = "reviewed" },
  { role = "surgeon", meaning = "approved", distinct = true },
]

[steps.close]
title = "Close"
role = "nurse"
next = "done"
items = ["Close the wound"]

[ends.done]
title = "Done"
outcome = "success"
"""

PIN = "135790"


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "swabs.toml").write_text(PROCESS, encoding="utf-8")
    paths = Paths(processes=folder, db=tmp_path / "journal.db")
    with Journal(paths.db) as journal:  # the conftest makes scrypt cheap
        for signer_id, name, roles in (
            ("ann", "Ann Lee", ["anaesthetist", "surgeon"]),
            ("sue", "Sue Park", ["surgeon"]),
            ("sam", "Sam Sup", ["supervisor"]),
        ):
            add_signer(journal, signer_id, name, roles, PIN, now_ms=FIXED_MS - 60_000)
    return paths


async def _sign(pilot: Pilot[None], signer_id: str, pin: str, *, reason: str = "") -> str:
    """Type into the open signing dialog and press enter; what it says once checked
    ("" when it closed)."""
    dialog = pilot.app.screen
    assert isinstance(dialog, SignerDialog)
    if reason:
        dialog.query_one("#override-reason", Input).value = reason
    dialog.query_one("#signer-id", Input).value = signer_id
    dialog.query_one("#signer-pin", Input).focus()
    await pilot.press(*pin, "enter")
    await wait_until(
        pilot,
        lambda: pilot.app.screen is not dialog or not dialog.busy,
        "the PIN checked",
    )
    if pilot.app.screen is not dialog:
        return ""
    assert dialog.pin == ""  # refused: the PIN is cleared
    said = static_text(dialog, "#dialog-error")
    assert said != CHECKING
    return said


def _log(paths: Paths) -> list[tuple[str, str, str]]:
    with Journal(paths.db) as journal:
        rows = journal.rows("SELECT signer_id, kind, detail FROM signer_log ORDER BY seq")
    return [(row["signer_id"], row["kind"], row["detail"]) for row in rows if row["kind"] != "add"]


async def test_two_sign_offs_refusals_then_the_step_completes(paths: Paths) -> None:
    app = app_for(paths, start=StartRequest("swabs", "Nina"))
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen.check_action("complete", ()) is not False  # c is Done while items open
        await pilot.press("space", "space")
        await pilot.pause()
        assert screen.check_action("sign_step", ()) is True  # now c signs
        assert screen.check_action("complete", ()) is False
        assert "Anaesthetist · reviewed: to sign" in static_text(screen, "#node-basis")
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SignoffDialog)
        assert dialog.view.role == "Anaesthetist" and dialog.view.position == "Sign-off 1 of 2"
        assert "Count the [b]swabs[/b]" in static_text(dialog, ".dialog-title")

        assert "wrong PIN or passphrase" in await _sign(pilot, "ann", "000000")
        assert "does not hold the role Anaesthetist" in await _sign(pilot, "sue", PIN)
        assert await _sign(pilot, "ann", PIN) == ""
        assert app.screen is screen
        assert "signed: Ann Lee (ann), reviewed" in static_text(screen, "#status")
        basis = static_text(screen, "#node-basis")
        assert "Anaesthetist · reviewed: Ann Lee (ann), reviewed, 2026-" in basis
        assert "Surgeon · approved: to sign" in basis

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SignoffDialog) and app.screen.view.distinct
        assert "acted at this node" in await _sign(pilot, "ann", PIN)
        assert await _sign(pilot, "sue", PIN) == ""
        assert screen.check_action("complete", ()) is True  # every sign-off given: c is Done
        await pilot.press("c")
        await pilot.pause()
        assert screen.run.state.current_node == "close"

    log = _log(paths)
    assert [(signer, kind) for signer, kind, _ in log] == [
        ("ann", "failed"),
        ("sue", "failed"),
        ("ann", "failed"),
    ]
    assert "does not hold the role" in log[1][2] and "acted at this node" in log[2][2]
    assert all(PIN not in detail for _, _, detail in log)
    with Journal(paths.db) as journal:
        signs = journal.rows("SELECT item, value FROM events WHERE kind = 'sign' ORDER BY seq")
    assert [row["item"] for row in signs] == [0, 1]
    assert '"signer":"ann"' in signs[0]["value"] and '"signer":"sue"' in signs[1]["value"]


async def test_an_override_of_a_critical_item(paths: Paths) -> None:
    app = app_for(paths, start=StartRequest("swabs", "Nina"))
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen.check_action("override", ()) is False  # on the first item: no O
        await pilot.press("space")  # the cursor moves on to the critical item
        await pilot.pause()
        assert screen.panel.highlighted == 1
        assert screen.check_action("override", ()) is True
        await pilot.press("O")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OverrideDialog)
        assert "Confirm the [red]implant[/]" in static_text(dialog, ".signed-line")
        said = await _sign(pilot, "sue", PIN, reason="implant log [i]offline[/i]")
        assert "does not hold the role Supervisor" in said
        assert await _sign(pilot, "sam", PIN, reason="implant log [i]offline[/i]") == ""
        mark = screen.run.state.current.mark(1)  # type: ignore[union-attr]
        assert mark.overridden is not None and mark.overridden.signature.signer == "sam"
        assert mark.overridden.reason == "implant log [i]offline[/i]"
        assert "overridden" in static_text(screen, "#status")
        assert screen.check_action("override", ()) is False  # done now
        await pilot.press("O")  # says why, rather than nothing
        assert "is already overridden" in static_text(screen, "#status")
        assert screen.check_action("sign_step", ()) is True  # the items are all passed
    with Journal(paths.db) as journal:
        rows = journal.rows("SELECT item, reason, value FROM events WHERE kind = 'override'")
    assert len(rows) == 1 and rows[0]["item"] == 1
    assert rows[0]["reason"] == "implant log [i]offline[/i]"
    assert '"meaning":"override"' in rows[0]["value"]


async def test_o_leaves_the_footer_when_a_tick_moves_off_the_item(tmp_path: Path) -> None:
    """O is in the footer only while the highlighted item may be overridden: ticking it moves
    the cursor on and O goes (the footer once kept it: the tick's repaint and the move each
    thought the other had refreshed it)."""
    from procedo.tui.screens.run import RunScreen
    from tui_support import make_paths

    app = app_for(make_paths(tmp_path), start=StartRequest("surgical-safety", "Olga", "scheduled"))
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)

        def footer() -> list[str]:
            return [str(key.key) for key in screen.query("FooterKey")]

        await pilot.press("space", "space", "space")  # on to the pulse oximeter
        await wait_until(pilot, lambda: "O" in footer(), "O shown on the oximeter")
        await pilot.press("space")  # ticked: the cursor goes on to the allergy question
        await wait_until(pilot, lambda: screen.panel.highlighted == 4, "moved on")
        await wait_until(pilot, lambda: "O" not in footer(), "O gone")


DECISION = """
[process]
id = "approve"
title = "Approve a payment"

[roles]
clerk = "Clerk"

[decisions.pay]
question = "Pay the [b]invoice[/b]?"
role = "clerk"
signoff = [{ role = "clerk", meaning = "reviewed" }]
options = [{ label = "Pay", next = "done" }, { label = "Hold", next = "done" }]

[ends.done]
title = "Done"
outcome = "success"
"""


async def test_s_signs_a_decision_before_it_can_be_answered(tmp_path: Path) -> None:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "approve.toml").write_text(DECISION, encoding="utf-8")
    paths = Paths(processes=folder, db=tmp_path / "journal.db")
    with Journal(paths.db) as journal:
        add_signer(journal, "cleo", "Cleo Clerk", ["clerk"], PIN, now_ms=FIXED_MS - 60_000)
    app = app_for(paths, start=StartRequest("approve", "Nina"))
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen.check_action("sign", ()) is True
        await pilot.press("1")  # not before the sign-off
        await pilot.pause()
        assert screen.run.state.current_node == "pay"
        assert "sign-off still to give" in static_text(screen, "#status")
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, SignoffDialog)
        assert await _sign(pilot, "cleo", PIN) == ""
        assert screen.check_action("sign", ()) is False  # given: S leaves the footer
        await pilot.press("1")
        await wait_until(pilot, lambda: screen.run.state.finished, "answered")
