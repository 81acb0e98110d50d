"""The domain never depends on the UI: importing it must not import Textual.

Checked two ways: by importing each domain package in a fresh interpreter and looking at
``sys.modules``, and by running import-linter's contract from pyproject.toml.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
import tomli_w

import procedo

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(procedo.__file__).resolve().parent
DOMAIN = [
    "procedo.model",
    "procedo.engine",
    "procedo.journal",
    "procedo.render",
    "procedo.importers",
]


def contract() -> dict[str, object]:
    """The import-linter contract that keeps Textual out of the domain."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if "textual" in c.get("forbidden_modules", ()))


def has_modules(name: str) -> bool:
    """True when ``procedo.x`` is a module, or a package folder with at least one module."""
    relative = Path(*name.split(".")[1:])
    folder = PACKAGE_DIR / relative
    return (folder.is_dir() and any(folder.rglob("*.py"))) or folder.with_suffix(".py").is_file()


def domain_modules() -> list[str]:
    names = dict.fromkeys([*DOMAIN, *contract()["source_modules"]])  # type: ignore[misc]
    return [name for name in names if has_modules(name)]


def test_the_model_is_part_of_the_domain_checked_here() -> None:
    assert "procedo.model" in domain_modules()
    assert not has_modules("procedo.no_such_package")


@pytest.mark.parametrize("module", domain_modules())
def test_importing_the_domain_does_not_import_textual(module: str) -> None:
    code = textwrap.dedent(
        f"""
        import importlib, sys
        importlib.import_module({module!r})
        loaded = sorted(
            name for name in sys.modules
            if name == "textual" or name.startswith(("textual.", "procedo.tui", "procedo.cli"))
        )
        print(",".join(loaded))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in: {result.stdout.strip()}"


def lint_imports() -> str:
    beside_python = Path(sys.executable).parent / "lint-imports"
    found = str(beside_python) if beside_python.exists() else shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports (import-linter) is not installed: run `make test`")
    return found


def test_the_import_contract_holds_for_the_packages_that_exist(tmp_path: Path) -> None:
    """The contract from pyproject.toml, limited to the domain packages written so far."""
    rule = dict(contract())
    rule["source_modules"] = [m for m in rule["source_modules"] if has_modules(m)]  # type: ignore[attr-defined]
    config = tmp_path / "importlinter.toml"
    settings = {
        "root_package": "procedo",
        # Needed to forbid an outside package such as textual.
        "include_external_packages": True,
        "contracts": [rule],
    }
    config.write_text(tomli_w.dumps({"tool": {"importlinter": settings}}), encoding="utf-8")
    result = subprocess.run(
        [lint_imports(), str(config), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_lint_imports_passes_as_configured() -> None:
    result = subprocess.run(
        [lint_imports(), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
        check=False,
    )
    output = result.stdout + result.stderr
    missing = [m for m in DOMAIN if f"Module '{m}' does not exist." in output]
    if result.returncode != 0 and missing and not any(has_modules(m) for m in missing):
        pytest.skip(f"the contract names packages with no modules yet: {', '.join(missing)}")
    assert result.returncode == 0, output
