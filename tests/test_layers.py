"""The layers contract in pyproject.toml: every part of procedo is placed, and it bites.

The layers are drawn in docs/architecture.md; import-linter checks them (``make test``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import procedo

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(procedo.__file__).resolve().parent
ENTRY_POINTS = {"procedo.__main__"}  # `python -m procedo`: only calls the CLI


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]  # type: ignore[no-any-return]


def layers_contract() -> dict[str, object]:
    return next(c for c in contracts() if c["type"] == "layers")


def layered() -> set[str]:
    """Every module named in a layer (``a | b`` names two)."""
    names: set[str] = set()
    for layer in layers_contract()["layers"]:  # type: ignore[attr-defined]
        names.update(part.strip() for part in layer.replace(":", "|").split("|"))
    return names


def leaves() -> set[str]:
    """The modules a contract forbids to import any other part of procedo."""
    found: set[str] = set()
    for contract in contracts():
        forbidden = contract.get("forbidden_modules", [])
        if contract["type"] == "forbidden" and "procedo.model" in forbidden:  # type: ignore[operator]
            found.update(contract["source_modules"])  # type: ignore[arg-type]
    return found


def top_level_parts() -> set[str]:
    """``procedo.x`` for every package and module directly in src/procedo."""
    parts = {f"procedo.{p.name}" for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()}
    parts |= {f"procedo.{p.stem}" for p in PACKAGE_DIR.glob("*.py") if p.stem != "__init__"}
    return parts


def test_every_part_of_procedo_is_a_layer_or_a_leaf() -> None:
    """A new package must be placed in the layers (or declared a leaf), not slip past them."""
    unplaced = top_level_parts() - layered() - leaves() - ENTRY_POINTS
    assert not unplaced, f"not in the layers contract nor a leaf: {sorted(unplaced)}"
    assert {"procedo.workspace", "procedo.journal", "procedo.engine"} <= layered()
    assert {"procedo.safe_text", "procedo.settings", "procedo.config"} <= leaves()


def test_the_store_the_renderers_and_the_importers_are_independent() -> None:
    middle = next(layer for layer in layers_contract()["layers"] if "journal" in layer)  # type: ignore[attr-defined]
    assert ":" not in middle
    assert {p.strip() for p in middle.split("|")} == {
        "procedo.render",
        "procedo.importers",
        "procedo.journal",
    }


def lint_imports() -> str:
    beside_python = Path(sys.executable).parent / "lint-imports"
    found = str(beside_python) if beside_python.exists() else shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports (import-linter) is not installed: run `make test`")
    return found


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("render/export.py", "import procedo.journal.store", "Layers"),
        ("engine/state.py", "import procedo.workspace", "Layers"),
        ("journal/rows.py", "import procedo.importers", "Layers"),
        ("tui/text.py", "import procedo.cli", "Layers"),
        ("safe_text.py", "import procedo.model", "leaves"),
    ],
)
def test_the_contracts_break_on_an_import_against_the_layers(
    tmp_path: Path, module: str, bad_import: str, broken: str
) -> None:
    """The contracts as configured, on a copy of the package with one wrong import added."""
    copy = tmp_path / "procedo"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{bad_import}\n", encoding="utf-8")
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = subprocess.run(
        [lint_imports(), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 broken" in output, output
    assert broken in output.split("Broken contracts")[-1], output
