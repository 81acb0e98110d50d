"""Load-time checks of named values (issue 10): ids, conditions, placeholders, ``auto``, and
that every id a condition or placeholder reads is recorded on every path that reaches it."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procedo.model import parse_definition
from procedo.model.checks import check_definition
from procedo.model.definition import ProcessDefinition
from procedo.model.problems import DefinitionError, Problem
from procedo.model.value_flow import path_without, recorded_on_entry

HEAD = """\
[process]
title = "Refund"
[inputs.limit]
title = "Approval limit"
record = "number"
min = 0
[ends.ok]
title = "Done"
outcome = "success"
"""


def problems(body: str, head: str = HEAD) -> list[Problem]:
    """The problems of HEAD + body (empty when it loads)."""
    try:
        parse_definition(head + textwrap.dedent(body), source="t.toml", default_id="t")
    except DefinitionError as error:
        return error.problems
    return []


def line_of(body: str, needle: str, head: str = HEAD) -> int:
    """The 1-based line of the first line holding ``needle`` in HEAD + body."""
    lines = (head + textwrap.dedent(body)).splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def step(
    items: str, *, step_id: str = "s", next_: str = "ok", title: str = "S", instructions: str = ""
) -> str:
    told = f'instructions = "{instructions}"\n' if instructions else ""
    return f'[steps.{step_id}]\ntitle = "{title}"\n{told}next = "{next_}"\nitems = [\n{items}\n]\n'


# -- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value_id", "fine"),
    [("amount", True), ("a_1", True), ("x", True), ("res-v", False), ("Amount", False),
     ("_a", False), ("1a", False), ("in", False), ("true", False)],
)  # fmt: skip
def test_item_id_rule(value_id: str, fine: bool) -> None:
    body = step(f'  {{ id = "{value_id}", text = "V", record = "number" }},')
    found = problems(body)
    if fine:
        assert found == []
        return
    problem = only(found)
    assert (problem.file, problem.key) == ("t.toml", "steps.s.items.0.id")
    assert problem.line == line_of(body, "id = ")
    if value_id in ("in", "true"):
        assert "a word of the condition language" in problem.message
    else:
        assert "lower-case letter, then lower-case letters, digits and '_'" in problem.message
        assert "no '-'" in problem.message


def test_input_id_rule_and_line() -> None:
    head = HEAD + '[inputs.res-v]\ntitle = "R"\n'
    problem = only(problems(step('  "tick",'), head=head))
    assert problem.key == "inputs.res-v"
    assert problem.line == line_of("", "[inputs.res-v]", head=head)


def test_an_id_names_one_item_or_input() -> None:
    body = step('  { id = "v", text = "V", record = "number" },', next_="t")
    body += step('  { id = "v", text = "V again", record = "number" },', step_id="t", next_="u")
    body += step('  { id = "limit", text = "L", record = "number" },', step_id="u")
    found = problems(body)
    keys = {p.key: p for p in found}
    assert set(keys) == {"steps.t.items.0.id", "steps.u.items.0.id"}
    assert "already used by steps.s.items.0" in keys["steps.t.items.0.id"].message
    assert "start input [inputs.limit]" in keys["steps.u.items.0.id"].message
    assert keys["steps.t.items.0.id"].line == line_of(body, "V again")


def test_a_step_in_a_loop_records_its_item_again() -> None:
    body = step('  { id = "v", text = "V", record = "number" },', next_="again")
    body += """
    [decisions.again]
    question = "Again?"
    options = [{ label = "Yes", next = "s", when = "v > 1.0" }, { label = "No", next = "ok" }]
    """
    assert problems(body) == []


# -- conditions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("amont > 3.0", "'amont' is not an item or input id (did you mean 'amount'?) (at column 1"),
        ("amount == 'x'", "a number is compared with text (at column 8"),
        ("amount + 1.0", "the condition must be true or false, this one gives a number"),
        ("amount >", "the condition is not well formed here"),
    ],
)
def test_a_condition_that_cannot_be_used(condition: str, message: str) -> None:
    body = step(
        '  { id = "amount", text = "A", record = "number" },\n'
        f'  {{ text = "Sign", when = "{condition}" }},'
    )
    problem = only(problems(body))
    assert problem.key == "steps.s.items.1.when"
    assert problem.line == line_of(body, "Sign")
    assert message in problem.message


def test_expect_reads_the_items_own_id() -> None:
    fine = step('  { id = "v", text = "V", record = "number", expect = "v < 1" },')
    assert problems(fine) == []
    body = step('  { id = "v", text = "V", record = "number", expect = "limit < 1" },')
    problem = only(problems(body))
    assert problem.key == "steps.s.items.0.expect"
    assert "reads 'limit' but not the item's own id 'v'" in problem.message
    no_id = step('  { text = "V", record = "number", expect = "limit < 1" },')
    problem = only(problems(no_id))
    assert problem.key == "steps.s.items.0.expect"
    assert "an item with 'expect' needs an 'id'" in problem.message


def test_an_option_condition_error_points_at_the_option() -> None:
    body = """
    [decisions.d]
    question = "Q"
    options = [
      { label = "A", next = "ok", when = "limit > 'x'" },
      { label = "B", next = "ok" },
    ]
    """
    problem = only(problems(body))
    assert problem.key == "decisions.d.options.0.when"
    assert problem.line == line_of(body, 'label = "A"')
    assert "a number is compared with text" in problem.message


# -- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Limit {limit}", None),
        ("Braces {{limit}} and }}", None),
        ("Limit {limt}", "{limt} names no item or input id (did you mean 'limit'?)"),
        ("Limit {limit", "a lone '{' at character 7"),
        ("Limit limit}", "a lone '}' at character 12"),
        ("Limit {Lim-it}", "'{Lim-it}' at character 7 is not a valid id"),
    ],
)
def test_placeholders_in_a_title(title: str, message: str | None) -> None:
    body = step('  "tick",', title=title)
    found = problems(body)
    if message is None:
        assert found == []
        return
    problem = only(found)
    assert (problem.key, problem.line) == ("steps.s.title", line_of(body, 'title = "Limit'))
    assert message in problem.message


def test_the_process_title_shows_only_start_inputs() -> None:
    head = HEAD.replace('title = "Refund"', 'title = "Refund {limit} {v}"')
    body = step('  { id = "v", text = "V", record = "number" },')
    problem = only(problems(body, head=head))
    assert problem.key == "process.title"
    assert "only a start input can be shown here" in problem.message


def test_an_items_text_may_show_a_value_of_its_own_step() -> None:
    body = step('  { text = "Twice {v}" },\n  { id = "v", text = "V is {v}", record = "number" },')
    assert problems(body) == []
    titled = step('  { id = "v", text = "V", record = "number" },', title="Check {v}")
    problem = only(problems(titled))
    assert problem.key == "steps.s.title"
    assert "'v', read by the placeholder, is not recorded on every path to 's'" in (problem.message)
    assert "a run may begin at 's' with only the start inputs" in problem.message
    instructed = step('  { id = "v", text = "V", record = "number" },', instructions="Is {v} ok?")
    assert problems(instructed) == []


# -- recorded on every path -----------------------------------------------------------------

BRANCHES = """
[steps.start]
title = "Start"
next = "route"
[decisions.route]
question = "Quick?"
options = [{{ label = "Quick", next = "quick" }}, {{ label = "Full", next = "full" }}]
[steps.quick]
title = "Quick"
next = "approve"
items = [{quick}]
[steps.full]
title = "Full"
next = "approve"
items = [{{ id = "amount", text = "Amount", record = "number" }}]
[decisions.approve]
question = "Approve?"
options = [
  {{ label = "Escalate", next = "ok", when = "amount > limit" }},
  {{ label = "Approve", next = "ok" }},
]
"""


def test_a_value_recorded_on_one_branch_only() -> None:
    body = BRANCHES.format(quick='"tick"')
    problem = only(problems(body))
    assert problem.key == "decisions.approve.options.0.when"
    assert problem.line == line_of(body, 'label = "Escalate"')
    assert problem.message.startswith(
        "'amount', read by the option's 'when', is not recorded on every path to 'approve' "
        "(not on the path from 'start' through 'route', 'quick')"
    )


def test_a_value_recorded_on_both_branches() -> None:
    both = BRANCHES.format(quick='{ id = "amount", text = "A", record = "number" }')
    found = problems(both)  # both record it: fine for the flow, but the id is used twice
    assert [p.key for p in found] == ["steps.full.items.0.id"]


def test_an_item_with_when_may_record_nothing() -> None:
    body = step('  { id = "v", text = "V", record = "number", when = "limit > 1.0" },', next_="d")
    body += """
    [decisions.d]
    question = "Q"
    options = [{ label = "A", next = "ok", when = "v > 1.0" }, { label = "B", next = "ok" }]
    """
    problem = only(problems(body))
    assert problem.key == "decisions.d.options.0.when"
    assert "has a 'when' and may be switched off" in problem.message


def test_an_items_condition_reads_earlier_items_and_its_own() -> None:
    fine = step(
        '  { id = "a", text = "A", record = "number", when = "a > 1.0" },\n'
        '  { id = "b", text = "B", record = "number", expect = "b < a" },'
    )
    problem = only(problems(fine))  # 'a' has a 'when': it may record nothing
    assert problem.key == "steps.s.items.1.expect"
    assert "the item that records 'a' has a 'when'" in problem.message
    assert problems(fine.replace(', when = "a > 1.0"', "")) == []
    later = step(
        '  { id = "b", text = "B", record = "number", expect = "b < a" },\n'
        '  { id = "a", text = "A", record = "number" },'
    )
    problem = only(problems(later))
    assert problem.key == "steps.s.items.0.expect"
    assert "this step records it in a later item" in problem.message


def test_a_trigger_start_has_only_the_inputs() -> None:
    head = HEAD + '[[triggers]]\nid = "late"\ntitle = "Late"\nstart = "t"\n'
    body = step('  { id = "v", text = "V", record = "number" },', next_="t")
    body += step('  { text = "W", when = "v > 1.0" },', step_id="t")
    problem = only(problems(body, head=head))
    assert problem.key == "steps.t.items.0.when"
    assert "a run may begin at 't' with only the start inputs" in problem.message
    assert problems(body) == []  # without the trigger, every path records it


# -- auto -----------------------------------------------------------------------------------


def decision(options: str, auto: bool = True) -> str:
    flag = "auto = true\n" if auto else ""
    return f'[decisions.d]\nquestion = "Q"\n{flag}options = [\n{options}\n]\n'


def test_auto_needs_a_default() -> None:
    body = decision(
        '  { label = "High", next = "ok", when = "limit > 250.0" },\n'
        '  { label = "Low", next = "ok", when = "limit <= 250.0" },'
    )
    problem = only(problems(body))
    assert (problem.key, problem.line) == ("decisions.d.auto", line_of(body, "auto = true"))
    assert "auto = true needs an option with default = true" in problem.message
    assert problems(body.replace("auto = true\n", "")) == []  # without auto: fine


def test_auto_options_that_hold_together() -> None:
    body = decision(
        '  { label = "Escalate", next = "ok", when = "limit > 250.0" },\n'
        '  { label = "Approve", next = "ok", when = "limit > 100.0", default = true },'
    )
    problem = only(problems(body))
    assert problem.key == "decisions.d.auto"
    assert "both 'Escalate' and 'Approve' hold when limit = " in problem.message
    apart = body.replace("limit > 100.0", "limit <= 250.0")
    assert problems(apart) == []


def test_one_default_only() -> None:
    body = decision(
        '  { label = "A", next = "ok", default = true },\n'
        '  { label = "B", next = "ok", default = true },',
        auto=False,
    )
    problem = only(problems(body))
    assert problem.key == "decisions.d.options.1.default"
    assert problem.line == line_of(body, 'label = "B"')
    assert "only one option may have default = true ('A' has it)" in problem.message


def test_an_option_condition_reading_no_id_is_allowed() -> None:
    body = decision(
        '  { label = "A", next = "ok", when = "true" },\n  { label = "B", next = "ok" },',
        auto=False,
    )
    assert problems(body) == []


# -- the condition language stays unloaded --------------------------------------------------


@pytest.mark.parametrize("with_condition", [False, True])
def test_cel_is_imported_only_for_a_definition_with_conditions(with_condition: bool) -> None:
    item = '{ id = "v", text = "V {v}", record = "number"' + (
        ', expect = "v < 1" }' if with_condition else " }"
    )
    text = HEAD + step(f"  {item},", title="S {limit}")
    script = (
        "import sys\nfrom procedo.model import parse_definition\n"
        f"parse_definition({text!r}, source='t.toml')\n"
        "print('cel_expr_python' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(with_condition)


# -- the dataflow against every path --------------------------------------------------------

IDS = ("a", "b", "c")


@st.composite
def small_graphs(draw: st.DrawFn) -> dict[str, Any]:
    """An acyclic process: nodes n0..nk in order, each pointing only to later nodes or the
    end; steps record random ids (some with a ``when``); an optional trigger start."""
    count = draw(st.integers(1, 7))
    nodes = [f"n{i}" for i in range(count)]
    targets = [*nodes, "e"]
    steps: dict[str, Any] = {}
    decisions: dict[str, Any] = {}
    for index, node in enumerate(nodes):
        later = targets[index + 1 :]
        if draw(st.booleans()):
            items = [
                {"id": value_id, "text": f"{value_id} {j}", "record": "number"}
                | ({"when": "true"} if draw(st.booleans()) else {})
                for j, value_id in enumerate(draw(st.lists(st.sampled_from(IDS), max_size=2)))
            ]
            steps[node] = {"title": node, "next": draw(st.sampled_from(later)), "items": items}
        else:
            options = [{"label": f"o{j}", "next": draw(st.sampled_from(later))} for j in range(2)]
            decisions[node] = {"question": node, "options": options}
    data: dict[str, Any] = {
        "process": {"title": "P", "id": "p", "start": "n0"},
        "steps": steps,
        "decisions": decisions,
        "ends": {"e": {"title": "E", "outcome": "success"}},
    }
    if count > 1 and draw(st.booleans()):
        data["triggers"] = [{"id": "t", "title": "T", "start": draw(st.sampled_from(nodes[1:]))}]
    return data


def every_path_records(definition: ProcessDefinition) -> dict[str, frozenset[str]]:
    """By enumeration: for each reachable node, the ids recorded on every path into it."""
    starts = [definition.start] + [t.start for t in definition.triggers if t.start]
    found: dict[str, frozenset[str]] = {}

    def walk(node: str, recorded: frozenset[str]) -> None:
        found[node] = found[node] & recorded if node in found else recorded
        gen = frozenset()
        if node in definition.steps:
            items = definition.steps[node].items
            gen = frozenset(i.id for i in items if i.id is not None and i.when is None)
        for following in definition.successors(node):
            walk(following, recorded | gen)

    for start in starts:
        walk(start, frozenset(definition.inputs))
    return found


@settings(max_examples=300, deadline=None)
@given(small_graphs())
def test_the_dataflow_is_every_path(data: dict[str, Any]) -> None:
    definition = ProcessDefinition.model_validate(data)
    flow = recorded_on_entry(definition)
    assert flow == every_path_records(definition)
    for node, recorded in flow.items():
        for value_id in IDS:
            path = path_without(definition, value_id, node)
            assert (path is None) == (value_id in recorded)
            if path is not None:  # a real path, recording nothing of the id before the node
                assert path[-1] == node
                for here, there in itertools.pairwise(path):
                    assert there in definition.successors(here)
                    if here in definition.steps:
                        assert value_id not in {
                            i.id for i in definition.steps[here].items if i.when is None
                        }


@settings(max_examples=150, deadline=None)
@given(small_graphs())
def test_only_ids_missing_on_some_path_are_reported(data: dict[str, Any]) -> None:
    """Every decision's first option reads each id some item records: reported exactly
    when enumeration says it is missing on some path."""
    named = sorted({i["id"] for s in data["steps"].values() for i in s["items"]})
    if named:
        for decision in data["decisions"].values():
            decision["options"][0]["when"] = " || ".join(f"{i} > 1.0" for i in named)
    definition = ProcessDefinition.model_validate(data)
    truth = every_path_records(definition)
    reported = {
        (str(path[1]), message.split("'")[1])
        for path, message in check_definition(definition)
        if "is not recorded on every path" in message
    }
    expected = {
        (node, value_id)
        for node in definition.decisions
        if node in truth
        for value_id in named
        if value_id not in truth[node]
    }
    assert reported == expected
