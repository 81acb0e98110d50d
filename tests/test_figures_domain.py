"""The map figures are domain data: the journal computes them, render draws them, and neither
of the two imports the other for them."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "procedo"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_figures_record_is_pure_data() -> None:
    procedo = {name for name in _imports(SRC / "model" / "figures.py") if "procedo" in name}
    assert procedo == set()


def test_no_journal_module_imports_render() -> None:
    offenders = {
        path.name: sorted(n for n in _imports(path) if n.startswith("procedo.render"))
        for path in (SRC / "journal").glob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_render_map_figures_is_folded_away() -> None:
    assert not (SRC / "render" / "map_figures.py").exists()
    from procedo.model.figures import EdgeKey, MapFigures

    figures = MapFigures(2, {"a": 2}, {("a", "b", ""): 2}, {}, ("a", "b"))
    key: EdgeKey = ("a", "b", "")
    assert figures.edge_share(key) == 1.0 and figures.on_commonest_path("a", "b")
