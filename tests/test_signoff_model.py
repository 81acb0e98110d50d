"""Issue 11's keys in a definition: ``signoff`` on a step and a decision, ``override`` on a
critical item; what loads, what is refused and how it is said; the signature JSON."""

from __future__ import annotations

import json

import pytest

from procedo.model import DefinitionError, Problem, parse_definition
from procedo.model.signature import Signature, SignerIdentity, signature_text
from procedo.model.signoff import MEANINGS, Override, SignOff
from signoff_defs import SIGNOFF_TOML, signoff_definition


def edit(old: str, new: str, text: str = SIGNOFF_TOML) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(text: str) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source="processes/theatre.toml")
    return caught.value.problems


def only_problem(text: str) -> Problem:
    found = problems(text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_every_key_loads() -> None:
    definition = signoff_definition()
    step = definition.steps["sign-in"]
    assert step.signoff == (
        SignOff(role="anaesthetist", meaning="reviewed"),
        SignOff(role="surgeon", meaning="approved", distinct=True),
    )
    assert step.items[1].override == Override(role="supervisor")
    assert step.items[0].override is None
    surgeon = SignOff(role="surgeon", meaning="approved")
    assert definition.decisions["time-out"].signoff == (surgeon,)
    assert definition.steps["operate"].signoff == ()
    assert MEANINGS == ("performed", "reviewed", "approved", "verified", "witnessed")


def test_free_text_meaning_is_allowed() -> None:
    text = edit('meaning = "reviewed"', 'meaning = "counted the swabs"')
    assert signoff_definition(text).steps["sign-in"].signoff[0].meaning == "counted the swabs"


def test_unknown_signoff_role_names_the_known_roles() -> None:
    problem = only_problem(edit('role = "anaesthetist", meaning', 'role = "anesthetist", meaning'))
    assert problem.key == "steps.sign-in.signoff.0.role"
    assert "'anesthetist'" in problem.message
    assert "known roles: 'nurse', 'surgeon', 'anaesthetist', 'supervisor'" in problem.message


def test_unknown_role_on_a_decision_signoff() -> None:
    text = edit(
        'signoff = [{ role = "surgeon", meaning = "approved" }]',
        'signoff = [{ role = "chief", meaning = "approved" }]',
    )
    problem = only_problem(text)
    assert problem.key == "decisions.time-out.signoff.0.role"
    assert "known roles:" in problem.message


def test_unknown_override_role() -> None:
    problem = only_problem(edit('override = { role = "supervisor" }', 'override = { role = "b" }'))
    assert problem.key == "steps.sign-in.items.1.override.role"
    assert "'b'" in problem.message and "known roles:" in problem.message


def test_signoff_without_any_roles_says_so() -> None:
    head, tail = SIGNOFF_TOML.split("[roles]")
    text = head + tail.split('supervisor = "Theatre supervisor"\n')[1]
    text = text.replace('role = "nurse"\n', "")
    messages = [p.message for p in problems(text)]
    assert any("the file has no [roles]" in m for m in messages)


def test_override_only_on_a_critical_item() -> None:
    text = edit("critical = true, override", "override")
    problem = only_problem(text)
    assert problem.key.startswith("steps.sign-in.items.1")
    assert "only used on a critical item" in problem.message


@pytest.mark.parametrize("meaning", ['""', '"   "'])
def test_empty_meaning_is_refused(meaning: str) -> None:
    problem = only_problem(edit('meaning = "reviewed"', f"meaning = {meaning}"))
    assert problem.key.startswith("steps.sign-in.signoff.0.meaning")


def test_meaning_is_required() -> None:
    problem = only_problem(edit(', meaning = "reviewed"', ""))
    assert "meaning" in problem.key and "missing" in problem.message


def test_auto_decision_with_signoff_is_refused() -> None:
    text = edit('question = "Proceed with the incision?"\n', 'question = "Proceed?"\nauto = true\n')
    text = edit('{ label = "Proceed", next', '{ label = "Proceed", default = true, next', text)
    problem = only_problem(text)
    assert problem.key.startswith("decisions.time-out")
    assert "cannot be 'auto'" in problem.message


def test_signoff_is_not_a_key_of_a_non_normal_checklist() -> None:
    text = SIGNOFF_TOML + (
        '\n[interrupts.bleed]\ntitle = "Bleeding"\npriority = "warning"\n'
        'items = ["Apply pressure"]\nsignoff = [{ role = "surgeon", meaning = "approved" }]\n'
    )
    problem = only_problem(text)
    assert problem.key == "interrupts.bleed.signoff"
    assert "unknown key 'signoff'" in problem.message


def test_override_inside_a_non_normal_checklist_is_checked() -> None:
    text = SIGNOFF_TOML + (
        '\n[interrupts.bleed]\ntitle = "Bleeding"\npriority = "warning"\n'
        'items = [{ text = "Call the blood bank", critical = true, override = { role = "x" } }]\n'
    )
    problem = only_problem(text)
    assert problem.key == "interrupts.bleed.items.0.override.role"


def test_distinct_must_be_a_boolean() -> None:
    problem = only_problem(edit("distinct = true", 'distinct = "yes"'))
    assert problem.key == "steps.sign-in.signoff.1.distinct"


def test_signature_json_is_canonical_and_reads_back() -> None:
    sig = Signature("rk", "Rosa Kahn", "surgeon", "approved", "ab" * 32)
    text = sig.to_json()
    assert text == json.dumps(
        {"covers": "ab" * 32, "meaning": "approved", "name": "Rosa Kahn", "role": "surgeon",
         "signer": "rk"},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )  # fmt: skip
    assert Signature.from_json(text) == sig
    accented = Signature("zo", "Zoë Ñúñez", "surgeon", "approved", "c")
    assert "Zoë" in accented.to_json() and Signature.from_json(accented.to_json()) == accented


@pytest.mark.parametrize(
    "text",
    [None, "", "not json", "[]", '{"signer":"a"}', '{"covers":"c","meaning":"m","name":"n",'
     '"role":"r","signer":1}', '{"covers":"c","meaning":"m","name":"n","role":"r","signer":"s",'
     '"extra":"x"}'],
)  # fmt: skip
def test_from_json_says_none_for_what_is_not_a_signature(text: str | None) -> None:
    assert Signature.from_json(text) is None


def test_signature_text() -> None:
    sig = Signature("rk", "Rosa Kahn", "surgeon", "approved", "c")
    assert signature_text(sig, "2026-11-26T14:03:12.345Z") == (
        "Rosa Kahn (rk), approved, 2026-11-26 14:03:12 UTC"
    )
    assert signature_text(sig, "garbled") == "Rosa Kahn (rk), approved, garbled"


def test_signer_identity_is_frozen() -> None:
    who = SignerIdentity("rk", "Rosa Kahn", ("surgeon",))
    with pytest.raises(AttributeError):
        who.name = "x"  # type: ignore[misc]


def test_override_on_a_value_a_condition_reads_is_refused() -> None:
    text = edit(
        '{ text = "Check the anaesthesia machine", critical = true, override',
        '{ text = "Machine pressure", record = "number", id = "pressure", critical = true, '
        "override",
    )
    text = edit(
        '{ label = "Proceed", next', '{ label = "Proceed", when = "pressure > 1", next', text
    )
    problem = only_problem(text)
    assert problem.key == "steps.sign-in.items.1.override"
    assert "a condition reads 'pressure'" in problem.message
