"""Validation of steps that call another process: in one file and across a catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.model import load_catalog, parse_definition
from procedo.model.catalog_check import check_catalog
from procedo.model.problems import DefinitionError

CALLER = """\
[process]
id = "{pid}"
title = "Caller {pid}"

[steps.prepare]
title = "Prepare"
next = "prove"
items = ["Gather the tools"]

[steps.prove]
title = "Prove the tester"
call = "{callee}"
{rest}
items = ["Tester at hand"]

[steps.retry]
title = "Retry"
next = "done"
items = ["Try once more"]

[ends.done]
title = "Done"
outcome = "success"

[ends.stopped]
title = "Stopped"
outcome = "failure"
"""

CALLED = """\
[process]
id = "{pid}"
title = "Called {pid}"

[steps.check]
title = "Check"
next = "ok"
items = ["Check it"]

[decisions.ok]
question = "Did it work?"
options = [
  {{ label = "Yes", next = "proved" }},
  {{ label = "No", next = "broken" }},
  {{ label = "Not sure", next = "unclear" }},
]

[ends.proved]
title = "Proved"
outcome = "success"

[ends.broken]
title = "Broken"
outcome = "failure"

[ends.unclear]
title = "Unclear"
outcome = "failure"
"""

BOTH = 'outcomes = { success = "retry", failure = "stopped" }\nnext = "retry"'


def caller(pid: str = "caller", callee: str = "tester", rest: str = BOTH) -> str:
    return CALLER.format(pid=pid, callee=callee, rest=rest)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def report(folder: Path) -> list[tuple[str, str, int | None, str]]:
    """The catalog's problems as (file stem, key, line, message); ``validate`` says the same."""
    catalog = load_catalog([folder])
    found = [(Path(p.file).stem, p.key, p.line, p.message) for p in catalog.problems]
    checked = check_catalog([folder], workers=1)
    assert [(Path(p.file).stem, p.key, p.line, p.message) for p in checked.problems] == found
    assert sorted(checked.valid_ids) == sorted(p.id for p in catalog.processes)
    return found


def test_a_call_with_outcomes_for_both_and_a_next_is_valid(tmp_path: Path) -> None:
    write(tmp_path, "caller", caller())
    write(tmp_path, "tester", CALLED.format(pid="tester"))
    assert report(tmp_path) == []
    assert sorted(p.id for p in load_catalog([tmp_path]).processes) == ["caller", "tester"]


def test_outcomes_by_end_id_with_a_next_for_the_rest_is_valid(tmp_path: Path) -> None:
    write(tmp_path, "caller", caller(rest='outcomes = { broken = "stopped" }\nnext = "retry"'))
    write(tmp_path, "tester", CALLED.format(pid="tester"))
    assert report(tmp_path) == []


TESTER = CALLED.format(pid="tester")
CALL_LINE = 'call = "'


def test_a_call_of_a_process_not_in_the_catalog(tmp_path: Path) -> None:
    text = caller(callee="testr")
    write(tmp_path, "caller", text)
    write(tmp_path, "tester", TESTER)
    assert report(tmp_path) == [
        (
            "caller",
            "steps.prove.call",
            line_of(text, CALL_LINE),
            "'testr' is not a process of the catalog (did you mean 'tester'?)",
        )
    ]
    assert [p.id for p in load_catalog([tmp_path]).processes] == ["tester"]


def test_an_outcome_that_is_no_end_of_the_called_process(tmp_path: Path) -> None:
    text = caller(rest='outcomes = { success = "retry", brokn = "stopped" }\nnext = "retry"')
    write(tmp_path, "caller", text)
    write(tmp_path, "tester", TESTER)
    assert report(tmp_path) == [
        (
            "caller",
            "steps.prove.outcomes.brokn",
            line_of(text, "outcomes ="),
            "'brokn' is not an end of 'tester' (its ends: 'proved', 'broken', 'unclear'; or "
            "'success', 'failure') (did you mean 'broken'?)",
        )
    ]


def test_outcomes_that_leave_an_end_of_the_called_process_with_nowhere_to_go(
    tmp_path: Path,
) -> None:
    text = caller(rest='outcomes = { success = "retry", broken = "stopped" }')
    write(tmp_path, "caller", text)
    write(tmp_path, "tester", TESTER)
    assert report(tmp_path) == [
        (
            "caller",
            "steps.prove.outcomes",
            line_of(text, "outcomes ="),
            "'tester' can end at 'unclear' (failure) and this step names no node to go on to "
            "then: add 'unclear' or 'failure' to its outcomes, or a 'next'",
        )
    ]


def test_a_process_that_calls_itself_is_refused_in_its_own_file() -> None:
    text = caller(callee="caller")
    with pytest.raises(DefinitionError) as raised:
        parse_definition(text, source="caller.toml")
    assert [(p.key, p.line, p.message) for p in raised.value.problems] == [
        (
            "steps.prove.call",
            line_of(text, CALL_LINE),
            "the step calls its own process 'caller': a call cycle, the run would call itself "
            "without end",
        )
    ]


def test_invalid_ids_in_a_call_are_refused_in_the_file() -> None:
    text = caller(callee="Tester", rest='outcomes = { "Bad Key" = "retry" }\nnext = "retry"')
    text = text.replace('[ends.stopped]\ntitle = "Stopped"\noutcome = "failure"\n', "")
    with pytest.raises(DefinitionError) as raised:
        parse_definition(text, source="caller.toml")
    assert [(p.key, p.line, p.message) for p in raised.value.problems] == [
        (
            "steps.prove.call",
            line_of(text, CALL_LINE),
            "'Tester' is not a valid process id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit",
        ),
        (
            "steps.prove.outcomes.Bad Key",
            line_of(text, "outcomes ="),
            "'Bad Key' is neither 'success', 'failure' nor a valid end id",
        ),
    ]


def test_a_call_cycle_is_reported_in_every_file_of_it_and_its_callers_do_not_load(
    tmp_path: Path,
) -> None:
    texts = {
        "a": caller(pid="a", callee="b"),
        "b": caller(pid="b", callee="c"),
        "c": caller(pid="c", callee="a"),
        "d": caller(pid="d", callee="a"),
        "tester": TESTER,
    }
    for name, text in texts.items():
        write(tmp_path, name, text)
    line = line_of(texts["a"], CALL_LINE)
    cycle = ": a run would call itself without end"
    assert report(tmp_path) == [
        ("a", "steps.prove.call", line, "a call cycle: 'a' calls 'b' calls 'c' calls 'a'" + cycle),
        ("b", "steps.prove.call", line, "a call cycle: 'b' calls 'c' calls 'a' calls 'b'" + cycle),
        ("c", "steps.prove.call", line, "a call cycle: 'c' calls 'a' calls 'b' calls 'c'" + cycle),
        (
            "d",
            "steps.prove.call",
            line,
            "'a', the process this step calls, did not load: see its problems",
        ),
    ]
    assert [p.id for p in load_catalog([tmp_path]).processes] == ["tester"]


def test_a_two_process_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a", caller(pid="a", callee="b"))
    write(tmp_path, "b", caller(pid="b", callee="a"))
    assert [message for *_, message in report(tmp_path)] == [
        "a call cycle: 'a' calls 'b' calls 'a': a run would call itself without end",
        "a call cycle: 'b' calls 'a' calls 'b': a run would call itself without end",
    ]


def test_a_call_of_a_file_with_problems(tmp_path: Path) -> None:
    write(tmp_path, "caller", caller())
    write(tmp_path, "tester", TESTER.replace('next = "ok"', 'next = "okk"'))
    assert report(tmp_path)[-1] == (
        "caller",
        "steps.prove.call",
        line_of(caller(), CALL_LINE),
        "'tester', the process this step calls, did not load: see its problems",
    )


def test_the_pool_reports_calls_as_one_process_does(tmp_path: Path) -> None:
    for index in range(6):
        write(tmp_path, f"p{index}", caller(pid=f"p{index}", callee=f"p{(index + 1) % 3}"))
    write(tmp_path, "tester", TESTER)
    serial = check_catalog([tmp_path], workers=1)
    pooled = check_catalog([tmp_path], workers=2, min_files=1)
    assert pooled == serial
    assert len(serial.problems) == 6  # three in the cycle, three calling into it
    assert serial.valid_ids == ["tester"]


def run_validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args], prog_name="procedo")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_validate_of_one_file_that_calls_warns_that_the_call_cannot_be_checked(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "caller", caller())
    code, output = run_validate(str(path))
    line = line_of(caller(), CALL_LINE)
    assert code == 0
    assert output == (
        f"warning: {path}:{line}: steps.prove.call: the call of 'tester' cannot be checked "
        "here: it is not among the files validated (validate the processes folder to check "
        "it)\nAll 1 file(s) valid: 1 process(es).\n"
    )
    code, output = run_validate(str(path), "--json")
    data = json.loads(output)
    assert code == 0 and data["valid"] is True
    assert [w["key"] for w in data["warnings"]] == ["steps.prove.call"]


def test_validate_of_the_caller_with_its_callee_checks_the_call(tmp_path: Path) -> None:
    path = write(
        tmp_path, "caller", caller(rest='outcomes = { success = "retry", proved = "stopped" }')
    )
    other = write(tmp_path, "tester", TESTER)
    code, output = run_validate(str(path), str(other))
    assert code == 1
    assert "'tester' can end at 'broken' (failure)" in output
    code, output = run_validate(str(tmp_path))  # a folder is a catalog: the same problem
    assert code == 1 and "'tester' can end at 'broken' (failure)" in output
    path.write_text(caller(callee="nobody"), encoding="utf-8")
    code, output = run_validate(str(tmp_path))
    assert code == 1 and "'nobody' is not a process of the catalog" in output


def test_the_documented_call_is_valid_with_a_called_process(tmp_path: Path) -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "format.md").read_text("utf-8")
    step = docs.split("\n## Calling another process\n", 1)[1].split("```toml\n", 1)[1]
    step = step.split("```", 1)[0]
    nodes = "".join(
        f'\n[steps.{node}]\ntitle = "{node}"\nnext = "done"\nitems = ["{node}"]\n'
        for node in ("isolate", "stop-work", "borrow-tester")
    )
    roles = '[roles]\nelectrician = "Electrician"\n\n'
    header = '[process]\nid = "lockout"\ntitle = "Lockout"\nstart = "prove-tester"\n\n'
    done = '\n[ends.done]\ntitle = "Done"\noutcome = "success"\n'
    write(tmp_path, "lockout", header + roles + step + nodes + done)
    called = CALLED.format(pid="tester-proving").replace("unclear", "not-available")
    write(tmp_path, "tester-proving", called)
    assert report(tmp_path) == []
