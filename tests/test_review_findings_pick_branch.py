"""Review finding: ``g`` then a branch's number switched by the branch's label, and two
branches whose first nodes share a title (the same form signed by two people) have the same
label: picking the second one went to the first."""

from __future__ import annotations

from pathlib import Path

from procedo.tui import StartRequest
from procedo.tui.screens.dialogs import ChoicePrompt
from procedo.tui.screens.run import RunScreen
from tui_support import app_for, make_paths

TWINS = """
[process]
id = "twins"
title = "Two signatures"
start = "ask"

[steps.ask]
title = "Prepare the form"
next = "sign"
items = ["Printed"]

[parallel.sign]
title = "Both sign"
branches = ["sign-buyer", "sign-seller"]
join = "file"

[steps.sign-buyer]
title = "Sign the form"
next = "file"
items = ["The buyer signed"]

[steps.sign-seller]
title = "Sign the form"
next = "file"
items = ["The seller signed"]

[steps.file]
title = "File the form"
next = "done"
items = ["Filed"]

[ends.done]
title = "Filed"
outcome = "success"
"""


async def test_g_and_a_number_go_to_that_branch_when_titles_repeat(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "twins.toml").write_text(TWINS, "utf-8")
    paths = make_paths(tmp_path, folder)
    app = app_for(paths, start=StartRequest("twins", "Tess", None))
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        screen.run.check(0)
        screen.run.complete()  # the split
        screen.refresh_view()
        await pilot.pause()
        assert screen.run.state.focus == "sign:1"
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is screen
        assert screen.run.state.focus == "sign:2"
        assert screen.run.state.current_node == "sign-seller"
