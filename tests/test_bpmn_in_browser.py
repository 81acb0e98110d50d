"""The BPMN exports opened by bpmn-js (the library of bpmn.io and Camunda Modeler) in Chromium:
every file imports without a warning, every element is drawn, the texts are read exactly as
written in the TOML, and a file saved again by bpmn-js's modeler still holds the same process.

Needs Debian's Chromium and bpmn-js (``make browser-test`` installs both, bpmn-js with npm
under ``.cache/``). Skipped, saying why, when either is missing, unless
PROCEDO_BROWSER_TEST=required.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bpmn_reader import export_to_toml
from bpmn_support import BUNDLED, HOSTILE, REPO, export, load
from procedo.model import parse_definition
from procedo.render.bpmn import definition_to_bpmn

BPMN_JS = Path(
    os.environ.get(
        "PROCEDO_BPMN_JS",
        REPO
        / ".cache"
        / "bpmn-js"
        / "node_modules"
        / "bpmn-js"
        / "dist"
        / "bpmn-modeler.production.min.js",
    )
)
CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("PROCEDO_BROWSER_TEST") == "required"

OPEN = """async (xml) => {
  const holder = document.getElementById("canvas");
  holder.innerHTML = "";
  const modeler = new BpmnJS({ container: holder });
  try {
    const { warnings } = await modeler.importXML(xml);
    const registry = modeler.get("elementRegistry");
    const elements = registry.getAll().filter((e) => !e.labelTarget).map((e) => {
      const bo = e.businessObject;
      const gfx = registry.getGraphics(e);
      return {
        id: e.id,
        type: bo.$type,
        name: bo.name === undefined ? null : bo.name,
        documentation: (bo.documentation || []).map((d) => d.text),
        condition: bo.conditionExpression ? bo.conditionExpression.body : null,
        drawn: gfx !== undefined && gfx !== null,
      };
    });
    const { xml: saved } = await modeler.saveXML({ format: true });
    modeler.destroy();
    return { ok: true, warnings: warnings.map((w) => w.message), elements, saved };
  } catch (error) {
    const warnings = (error.warnings || []).map((w) => w.message);
    return { ok: false, error: String(error), warnings };
  }
}"""


@pytest.fixture(scope="module")
def bpmn_page() -> Iterator[Any]:
    missing = []
    if CHROMIUM is None:
        missing.append("Chromium (apt-get install chromium)")
    if not BPMN_JS.exists():
        missing.append(f"bpmn-js at {BPMN_JS} (make browser-test installs it)")
    if missing:
        message = "needs " + " and ".join(missing)
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.set_content('<html><body><div id="canvas" style="width:1600px;height:900px"></div>')
        page.add_script_tag(path=str(BPMN_JS))
        yield page
        browser.close()


def _open(page: Any, xml: str) -> dict[str, Any]:
    result = page.evaluate(OPEN, xml)
    assert result["ok"], f"bpmn-js refused the file: {result.get('error')}"
    assert result["warnings"] == []
    return dict(result)


@pytest.mark.parametrize("path", [*BUNDLED, HOSTILE], ids=lambda p: p.stem)
def test_every_export_opens_without_a_warning_and_is_drawn(bpmn_page: Any, path: Path) -> None:
    exported = export(load(path))
    result = _open(bpmn_page, exported.text)
    drawn = {e["id"] for e in result["elements"] if e["drawn"]}
    for element in [*exported.flow_nodes(), *exported.flows()]:
        assert element.get("id") in drawn


def test_texts_are_read_exactly_as_written(bpmn_page: Any) -> None:
    definition = load(HOSTILE)
    result = _open(bpmn_page, definition_to_bpmn(definition))
    by_id = {e["id"]: e for e in result["elements"]}
    first = definition.steps["1st-step"]
    assert by_id["Task_1st-step"]["name"] == first.title
    assert by_id["Task_1st-step"]["documentation"] == [first.instructions]
    decision = definition.decisions["2nd-check"]
    assert by_id["Gateway_2nd-check"]["name"] == decision.question
    assert by_id["Participant"]["name"] == definition.title
    assert by_id["Lane_1"]["name"] == definition.roles["ops"]
    options = [e for e in result["elements"] if e["name"] in {o.label for o in decision.options}]
    assert {e["name"] for e in options} == {o.label for o in decision.options}
    assert any(e["condition"] == decision.options[0].when for e in options)
    assert by_id["End_done"]["name"] == definition.ends["done"].title


@pytest.mark.parametrize("path", [*BUNDLED, HOSTILE], ids=lambda p: p.stem)
def test_a_file_saved_by_the_modeler_keeps_the_process(bpmn_page: Any, path: Path) -> None:
    """What Camunda Modeler would write back after opening and saving the file."""
    original = load(path)
    saved = _open(bpmn_page, definition_to_bpmn(original))["saved"]
    assert parse_definition(export_to_toml(saved), source=f"{path.stem}.toml") == original
