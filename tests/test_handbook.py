"""Handbook pages: what a page holds, how it renders, and that docs/processes/ is current."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from procedo.cli import cli
from procedo.engine.values import format_number
from procedo.markdown_text import escape_line, unescape
from procedo.model import ProcessDefinition, load_catalog, load_file, parse_definition
from procedo.render.handbook import (
    GENERATED_MARK,
    node_order,
    render_handbook,
    render_index,
)

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "processes"
COMMITTED = REPO / "docs" / "processes"

TRICKY = """\
[process]
id = "tricky"
title = "Use *stars*, [links](x), `code`, <b>tags</b> | pipes & #hash"
summary = "Line one\\n\\n- not a list\\nRole: not a field"
owner = "R&D"

[roles]
ops = "Ops (EU) *night*"

[steps.a]
title = "# not a heading"
role = "ops"
instructions = "1. not a list\\n> not a quote\\n    not code"
next = "d"
items = [
  "- [ ] not a nested task",
  { text = "⚠ sign in the text (critical)", critical = true },
  { text = "Pressure: ____ ", record = "number", unit = "bar", min = -1.5, max = 400 },
  { text = "Grade", record = "choice", choices = ["A/B", "C (worst)", "→ D"] },
  { text = "Who", role = "ops", details = "- keep\\n\\n  indented" },
]

[decisions.d]
question = "Go -> or => stop → ?"
options = [
  { label = "Yes -> go", next = "done" },
  { label = "No", next = "a" },
]

[ends.done]
title = "Done | finished"
outcome = "success"
"""


def render_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def plain(fragment: str) -> str:
    """Rendered HTML to its visible text."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.fixture(scope="module")
def bundled() -> list[ProcessDefinition]:
    catalog = load_catalog([BUNDLED])
    assert not catalog.problems
    return [p.definition for p in catalog.processes]


def test_a_page_holds_the_process_and_every_checklist(bundled: list[ProcessDefinition]) -> None:
    for definition in bundled:
        page = render_handbook(definition)
        info = definition.process
        assert page.startswith(f"<!-- {GENERATED_MARK} ")
        assert f"\n\n# {escape_line(info.title, start=False)}\n" in page
        assert f"**Version:** {escape_line(info.version, start=False)}" in page
        if info.owner:
            assert f"**Owner:** {escape_line(info.owner, start=False)}" in page
        if info.target_minutes:
            assert f"**Target time:** {format_number(info.target_minutes)} min" in page
        for role in definition.roles.values():
            assert escape_line(role) in page
        for trigger in definition.triggers:
            assert f'<a id="trigger-{trigger.id}"></a>{escape_line(trigger.title)}' in page
        for resource in info.resources:
            assert f"- {escape_line(resource)}\n" in page
        for step_id, step in definition.steps.items():
            section = page.split(f'## <a id="{step_id}"></a>', 1)[1].split("\n## ", 1)[0]
            numbered = re.findall(r"^(\d+)\. \[ \] ", section, flags=re.MULTILINE)
            assert numbered == [str(n) for n in range(1, len(step.items) + 1)]
            assert section.count("**(critical)**") == sum(i.critical for i in step.items)
            assert section.count("*(record: ") == sum(i.record is not None for i in step.items)
            if step.next is not None:
                assert "**Next:** [" in section and f"](#{step.next})" in section
            for target in step.outcomes.values():  # a calling step: where each outcome goes
                assert f"](#{target})" in section and "**Calls:** " in section


def test_the_incident_page_reads_as_work_instructions() -> None:
    page = render_handbook(load_file(BUNDLED / "incident-response.toml").definition)
    assert "3. [ ] ⚠ Check whether the alert is a monitoring fault **(critical)**\n" in page
    assert "5. [ ] Error rate: ____ % *(record: number, 0–100)*\n" in page
    assert "6. [ ] Affected region: ____ *(record: one of eu / us / apac)*\n" in page
    assert "2. [ ] Open an incident channel *(role: Incident commander)*\n" in page
    assert "- No, try again → [Mitigate](#mitigate)\n" in page
    assert "**Outcome:** failure (the process ends here)" in page
    assert "**Start:** [Triage the alert](#triage)" in page
    # steps and decisions in the order a run meets them, ends, then the non-normal procedures
    # by priority
    headings = re.findall(r'^## <a id="([^"]+)"></a>', page, flags=re.MULTILINE)
    assert headings == [
        *("triage", "impact", "mitigate", "fixed", "resolved", "escalated", "closed"),
        *("security-finding", "second-incident"),
    ]
    assert page.count("**Priority:** warning — a non-normal procedure") == 1


def test_the_map_is_a_mermaid_block_when_the_renderer_is_there() -> None:
    definition = load_file(BUNDLED / "incident-response.toml").definition
    page = render_handbook(definition)
    try:
        from procedo.render.mermaid import render_mermaid
    except ImportError:
        assert "```mermaid" not in page
        return
    assert "**Map:**\n\n```mermaid\n" + render_mermaid(definition) + "```\n" in page


def test_every_text_renders_literally() -> None:
    definition = parse_definition(TRICKY)
    rendered = render_html(render_handbook(definition))
    assert plain(re.search(r"<h1>(.*?)</h1>", rendered).group(1)) == definition.title
    headings = [plain(h) for h in re.findall(r"<h2>(.*?)</h2>", rendered)]
    assert headings == ["# not a heading", "Go -> or => stop → ?", "Done | finished"]
    assert "<ul>\n<li>not" not in rendered and "<blockquote>" not in rendered
    assert "<pre>" not in rendered.split("mermaid")[-1]
    text = plain(rendered)
    for expected in (
        "Line one",
        "- not a list",
        "1. not a list",
        "> not a quote",
        "Ops (EU) *night*",
    ):
        assert expected in text
    assert "- [ ] not a nested task" in text
    assert "R&D" in text


def test_node_order_puts_unreached_trigger_starts_after_the_main_flow() -> None:
    definition = load_file(BUNDLED / "refund-approval.toml").definition
    order = node_order(definition)
    assert order[0] == definition.start
    assert set(order) == set(definition.node_ids())
    assert order.index("chargeback-evidence") > order.index("issue-refund")
    assert all(definition.kind_of(n) == "end" for n in order[-len(definition.ends) :])


def test_numbers_are_written_exactly() -> None:
    for value in (45.0, 0.01, -20.0, 1e-7, 2.5, 1e20, 50000.0):
        assert float(format_number(value)) == value
    assert format_number(45.0) == "45"


def test_the_index_links_every_page(bundled: list[ProcessDefinition]) -> None:
    index = render_index((d, f"{d.id}.md") for d in bundled)
    for definition in bundled:
        assert f"]({definition.id}.md) | {escape_line(definition.id)} |" in index
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    titles = [unescape(row[3 : row.index("](")]) for row in rows]
    assert titles == sorted((d.title for d in bundled), key=str.casefold)


def test_committed_pages_are_current(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    result = CliRunner().invoke(cli, ["--processes", str(BUNDLED), "docs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    generated = {p.name: p.read_bytes() for p in sorted(out.glob("*.md"))}
    committed = {p.name: p.read_bytes() for p in sorted(COMMITTED.glob("*.md"))}
    stale = sorted(
        n for n in generated.keys() | committed.keys() if generated.get(n) != committed.get(n)
    )
    assert not stale, (
        f"docs/processes/ is out of date ({', '.join(stale)}): run `make docs` and commit the pages"
    )
