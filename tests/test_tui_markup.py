"""Every string from a TOML file or an operator is shown literally, never as markup."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from procedo.engine import ItemMark, MemorySink, Run
from procedo.model import parse_definition
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen, summary_content
from procedo.tui.text import cell, line, lit
from procedo.tui.widgets.checklist import item_prompt, option_prompt
from procedo.tui.widgets.run_header import header_content
from tui_support import (
    REPO,
    FakeClock,
    act_as_next_role,
    app_for,
    fill_step,
    folded,
    make_paths,
    squashed,
    widget_text,
)

BRACKETS = REPO / "tests" / "fixtures" / "brackets"
NASTY_ALPHABET = "[]/@=$#:;,.!'\"\\ abcAB01-_()"
nasty_text = st.text(alphabet=NASTY_ALPHABET, min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)


async def test_bracket_heavy_process_is_shown_exactly_as_typed(tmp_path: Path) -> None:
    paths = make_paths(tmp_path, BRACKETS)
    app = app_for(paths)
    async with app.run_test(size=(180, 50)) as pilot:
        await pilot.pause()
        processes = widget_text(app, "#processes")
        assert "Step [b]one[/b] of [red]the[/red] plant" in processes
        assert "[v2]" in processes
        detail = squashed(widget_text(app, "#process-detail"))
        for text in (
            "Valve [A-1] and [@click=app.quit]quit[/] must stay text.",
            "Ops [/]",
            "Operator [lead], QA [$accent]",
            "Alarm [#ff0000]red[/]",
            "Key [K-7]",
            "[link=https://example.com]manual[/link]",
        ):
            assert squashed(text) in detail, text
        await pilot.press("enter")
        await pilot.pause()
        assert "Alarm [#ff0000]red[/]" in widget_text(app, "#trigger")
        await pilot.click("#operator")  # the name given is changed on purpose only
        await pilot.press("end", "ctrl+u", *"Op [b]Ann[/b]", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert "Op [b]Ann[/b]" in widget_text(app, "#run-header")
        assert "Step [b]one[/b]" in widget_text(app, "#node-title")
        assert "Operator [lead]" in widget_text(app, "#node-meta")
        assert "Open [valve] V-[3] then close [/]." in widget_text(app, "#node-instructions")
        checklist = widget_text(app, "#choices")
        for text in (
            "Closing tag only [/]",
            "valve [A-1]",
            "[@click=app.quit]quit[/]",
            "QA [$accent]",
            "Reading [unit]",
            "[bar]",
            "[a], b], [/c",
        ):
            assert text in checklist, text
        await pilot.press("down", "down")
        await pilot.pause()
        assert "Details [i]x[/i] \\[escaped]" in widget_text(app, "#item-detail")
        # Clicking the text that looks like an action neither quits nor ticks: it highlights.
        await pilot.click("#choices", offset=(12, 2))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, RunScreen)
        assert screen.query_one("#choices", OptionList).highlighted == 2
        assert not screen.run.state.current.mark(2).checked  # type: ignore[union-attr]
        await pilot.press("home")
        await fill_step(pilot)
        assert "Is [it] ok? [y/n]" in widget_text(app, "#node-title")
        options = widget_text(app, "#choices")
        assert "[Yes]" in options and "No [/]" in options and "Done [b]ok[/b]" in options
        assert "Next: QA [$accent] decides: Is [it] ok? [y/n]" in widget_text(app, "#role-point")
        await act_as_next_role(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = squashed(widget_text(app, "#summary"))
        for text in ("Done [b]ok[/b]", "ok [A-1]", "[a]", "5 [bar]", "Step [b]one[/b]"):
            assert squashed(text) in summary, text


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(nasty_text, min_size=6, max_size=6))
def test_content_builders_keep_every_character(texts: list[str]) -> None:
    """Item rows, options, the header and the summary contain each text verbatim."""
    title, item_text, role, question, label, value = texts
    data = {
        "process": {"id": "p", "title": title, "target_minutes": 5},
        "roles": {"r": role},
        "steps": {
            "s": {
                "title": title,
                "next": "d",
                "items": [{"text": item_text, "role": "r", "record": "text"}],
            }
        },
        "decisions": {
            "d": {
                "question": question,
                "options": [{"label": label, "next": "e"}, {"label": label + "!", "next": "s"}],
            }
        },
        "ends": {"e": {"title": title, "outcome": "success"}},
    }
    definition = parse_definition(tomli_w.dumps(data))
    step = definition.steps["s"]
    row = item_prompt(definition, step, step.items[0], ItemMark(checked=True, value=value), 0)
    assert item_text in row.plain and role in row.plain and value in row.plain
    option = option_prompt(definition, definition.decisions["d"], 0)
    assert label in option.plain and title in option.plain
    sink = MemorySink()
    run = Run.start(definition, "h", sink, "op", clock=FakeClock(step=1000))
    assert title in header_content(definition, run.state, FakeClock()(), False).plain
    run.record(0, value)
    run.complete()
    run.choose(0)
    shown = summary_content(run).plain
    assert title in shown and value.strip() in shown
    for content in (row, option, summary_content(run)):
        for span in content.spans:
            assert "@click" not in str(span.style) and "link" not in str(span.style)


class _Widgets(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(lit(""), id="static")
        yield Static(line(("", "bold")), id="styled")
        yield OptionList(id="options")
        yield DataTable(id="table")


def test_random_bracket_strings_render_literally_in_real_widgets() -> None:
    rng = random.Random(20261125)
    samples = ["[/]", "[b]x", "[@click=app.quit]q[/]", "valve [A-1]", "\\[x]", "[$accent]a"]
    samples += [
        "".join(rng.choice(NASTY_ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(120)
    ]
    samples = [s for s in samples if s.strip()]

    async def check() -> None:
        app = _Widgets()
        async with app.run_test(size=(200, 20)) as pilot:
            table = app.query_one(DataTable)
            table.add_column("c")
            for sample in samples:
                app.query_one("#static", Static).update(lit(sample))
                app.query_one("#styled", Static).update(line((sample, "bold $accent")))
                app.query_one(OptionList).set_options([Option(lit(sample))])
                table.clear()
                table.add_row(cell(sample))
                await pilot.pause()
                expected = folded(sample)
                assert widget_text(app, "#static") == expected, sample
                assert widget_text(app, "#styled") == expected, sample
                assert expected in widget_text(app, "#options"), sample
                assert expected in widget_text(app, "#table"), sample

    asyncio.run(check())


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(nasty_text, min_size=3, max_size=3))
def test_random_process_texts_survive_the_run_screen(tmp_path_factory, texts: list[str]) -> None:
    title, item_text, question = texts
    folder = tmp_path_factory.mktemp("p") / "processes"
    folder.mkdir()
    data = {
        "process": {"id": "rnd", "title": title},
        "steps": {"s": {"title": title, "next": "d", "items": [item_text]}},
        "decisions": {
            "d": {
                "question": question,
                "options": [{"label": "a", "next": "e"}, {"label": "b", "next": "s"}],
            }
        },
        "ends": {"e": {"title": "end", "outcome": "success"}},
    }
    (folder / "rnd.toml").write_text(tomli_w.dumps(data), encoding="utf-8")

    async def check() -> None:
        paths = make_paths(folder.parent, folder)
        app = app_for(paths, start=StartRequest("rnd", "op"))
        async with app.run_test(size=(200, 30)) as pilot:
            await pilot.pause()
            assert folded(title) in widget_text(app, "#node-title")
            assert folded(item_text) in widget_text(app, "#choices")
            await pilot.press("space", "c")
            await pilot.pause()
            assert folded(question) in widget_text(app, "#node-title")

    asyncio.run(check())
