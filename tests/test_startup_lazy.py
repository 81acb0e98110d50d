"""The home screen's first frame imports nothing it does not paint (issue 15: cold start).

Each check runs a fresh interpreter, so a module imported eagerly again (the domain, the
journal, click, TextArea, another screen) makes it fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import procedo
from procedo.cli.main_home import parse_home_args

REPO = Path(__file__).resolve().parent.parent
SOURCE = str(Path(procedo.__file__).resolve().parent.parent)
"""The procedo under test, for the child interpreters (which run in a temporary folder)."""

LAZY = (
    "click",
    "procedo.cli.main_group",
    "procedo.cli.common",
    "procedo.engine",
    "procedo.journal",
    "procedo.model",
    "procedo.importers",
    "pydantic",
    "sqlite_utils",
    "sqlite3",
    "textual.widgets._text_area",
    "textual.document",
    "rich._emoji_codes",
)
"""Modules (and their submodules) the first frame must not import."""
FIRST_FRAME_SCREENS = {"base", "home", "home_rows", "problems", "process_detail"}

FIRST_FRAME = """
import json, sys
from pathlib import Path
import procedo.cli.main_home as main_home
import procedo.tui.app as appmod

def css_read(self):
    return sorted(Path(path).name for path, _ in self.stylesheet.source if path.endswith(".tcss"))

def first_frame(self):  # the app opens the workspace just after the home's first frame
    modules = sorted(sys.modules)
    before = css_read(self)
    self._read_later_css()  # what the real _open_workspace does first
    print(json.dumps({"modules": modules, "css": before, "css_after": css_read(self)}))
    self.exit()

appmod.ProcedoApp._open_workspace = first_frame
real_make_app = appmod.make_app
def headless(paths, **kwargs):
    app = real_make_app(paths, **kwargs)
    app.run = lambda: type(app).run(app, headless=True)
    return app
import procedo.tui
procedo.tui.make_app = headless
import gc
gc.freeze = lambda: None
from procedo.cli import main
sys.argv = ["procedo"] + sys.argv[1:]
main()
"""


def child_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child procedo: this source first, no user settings."""
    path = os.pathsep.join(filter(None, [SOURCE, os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "PROCEDO_CONFIG": str(tmp_path / "settings.toml")}


def first_frame(tmp_path: Path, *args: str) -> dict[str, list[str]]:
    """sys.modules and the CSS files read when ``procedo ARGS`` (the real entry point,
    headless) reaches the home's first frame, and the CSS files read just after it."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=child_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def eager(modules: list[str]) -> list[str]:
    """The modules of LAZY (or under them) among ``modules``."""
    return [m for m in modules if any(m == lazy or m.startswith(lazy + ".") for lazy in LAZY)]


def test_the_first_frame_of_home_imports_no_domain_click_nor_other_screens(
    tmp_path: Path,
) -> None:
    seen = first_frame(
        tmp_path, "--processes", str(REPO / "processes"), "--db", str(tmp_path / "j.db")
    )
    modules = seen["modules"]
    assert "procedo.tui.screens.home" in modules  # it did reach the home screen
    assert eager(modules) == []
    screens = {m.split(".")[3] for m in modules if m.startswith("procedo.tui.screens.")}
    assert screens <= FIRST_FRAME_SCREENS
    assert not (tmp_path / "j.db").exists()  # the journal opens only after the first frame
    # Only the home's CSS is parsed for the first frame; every other screen's just after.
    assert seen["css"] == ["app.tcss", "home.tcss"]
    every = {path.name for path in (REPO / "src" / "procedo" / "tui").rglob("*.tcss")}
    assert set(seen["css_after"]) == every


def test_a_command_still_goes_through_click(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "procedo", "--processes", str(REPO / "processes"), "list"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=child_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert "incident-response" in done.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ({}, False)),
        (["--quiet"], ({}, True)),
        (
            ["--processes", "p", "--db=j.db", "--quiet"],
            ({"processes": Path("p"), "db": Path("j.db")}, True),
        ),
        (["--db", "a.db", "--db", "b.db"], ({"db": Path("b.db")}, False)),
    ],
)
def test_a_bare_launch_is_parsed_without_click(
    args: list[str], expected: tuple[dict[str, Path], bool]
) -> None:
    assert parse_home_args(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--db"],
        ["--db="],
        ["--processes", ""],
        ["--db", "j.db", "run", "x"],
        ["--quiet=yes"],
        ["--proc", "p"],
        ["--", "--db", "x"],
    ],
)
def test_anything_else_is_left_to_click(args: list[str]) -> None:
    assert parse_home_args(args) is None
