"""Hand-over to a signer (issue 11): a name that is a signer's id hands the run over only once
their PIN is checked, and at a hand-over point only to a signer of the next role; the next
actions are journaled under the signer id. A free name is handed over as before."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from procedo.config import Paths
from procedo.journal import Journal
from procedo.journal.signers import add_signer
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.run_handover_signer import HandOverSignerDialog
from tui_support import FIXED_MS, app_for, static_text, wait_until

PROCESS = """
[process]
id = "swap"
title = "Swap a part"

[roles]
tech = "Technician"
inspector = "Inspector"

[steps.swap]
title = "Swap the part"
role = "tech"
next = "inspect"
items = ["Fit the new part"]

[steps.inspect]
title = "Inspect the fit"
role = "inspector"
next = "done"
items = ["Torque checked"]

[ends.done]
title = "Done"
outcome = "success"
"""

PIN = "864200"


async def test_a_signer_takes_over_only_with_their_pin_and_role(tmp_path: Path) -> None:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "swap.toml").write_text(PROCESS, encoding="utf-8")
    paths = Paths(processes=folder, db=tmp_path / "journal.db")
    with Journal(paths.db) as journal:
        add_signer(journal, "ivy", "Ivy Inspector", ["inspector"], PIN, now_ms=FIXED_MS - 1)
        add_signer(journal, "tom", "Tom Tech", ["tech"], PIN, now_ms=FIXED_MS - 1)
    app = app_for(paths, start=StartRequest("swap", "Tess"))
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("space", "c")
        await pilot.pause()
        assert screen.run.state.awaiting_role == "inspector"
        screen._point_shown -= 1000.0

        async def hand_to(signer_id: str, pin: str) -> str:
            await pilot.press("o")
            await pilot.pause()
            app.screen.query_one(Input).value = signer_id
            await pilot.press("enter")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, HandOverSignerDialog)
            assert dialog.query_one("#signer-id", Input).value == signer_id
            pin_field = dialog.query_one("#signer-pin", Input)
            await wait_until(pilot, lambda: app.focused is pin_field, "the PIN field focused")
            await pilot.press(*pin, "enter")
            await wait_until(pilot, lambda: app.screen is not dialog or not dialog.busy)
            if app.screen is not dialog:
                return ""
            said = static_text(dialog, "#dialog-error")
            await pilot.press("escape")
            await pilot.pause()
            return said

        assert "wrong PIN" in await hand_to("ivy", "000000")
        assert "does not hold the role Inspector" in await hand_to("tom", PIN)
        assert screen.run.state.operator == "Tess"  # nothing handed over
        assert await hand_to("ivy", PIN) == ""
        assert (screen.run.state.operator, screen.run.state.awaiting_role) == ("ivy", None)
        await pilot.press("space")
        await pilot.pause()
    with Journal(paths.db) as journal:
        kinds = journal.rows(
            "SELECT kind, actor, value FROM events WHERE kind != 'pause' ORDER BY seq DESC LIMIT 2"
        )
        log = journal.rows("SELECT signer_id, kind FROM signer_log WHERE kind != 'add'")
    assert [(r["kind"], r["actor"]) for r in kinds] == [("check", "ivy"), ("handover", "Tess")]
    assert kinds[1]["value"] == "ivy"
    assert [(r["signer_id"], r["kind"]) for r in log] == [("ivy", "failed"), ("tom", "failed")]
