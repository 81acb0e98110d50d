"""The run screen's keys: enter never ticks or chooses, the hand-over point, the cursor, notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, TextArea

from procedo.engine.cleaning import MAX_TEXT
from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui import StartRequest
from procedo.tui.screens.note_dialog import NotePrompt
from procedo.tui.screens.run import RunScreen
from tui_support import BUNDLED, act_as_next_role, app_for, fill_step, make_paths, widget_text

LAB = StartRequest("lab-sample-intake", "Tess", "courier")
LAB_UNPACK = load_file(BUNDLED / "lab-sample-intake.toml").definition.steps["unpack"]


def _screen(app: object) -> RunScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, RunScreen)
    return screen


def _highlighted(screen: RunScreen) -> int | None:
    return screen.query_one("#choices", OptionList).highlighted


async def test_enter_never_ticks_a_step_item_a_critical_one_or_chooses(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path), start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        assert _highlighted(screen) == 0  # "Put on gloves, lab coat and eye protection" ⚠ critical
        await pilot.press("enter", "enter", "down", "enter")
        await pilot.pause()
        assert screen.run.state.last_seq == 1, "enter journaled something"
        assert screen.run.open_items() == list(range(len(LAB_UNPACK.items)))
        await fill_step(pilot, keys=False)  # the logger's reading is out of range:
        assert screen.run.state.current_node == "qa-review"  # temperature-ok chose No itself
        await act_as_next_role(pilot, keys=False)
        seq = screen.run.state.last_seq
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert screen.run.state.last_seq == seq, "enter chose an option"
        assert screen.run.state.current_node == "qa-review"


async def test_an_enter_typed_with_space_does_not_pick_a_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a long guard, so the enter counts as typed with space however loaded the machine is
    monkeypatch.setattr("procedo.tui.screens.dialogs.ENTER_GUARD_S", 60.0)
    app = app_for(make_paths(tmp_path), start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("j", "j", "space", "enter")  # the transport condition: a choice
        await pilot.pause()
        dialog = app.screen
        assert dialog is not screen, "the choice dialog stays open"
        assert screen.run.state.last_seq == 1, "enter recorded the highlighted choice"
        dialog.opened -= 120.0  # type: ignore[attr-defined]  # read for a while: enter counts
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.run.state.current.mark(2).value == "Refrigerated"  # type: ignore[union-attr]


async def test_two_quick_presses_answer_only_the_first_decision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a long guard, so "at once" holds however slowly a loaded machine delivers the keys
    monkeypatch.setattr("procedo.tui.screens.run.POINT_GUARD_S", 60.0)
    paths = make_paths(tmp_path)
    app = app_for(paths, start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await fill_step(pilot, keys=False)  # temperature-ok chooses No itself: qa-review
        await pilot.press("2", "2", "enter", "o")  # all at once, before the point was read
        await pilot.pause()
        state = screen.run.state
        assert (state.current_node, state.awaiting_role) == ("qa-review", "qa")
        assert isinstance(app.screen, RunScreen), "o opened the hand-over dialog"
        point = widget_text(app, "#role-point")
        assert "Next: Quality officer decides: Can the samples still be" in point
        assert "I act as Quality officer" in point
        screen._point_shown -= 120.0  # the operator has read it: now enter counts
        await pilot.press("enter")
        await pilot.pause()
        assert screen.run.state.awaiting_role is None
        assert not screen.query_one("#role-point").display
        run_id = screen.run.run_id
    with Journal(paths.db) as journal:
        events = journal.events(run_id)
    chosen = [e for e in events if e.kind in ("choose", "auto_choose")]
    # the process's own choice only: no key answered the quality officer's decision
    assert [(e.kind, e.node, e.item) for e in chosen] == [("auto_choose", "temperature-ok", 1)]
    accepted = [(e.kind, e.actor, e.value) for e in events if e.kind == "accept_role"]
    assert accepted == [("accept_role", "Tess", "qa")]
    assert events[-1].kind == "pause"  # leaving the screen


async def test_handing_over_at_the_point_names_the_next_role(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path), start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await fill_step(pilot, keys=False)  # temperature-ok chooses No itself: qa-review
        screen._point_shown -= 1000.0
        await pilot.press("o")
        await pilot.pause()
        assert "Quality officer who takes over" in widget_text(app, ".dialog-hint")
        await pilot.press(*"Quinn", "enter")
        await pilot.pause()
        state = screen.run.state
        assert (state.operator, state.awaiting_role) == ("Quinn", None)
        await pilot.press("1")  # the quality officer accepts with a deviation note
        await pilot.pause()
        assert screen.run.state.current_node == "inspect"


async def test_the_cursor_moves_to_the_next_open_item(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("down", "space")  # tick item 2 first
        await pilot.pause()
        assert _highlighted(screen) == 2, "on to the next open item"
        await pilot.press("space", "1")  # the transport condition: a choice
        await pilot.pause()
        assert _highlighted(screen) == 3
        await pilot.press("k", "k", "k")  # j and k still move freely
        assert _highlighted(screen) == 0
        await pilot.press("space")
        await pilot.pause()
        assert _highlighted(screen) == 3, "skips the items already done"
        await pilot.press("j", "j", "j", "j", "space")  # the last item: frozen, so it applies
        await pilot.pause()
        assert _highlighted(screen) == 3, "none open below: back to the first open one above"
        await pilot.press("down", "space")  # untick item 4 (not done: a value dialog)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("k", "space", *"-30", "enter")
        await pilot.pause()
        assert _highlighted(screen) == 4
        await pilot.press("space", *"-30", "enter")
        await pilot.pause()
        assert _highlighted(screen) == 5
        await pilot.press("space", *"3", "enter", "space", *"3", "enter")  # 3 listed, 3 received
        await pilot.pause()
        assert screen.run.open_items() == []
        assert _highlighted(screen) == 6, "nothing open: the cursor stays"


async def test_a_note_may_span_lines_and_says_what_it_is_about(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("n")
        await pilot.pause()
        scopes = app.screen.query_one(OptionList)
        labels = [str(scopes.get_option_at_index(i).prompt) for i in range(scopes.option_count)]
        assert labels == [
            "1. About this item: Put on gloves, lab coat and eye protection",
            "2. About this step",
            "3. About the whole run",
        ]
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, NotePrompt)
        await pilot.press(*"Box was wet", "enter", *"[dried it]", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        note = screen.run.state.notes[-1]
        assert (note.node, note.item, note.text) == ("unpack", None, "Box was wet\n[dried it]")
        await pilot.press("n", "3")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NotePrompt)
        too_long = "x" * (MAX_TEXT + 5)
        dialog.query_one(TextArea).text = too_long
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog, "a refused note keeps the dialog open"
        assert "at most 10,000 characters: 5 too many" in widget_text(app, "#dialog-error")
        assert dialog.query_one(TextArea).text == too_long, "what was typed is kept"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert len(screen.run.state.notes) == 1


async def test_resuming_at_a_hand_over_point_shows_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", LAB.operator)  # the same person goes on
    paths = make_paths(tmp_path)
    app = app_for(paths, start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        run_id = screen.run.run_id
        await fill_step(pilot, keys=False)
        await pilot.press("2", "q")
        await pilot.pause()
    app = app_for(paths, resume=run_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        assert screen.run.state.awaiting_role == "qa"
        assert "Next: Quality officer decides" in widget_text(app, "#role-point")
        await act_as_next_role(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert screen.run.state.current_node == "inspect"


async def test_space_never_undoes_and_the_cursor_stops_at_the_ends(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path), start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("space", "space")  # the critical gloves item, then the packaging
        await pilot.pause()
        seq = screen.run.state.last_seq
        await pilot.press("k", "k", "k", "space")  # back on the done critical item
        await pilot.pause()
        assert _highlighted(screen) == 0, "k stops at the first item"
        assert screen.run.state.last_seq == seq, "space on a done item journaled something"
        assert screen.run.state.current.mark(0).checked  # type: ignore[union-attr]
        assert "already ticked: delete clears it" in widget_text(app, "#status")
        await pilot.press(*["j"] * 9)
        last = len(LAB_UNPACK.items) - 1
        assert _highlighted(screen) == last, "j stops at the last item (no wrap to the done one)"
        await pilot.press(*["k"] * last, "delete")  # clearing is deliberate
        await pilot.pause()
        assert not screen.run.state.current.mark(0).checked  # type: ignore[union-attr]
