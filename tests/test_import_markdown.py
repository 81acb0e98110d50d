"""Markdown import: everyday checklists, the conventions, errors, and the handbook round trip."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from procedo.importers.markdown import MarkdownImportError, import_markdown
from procedo.markdown_text import escape_block, escape_line, unescape
from procedo.model import ProcessDefinition, load_catalog, parse_definition
from procedo.model.placeholders import fill
from procedo.render.handbook import render_handbook

BUNDLED = Path(__file__).resolve().parent.parent / "processes"

RELEASE = """\
# Release checklist

<!-- Copy this into the release issue.
     - [ ] this is not an item -->

## Preparation

Make sure CI is green on `main` before you start.

- [ ] Update `CHANGELOG.md` with the [release notes](https://example.com/notes)
- [x] Bump the version in **pyproject.toml**
  - [ ] also in `__init__.py`
  - [ ] and in _the docs_
- [ ] Run `make test` <!-- about five minutes -->

## Release

1. Tag the release: `git tag vX.Y.Z`
2. Push the tag
   and wait for the build
3. Publish on PyPI

```sh
twine upload dist/*
- [ ] not an item either
```

## Announce
* [ ] Post in #releases
* [ ] Close the milestone
"""

ISSUE_TEMPLATE = """\
---
name: Bug triage
about: What to check before a bug is assigned
labels: [bug, triage]
---

<!-- Thanks for reporting! Fill in the list below. -->

- [ ] Reproduced on the latest release
- [ ] Searched for duplicates
- [ ] Added the `needs-info` label if the report is incomplete
"""

ONBOARDING = """\
New starter onboarding
======================

Everything a new starter needs in the first two weeks.

### Week one

* Meet your buddy
* Set up the laptop
    * Install the VPN client
    * Enrol in single sign-on

### Week two

+ Shadow a support call
+ Read the [handbook](https://intranet/handbook)
"""


def imported(text: str, process_id: str = "imported", **kwargs: Any) -> ProcessDefinition:
    result = import_markdown(text, process_id=process_id, source="test.md", **kwargs)
    assert parse_definition(result.toml, default_id=process_id) == result.definition
    return result.definition


def texts(definition: ProcessDefinition, step_id: str) -> list[str]:
    return [item.text for item in definition.steps[step_id].items]


def test_a_github_release_checklist_imports_as_it_is() -> None:
    definition = imported(RELEASE)
    assert definition.title == "Release checklist"
    assert list(definition.steps) == ["preparation", "release", "announce"]
    assert definition.start == "preparation"
    assert [definition.steps[s].next for s in definition.steps] == ["release", "announce", "done"]
    assert definition.ends["done"].title == "Done" and definition.ends["done"].success
    assert texts(definition, "preparation") == [
        "Update `CHANGELOG.md` with the [release notes](https://example.com/notes)",
        "Bump the version in **pyproject.toml**",
        "Run `make test`",
    ]
    bump = definition.steps["preparation"].items[1]
    assert bump.details == "- also in `__init__.py`\n- and in _the docs_"
    assert definition.steps["preparation"].instructions == (
        "Make sure CI is green on `main` before you start."
    )
    release = definition.steps["release"]
    assert texts(definition, "release") == [
        "Tag the release: `git tag vX.Y.Z`",
        "Push the tag and wait for the build",
        "Publish on PyPI",
    ]
    assert release.instructions == "```sh\ntwine upload dist/*\n- [ ] not an item either\n```"
    assert texts(definition, "announce") == ["Post in #releases", "Close the milestone"]
    assert not any("not an item" in i.text for s in definition.steps.values() for i in s.items)


def test_an_issue_template_with_front_matter_and_no_headings_is_one_step() -> None:
    definition = imported(ISSUE_TEMPLATE, "bug-triage")
    assert definition.title == "Bug triage"  # from the front matter, as there is no heading
    assert list(definition.steps) == ["bug-triage"]
    assert texts(definition, "bug-triage") == [
        "Reproduced on the latest release",
        "Searched for duplicates",
        "Added the `needs-info` label if the report is incomplete",
    ]
    assert definition.process.summary == ""


def test_an_onboarding_list_with_setext_title_and_deeper_headings() -> None:
    definition = imported(ONBOARDING)
    assert definition.title == "New starter onboarding"
    assert definition.process.summary == "Everything a new starter needs in the first two weeks."
    assert [s.title for s in definition.steps.values()] == ["Week one", "Week two"]
    week_one = definition.steps["week-one"]
    assert [i.text for i in week_one.items] == ["Meet your buddy", "Set up the laptop"]
    assert week_one.items[1].details == "- Install the VPN client\n- Enrol in single sign-on"
    assert texts(definition, "week-two") == [
        "Shadow a support call",
        "Read the [handbook](https://intranet/handbook)",
    ]


def test_a_plain_list_becomes_one_step_titled_by_the_fallback() -> None:
    definition = imported("- one\n- two\r\n- three\n", fallback_title="Morning checks")
    assert definition.title == "Morning checks"
    (step,) = definition.steps.values()
    assert step.title == "Morning checks"
    assert [i.text for i in step.items] == ["one", "two", "three"]


def test_brackets_links_code_and_emphasis_stay_text() -> None:
    text = "# T\n\n- [ ] Run `rm -rf [x]` *carefully* on [prod](https://x/y) <kbd>ok</kbd>\n"
    definition = imported(text)
    item = next(iter(definition.steps.values())).items[0]
    assert item.text == "Run `rm -rf [x]` *carefully* on [prod](https://x/y) <kbd>ok</kbd>"
    escaped = imported("# T\n\n- [ ] Use \\*literal\\* stars and `\\*code\\*`\n")
    item = next(iter(escaped.steps.values())).items[0]
    assert item.text == "Use *literal* stars and `\\*code\\*`"


def test_the_conventions_for_roles_critical_items_records_and_decisions() -> None:
    text = """\
# Incident

**Roles:**

- On-call engineer
- Incident commander

## Triage

*Role: On-call engineer*

Work from the dashboard.

- [ ] ⚠ Confirm the alert is real
- [ ] Open a channel **(critical)** *(role: Incident commander)*
- [ ] Error rate: ____ %  (record: number, 0–100)
- [ ] First error seen at: ____
- [ ] Region: ____ (record: one of eu / us / apac)
- [ ] Temperature (record: number, ≥ -20, °C)

## Are customers affected?

Role: Incident commander

- Yes → [Mitigate](#mitigate)
- No -> No customer impact

## Mitigate

- [ ] Roll back
"""
    definition = imported(text)
    assert definition.roles == {
        "on-call-engineer": "On-call engineer",
        "incident-commander": "Incident commander",
    }
    triage = definition.steps["triage"]
    assert triage.role == "on-call-engineer" and triage.instructions == "Work from the dashboard."
    confirm, channel, rate, seen, region, temperature = triage.items
    assert confirm.critical and confirm.text == "Confirm the alert is real"
    assert channel.critical and channel.role == "incident-commander"
    assert (rate.text, rate.record, rate.unit, rate.min, rate.max) == (
        "Error rate",
        "number",
        "%",
        0,
        100,
    )
    assert (seen.text, seen.record) == ("First error seen at", "text")
    assert (region.record, region.choices) == ("choice", ("eu", "us", "apac"))
    assert (temperature.unit, temperature.min, temperature.max) == ("°C", -20, None)
    assert triage.next == "are-customers-affected"
    decision = definition.decisions["are-customers-affected"]
    assert decision.role == "incident-commander"
    assert [(o.label, o.next) for o in decision.options] == [
        ("Yes", "mitigate"),
        ("No", "no-customer-impact"),
    ]
    assert definition.ends["no-customer-impact"].title == "No customer impact"
    assert definition.steps["mitigate"].next == "done"


def test_ends_and_next_lines_written_by_hand() -> None:
    text = """\
# Deploy

## Deploy
- [ ] Ship it

**Next:** [Healthy?](#healthy)

## <a id="healthy"></a>Is the service healthy?
- Yes → Deployed
- No → [Roll back](#roll-back)

## Roll back {#roll-back}
- [ ] Revert
Next: Rolled back

## Deployed
**Outcome:** success

## Rolled back
*Outcome: failure*
"""
    definition = imported(text)
    assert definition.steps["deploy"].next == "healthy"
    assert [o.next for o in definition.decisions["healthy"].options] == ["deployed", "roll-back"]
    assert definition.steps["roll-back"].next == "rolled-back"
    assert {k: e.outcome for k, e in definition.ends.items()} == {
        "deployed": "success",
        "rolled-back": "failure",
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "# Only a title\n\nAnd a paragraph.\n",
        "---\nname: x\n---\n<!--\n- [ ] commented out\n-->\n",
        "```\n- [ ] in a code block\n```\n",
        "## Step\n\nNo list here.\n",
    ],
)
def test_no_checklist_is_a_clear_error(text: str) -> None:
    with pytest.raises(MarkdownImportError, match="no checklist found"):
        import_markdown(text, process_id="x", source="x.md")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## Done\n\nOutcome: success\n\n- [ ] x\n", "an end has no checklist"),
        ("- [ ] x\n\n## End\n\nOutcome: maybe\n", "must be 'success' or 'failure'"),
        ("**Target time:** soon\n\n- [ ] x\n", "not a number of minutes"),
        ("- [ ] Weight (record: kilograms)\n", "unknown record kind"),
        ("- [ ] Weight (record: number, 5–1)\n", "would not be valid"),
    ],
)
def test_misused_conventions_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(MarkdownImportError, match=message):
        import_markdown(text, process_id="x", source="x.md")


def test_an_invalid_process_id_is_refused() -> None:
    with pytest.raises(MarkdownImportError, match="not a valid process id"):
        import_markdown("- [ ] x\n", process_id="Not Valid")


def bundled() -> list[ProcessDefinition]:
    catalog = load_catalog([BUNDLED])
    assert not catalog.problems
    return [p.definition for p in catalog.processes]


def same_process(got: ProcessDefinition, want: ProcessDefinition) -> None:
    assert got.steps == want.steps
    assert got.decisions == want.decisions
    assert got.ends == want.ends
    assert got.roles == want.roles
    assert got.triggers == want.triggers
    assert got.start == want.start
    for key in ("id", "title", "version", "summary", "owner", "target_minutes", "resources"):
        assert getattr(got.process, key) == getattr(want.process, key), key


@pytest.mark.parametrize("definition", bundled(), ids=lambda d: d.id)
def test_a_handbook_page_imports_back_to_the_same_process(definition: ProcessDefinition) -> None:
    page = render_handbook(definition)
    same_process(imported(page, definition.id), definition)
    assert sum(len(s.items) for s in definition.steps.values()) > 0


@pytest.mark.parametrize("definition", bundled(), ids=lambda d: d.id)
def test_the_flow_survives_without_the_anchors(definition: ProcessDefinition) -> None:
    """Ids regenerated from titles (anchors removed): the same structure from the start."""
    page = render_handbook(definition)
    page = re.sub(r'<a id="[^"]*"></a>', "", page)
    assert "<a id" not in page
    got = imported(page, definition.id)

    def walk(d: ProcessDefinition) -> list[Any]:
        seen: list[str] = []
        by_rank = sorted(d.interrupts.values(), key=lambda i: i.rank)  # a page's order
        targets = [t for i in by_rank for t in i.targets()]  # where they lead: roots too
        for start in [d.start, *(d.start_for(t.id) for t in d.triggers), *targets]:
            stack = [start]
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.append(node)
                stack.extend(reversed(d.successors(node)))
        order = {n: i for i, n in enumerate(seen)}
        shape = []
        for node in seen:
            found = d.node(node)
            data = found.model_dump(exclude={"next", "options", "role", "branches", "join"})
            data.pop("items", None)
            if d.kind_of(node) == "parallel":  # node ids: compared by their place in the walk
                data["join"] = order[found.join]
            if data.get("outcomes"):
                data["outcomes"] = {k: order[v] for k, v in found.outcomes.items()}
            if data.get("signoff"):  # sign-off roles by name, as the items' roles
                data["signoff"] = [(d.role_name(s.role), s.meaning, s.distinct)
                                   for s in found.signoff]  # fmt: skip
            if d.kind_of(node) == "decision":
                data["labels"] = [o.label for o in found.options]
            if d.kind_of(node) == "step":
                data["items"] = [(i.text, i.critical, i.record, i.unit, i.min, i.max, i.choices,
                                  d.role_name(i.role)) for i in found.items]  # fmt: skip
            shape.append((d.kind_of(node), data, d.role_name(getattr(found, "role", None)),
                          [order[s] for s in d.successors(node)]))  # fmt: skip
        return shape

    assert len(walk(definition)) == len(definition.node_ids())
    assert walk(got) == walk(definition)
    assert [t.title for t in got.triggers] == [t.title for t in definition.triggers]

    def start_titles(d: ProcessDefinition) -> list[str]:
        nodes = [d.node(d.start_for(t.id)) for t in d.triggers]
        return [getattr(n, "title", None) or getattr(n, "question", "") for n in nodes]

    assert start_titles(got) == start_titles(definition)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
# What a handbook page can carry back: no control, format or separator characters, which a
# page shows as visible escapes (``\x1b``) rather than raw (safe_text.visible).
SHOWN = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))
PAGE_TEXT = st.text(alphabet=st.one_of(SHOWN, st.just("\n")), max_size=40)
PAGE_LINE = st.text(alphabet=SHOWN, min_size=1, max_size=40)


def literal(text: str) -> str:
    """``text`` as a process writes it to mean itself: braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


@given(TEXT)
@settings(max_examples=500)
def test_escape_and_unescape_are_a_pair(text: str) -> None:
    line = escape_line(text)
    assert "\n" not in line and "\r" not in line
    assert unescape(line) == text
    assert unescape(escape_line(text, start=False, also="/()")) == text
    block = escape_block(text)
    assert "\n".join(unescape(part) for part in block) == text


@given(title=PAGE_LINE, question=PAGE_LINE, item=PAGE_LINE, details=PAGE_TEXT,
       instructions=PAGE_TEXT, choice=PAGE_LINE, unit=PAGE_LINE, role=PAGE_LINE, label=PAGE_LINE,
       end=PAGE_LINE, summary=PAGE_TEXT, resource=PAGE_LINE)  # fmt: skip
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_comes_back_from_a_handbook_page(
    title: str,
    question: str,
    item: str,
    details: str,
    instructions: str,
    choice: str,
    unit: str,
    role: str,
    label: str,
    end: str,
    summary: str,
    resource: str,
) -> None:
    assume(label.strip().casefold() != "other")
    # a brace in a process's text is a placeholder's; the generated texts are literal text
    title, question, item, details, instructions, label, end, summary, choice = (
        literal(text)
        for text in (title, question, item, details, instructions, label, end, summary, choice)
    )
    data = {
        "process": {"id": "p", "title": title, "summary": summary, "owner": role,
                    "version": item, "resources": [resource]},
        "roles": {"r": role},
        "triggers": [{"id": "t", "title": question, "start": "s"}],
        "steps": {
            "s": {
                "title": title,
                "role": "r",
                "instructions": instructions,
                "next": "d",
                "items": [
                    {"text": item, "details": details, "critical": True, "role": "r"},
                    {"text": item, "record": "number", "unit": unit, "min": -1.5, "max": 2e9},
                    {"text": title, "record": "choice", "choices": [choice, "other"]},
                    {"text": choice, "record": "text"},
                ],
            }
        },
        "decisions": {
            "d": {"question": question, "details": details, "role": "r",
                  "options": [{"label": label, "next": "e"}, {"label": "other", "next": "s"}]}
        },
        "ends": {"e": {"title": end, "outcome": "failure"}},
    }  # fmt: skip
    assume(choice != "other")
    definition = ProcessDefinition.model_validate(data)
    same_process(imported(render_handbook(definition), "p"), definition)


def test_a_brace_in_an_imported_checklist_is_a_literal_brace() -> None:
    """Markdown from elsewhere knows nothing of placeholders: its braces stay braces."""
    page = "# Set {up}\n\n- [ ] Open the {panel\n- [ ] Note the {reading} in }} and {{ \n"
    definition = import_markdown(page, source="t.md", process_id="braces").definition
    texts = [item.text for step in definition.steps.values() for item in step.items]
    assert texts == ["Open the {{panel", "Note the {{reading}} in }} and {{"]
    assert fill(definition.title, {}) == "Set {up}"
    assert [fill(text, {}) for text in texts] == [
        "Open the {panel",
        "Note the {reading} in } and {",
    ]
