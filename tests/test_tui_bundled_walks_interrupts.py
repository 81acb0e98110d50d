"""Pilot walks of issue 12 on the bundled processes: an interrupt raised mid-checklist in each
bundled process that has any, by the keys an operator presses (``!``, a pick, space, ``c``,
the ``after`` question), back on the same item with every mark as it was and listed on the
summary; the lockout's injury that abandons the run; a deferred item of the release done at
its rollout (a success end refused while it is open); and a run killed inside an interrupt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.model import AfterChoice
from procedo.tui.interrupt_view import PRIORITY_WORDS
from procedo.tui.screens.dialogs import ChoicePrompt, TextPrompt
from procedo.tui.screens.summary import SummaryScreen
from tui_bundled_walk_support import (
    SIZE,
    banner,
    bundled_app,
    bundled_paths,
    do_open_items,
    finish,
    processes_with_interrupts,
    return_by_keys,
    rows,
    summary_text,
    tick_from_the_first,
    walk_until,
)
from tui_interrupt_support import raise_by_keys, run_screen
from tui_support import (
    act_as_next_role,
    app_for,
    give_signoffs,
    paste,
    wait_until,
    widget_text,
)


@dataclass(frozen=True)
class Walk:
    """Where an interrupt is raised in a bundled process, and what the banner says then."""

    process: str
    node: str
    ticked: int  # items ticked or recorded by keys before the interrupt, from the first
    cursor: int  # the line highlighted when ``!`` is pressed
    interrupt: str
    banner: str

    @property
    def interrupted(self) -> str:
        """What the summary says it interrupted: as the banner says it."""
        return self.banner.split(" · interrupted: ")[1]

    @property
    def id(self) -> str:
        return f"{self.process}:{self.interrupt}"


WALKS = [
    Walk("lockout-tagout", "isolate", 2, 3, "fire-alarm", "NON-NORMAL · ⚠ WARNING · Fire alarm"
        " · interrupted: Isolate, lock and tag every energy source of ok [A-1], item 4"),
    Walk("lab-sample-intake", "inspect", 2, 3, "leaking-container", "NON-NORMAL · ▲ CAUTION · "
        "Leaking container · interrupted: Inspect containers and paperwork, item 4"),
    # a warning with an item of another role (the quality officer's report)
    Walk("lab-sample-intake", "accession", 1, 2, "biohazard-spill", "NON-NORMAL · ⚠ WARNING · "
        "Biohazard spill · interrupted: Accession and store, item 3"),
    Walk("software-release", "canary", 2, 2, "page", "NON-NORMAL · ▲ CAUTION · Paged during the "
        "release · interrupted: Deploy the canary of ok [A-1], item 3"),
    Walk("incident-response", "triage", 3, 4, "second-incident", "NON-NORMAL · ▲ CAUTION · A "
        "second incident starts · interrupted: Triage the alert, item 5"),
    Walk("incident-response", "triage", 1, 1, "security-finding", "NON-NORMAL · ⚠ WARNING · "
        "Security finding · interrupted: Triage the alert, item 2"),
]  # fmt: skip


def test_every_bundled_process_with_interrupts_is_walked() -> None:
    assert sorted({walk.process for walk in WALKS}) == processes_with_interrupts()


@pytest.mark.parametrize("walk", WALKS, ids=[walk.id for walk in WALKS])
async def test_an_interrupt_mid_checklist_returns_to_the_exact_item(
    tmp_path: Path, walk: Walk
) -> None:
    paths = bundled_paths(tmp_path)
    app = bundled_app(paths, walk.process)
    async with app.run_test(size=SIZE) as pilot:
        screen = await walk_until(pilot, walk.node)
        await tick_from_the_first(screen, pilot, walk.ticked)
        screen.panel.select_line(walk.cursor)
        await wait_until(pilot, lambda: screen.panel.highlighted == walk.cursor, "the cursor")
        visit = screen.run.state.current
        assert visit is not None
        before_rows = rows(screen)
        before_marks = dict(visit.items)
        assert sum(mark.done for mark in before_marks.values()) == walk.ticked

        await raise_by_keys(pilot, walk.interrupt)
        interrupt = screen.run.definition.interrupts[walk.interrupt]
        # Its own role acts at once, whoever acted before: no hand-over point to accept.
        assert screen.run.state.awaiting_role is None
        assert screen.run.state.acting_role == interrupt.role
        assert banner(app) == walk.banner
        assert screen.query_one("#interrupt-banner").has_class(f"-{interrupt.priority}")
        assert screen.run.state.current_node == walk.interrupt
        node = widget_text(app, "#node")
        assert interrupt.items[0].text[:30] in node
        recorded = await do_open_items(pilot)
        assert len(recorded) == sum(1 for item in interrupt.items if item.record)
        await return_by_keys(pilot, screen)

        state = screen.run.state
        assert banner(app) == ""
        assert state.current is not None and state.current.index == visit.index
        assert screen.panel.highlighted == walk.cursor  # the exact item, not the first open one
        assert dict(state.current.items) == before_marks
        assert rows(screen) == before_rows
        assert f"{interrupt.title!r} done; back at " in widget_text(app, "#status")
        assert f"item {walk.cursor + 1}" in widget_text(app, "#status")

        summary = await finish(pilot)
        shown = summary_text(app)
        run = summary.run
    after = interrupt.after
    back = (
        next(i for i, o in enumerate(after.options) if o.next == "return")
        if isinstance(after, AfterChoice)
        else None
    )
    opened = next(v for v in run.state.visits if v.node == walk.interrupt)
    values = [opened.mark(i).value for i, item in enumerate(interrupt.items) if item.record]
    assert values == recorded  # the values typed in the interrupt are its visit's
    with Journal(paths.db) as journal:
        events = [e for e in journal.events(run.run_id) if e.kind in ("interrupt", "return")]
    assert [(e.kind, e.node, e.item) for e in events] == [
        ("interrupt", walk.interrupt, walk.cursor),
        ("return", walk.interrupt, back),  # the option of its question that returns
    ]
    at = datetime.fromtimestamp(events[0].ts_ms / 1000, UTC).strftime("%H:%M:%S")
    word = PRIORITY_WORDS[interrupt.priority]
    assert f"Non-normal checklists {word} {interrupt.title} at {at} UTC" in shown
    assert f"interrupted: {walk.interrupted} took " in shown


async def test_the_lockout_injury_can_abandon_the_run(tmp_path: Path) -> None:
    app = bundled_app(bundled_paths(tmp_path), "lockout-tagout")
    async with app.run_test(size=SIZE) as pilot:
        screen = await walk_until(pilot, "release-stored")
        await tick_from_the_first(screen, pilot, 1)
        await raise_by_keys(pilot, "injury")
        assert screen.run.state.awaiting_role is None  # the interrupt's role acts at once
        assert banner(app) == (
            "NON-NORMAL · ⚠ WARNING · Injury at the machine · interrupted: Release stored "
            "energy, item 2"
        )
        await do_open_items(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoicePrompt), "the question")
        assert "Can the work go on safely" in widget_text(app, ".dialog-title")
        await pilot.press("2")  # No, stop the work
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        shown = summary_text(app)
        state = screen.run.state
    assert (state.status, state.end_node) == ("completed", "abandoned")
    assert "FAILURE: Abandoned: work stopped, the lockout stays in place" in shown
    assert "⚠ WARNING Injury at the machine" in shown
    assert "interrupted: Release stored energy, item 2" in shown
    assert "then went on at Abandoned: work stopped, the lockout stays in place" in shown


RELEASE_NOTES = "Collect the merged changes into the release notes"


async def test_a_deferred_release_note_is_done_at_the_rollout(tmp_path: Path) -> None:
    app = bundled_app(bundled_paths(tmp_path), "software-release")
    async with app.run_test(size=SIZE) as pilot:
        screen = await run_screen(pilot)
        await act_as_next_role(pilot)
        await tick_from_the_first(screen, pilot, 2)
        assert screen.panel.highlighted == 2
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the reason")
        assert f"Defer: {RELEASE_NOTES}" in widget_text(app, ".dialog-title")
        assert "It comes back at 'Roll out ‹version› to all traffic'" in widget_text(
            app, ".dialog-hint"
        )
        await paste(pilot, "Notes [draft] not merged yet")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog closed")
        node = widget_text(app, "#node")
        assert (  # the rollout's title as far as the run knows it: the version comes later
            f"[»] {RELEASE_NOTES} deferred: Notes [draft] not merged yet · do it at 'Roll out "
            "‹version› to all traffic'"
        ) in node
        assert "2/3 done, 1 deferred" in node  # the deferred item counts apart
        await wait_until(pilot, lambda: screen.panel.highlighted == 3, "on to the next item")
        await pilot.press("space", "c")
        await wait_until(pilot, lambda: screen.run.state.current_node != "freeze", "freeze done")
        assert "completed except 1 deferred" in widget_text(app, "#status")

        screen = await walk_until(pilot, "rollout")
        assert rows(screen)[-2:] == [
            "Deferred from Freeze the branch and write the notes",
            f"[ ] {RELEASE_NOTES}\n    deferred by Tess: Notes [draft] not merged yet",
        ]
        own = len(screen.run.definition.steps["rollout"].items)
        for index in range(own):
            screen.panel.select_line(index)
            await wait_until(pilot, lambda i=index: screen.panel.highlighted == i, "the line")
            await pilot.press("space")
            await wait_until(pilot, lambda i=index: screen.run.lines()[i].mark.done, "ticked")
        await pilot.press("c")  # a success end waits for the deferred item
        await wait_until(pilot, lambda: "deferred item is open" in widget_text(app, "#status"))
        assert widget_text(app, "#status") == (
            f"✗ 1 deferred item is open: '{RELEASE_NOTES}' (from 'Freeze the branch and write "
            "the notes', do it at 'Roll out ok [A-1] to all traffic'); the run cannot end with "
            "success before they are done"
        )
        assert screen.run.state.current_node == "rollout"
        assert screen.panel.highlighted == own  # the carried line, under its header
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.run.lines()[own].mark.done, "the notes done")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        shown = summary_text(app)
        state = screen.run.state
    assert (state.status, state.end_node) == ("completed", "released")
    assert "SUCCESS: Release live for all users" in shown
    assert (
        f"Deferred items {RELEASE_NOTES} — Notes [draft] not merged yet (from Freeze the branch "
        "and write the notes, to be done at Roll out ok [A-1] to all traffic) deferred by Tess"
    ) in shown
    assert "ticked at Roll out ok [A-1] to all traffic" in shown


async def test_a_run_killed_inside_an_interrupt_resumes_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = bundled_paths(tmp_path)
    app = bundled_app(paths, "incident-response")
    async with app.run_test(size=SIZE) as pilot:
        screen = await run_screen(pilot)
        await tick_from_the_first(screen, pilot, 3)
        screen.panel.select_line(4)
        await wait_until(pilot, lambda: screen.panel.highlighted == 4, "the cursor")
        triage_rows = rows(screen)
        await raise_by_keys(pilot, "security-finding")
        assert screen.run.state.awaiting_role is None  # the interrupt's role acts at once
        await tick_from_the_first(screen, pilot, 2)
        run_id = screen.run.run_id
        before = banner(app)
        screen._released = True  # killed: nothing is paused or released on the way out
    assert before == (
        "NON-NORMAL · ⚠ WARNING · Security finding · interrupted: Triage the alert, item 5"
    )
    monkeypatch.setattr("procedo.journal.lease.pid_alive", lambda pid: False)
    monkeypatch.setenv("PROCEDO_OPERATOR", "Tess")  # the same operator goes on

    again = app_for(paths, resume=run_id)
    async with again.run_test(size=SIZE) as pilot:
        screen = await run_screen(pilot)
        assert not screen.read_only
        assert banner(again) == before
        assert screen.run.state.current_node == "security-finding"
        node = widget_text(again, "#node")
        assert "[✓] Page the security on-call" in node
        assert "[ ] Keep the evidence" in node
        assert screen.panel.highlighted == 2  # the first open item of the interrupt
        await do_open_items(pilot)
        await return_by_keys(pilot, screen)
        assert screen.run.state.current_node == "triage"
        assert screen.panel.highlighted == 4
        assert rows(screen) == triage_rows  # every mark as it was before the crash
        node = widget_text(again, "#node")
        assert "[✓] Check whether the alert is a monitoring fault" in node
        assert "[ ] Time of first error (UTC)" in node


JOB_CARD = "Job card number"


async def test_a_deferred_job_card_passes_the_restore_and_waits_for_the_success_end(
    tmp_path: Path,
) -> None:
    """The lockout's job card (a record item) deferred at the maintenance, carried to the
    restore, not done there: the restore completes, the deferral then follows the run, and
    the success end at the restart question is refused until the card is recorded."""
    app = bundled_app(bundled_paths(tmp_path), "lockout-tagout")
    async with app.run_test(size=SIZE) as pilot:
        screen = await walk_until(pilot, "maintenance")  # the tester's called run walked too
        assert screen.panel.highlighted == 0
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the reason")
        assert "It comes back at 'Restore the machine'" in widget_text(app, ".dialog-hint")
        await paste(pilot, "Card in the office")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog closed")
        assert "· do it at 'Restore the machine'" in widget_text(app, "#node")
        await wait_until(pilot, lambda: screen.panel.highlighted == 1, "on to the next item")
        await pilot.press("space", "c")
        await wait_until(pilot, lambda: screen.run.state.current_node != "maintenance", "done")
        assert "completed except 1 deferred" in widget_text(app, "#status")

        screen = await walk_until(pilot, "restore")
        own = len(screen.run.definition.steps["restore"].items)
        assert rows(screen)[own:] == [
            "Deferred from Carry out the maintenance on ok [A-1]",
            f"[ ] {JOB_CARD}  (text)\n    deferred by Tess: Card in the office",
        ]
        for index in range(own):  # the own items only (the ticks are walked above)
            screen.run.check(index)
        screen.saved("the restore's own items ticked")
        await wait_until(pilot, lambda: "[ ] Job card number" in widget_text(app, "#node"))
        await give_signoffs(pilot)  # the hand-back's hold point: c signs, twice
        await pilot.press("c")  # the restore leads to a question, not an end: it completes
        await wait_until(pilot, lambda: screen.run.state.current_node == "restart-ok", "asked")
        await act_as_next_role(pilot)
        await pilot.press("1")  # Yes: the success end waits for the card
        await wait_until(pilot, lambda: "deferred item is open" in widget_text(app, "#status"))
        assert widget_text(app, "#status") == (
            f"✗ 1 deferred item is open: '{JOB_CARD}' (from 'Carry out the maintenance on ok "
            "[A-1]', do it at any later step); the run cannot end with success before they are "
            "done"
        )
        assert screen.run.state.current_node == "restart-ok"
        assert not screen.run.state.finished
        await pilot.press("2")  # the fault is still there: a failure end may be reached
        await wait_until(pilot, lambda: screen.run.state.current_node == "left-locked", "moved")
        await act_as_next_role(pilot)
        own = len(screen.run.definition.steps["left-locked"].items)
        assert rows(screen)[own] == "Deferred from Carry out the maintenance on ok [A-1]"
        screen.panel.select_line(own)
        await wait_until(pilot, lambda: screen.panel.highlighted == own, "the carried line")
        await pilot.press("space")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "its value")
        await pilot.press(*"JC-42", "enter")
        await wait_until(pilot, lambda: screen.run.lines()[own].mark.done, "the card recorded")
        assert screen.run.lines()[own].mark.value == "JC-42"
        await do_open_items(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        shown = summary_text(app)
        state = screen.run.state
    assert (state.status, state.end_node) == ("completed", "out-of-service")
    assert "FAILURE: Machine left out of service" in shown
    assert f"Deferred items {JOB_CARD} — Card in the office" in shown
    assert "recorded JC-42 at Leave the machine locked out and report" in shown


async def test_an_interrupt_raised_on_a_carried_line_returns_to_it(tmp_path: Path) -> None:
    """At the rollout, the release notes deferred at the freeze are a line of their own under
    their header: a page raised there comes back to that line, not to an own item."""
    app = bundled_app(bundled_paths(tmp_path), "software-release")
    async with app.run_test(size=SIZE) as pilot:
        screen = await run_screen(pilot)
        screen.run.defer(2, "Notes not merged yet")  # the deferral itself is walked above
        screen = await walk_until(pilot, "rollout")
        own = len(screen.run.definition.steps["rollout"].items)
        await tick_from_the_first(screen, pilot, 1)
        screen.panel.select_line(own)  # the carried release notes
        await wait_until(pilot, lambda: screen.panel.highlighted == own, "the carried line")
        assert screen.panel.choices.highlighted == own + 1  # its row, under the header
        before = rows(screen)

        await raise_by_keys(pilot, "page")
        assert screen.run.state.awaiting_role is None  # the interrupt's role acts at once
        assert banner(app) == (
            "NON-NORMAL · ▲ CAUTION · Paged during the release · interrupted: Roll out ok [A-1] "
            f"to all traffic, item {own + 1}"
        )
        await do_open_items(pilot)
        await return_by_keys(pilot, screen)
        assert screen.run.state.current_node == "rollout"
        assert screen.panel.highlighted == own  # back on the carried line
        assert screen.panel.choices.highlighted == own + 1
        assert rows(screen) == before
        await pilot.press("space")  # the notes, done here
        await wait_until(pilot, lambda: screen.run.lines()[own].mark.done, "the notes done")
        summary = await finish(pilot)
        state = summary.run.state
    assert (state.status, state.end_node) == ("completed", "released")
    assert state.open_deferrals() == []
