"""BPMN import of hostile, malformed and foreign files, and ``procedo import FILE.bpmn``."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli
from procedo.importers.bpmn import BpmnError, import_bpmn
from procedo.model import load_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bpmn"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_a_billion_laughs_is_refused_fast() -> None:
    started = time.perf_counter()
    with pytest.raises(BpmnError) as caught:
        import_bpmn(fixture("bomb.bpmn"))
    assert time.perf_counter() - started < 2  # a generous bound: expanding it would take GBs
    assert "declares an entity ('lol')" in caught.value.message
    assert "no entity expansion" in caught.value.message
    assert caught.value.line == 3


def test_an_external_entity_is_refused_and_nothing_is_read() -> None:
    with pytest.raises(BpmnError) as caught:
        import_bpmn(fixture("external_entity.bpmn"))
    assert "external entity ('secret', file:///etc/passwd)" in caught.value.message
    assert "root:" not in str(caught.value)


def test_a_malformed_file_says_its_line() -> None:
    with pytest.raises(BpmnError) as caught:
        import_bpmn(fixture("malformed.bpmn"))
    assert caught.value.line == 5
    assert str(caught.value).startswith("line 5: malformed XML: mismatched tag")


def test_a_file_that_is_not_bpmn() -> None:
    with pytest.raises(BpmnError, match=r"line 2: not a BPMN 2.0 file: the root element is <\{"):
        import_bpmn(fixture("not_bpmn.xml"))
    with pytest.raises(BpmnError, match="malformed XML"):
        import_bpmn("# A Markdown checklist\n- [ ] not XML\n")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "no process with tasks or events"),
        (
            '<process id="p"><startEvent id="s"/><parallelGateway id="g"/>'
            '<task id="a" name="A"/><task id="b" name="B"/><endEvent id="e"/><endEvent id="f"/>'
            '<sequenceFlow id="1" sourceRef="s" targetRef="g"/>'
            '<sequenceFlow id="2" sourceRef="g" targetRef="a"/>'
            '<sequenceFlow id="3" sourceRef="g" targetRef="b"/>'
            '<sequenceFlow id="4" sourceRef="a" targetRef="e"/>'
            '<sequenceFlow id="5" sourceRef="b" targetRef="f"/></process>',
            "line 1: the parallel split 'g' has no converging gateway",
        ),
        (
            '<process id="p"><startEvent id="s"/><task id="a" name="A"/>'
            '<sequenceFlow id="1" sourceRef="s" targetRef="nowhere"/></process>',
            "sequence flow '1' joins 's' to 'nowhere'",
        ),
        (
            '<process id="p"><task id="a" name="A"/><task id="a" name="B"/></process>',
            "the id 'a' is used twice",
        ),
    ],
)
def test_processes_procedo_cannot_express_are_refused_clearly(body: str, message: str) -> None:
    text = f'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">{body}</definitions>'
    with pytest.raises(BpmnError, match=message.replace("(", r"\(")):
        import_bpmn(text)


def test_defusedxml_is_imported_only_by_the_import() -> None:
    code = (
        "import sys, procedo.cli, procedo.importers.bpmn, procedo.model; "
        "print('defusedxml' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.strip() == "False", found.stderr


# -- the command ----------------------------------------------------------------------------


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.setenv("PROCEDO_DB", str(tmp_path / "journal.db"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_the_command_writes_each_process_and_reports(work: Path) -> None:
    (work / "orders.bpmn").write_text(fixture("pools.bpmn"), encoding="utf-8")
    result = run("import", "orders.bpmn")
    assert result.exit_code == 0, result.output
    assert "Wrote shop.toml: 3 step(s), 2 item(s)" in result.output
    assert "Wrote warehouse.toml: 2 step(s)" in result.output
    assert "orders.bpmn:8: messageFlow 'mf-order'" in result.output
    assert load_file(work / "warehouse.toml").definition.steps["pick"].title == "Pick the goods"
    again = run("import", "orders.bpmn")
    assert again.exit_code == 1
    assert "shop.toml already exists; not overwriting it" in again.output


def test_the_command_with_process_id_and_output(work: Path) -> None:
    (work / "orders.bpmn").write_text(fixture("pools.bpmn"), encoding="utf-8")
    refused = run("import", "orders.bpmn", "-o", "both.toml")
    assert refused.exit_code == 1
    assert "holds 2 processes (shop, warehouse): choose one with --process" in refused.output
    result = run("import", "orders.bpmn", "--process", "Warehouse", "--id", "stock", "-o", "s.toml")
    assert result.exit_code == 0, result.output
    assert load_file(work / "s.toml").definition.id == "stock"
    assert not (work / "shop.toml").exists()


def test_the_command_reads_xml_content_whatever_the_name(work: Path) -> None:
    (work / "diagram.xml").write_text(fixture("claims.bpmn"), encoding="utf-8")
    result = run("import", "diagram.xml")
    assert result.exit_code == 0, result.output
    assert (work / "insurance-claims.toml").exists()


def test_the_command_refuses_a_bomb_with_file_and_line(work: Path) -> None:
    (work / "bomb.bpmn").write_text(fixture("bomb.bpmn"), encoding="utf-8")
    result = run("import", "bomb.bpmn")
    assert result.exit_code == 1
    assert "procedo: bomb.bpmn:3: the file declares an entity ('lol')" in result.output
    assert list(work.glob("*.toml")) == []


def test_process_is_only_for_bpmn(work: Path) -> None:
    (work / "list.md").write_text("# List\n\n- [ ] One\n", encoding="utf-8")
    result = run("import", "list.md", "--process", "x")
    assert result.exit_code == 2
    assert "--process is only for a BPMN file" in result.output


def test_a_markdown_page_opening_with_a_comment_is_markdown(work: Path) -> None:
    page = "<!-- generated by procedo docs -->\n# Morning\n\n- [ ] Unlock\n"
    (work / "page.txt").write_text(page, encoding="utf-8")
    result = run("import", "page.txt")
    assert result.exit_code == 0, result.output
    assert load_file(work / "page.toml").definition.steps["morning"].items[0].text == "Unlock"
    (work / "noxml.txt").write_text(fixture("claims.bpmn").split("\n", 1)[1], encoding="utf-8")
    assert run("import", "noxml.txt").exit_code == 0  # no declaration: the element tells
    assert (work / "insurance-claims.toml").exists()
