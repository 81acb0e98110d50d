"""Time the handbook pages and the Markdown import.

Times ``procedo docs`` for all bundled processes (load the folder, render every page and the
index, write them into a temporary folder) and ``import_markdown`` of a generated checklist of
500 items (ten ``##`` steps of 50 items, with critical items, values to record, nested details
and a role line), each the best of 5.

Run: ``.venv/bin/python bench/docs_import.py`` (or ``make bench``). Aims: under 1 s each.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from procedo.cli import cli
from procedo.importers.markdown import import_markdown
from procedo.model.parse_cache import ENV_CACHE_DIR

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import timed

REPEATS = 5
ITEMS = 500
STEPS = 10
BUNDLED = Path(__file__).resolve().parent.parent / "processes"


def checklist(items: int = ITEMS, steps: int = STEPS) -> str:
    """A Markdown checklist of ``items`` items over ``steps`` steps."""
    out = ["# Generated plant inspection", "", "One line of summary for the benchmark.", ""]
    per_step = items // steps
    for step in range(steps):
        out += [f"## Area {step + 1}: inspect the line", "", "Role: Shift inspector", ""]
        out += ["Walk the line from the inlet to the outlet; use `torch` and *gloves*.", ""]
        for number in range(per_step):
            index = step * per_step + number
            kind = index % 5
            if kind == 0:
                out.append(f"- [ ] ⚠ Check guard {index} is closed **(critical)**")
            elif kind == 1:
                out.append(f"- [ ] Pressure at gauge {index}: ____ bar (record: number, 0–16)")
            elif kind == 2:
                out.append(f"- [ ] Grade of seal {index}: ____ (record: one of A / B / C)")
            elif kind == 3:
                out += [f"- [ ] Clean filter [F-{index}](https://wiki/f{index})", "  - rinse"]
            else:
                out.append(f"- [x] Log reading {index} in the `shift book`")
        out.append("")
    return "\n".join(out)


def main() -> int:
    os.environ[ENV_CACHE_DIR] = "off"  # every definition parsed for real
    text = checklist()
    result = import_markdown(text, process_id="bench", source="bench.md")
    count = sum(len(step.items) for step in result.definition.steps.values())
    if count != ITEMS:
        print(f"the import found {count} items, not {ITEMS}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="procedo-bench-") as tmp:
        runner = CliRunner()
        args = ["--processes", str(BUNDLED), "docs", "--out", tmp]
        first = runner.invoke(cli, args)
        if first.exit_code != 0:
            print(first.output, file=sys.stderr)
            return 1
        pages = len(list(Path(tmp).glob("*.md"))) - 1
        docs = timed(lambda: runner.invoke(cli, args), REPEATS)
    imports = timed(lambda: import_markdown(text, process_id="bench", source="bench.md"), REPEATS)
    print(f"Python {platform.python_version()} on {platform.machine()}, best and median of 5")
    print(
        f"docs: {pages} bundled processes, pages and index: best {min(docs):.3f} s, "
        f"median {statistics.median(docs):.3f} s (aim < 1 s)"
    )
    print(
        f"import: {ITEMS}-item checklist ({len(text) / 1e3:.0f} kB, {STEPS} steps): "
        f"best {min(imports):.3f} s, median {statistics.median(imports):.3f} s (aim < 1 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
