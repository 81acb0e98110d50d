"""Issue 13's keys in a definition: ``target_minutes`` on a step, ``wait_minutes`` on an item,
``remind`` on the process and on a step, ``timeout`` on a decision: what loads, what is refused
and how it is said, and that a definition written back with tomli-w reads the same."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w

from clock_defs import CLOCK_TOML, clock_definition
from procedo.model import DefinitionError, Problem, Remind, Timeout, parse_definition

SOURCE = "processes/deploy.toml"

PLAIN = """\
[process]
id = "deploy"
title = "Deploy"
remind = { every_minutes = 20, text = "Post a status update" }

[steps.prepare]
title = "Prepare"
next = "ok"
target_minutes = 10
items = [
  { text = "Wait for the cache to drain", wait_minutes = 2 },
  "Open the console",
]

[decisions.ok]
question = "Is it healthy?"
timeout = { after_minutes = 30, suggest = "No" }
options = [
  { label = "Yes", next = "done" },
  { label = "No", next = "done" },
]

[ends.done]
title = "Done"
outcome = "success"
"""


def edit(old: str, new: str, text: str = PLAIN) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def only_problem(text: str) -> Problem:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source=SOURCE)
    found = caught.value.problems
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_every_key_loads() -> None:
    definition = parse_definition(PLAIN, source=SOURCE)
    assert definition.process.remind == Remind(every_minutes=20, text="Post a status update")
    assert definition.steps["prepare"].target_minutes == 10
    assert [i.wait_minutes for i in definition.steps["prepare"].items] == [2, None]
    assert definition.decisions["ok"].timeout == Timeout(after_minutes=30, suggest="No")


def test_they_are_all_optional() -> None:
    definition = parse_definition(
        "[process]\ntitle = 'T'\n[steps.a]\ntitle = 'A'\nnext = 'e'\nitems = ['x']\n"
        "[ends.e]\ntitle = 'E'\noutcome = 'success'\n"
    )
    step = definition.steps["a"]
    assert (definition.process.remind, step.remind, step.target_minutes) == (None, None, None)
    assert step.items[0].wait_minutes is None


def test_a_fraction_of_a_minute_is_allowed() -> None:
    definition = parse_definition(edit("wait_minutes = 2", "wait_minutes = 0.5"))
    assert definition.steps["prepare"].items[0].wait_minutes == 0.5


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ("wait_minutes = 2", "wait_minutes = 0", "steps.prepare.items.0.wait_minutes",
         "must be above 0.0, not 0"),
        ("wait_minutes = 2", "wait_minutes = -1", "steps.prepare.items.0.wait_minutes",
         "must be above 0.0, not -1"),
        ("wait_minutes = 2", "wait_minutes = true", "steps.prepare.items.0.wait_minutes",
         "must be a number, not true"),
        ("wait_minutes = 2", 'wait_minutes = "2"', "steps.prepare.items.0.wait_minutes",
         "must be a number, not '2'"),
        ("wait_minutes = 2", "wait_minutes = inf", "steps.prepare.items.0.wait_minutes",
         "must be a finite number, not inf"),
        ("target_minutes = 10", "target_minutes = 0", "steps.prepare.target_minutes",
         "must be above 0.0, not 0"),
        ("every_minutes = 20", "every_minutes = -20", "process.remind.every_minutes",
         "must be above 0.0, not -20"),
        ('text = "Post a status update"', 'text = ""', "process.remind.text",
         "must not be empty"),
        ('every_minutes = 20, text = "Post a status update"', "every_minutes = 20",
         "process.remind.text", "required key 'text' is missing"),
        ("after_minutes = 30", "after_minutes = 0", "decisions.ok.timeout.after_minutes",
         "must be above 0.0, not 0"),
        ('suggest = "No"', 'suggest = "No", after = 3', "decisions.ok.timeout.after",
         "unknown key 'after' (known keys: after_minutes, suggest)"),
    ],
)  # fmt: skip
def test_bad_values_are_said_at_their_key(old: str, new: str, key: str, message: str) -> None:
    problem = only_problem(edit(old, new))
    assert (problem.file, problem.key, problem.message) == (SOURCE, key, message)


def test_a_timeout_must_suggest_one_of_the_options_and_names_them() -> None:
    problem = only_problem(edit('suggest = "No"', 'suggest = "Escalate {team}"'))
    assert problem.key == "decisions.ok.timeout"
    assert problem.message == (
        "timeout suggests 'Escalate {team}', which is not an option of this decision "
        "(options: 'Yes', 'No')"
    )
    assert str(problem).startswith(f"{SOURCE}:17: decisions.ok.timeout: ")


def test_a_timeout_beside_a_default_option_is_refused_it_could_never_apply() -> None:
    text = edit(
        '{ label = "Yes", next = "done" }', '{ label = "Yes", next = "done", default = true }'
    )
    problem = only_problem(text)
    assert problem.key == "decisions.ok.timeout"
    assert "never applies here: an option is the default" in problem.message


def test_a_wait_on_the_first_item_and_on_an_interrupt_item_load() -> None:
    definition = clock_definition()
    assert definition.steps["prepare"].items[0].wait_minutes == 2
    assert definition.interrupts["page"].items[1].wait_minutes == 1
    assert definition.checklists["page"].items[1].wait_minutes == 1  # the run works on this


def test_a_remind_on_a_step_inside_a_parallel_block_loads() -> None:
    definition = clock_definition()
    assert "notes" in definition.parallel["both"].branches
    assert definition.steps["notes"].remind == Remind(every_minutes=3, text="Save the draft")


def test_a_remind_on_a_decision_is_an_unknown_key() -> None:
    text = edit(
        'question = "Is it healthy?"',
        'question = "Is it healthy?"\nremind = { every_minutes = 5, text = "x" }',
    )
    problem = only_problem(text)
    assert problem.key == "decisions.ok.remind"
    assert problem.message.startswith("unknown key 'remind'")


def test_a_wait_on_an_item_that_records_a_value_loads() -> None:
    definition = clock_definition()
    item = definition.steps["watch"].items[2]
    assert (item.record, item.wait_minutes) == ("number", 1)


def _written_back(text: str) -> str:
    """The definition's data as tomli-w writes it (as the importers write definitions)."""
    definition = parse_definition(text)
    data = definition.model_dump(mode="json", exclude_defaults=True)
    return tomli_w.dumps(data)


@pytest.mark.parametrize("text", [PLAIN, CLOCK_TOML])
def test_tomli_w_round_trips_the_keys(text: str) -> None:
    written = _written_back(text)
    again = parse_definition(written)
    assert again == parse_definition(text)
    data = tomllib.loads(written)
    assert data["process"]["remind"] == {"every_minutes": 20, "text": "Post a status update"}
    assert data["decisions"]["ok"]["timeout"]["after_minutes"] == 30
