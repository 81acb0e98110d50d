"""Every validation rule of a process definition: the message, the key path and the line.

Each bad input is a small edit of one valid text (the issue's example), so the line a problem
must point at is the line of the edit, found by searching the edited text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.model import DefinitionError, Problem, load_catalog, load_file, parse_definition

VALID = """\
[process]
id = "incident-response"
title = "Customer-facing incident response"
version = "1.0"
summary = "From the first alert to the all-clear."
owner = "SRE team"
start = "triage"
target_minutes = 45
resources = ["Laptop with VPN", "Status page login"]

[roles]
oncall = "On-call engineer"
ic = "Incident commander"

[[triggers]]
id = "pager"
title = "Pager alert on a customer-facing service"

[steps.triage]
title = "Triage the alert"
role = "oncall"
instructions = "Work from the service dashboard. Escalate early."
next = "impact"
items = [
  "Acknowledge the page",
  { text = "Open an incident channel", role = "ic" },
  { text = "Check whether the alert is a monitoring fault", critical = true },
  { text = "Time of first error (UTC)", record = "text" },
  { text = "Error rate", record = "number", unit = "%", min = 0, max = 100 },
  { text = "Affected region", record = "choice", choices = ["eu", "us", "apac"] },
]

[decisions.impact]
question = "Are customers affected?"
role = "ic"
options = [
  { label = "Yes", next = "mitigate" },
  { label = "No", next = "closed" },
]

[steps.mitigate]
title = "Mitigate"
role = "oncall"
next = "fixed"
items = ["Roll back the last deploy", "Watch the error rate for 5 minutes"]

[decisions.fixed]
question = "Is the error rate back to normal?"
options = [
  { label = "Yes", next = "resolved" },
  { label = "No, try again", next = "mitigate" },
  { label = "No, escalate", next = "escalated" },
]

[ends.resolved]
title = "Service restored"
outcome = "success"

[ends.closed]
title = "No customer impact"
outcome = "success"

[ends.escalated]
title = "Escalated to the vendor"
outcome = "failure"
"""

SOURCE = "processes/x.toml"
IMPACT_OPTIONS = (
    'options = [\n  { label = "Yes", next = "mitigate" },\n  { label = "No", next = "closed" },\n]'
)


def edit(old: str, new: str, text: str = VALID) -> str:
    """``text`` with the single occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_with(text: str, needle: str) -> int:
    """The 1-based line of the single line of ``text`` that contains ``needle``."""
    found = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}"
    return found[0]


def line_after(text: str, header: str, needle: str) -> int:
    """The line of the first line containing ``needle`` after the line containing ``header``."""
    lines = text.splitlines()
    start = line_with(text, header)
    return next(n for n in range(start + 1, len(lines) + 1) if needle in lines[n - 1])


def problems(text: str) -> list[Problem]:
    """The problems reported for ``text``; fails the test when it loads."""
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source=SOURCE)
    assert caught.value.problems, "a DefinitionError must carry at least one problem"
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return caught.value.problems


def only_problem(text: str) -> Problem:
    found = problems(text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_the_valid_text_loads() -> None:
    definition = parse_definition(VALID, source=SOURCE)
    assert definition.id == "incident-response"
    assert definition.start == "triage"
    assert len(definition.steps["triage"].items) == 6


def test_a_problem_prints_as_one_actionable_line() -> None:
    text = edit('next = "impact"', 'next = "impcat"')
    problem = only_problem(text)
    assert str(problem) == (
        f"{SOURCE}:{line_with(text, 'impcat')}: steps.triage.next: "
        "'impcat' is not a node of this process (did you mean 'impact'?)"
    )
    assert problem.to_dict() == {
        "file": SOURCE,
        "line": 23,
        "column": None,
        "key": "steps.triage.next",
        "message": "'impcat' is not a node of this process (did you mean 'impact'?)",
    }


# -- TOML syntax and encoding ---------------------------------------------------------------


def test_toml_syntax_error_has_line_and_column() -> None:
    text = edit('title = "Mitigate"', 'title = "Mitigate')
    problem = only_problem(text)
    assert problem.message == "TOML syntax error: Illegal character '\\n'"
    assert problem.line == line_with(text, 'title = "Mitigate') == 42
    assert problem.column == len('title = "Mitigate') + 1
    assert problem.key == ""
    assert str(problem) == f"{SOURCE}:42:18: TOML syntax error: Illegal character '\\n'"


def test_toml_key_defined_twice_is_a_syntax_error_at_the_second_definition() -> None:
    text = edit('title = "Mitigate"', 'title = "Mitigate"\ntitle = "Mitigate again"')
    problem = only_problem(text)
    assert problem.message == "TOML syntax error: Cannot overwrite a value"
    assert problem.line == line_with(text, "Mitigate again")
    assert problem.column is not None


def test_toml_table_declared_twice_is_a_syntax_error() -> None:
    text = VALID + '\n[steps.triage]\ntitle = "Again"\nnext = "impact"\n'
    problem = only_problem(text)
    assert problem.message == "TOML syntax error: Cannot declare ('steps', 'triage') twice"
    assert problem.line == len(text.splitlines()) - 2


def test_toml_error_at_the_end_of_the_document_points_at_the_last_line() -> None:
    text = VALID + "[ends.unfinished"
    problem = only_problem(text)
    assert problem.message == ("TOML syntax error: Expected ']' at the end of a table declaration")
    assert problem.line == len(text.splitlines())
    assert problem.column == len("[ends.unfinished") + 1  # just after the last character


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    raw = VALID.encode("utf-8").replace(b"Mitigate", b"Mitig\xe9te")
    path = tmp_path / "latin1.toml"
    path.write_bytes(raw)
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    [problem] = caught.value.problems
    offset = raw.index(b"\xe9")
    assert problem.message == (
        f"not UTF-8 text (byte 0xe9 at offset {offset}); save the file as UTF-8"
    )
    assert problem.line == line_with(VALID, 'title = "Mitigate"')
    assert problem.file == str(path)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    loaded = load_file(path)
    assert loaded.id == "incident-response"
    assert not loaded.text.startswith("\ufeff")


def test_an_unreadable_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_file(tmp_path)  # a folder, not a file
    [problem] = caught.value.problems
    assert problem.message.startswith("cannot read the file: ")


# -- unknown keys ---------------------------------------------------------------------------


def test_unknown_top_level_key_lists_the_known_tables() -> None:
    text = 'comment = "x"\n' + VALID
    problem = only_problem(text)
    assert problem.key == "comment"
    assert problem.line == 1
    assert problem.message == (
        "unknown key 'comment' "
        "(known keys: process, roles, triggers, inputs, steps, decisions, parallel, ends, "
        "interrupts)"
    )


def test_unknown_top_level_table_with_a_close_name_suggests_it() -> None:
    text = VALID + '\n[end.done]\ntitle = "Done"\noutcome = "success"\n'
    problem = only_problem(text)
    assert problem.key == "end"
    assert problem.line == line_with(text, "[end.done]")
    assert problem.message == "unknown key 'end' (did you mean 'ends'?)"


def test_unknown_key_in_process() -> None:
    text = edit('owner = "SRE team"', 'ownr = "SRE team"')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("process.ownr", line_with(text, "ownr"))
    assert problem.message == "unknown key 'ownr' (did you mean 'owner'?)"


def test_unknown_key_in_a_step() -> None:
    text = edit('instructions = "Work', 'instruction = "Work')
    problem = only_problem(text)
    assert problem.key == "steps.triage.instruction"
    assert problem.line == line_with(text, "instruction =")
    assert problem.message == "unknown key 'instruction' (did you mean 'instructions'?)"


def test_unknown_key_in_an_inline_item_table() -> None:
    text = edit(
        '{ text = "Open an incident channel", role = "ic" }', '{ text = "Open", rol = "ic" }'
    )
    problem = only_problem(text)
    assert problem.key == "steps.triage.items.1.rol"
    assert problem.line == line_with(text, "rol =")
    assert problem.message == "unknown key 'rol' (did you mean 'role'?)"


def test_unknown_key_in_an_item_written_as_an_array_of_tables() -> None:
    text = edit(
        'items = ["Roll back the last deploy", "Watch the error rate for 5 minutes"]\n',
        "",
    )
    text += (
        '\n[[steps.mitigate.items]]\ntext = "Roll back the last deploy"\n'
        '\n[[steps.mitigate.items]]\ntext = "Watch the error rate"\ncritcal = true\n'
    )
    problem = only_problem(text)
    assert problem.key == "steps.mitigate.items.1.critcal"
    assert problem.line == line_with(text, "critcal")
    assert problem.message == "unknown key 'critcal' (did you mean 'critical'?)"


def test_unknown_key_in_an_option_also_reports_the_missing_next() -> None:
    text = edit('{ label = "No", next = "closed" }', '{ label = "No", nxt = "closed" }')
    found = problems(text)
    line = line_with(text, "nxt")
    assert [(p.key, p.line, p.message) for p in found] == [
        ("decisions.impact.options.1.next", line, "required key 'next' is missing"),
        ("decisions.impact.options.1.nxt", line, "unknown key 'nxt' (did you mean 'next'?)"),
    ]


def test_unknown_key_in_an_end_without_a_close_match_lists_the_known_keys() -> None:
    text = edit('outcome = "failure"', 'outcome = "failure"\ncolour = "red"')
    problem = only_problem(text)
    assert problem.key == "ends.escalated.colour"
    assert problem.line == line_with(text, "colour")
    assert problem.message == "unknown key 'colour' (known keys: title, outcome)"


# -- missing keys and wrong types -----------------------------------------------------------


def test_missing_required_key_in_a_step_points_at_the_step() -> None:
    text = edit('title = "Mitigate"\n', "")
    problem = only_problem(text)
    assert problem.key == "steps.mitigate.title"
    assert problem.line == line_with(text, "[steps.mitigate]")
    assert problem.message == "required key 'title' is missing"


def test_missing_next_in_a_step() -> None:
    text = edit('next = "fixed"\n', "")
    problem = only_problem(text)
    assert (problem.key, problem.line) == (
        "steps.mitigate.next",
        line_with(text, "[steps.mitigate]"),
    )
    assert problem.message == "required key 'next' is missing"


def test_missing_outcome_of_an_end() -> None:
    text = edit('outcome = "failure"\n', "")
    problem = only_problem(text)
    assert problem.key == "ends.escalated.outcome"
    assert problem.line == line_with(text, "[ends.escalated]")
    assert problem.message == "required key 'outcome' is missing"


def test_missing_options_of_a_decision() -> None:
    text = edit(
        IMPACT_OPTIONS + "\n",
        "",
    )
    problem = only_problem(text)
    assert problem.key == "decisions.impact.options"
    assert problem.line == line_with(text, "[decisions.impact]")
    assert problem.message == "required key 'options' is missing"


def test_missing_process_table_has_no_line() -> None:
    problem = only_problem("")
    assert (problem.key, problem.line, problem.message) == (
        "process",
        None,
        "required key 'process' is missing",
    )


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        (
            "critical = true",
            'critical = "yes"',
            "steps.triage.items.2.critical",
            "must be true or false, not 'yes'",
        ),
        (
            "critical = true",
            "critical = 1",
            "steps.triage.items.2.critical",
            "must be true or false, not 1",
        ),
        (
            "target_minutes = 45",
            'target_minutes = "45"',
            "process.target_minutes",
            "must be a number, not '45'",
        ),
        (
            "target_minutes = 45",
            "target_minutes = true",
            "process.target_minutes",
            "must be a number, not true",
        ),
        (
            "target_minutes = 45",
            "target_minutes = 0",
            "process.target_minutes",
            "must be above 0.0, not 0",
        ),
        (
            "min = 0, max = 100",
            'min = "0", max = 100',
            "steps.triage.items.4.min",
            "must be a number, not '0'",
        ),
        (
            'version = "1.0"',
            "version = 1.0",
            "process.version",
            "must be text (a quoted string), not 1.0",
        ),
        (
            'ic = "Incident commander"',
            "ic = 3",
            "roles.ic",
            "must be text (a quoted string), not 3",
        ),
        (
            'resources = ["Laptop with VPN", "Status page login"]',
            'resources = "Laptop with VPN"',
            "process.resources",
            "must be a list, not 'Laptop with VPN'",
        ),
        (
            'title = "Customer-facing incident response"',
            'title = ""',
            "process.title",
            "must not be empty",
        ),
        (
            'record = "text"',
            'record = "txt"',
            "steps.triage.items.3.record",
            "must be one of 'text', 'number' or 'choice', not 'txt' (did you mean 'text'?)",
        ),
        (
            "[[triggers]]",
            "[triggers]",
            "triggers",
            "must be a list, not a table",
        ),
    ],
)
def test_wrong_types(old: str, new: str, key: str, message: str) -> None:
    text = edit(old, new)
    problem = only_problem(text)
    assert (problem.key, problem.message) == (key, message)
    assert problem.line == line_with(text, new)


def test_an_item_that_is_neither_text_nor_a_table() -> None:
    text = edit('"Acknowledge the page",', "42,")
    problem = only_problem(text)
    assert problem.key == "steps.triage.items.0"
    assert problem.line == line_with(text, "42,")
    assert problem.message == "must be a string or a table, not 42"


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("target_minutes = 45", "target_minutes = inf", "process.target_minutes"),
        ('unit = "%", min = 0,', 'unit = "%", min = nan,', "steps.triage.items.4.min"),
        ("max = 100", "max = -inf", "steps.triage.items.4.max"),
    ],
)
def test_bounds_and_targets_must_be_finite(old: str, new: str, key: str) -> None:
    problem = only_problem(edit(old, new))
    assert problem.key == key
    assert problem.message.startswith("must be a finite number, not ")


def test_a_node_id_used_twice_is_reported_once_without_graph_echoes() -> None:
    text = """
[process]
title = "x"
[steps.a]
title = "A"
next = "b"
[steps.b]
title = "B"
next = "a"
[decisions.a]
question = "q"
options = [{ label = "1", next = "e" }, { label = "2", next = "e" }]
[ends.e]
title = "E"
outcome = "success"
"""
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source="t.toml")
    assert [p.message for p in caught.value.problems] == [
        "node id 'a' is already used by steps.a: node ids must be unique across steps, "
        "decisions and ends"
    ]


# -- references -----------------------------------------------------------------------------


def test_step_next_names_no_node() -> None:
    text = edit('next = "impact"', 'next = "impcat"')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.triage.next", line_with(text, "impcat"))
    assert problem.message == "'impcat' is not a node of this process (did you mean 'impact'?)"


def test_process_start_names_no_node() -> None:
    text = edit('start = "triage"', 'start = "triag"')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("process.start", line_with(text, '"triag"'))
    assert problem.message == "'triag' is not a node of this process (did you mean 'triage'?)"


def test_option_next_names_no_node() -> None:
    text = edit('{ label = "Yes", next = "resolved" }', '{ label = "Yes", next = "resolvd" }')
    problem = only_problem(text)
    assert problem.key == "decisions.fixed.options.0.next"
    assert problem.line == line_with(text, "resolvd")
    assert problem.message == "'resolvd' is not a node of this process (did you mean 'resolved'?)"


def test_trigger_start_names_no_node() -> None:
    text = edit('title = "Pager alert', 'start = "mitigat"\ntitle = "Pager alert')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("triggers.0.start", line_with(text, '"mitigat"'))
    assert problem.message == "'mitigat' is not a node of this process (did you mean 'mitigate'?)"


def test_a_target_with_nothing_close_has_no_suggestion() -> None:
    text = edit('next = "fixed"', 'next = "zzzzzz"')
    problem = only_problem(text)
    assert problem.message == "'zzzzzz' is not a node of this process"


def test_a_process_cannot_start_at_an_end() -> None:
    text = edit('start = "triage"', 'start = "closed"')
    found = problems(text)
    assert (found[0].key, found[0].line, found[0].message) == (
        "process.start",
        line_with(text, 'start = "closed"'),
        "a process cannot start at an end",
    )


def test_a_trigger_cannot_start_at_an_end() -> None:
    text = edit('title = "Pager alert', 'start = "closed"\ntitle = "Pager alert')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("triggers.0.start", line_with(text, 'start = "closed"'))
    assert problem.message == "a trigger cannot start at an end"


def test_a_trigger_may_start_at_its_own_node() -> None:
    text = edit('title = "Pager alert', 'start = "mitigate"\ntitle = "Pager alert')
    definition = parse_definition(text)
    assert definition.start_for("pager") == "mitigate"
    assert definition.start_for(None) == "triage"


# -- roles ----------------------------------------------------------------------------------


def test_undefined_role_on_a_step() -> None:
    text = edit('role = "oncall"\ninstructions', 'role = "oncal"\ninstructions')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.triage.role", line_with(text, '"oncal"'))
    assert problem.message == "role 'oncal' is not a key of [roles] (did you mean 'oncall'?)"


def test_undefined_role_on_a_decision() -> None:
    text = edit('role = "ic"\noptions', 'role = "commander"\noptions')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("decisions.impact.role", line_with(text, '"commander"'))
    assert problem.message == "role 'commander' is not a key of [roles]"


def test_undefined_role_on_an_item() -> None:
    text = edit('role = "ic" }', 'role = "icc" }')
    problem = only_problem(text)
    assert problem.key == "steps.triage.items.1.role"
    assert problem.line == line_with(text, '"icc"')
    assert problem.message == "role 'icc' is not a key of [roles] (did you mean 'ic'?)"


def test_roles_used_without_a_roles_table() -> None:
    text = edit('[roles]\noncall = "On-call engineer"\nic = "Incident commander"\n', "")
    found = problems(text)
    assert [p.key for p in found] == [
        "steps.triage.role",
        "steps.triage.items.1.role",
        "steps.mitigate.role",
        "decisions.impact.role",
    ]
    assert found[0].message == "role 'oncall' is not defined (the file has no [roles])"
    assert found[1].message == "role 'ic' is not defined (the file has no [roles])"
    assert [p.line for p in found] == [
        line_after(text, "[steps.triage]", "role ="),
        line_with(text, "Open an incident channel"),
        line_after(text, "[steps.mitigate]", "role ="),
        line_after(text, "[decisions.impact]", "role ="),
    ]


# -- ids ------------------------------------------------------------------------------------


def test_duplicate_node_id_across_tables() -> None:
    text = VALID + '\n[ends.mitigate]\ntitle = "Mitigated"\noutcome = "success"\n'
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("ends.mitigate", line_with(text, "[ends.mitigate]"))
    assert problem.message == (
        "node id 'mitigate' is already used by steps.mitigate: "
        "node ids must be unique across steps, decisions and ends"
    )


def test_duplicate_node_id_between_a_decision_and_a_step() -> None:
    text = VALID + '\n[steps.fixed]\ntitle = "Fixed"\nnext = "resolved"\n'
    found = problems(text)
    assert (found[0].key, found[0].line, found[0].message) == (
        "decisions.fixed",
        line_with(text, "[decisions.fixed]"),
        "node id 'fixed' is already used by steps.fixed: "
        "node ids must be unique across steps, decisions and ends",
    )


def test_invalid_node_id() -> None:
    text = edit("[ends.closed]", "[ends.Closed]")
    text = edit('next = "closed"', 'next = "Closed"', text)
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("ends.Closed", line_with(text, "[ends.Closed]"))
    assert problem.message == (
        "'Closed' is not a valid node id: use lower-case letters, digits, '-' and '_', "
        "starting with a letter or digit"
    )


def test_invalid_process_id() -> None:
    text = edit('id = "incident-response"', 'id = "Incident Response"')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("process.id", 2)
    assert problem.message.startswith("'Incident Response' is not a valid id: ")


def test_duplicate_trigger_id() -> None:
    text = edit("[steps.triage]", '[[triggers]]\nid = "pager"\ntitle = "Again"\n\n[steps.triage]')
    problem = only_problem(text)
    assert problem.key == "triggers.1.id"
    assert problem.line == line_with(text, 'title = "Again"') - 1
    assert problem.message == "trigger id 'pager' is used twice"


# -- decisions ------------------------------------------------------------------------------


def test_decision_with_one_option() -> None:
    text = edit('  { label = "No", next = "closed" },\n', "")
    found = problems(text)
    assert (found[0].key, found[0].line, found[0].message) == (
        "decisions.impact.options",
        line_after(text, "[decisions.impact]", "options = ["),
        "a decision needs at least two options, this one has 1",
    )
    # The end only that option led to is now unreachable, and that is reported too.
    assert [(p.key, p.message) for p in found[1:]] == [
        ("ends.closed", "'closed' cannot be reached from any start")
    ]


def test_decision_with_no_options() -> None:
    text = edit(
        IMPACT_OPTIONS,
        "options = []",
    )
    found = problems(text)
    assert (found[0].key, found[0].line, found[0].message) == (
        "decisions.impact.options",
        line_with(text, "options = []"),
        "a decision needs at least two options, this one has 0",
    )


def test_duplicate_option_labels_ignore_case_and_spaces() -> None:
    text = edit('{ label = "No", next = "closed" }', '{ label = " yes ", next = "closed" }')
    problem = only_problem(text)
    assert problem.key == "decisions.impact.options.1.label"
    assert problem.line == line_with(text, '" yes "')
    assert problem.message == "option label ' yes ' is used twice in this decision"


# -- the shape of the graph -----------------------------------------------------------------


def test_unreachable_node() -> None:
    text = VALID + '\n[ends.orphan]\ntitle = "Nobody gets here"\noutcome = "success"\n'
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("ends.orphan", line_with(text, "[ends.orphan]"))
    assert problem.message == "'orphan' cannot be reached from any start"


def test_a_node_reached_only_from_a_trigger_start_is_reachable() -> None:
    text = VALID + '\n[steps.vendor]\ntitle = "Vendor report"\nnext = "impact"\n'
    assert problems(text)[0].message == "'vendor' cannot be reached from any start"
    text = edit('title = "Pager alert', 'start = "vendor"\ntitle = "Pager alert', text)
    assert "vendor" in parse_definition(text).steps


def test_loop_with_no_way_out() -> None:
    text = edit(
        '  { label = "No", next = "closed" },\n',
        '  { label = "No", next = "closed" },\n  { label = "Unsure", next = "watch" },\n',
    )
    text += '\n[steps.watch]\ntitle = "Watch the dashboards"\nnext = "watch"\n'
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.watch", line_with(text, "[steps.watch]"))
    assert problem.message == "no end can be reached from 'watch': a loop with no way out"


def test_a_larger_loop_with_no_way_out_reports_every_trapped_node() -> None:
    text = edit('{ label = "Yes", next = "resolved" }', '{ label = "Yes", next = "mitigate" }')
    text = edit(
        '{ label = "No, escalate", next = "escalated" }',
        '{ label = "Stop", next = "triage" }',
        text,
    )
    text = edit('{ label = "No", next = "closed" }', '{ label = "No", next = "triage" }', text)
    found = problems(text)
    trapped = [p for p in found if "no way out" in p.message]
    assert {p.key for p in trapped} == {
        "steps.triage",
        "steps.mitigate",
        "decisions.impact",
        "decisions.fixed",
    }
    for problem in trapped:
        header = problem.key.replace("steps.", "[steps.").replace("decisions.", "[decisions.")
        assert problem.line == line_with(text, header + "]")


def test_process_with_no_end() -> None:
    text = (
        '[process]\ntitle = "Round and round"\n\n'
        '[steps.a]\ntitle = "A"\nnext = "b"\n\n[steps.b]\ntitle = "B"\nnext = "a"\n'
    )
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("ends", None)
    assert problem.message == "the process has no end: add at least one [ends.<id>] table"


def test_process_with_no_steps_or_decisions() -> None:
    text = '[process]\ntitle = "Nothing"\n\n[ends.done]\ntitle = "Done"\noutcome = "success"\n'
    found = problems(text)
    assert (found[0].key, found[0].line, found[0].message) == (
        "steps",
        None,
        "the process has no steps or decisions",
    )


# -- recorded values ------------------------------------------------------------------------


def test_choice_without_choices() -> None:
    text = edit(', choices = ["eu", "us", "apac"]', "")
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.triage.items.5", line_with(text, "Affected"))
    assert problem.message == "record = \"choice\" needs a non-empty 'choices' list"


def test_choice_with_a_repeated_value() -> None:
    text = edit('choices = ["eu", "us", "apac"]', 'choices = ["eu", "us", "eu"]')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.triage.items.5", line_with(text, "Affected"))
    assert problem.message == "'choices' lists a value twice"


def test_choices_without_record_choice() -> None:
    text = edit('"Acknowledge the page"', '{ text = "Acknowledge the page", choices = ["a"] }')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.triage.items.0", line_with(text, "Acknowledge"))
    assert problem.message == "'choices' is only used with record = \"choice\""


def test_number_keys_on_a_text_record() -> None:
    text = edit('record = "text" }', 'record = "text", unit = "s", max = 3 }')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.triage.items.3", line_with(text, "Time of"))
    assert problem.message == "'unit', 'max' only apply to record = \"number\""


def test_min_above_max() -> None:
    text = edit("min = 0, max = 100", "min = 100, max = 0.5")
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("steps.triage.items.4", line_with(text, "Error rate"))
    assert problem.message == "min (100) is above max (0.5)"


def test_min_equal_to_max_is_allowed() -> None:
    text = edit("min = 0, max = 100", "min = 7, max = 7")
    assert parse_definition(text).steps["triage"].items[4].min == 7


# -- ends -----------------------------------------------------------------------------------


def test_unknown_outcome() -> None:
    text = edit('outcome = "failure"', 'outcome = "failed"')
    problem = only_problem(text)
    assert (problem.key, problem.line) == ("ends.escalated.outcome", line_with(text, "failed"))
    assert problem.message == (
        "must be one of 'success' or 'failure', not 'failed' (did you mean 'failure'?)"
    )


# -- several problems, several files --------------------------------------------------------


def test_several_shape_problems_in_one_file_are_all_reported_in_file_order() -> None:
    text = edit('owner = "SRE team"', 'ownr = "SRE team"')
    text = edit("critical = true", "critical = 1", text)
    text = edit('title = "Mitigate"\n', "", text)
    text = edit('outcome = "failure"', 'outcome = "failed"', text)
    found = problems(text)
    assert [(p.key, p.line) for p in found] == [
        ("process.ownr", line_with(text, "ownr")),
        ("steps.triage.items.2.critical", line_with(text, "critical = 1")),
        ("steps.mitigate.title", line_with(text, "[steps.mitigate]")),
        ("ends.escalated.outcome", line_with(text, "failed")),
    ]


def test_several_reference_problems_in_one_file_are_all_reported() -> None:
    text = edit('next = "impact"', 'next = "impcat"')
    text = edit('role = "ic" }', 'role = "boss" }', text)
    text = edit('{ label = "No", next = "closed" }', '{ label = "YES", next = "closed" }', text)
    text += '\n[ends.mitigate]\ntitle = "Twice"\noutcome = "success"\n'
    found = problems(text)
    assert sorted((p.key, p.line) for p in found) == sorted(
        [
            ("ends.mitigate", line_with(text, "[ends.mitigate]")),
            ("steps.triage.items.1.role", line_with(text, "boss")),
            ("decisions.impact.options.1.label", line_with(text, "YES")),
            ("steps.triage.next", line_with(text, "impcat")),
        ]
    )


def test_two_files_with_the_same_process_id(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(VALID, encoding="utf-8")
    copy = edit('id = "incident-response"\n', "")
    (tmp_path / "incident-response.toml").write_text(copy, encoding="utf-8")
    other = edit('id = "incident-response"', 'id = "other"')
    (tmp_path / "other.toml").write_text(other, encoding="utf-8")
    catalog = load_catalog([tmp_path])
    assert [p.id for p in catalog.processes] == ["other"]
    names = f"{tmp_path / 'a.toml'}, {tmp_path / 'incident-response.toml'}"
    message = f"process id 'incident-response' is used by more than one file ({names})"
    assert [(p.file, p.key, p.line, p.message) for p in catalog.problems] == [
        (str(tmp_path / "a.toml"), "process.id", 2, message),
        # No id key in the second file: the id comes from its name; point at [process].
        (str(tmp_path / "incident-response.toml"), "process.id", 1, message),
    ]


def test_a_folder_reports_the_problems_of_every_file_and_keeps_the_valid_ones(
    tmp_path: Path,
) -> None:
    (tmp_path / "good.toml").write_text(edit('id = "incident-response"\n', ""), encoding="utf-8")
    (tmp_path / "bad1.toml").write_text(edit('next = "impact"', 'next = "nope"'), "utf-8")
    (tmp_path / "bad2.toml").write_text("[process\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a definition", encoding="utf-8")
    catalog = load_catalog([tmp_path, tmp_path / "missing.toml"])
    assert [p.id for p in catalog.processes] == ["good"]
    assert catalog.files_with_problems == [
        str(tmp_path / "bad1.toml"),
        str(tmp_path / "bad2.toml"),
        str(tmp_path / "missing.toml"),
    ]
    assert catalog.problems[-1].message == "no such file or folder"


def test_the_file_name_is_the_default_process_id(tmp_path: Path) -> None:
    path = tmp_path / "night-shift.toml"
    path.write_text(edit('id = "incident-response"\n', ""), encoding="utf-8")
    assert load_file(path).id == "night-shift"


def test_a_file_name_that_is_not_a_valid_id_needs_an_explicit_id(tmp_path: Path) -> None:
    path = tmp_path / "Night Shift.toml"
    text = edit('id = "incident-response"\n', "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_file(path)
    [problem] = caught.value.problems
    assert (problem.key, problem.line) == ("process.id", line_with(text, "[process]"))
    assert problem.message.startswith("'Night Shift' is not a valid id: ")


# -- every problem in one pass ------------------------------------------------------------

TYPOS = """\
[process]
title = "Typo"
start = "triage"
[roles]
ops = "Operations"
[steps.triage]
title = "Triage"
role = "opz"
nxt = "impact"
next = "impcat"
items = ["One", { text = "Two", critcal = true }]
[steps.fix]
title = "Fix"
role = "ops"
next = "done"
items = [{ text = "Temp", record = "number", min = "zero" }]
[decisions.impact]
question = "Bad?"
options = [{ label = "Yes", next = "fix" }, { label = 3, next = "nowhere" }]
[ends.done]
title = "Done"
outcome = "sucess"
"""


def test_shape_problems_do_not_hide_the_cross_checks_of_the_rest() -> None:
    found = [(p.line, p.key, p.message) for p in problems(TYPOS)]
    assert found == [
        (8, "steps.triage.role", "role 'opz' is not a key of [roles] (did you mean 'ops'?)"),
        (9, "steps.triage.nxt", "unknown key 'nxt' (did you mean 'next'?)"),
        (
            10,
            "steps.triage.next",
            "'impcat' is not a node of this process (did you mean 'impact'?)",
        ),
        (11, "steps.triage.items.1.critcal", "unknown key 'critcal' (did you mean 'critical'?)"),
        (16, "steps.fix.items.0.min", "must be a number, not 'zero'"),
        (19, "decisions.impact.options.1.label", "must be text (a quoted string), not 3"),
        (19, "decisions.impact.options.1.next", "'nowhere' is not a node of this process"),
        (
            22,
            "ends.done.outcome",
            "must be one of 'success' or 'failure', not 'sucess' (did you mean 'success'?)",
        ),
    ]


def test_a_broken_node_is_still_a_node_for_the_references_to_it() -> None:
    text = edit('[steps.mitigate]\ntitle = "Mitigate"', "[steps.mitigate]\ntitle = 5")
    found = problems(text)
    assert [(p.key, p.message) for p in found] == [
        ("steps.mitigate.title", "must be text (a quoted string), not 5")
    ]
