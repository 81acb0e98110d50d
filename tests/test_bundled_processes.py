"""The bundled processes are the demo and the fixtures: they must load and show every feature."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from procedo.model import ProcessDefinition, load_catalog, load_file

BUNDLED = sorted((Path(__file__).resolve().parent.parent / "processes").glob("*.toml"))
MARKUP = set("[]<>{}")


def has_cycle(definition: ProcessDefinition) -> bool:
    """True when some node can be reached again from itself."""
    state: dict[str, str] = {}

    def visit(node: str) -> bool:
        state[node] = "open"
        for following in definition.successors(node):
            if state.get(following) == "open":
                return True
            if following not in state and visit(following):
                return True
        state[node] = "done"
        return False

    return any(node not in state and visit(node) for node in definition.node_ids())


def texts(definition: ProcessDefinition) -> list[str]:
    """Every text an operator sees: titles, questions, labels, items, instructions."""
    out = [definition.title, definition.process.summary, *definition.process.resources]
    out += list(definition.roles.values()) + [t.title for t in definition.triggers]
    for step in definition.steps.values():
        out += [step.title, step.instructions]
        for item in step.items:
            out += [item.text, item.details, item.unit or "", *item.choices]
    for decision in definition.decisions.values():
        out += [decision.question, decision.details, *(o.label for o in decision.options)]
    out += [end.title for end in definition.ends.values()]
    return out


def test_there_are_at_least_six_bundled_processes() -> None:
    assert len(BUNDLED) >= 6


def test_the_whole_folder_loads_without_problems(bundled_dir: Path) -> None:
    catalog = load_catalog([bundled_dir])
    assert [str(p) for p in catalog.problems] == []
    assert sorted(p.id for p in catalog.processes) == sorted(p.stem for p in BUNDLED)


def test_the_issue_example_is_there_unchanged(bundled_dir: Path) -> None:
    definition = load_file(bundled_dir / "incident-response.toml").definition
    assert definition.title == "Customer-facing incident response"
    assert definition.node_ids() == [
        "triage",
        "mitigate",
        "impact",
        "fixed",
        "resolved",
        "closed",
        "escalated",
    ]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
class TestEachProcess:
    def test_loads_with_its_file_name_as_id(self, path: Path) -> None:
        assert load_file(path).id == path.stem

    def test_has_the_descriptive_fields(self, path: Path) -> None:
        info = load_file(path).definition.process
        assert info.title and info.summary and info.owner
        assert info.version != "1", "give the process a real version"
        assert info.target_minutes is not None and info.target_minutes > 0
        assert info.resources

    def test_has_roles_and_a_trigger(self, path: Path) -> None:
        definition = load_file(path).definition
        assert len(definition.roles) >= 2
        assert definition.triggers

    def test_every_step_and_decision_names_a_role(self, path: Path) -> None:
        definition = load_file(path).definition
        assert all(step.role for step in definition.steps.values())
        # The issue's example leaves one decision without a role; others name one everywhere.
        with_role = [d.role for d in definition.decisions.values() if d.role]
        assert with_role

    def test_has_a_decision(self, path: Path) -> None:
        assert load_file(path).definition.decisions

    def test_has_a_critical_item(self, path: Path) -> None:
        steps = load_file(path).definition.steps.values()
        assert any(item.critical for step in steps for item in step.items)

    def test_records_a_value(self, path: Path) -> None:
        steps = load_file(path).definition.steps.values()
        assert any(item.record for step in steps for item in step.items)

    def test_has_a_success_and_a_failure_end(self, path: Path) -> None:
        outcomes = {end.outcome for end in load_file(path).definition.ends.values()}
        assert outcomes == {"success", "failure"}

    def test_every_step_has_a_checklist(self, path: Path) -> None:
        definition = load_file(path).definition
        # a calling step's checklist is the called process's
        assert all(step.items or step.call for step in definition.steps.values())
        total = sum(len(step.items) for step in definition.steps.values())
        if path.stem != "incident-response":  # the issue's short example
            assert 8 <= total <= 32  # onboarding: its parallel branches' follow-up steps

    def test_texts_are_plain(self, path: Path) -> None:
        definition = load_file(path).definition
        ids = definition.value_kinds()
        for text in texts(definition):
            # a placeholder {id} of a recorded value or input is the one brace allowed
            plain = re.sub(r"\{([a-z][a-z0-9_]*)\}", lambda m: "" if m[1] in ids else m[0], text)
            assert not MARKUP & set(plain), text
            assert text == text.strip(), text


def test_the_bundled_processes_record_every_kind_of_value() -> None:
    kinds = {
        item.record
        for path in BUNDLED
        for step in load_file(path).definition.steps.values()
        for item in step.items
    }
    assert kinds == {None, "text", "number", "choice"}


def test_numbers_are_recorded_with_units_and_ranges() -> None:
    numbers = [
        item
        for path in BUNDLED
        for step in load_file(path).definition.steps.values()
        for item in step.items
        if item.record == "number"
    ]
    assert any(i.unit and i.min is not None and i.max is not None for i in numbers)
    assert all(i.min is None or i.max is None or i.min < i.max for i in numbers)


def test_at_least_two_processes_loop() -> None:
    looping = [p.stem for p in BUNDLED if has_cycle(load_file(p).definition)]
    assert len(looping) >= 2, looping


def test_some_trigger_starts_at_a_node_of_its_own() -> None:
    definitions = [load_file(p).definition for p in BUNDLED]
    assert any(d.start_for(t.id) != d.start for d in definitions for t in d.triggers), (
        "show the trigger start feature in at least one process"
    )


def test_the_fields_are_different() -> None:
    owners = {load_file(p).definition.process.owner for p in BUNDLED}
    assert len(owners) == len(BUNDLED)


def test_the_cycle_finder_finds_cycles_and_only_cycles() -> None:
    def flow(back_to: str) -> ProcessDefinition:
        return ProcessDefinition.model_validate(
            {
                "process": {"title": "Flow"},
                "steps": {"a": {"title": "A", "next": "b"}, "b": {"title": "B", "next": "ok"}},
                "decisions": {
                    "ok": {
                        "question": "OK?",
                        "options": [
                            {"label": "Yes", "next": "done"},
                            {"label": "No", "next": back_to},
                        ],
                    }
                },
                "ends": {"done": {"title": "Done", "outcome": "success"}},
            }
        )

    assert not has_cycle(flow(back_to="done"))
    assert has_cycle(flow(back_to="a"))
    assert has_cycle(flow(back_to="ok"))
