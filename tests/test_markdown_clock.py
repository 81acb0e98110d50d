"""The time keys on a handbook page and back: ``Target time`` and ``Reminder`` on a step,
``Reminder`` before the first step, ``Timeout`` on a decision, ``*(wait: 5 min)*`` on an item;
what the handbook writes is what the Markdown importer reads, and a bad value is said."""

from __future__ import annotations

import pytest

from clock_defs import CLOCK_TOML, clock_definition
from procedo.importers.markdown import import_markdown
from procedo.importers.markdown_items import MarkdownImportError
from procedo.render.handbook import render_handbook


def test_the_handbook_writes_each_key() -> None:
    page = render_handbook(clock_definition())
    assert "**Reminder:** every 20 min: Post a status update" in page
    assert "**Target time:** 10 min" in page
    assert "**Reminder:** every 5 min: Check the graphs" in page
    assert (
        "**Timeout:** after 30 min without an answer, the process suggests: No, roll back" in page
    )
    assert "Wait for the cache to drain *(wait: 2 min)*" in page
    assert "Hand it on *(wait: 1 min)*" in page  # an interrupt's item


def test_a_page_imports_back_to_the_same_keys() -> None:
    want = clock_definition()
    got = import_markdown(render_handbook(want), process_id="deploy").definition
    assert got.process.remind == want.process.remind
    assert got.steps == want.steps
    assert got.decisions == want.decisions
    assert got.interrupts == want.interrupts


def test_texts_that_look_like_the_conventions_read_back_as_written() -> None:
    text = (
        CLOCK_TOML.replace(
            'text = "Check the graphs"', 'text = "Check: every 2 min: (wait: 3 min) *now*"'
        )
        .replace('label = "No, roll back"', 'label = "No: suggests: x (wait: 1)"')
        .replace('suggest = "No, roll back"', 'suggest = "No: suggests: x (wait: 1)"')
    )
    want = clock_definition(text)
    got = import_markdown(render_handbook(want), process_id="deploy").definition
    assert got.steps["watch"].remind == want.steps["watch"].remind
    assert got.decisions["ok"] == want.decisions["ok"]


def test_fractions_of_a_minute_read_back() -> None:
    want = clock_definition(CLOCK_TOML.replace("wait_minutes = 2", "wait_minutes = 0.5"))
    got = import_markdown(render_handbook(want), process_id="deploy").definition
    assert got.steps["prepare"].items[0].wait_minutes == 0.5


def test_hand_written_markdown() -> None:
    page = (
        "# Deploy\n\nReminder: every 15 minutes: Tell the channel\n\n"
        "## Watch\n\nTarget time: 12\n\n- [ ] Roll out\n- [ ] Watch it (wait: 3 minutes)\n\n"
        "## Healthy?\n\nTimeout: after 20 min, suggests: No\n\n"
        "- Yes → [Done](#done)\n- No → [Done](#done)\n\n## Done\n\nOutcome: success\n"
    )
    definition = import_markdown(page, process_id="deploy").definition
    assert definition.process.remind is not None
    assert (definition.process.remind.every_minutes, definition.process.remind.text) == (
        15,
        "Tell the channel",
    )
    step = next(iter(definition.steps.values()))
    assert step.target_minutes == 12
    assert step.items[1].wait_minutes == 3
    decision = next(iter(definition.decisions.values()))
    assert decision.timeout is not None
    assert (decision.timeout.after_minutes, decision.timeout.suggest) == (20, "No")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("- [ ] Watch it (wait: soon)", "the wait 'soon' is not a number of minutes"),
        ("- [ ] Watch it (wait: 0 min)", "the wait '0' is not a number of minutes"),
        ("Reminder: now and then", "cannot read the reminder 'now and then'"),
        ("Reminder: every 0 min: x", "the reminder's interval '0' is not a number of minutes"),
        ("Timeout: after 5 min, suggests: Yes", "'Timeout:' is only read under a decision"),
        ("Target time: a while", "target time 'a while' is not a number of minutes"),
    ],
)
def test_a_bad_value_is_said_with_its_line(line: str, message: str) -> None:
    page = f"# Deploy\n\n## Watch\n\n{line}\n\n- [ ] Roll out\n"
    with pytest.raises(MarkdownImportError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_markdown(page, process_id="deploy", source="deploy.md")


def test_a_timeout_that_cannot_be_read_and_a_reminder_on_a_decision_are_said() -> None:
    options = "- Yes → [Done](#done)\n- No → [Done](#done)\n\n## Done\n\nOutcome: success\n"
    page = f"# Deploy\n\n## Healthy?\n\nTimeout: soon\n\n{options}"
    with pytest.raises(MarkdownImportError, match="cannot read the timeout 'soon'"):
        import_markdown(page, process_id="deploy", source="deploy.md")
    page = f"# Deploy\n\n## Healthy?\n\nReminder: every 5 min: x\n\n{options}"
    with pytest.raises(MarkdownImportError, match="is a decision: 'Target time:' and 'Reminder:'"):
        import_markdown(page, process_id="deploy", source="deploy.md")


def test_a_timeout_naming_no_option_is_the_definitions_own_error() -> None:
    page = (
        "# Deploy\n\n## Healthy?\n\nTimeout: after 20 min, suggests: Maybe\n\n"
        "- Yes → [Done](#done)\n- No → [Done](#done)\n\n## Done\n\nOutcome: success\n"
    )
    with pytest.raises(MarkdownImportError, match="timeout suggests 'Maybe'"):
        import_markdown(page, process_id="deploy", source="deploy.md")
