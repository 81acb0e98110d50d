"""The tick's repaint: a changed checklist row is replaced in place (through OptionList
internals, checked here so that a Textual upgrade fails loudly), and the item detail keeps its
place so that a tick does not lay the whole screen out again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.widgets.checklist import Checklist
from procedo.tui.widgets.updates import update_static
from tui_support import app_for, make_paths

UPGRADE = (
    "Textual changed OptionList internals that Checklist._replace_in_place relies on: {what}. "
    "Without them every tick repaints the whole list (about 8 ms more a key on a 200-item "
    "list, bench/README.md); update _replace_in_place for the new Textual, or remove it."
)


class _List(App[None]):
    CSS = "#detail { min-height: 2; }"

    def compose(self) -> ComposeResult:
        yield Checklist(*[Option(Content(f"[ ] item {i}"), id=str(i)) for i in range(6)])
        yield Static("", id="detail")


def _row(checklist: Checklist, y: int) -> str:
    return "".join(segment.text for segment in checklist.render_line(y)).strip()


async def test_the_option_list_internals_the_fast_path_uses_are_there() -> None:
    app = _List()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        checklist = app.query_one(Checklist)
        line_cache = getattr(checklist, "_line_cache", None)
        assert line_cache is not None, UPGRADE.format(what="OptionList._line_cache is gone")
        for name in ("heights", "index_to_line"):
            assert isinstance(getattr(line_cache, name, None), dict), UPGRADE.format(
                what=f"_line_cache.{name} is no longer a dict"
            )
        render_cache = getattr(checklist, "_option_render_cache", None)
        for name in ("keys", "discard"):
            assert callable(getattr(render_cache, name, None)), UPGRADE.format(
                what=f"_option_render_cache.{name}() is gone"
            )
        option = checklist.get_option_at_index(0)
        assert callable(getattr(option, "_set_prompt", None)), UPGRADE.format(
            what="Option._set_prompt is gone"
        )
        assert isinstance(getattr(option, "_divider", None), bool), UPGRADE.format(
            what="Option._divider is gone"
        )
        assert callable(getattr(OptionList, "_get_left_gutter_width", None)), UPGRADE.format(
            what="OptionList._get_left_gutter_width is gone"
        )
        keys = list(render_cache.keys())  # type: ignore[union-attr]
        assert keys and all(isinstance(k, tuple) and isinstance(k[0], Option) for k in keys), (
            UPGRADE.format(what="_option_render_cache is no longer keyed by (option, ...)")
        )


async def test_a_row_replaced_in_place_repaints_with_its_new_text() -> None:
    app = _List()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        checklist = app.query_one(Checklist)
        before = [_row(checklist, y) for y in range(6)]
        assert checklist._replace_in_place(2, Content("[✓] item 2")), UPGRADE.format(
            what="the fast path no longer applies to a same-height prompt"
        )
        await pilot.pause()
        after = [_row(checklist, y) for y in range(6)]
        assert after[2] == "[✓] item 2", UPGRADE.format(what="the replaced row shows stale text")
        assert after[:2] + after[3:] == before[:2] + before[3:]
        assert not checklist._replace_in_place(3, Content("[ ] item 3\n    two lines"))


async def test_update_static_counts_the_reserved_lines() -> None:
    """Within its min-height, a Static's new text asks for no layout of the screen."""
    app = _List()
    async with app.run_test(size=(60, 12)) as pilot:
        widget = app.query_one("#detail", Static)
        update_static(widget, Content("one line"))
        await pilot.pause()
        layouts: list[bool] = []
        original = widget.refresh

        def spy(*regions: Any, **kwargs: Any) -> Any:
            layouts.append(bool(kwargs.get("layout")))
            return original(*regions, **kwargs)

        widget.refresh = spy  # type: ignore[method-assign]
        assert update_static(widget, Content("\ndone by Ann at 10:00:00 UTC"))
        assert update_static(widget, Content(""))
        assert layouts == [False, False]
        assert update_static(widget, Content("one\ntwo\nthree"))
        assert layouts[-1] is True


async def test_a_tick_does_not_lay_the_run_screen_out_again(tmp_path: Path) -> None:
    start = StartRequest("incident-response", "Ann", "pager")
    app = app_for(make_paths(tmp_path), start=start)
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, RunScreen):
            await pilot.pause()
        await pilot.pause()
        screen = app.screen
        detail = screen.query_one("#item-detail", Static)
        layouts: list[str] = []
        for widget in screen.query("*"):
            original = widget.refresh

            def spy(*regions: Any, _original: Any = original, _id: Any = widget.id, **kw: Any):
                if kw.get("layout"):
                    layouts.append(str(_id))
                return _original(*regions, **kw)

            widget.refresh = spy  # type: ignore[method-assign]
        saved = screen.run.state.last_seq
        await pilot.press("space")  # tick "Acknowledge the page"; the cursor moves on
        while screen.run.state.last_seq == saved:
            await pilot.pause()
        await pilot.press("k")  # back to it: its detail says who did it
        await pilot.pause()
        assert "done by Ann" in str(detail.render())
        assert "item-detail" not in layouts, layouts
        assert detail.display
