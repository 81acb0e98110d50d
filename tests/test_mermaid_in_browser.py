"""The Mermaid maps rendered by Mermaid itself in Chromium: every map parses, and nasty texts
come out of the rendered picture exactly as written in the TOML.

Needs Debian's Chromium and Mermaid's JavaScript (``make browser-test`` installs both, the
latter with npm under ``.cache/``). Skipped, saying why, when either is missing, unless
PROCEDO_BROWSER_TEST=required.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from procedo.model import load_file, parse_definition
from procedo.render.mermaid import render_mermaid

REPO = Path(__file__).resolve().parent.parent
MERMAID_JS = Path(
    os.environ.get(
        "PROCEDO_MERMAID_JS",
        REPO / ".cache" / "mermaid" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js",
    )
)
CHROMIUM = shutil.which("chromium")
REQUIRED = os.environ.get("PROCEDO_BROWSER_TEST") == "required"

NASTY = r"""
[process]
title = "Nasty"
[roles]
end = 'Role "end" [x] <y> #2; graph'
[[triggers]]
id = "o1"
title = "Trigger --> x1 %% comment"
[steps.end]
title = 'Check "A" -> [B] <C> #1; end'
role = "end"
next = "o1"
items = ["Item `code` & <b>bold</b>", { text = "Temp [C]", record = "number", unit = "°C" }]
[decisions.o1]
question = 'Go? {x} (y) |pipe| \ back'
options = [{ label = "Yes --> end", next = "x1" }, { label = "No #35; &amp;", next = "end" }]
[ends.x1]
title = "Done ]] [[ ))"
outcome = "success"
"""

RENDER = """async (text) => {
  try {
    const id = "g" + Math.floor(Math.random() * 1e9);
    const result = await mermaid.render(id, text);
    const holder = document.createElement("div");
    holder.innerHTML = result.svg;
    document.body.appendChild(holder);
    const found = holder.querySelectorAll(".nodeLabel, .edgeLabel, .cluster-label");
    const labels = [...found].map((element) => element.textContent);
    holder.remove();
    return { ok: true, labels };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}"""


@pytest.fixture(scope="module")
def mermaid_page() -> Iterator[Any]:
    missing = []
    if CHROMIUM is None:
        missing.append("Chromium (apt-get install chromium)")
    if not MERMAID_JS.exists():
        missing.append(f"Mermaid's JavaScript at {MERMAID_JS} (make browser-test installs it)")
    if missing:
        message = "needs " + " and ".join(missing)
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        page.set_content("<html><body></body></html>")
        page.add_script_tag(path=str(MERMAID_JS))
        page.evaluate("mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })")
        yield page
        browser.close()


def _render(page: Any, text: str) -> list[str]:
    result = page.evaluate(RENDER, text)
    assert result["ok"], f"Mermaid refused the map: {result.get('error')}\n{text}"
    return list(result["labels"])


@pytest.mark.parametrize("path", sorted((REPO / "processes").glob("*.toml")), ids=lambda p: p.stem)
def test_every_bundled_map_renders(mermaid_page: Any, path: Path) -> None:
    definition = load_file(path).definition
    for detail in (False, True):
        labels = _render(mermaid_page, render_mermaid(definition, detail=detail))
        for step in definition.steps.values():
            assert any(label.startswith(step.title) for label in labels), step.title


def test_nasty_texts_come_out_of_the_picture_exactly(mermaid_page: Any) -> None:
    definition = parse_definition(NASTY, source="nasty.toml", default_id="nasty")
    labels = _render(mermaid_page, render_mermaid(definition, detail=True))
    assert 'Role "end" [x] <y> #2; graph' in labels  # the lane
    assert "Trigger --> x1 %% comment" in labels
    assert "Yes --> end" in labels and "No #35; &amp;" in labels
    assert "Go? {x} (y) |pipe| \\ back" in labels
    step = next(label for label in labels if label.startswith("Check"))
    assert step.startswith('Check "A" -> [B] <C> #1; end')
    assert "Item `code` & <b>bold</b>" in step and "Temp [C]" in step
    assert any(label.startswith("Done ]] [[ ))") for label in labels)
