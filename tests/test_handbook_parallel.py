"""Handbook pages of parallel blocks and calling steps, and their way back through the import."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from parallel_defs import CALLING, NESTED, calling, nested
from procedo.cli import cli
from procedo.importers.markdown import import_markdown
from procedo.model import ProcessDefinition
from procedo.render.handbook import PageLink, node_order, render_handbook

TESTER = {"tester-check": PageLink("Prove the <tester> [ok]", "tester-check.md")}


def section(page: str, node_id: str) -> str:
    return page.split(f'## <a id="{node_id}"></a>', 1)[1].split("\n## ", 1)[0]


def imported(page: str, process_id: str) -> ProcessDefinition:
    return import_markdown(page, process_id=process_id, source=f"{process_id}.md").definition


def same_flow(got: ProcessDefinition, want: ProcessDefinition) -> None:
    assert got.steps == want.steps
    assert got.decisions == want.decisions
    assert got.parallel == want.parallel
    assert got.ends == want.ends
    assert got.start == want.start


def test_a_block_s_section_lists_its_branches_and_its_join() -> None:
    page = render_handbook(nested())
    ready = section(page, "ready")
    assert ready.startswith("Get everything ready\n\n**Parallel:** these branches run at the same")
    assert "- [Prepare the laptop](#laptop)\n- [File the contract](#contract)\n" in ready
    assert "**Join:** [First day](#first-day) — they join there: it opens once every" in ready
    assert "a branch that reaches an end instead ends the whole run" in ready
    assert "**Join:** [Everything filed](#filed)" in section(page, "papers")


def test_a_block_s_branches_come_one_after_the_other_then_its_join() -> None:
    order = node_order(nested())
    assert order[:11] == [
        "welcome",
        "ready",
        "laptop",
        "software",
        "works",
        "contract",
        "papers",
        "sign",
        "badge",
        "filed",
        "first-day",
    ]
    headings = re.findall(r'^## <a id="([^"]+)"></a>', render_handbook(nested()), re.M)
    assert headings == node_order(nested())


def test_a_calling_step_links_the_page_of_the_process_it_runs() -> None:
    page = render_handbook(calling(), TESTER)
    prove = section(page, "prove")
    link = "[Prove the \\<tester\\> \\[ok\\]](tester-check.md) *(id: tester-check)*"
    assert f"**Calls:** {link} — once this checklist is done" in prove
    assert prove.index("1. [ ] Fetch the tester") < prove.index("**Calls:**")
    assert "- success → [Do the work](#work)\n" in prove
    assert "- failure → [Stopped](#stop)\n" in prove
    assert "- broken → [Repair the tester](#repair)\n" in prove
    assert "**Next:**" not in prove  # it goes on where its outcomes say
    repair = section(page, "repair")
    assert "**Calls:** [Prove the" in repair and "**Next:** [Do the work](#work)" in repair
    assert "**Outcomes:**" not in repair


def test_a_process_outside_the_handbook_is_named_by_its_id() -> None:
    prove = section(render_handbook(calling()), "prove")
    assert "**Calls:** tester-check *(id: tester-check)* — once" in prove
    assert "](tester-check.md)" not in prove


def test_outcomes_beside_a_next_say_where_any_other_end_goes() -> None:
    plain = calling()
    step = plain.steps["prove"].model_copy(update={"next": "repair"})
    definition = plain.model_copy(update={"steps": {**plain.steps, "prove": step}})
    prove = section(render_handbook(definition), "prove")
    assert "(any other end: Next)" in prove and "**Next:** [Repair the tester](#repair)" in prove
    same_flow(imported(render_handbook(definition), "isolate"), definition)


def test_the_pages_import_back_to_the_same_blocks_and_calls() -> None:
    for definition in (nested(), calling()):
        for pages in (None, TESTER):
            same_flow(imported(render_handbook(definition, pages), definition.id), definition)


def test_hostile_titles_come_back_from_a_block_s_page() -> None:
    tricky = NESTED.replace('title = "Get everything ready"', 'title = "Join: -> [x](#y) *now*"')
    tricky = tricky.replace('title = "Papers and badge"', 'title = "- [ ] Parallel: `a` | b"')
    from procedo.model import parse_definition

    definition = parse_definition(tricky, source="kit.toml")
    page = render_handbook(definition)
    assert "\n## " + '<a id="ready"></a>Join: -\\> \\[x\\](\\#y) \\*now\\*' in page
    same_flow(imported(page, "kit"), definition)


def test_procedo_docs_links_a_call_to_the_called_process_s_page(tmp_path: Path) -> None:
    folder = tmp_path / "processes"
    folder.mkdir()
    (folder / "isolate.toml").write_text(CALLING, encoding="utf-8")
    tester = "[process]\ntitle = 'Tester check'\n[steps.a]\ntitle = 'A'\nnext = 'works'\n"
    tester += "items = ['x']\n[ends.ok]\ntitle = 'OK'\noutcome = 'success'\n"
    tester += "[decisions.works]\nquestion = 'Works?'\noptions = [{ label = 'Yes', next = 'ok' },"
    tester += " { label = 'No', next = 'broken' }]\n"
    tester += "[ends.broken]\ntitle = 'Broken'\noutcome = 'failure'\n"  # an outcome of CALLING
    (folder / "tester-check.toml").write_text(tester, encoding="utf-8")
    out = tmp_path / "pages"
    result = CliRunner().invoke(cli, ["--processes", str(folder), "docs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "isolate.md").read_text(encoding="utf-8")
    assert "**Calls:** [Tester check](tester-check.md) *(id: tester-check)*" in page


def test_control_characters_in_a_block_or_a_call_are_written_visibly() -> None:
    definition = nested()
    blocks = {
        k: b.model_copy(update={"title": b.title + "\x1b[2J", "details": "Both\u202e at once"})
        for k, b in definition.parallel.items()
    }
    definition = definition.model_copy(update={"parallel": blocks})
    page = render_handbook(definition)
    assert "\x1b" not in page and "\u202e" not in page
    assert "Get everything ready\\\\x1b\\[2J" in page
    assert "Both\\\\u202e at once\n\n**Parallel:**" in section(page, "ready")
    pages = {"tester-check": PageLink("Tester\x1b", "tester-check.md")}
    called = render_handbook(calling(), pages)
    assert "\x1b" not in called and "[Tester\\\\x1b](tester-check.md)" in called


def test_blocks_and_calls_survive_a_page_without_its_anchors() -> None:
    page = re.sub(r'<a id="[^"]*"></a>', "", render_handbook(nested()))
    got = imported(page, "kit")
    ready = got.parallel["get-everything-ready"]
    assert ready.branches == ("prepare-the-laptop", "file-the-contract")
    assert ready.join == "first-day"
    assert got.parallel["papers-and-badge"].join == "everything-filed"
    page = re.sub(r'<a id="[^"]*"></a>', "", render_handbook(calling(), TESTER))
    prove = imported(page, "isolate").steps["prove-the-tester"]
    assert prove.call == "tester-check" and prove.next is None
    assert prove.outcomes == {
        "success": "do-the-work",
        "failure": "stopped",
        "broken": "repair-the-tester",
    }
