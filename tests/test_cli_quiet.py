"""``--quiet`` (before or after the command name) reaches the app: no bell for reminders."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from tui_support import make_paths


@pytest.mark.parametrize(
    ("before", "after", "quiet"),
    [([], [], False), (["--quiet"], [], True), ([], ["--quiet"], True)],
)
def test_quiet_reaches_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: list[str], after: list[str],
    quiet: bool,
) -> None:  # fmt: skip
    made: list[bool] = []

    class NoApp:
        def run(self) -> None:
            return None

    def make_app(paths: object, **kwargs: object) -> NoApp:
        made.append(bool(kwargs["quiet"]))
        return NoApp()

    monkeypatch.setattr("procedo.tui.make_app", make_app)
    monkeypatch.setattr("gc.freeze", lambda: None)
    paths = make_paths(tmp_path)
    where = ["--processes", str(paths.processes), "--db", str(paths.db)]
    args = [*before, "run", "incident-response", "--operator", "Ann", "--trigger", "pager"]
    result = CliRunner().invoke(cli, [*args, *after, *where])
    assert result.exit_code == 0, result.output
    assert made == [quiet]
