"""One metrics layer: the app and ``procedo stats`` write every figure the same way, and the
stored views, the app's query and ``procedo stats --json`` give the same numbers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures_journal import build_history_journal
from procedo.cli import cli
from procedo.cli.stats_text import metrics_lines
from procedo.journal import Journal
from procedo.journal.metrics import compute_metrics
from procedo.model.figures import Metrics
from procedo.render import metrics_text as t
from procedo.tui.screens.metrics import metrics_content

REPO = Path(__file__).resolve().parent.parent
RUN_FIGURES = [
    "started", "completed", "aborted", "unfinished", "succeeded", "success_rate", "median_ms",
    "p90_ms", "with_target", "within_target", "on_target_share",
]  # fmt: skip


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("metrics-text") / "journal.db"
    build_history_journal(path)
    return path


def cells(m: Metrics) -> list[str]:
    """Every text cell that render.metrics_text makes of ``m``."""
    found = [t.runs(m), *t.success(m), t.durations(m), *t.on_target(m)]
    for figure, cell in [
        (m.steps, t.step),
        (m.decisions, t.option),
        (m.not_applicable, t.not_applicable),
        (m.loops, t.loop),
        (m.numbers, t.recorded),
    ]:
        for one in figure:
            found += [c for c in cell(one) if c]  # type: ignore[operator]
    return found


@pytest.mark.parametrize(("process", "version"), [("mini", None), ("mini", "2"), (None, None)])
def test_the_app_and_stats_write_every_figure_alike(
    db_path: Path, process: str | None, version: str | None
) -> None:
    with Journal(db_path) as journal:
        m = compute_metrics(journal, process, version=version)
    app = metrics_content(m, "Title").plain
    terminal = "\n".join(metrics_lines(m, "Title"))
    for cell in cells(m):
        assert cell in app, cell
        assert cell in terminal, cell
    for heading in (t.RUNS, t.SUCCESS, t.DURATION, t.ON_TARGET, t.STEPS, t.NOT_APPLICABLE):
        assert heading in app and heading in terminal, heading


def test_the_formats_of_a_figure() -> None:
    assert (t.percent(0.8333), t.percent(None)) == ("83 %", "–")
    assert (t.duration_text(725_000), t.duration_text(540_000.0), t.duration_text(None)) == (
        "12 min 05 s",
        "9 min",
        "–",
    )
    assert (t.number(20.5), t.number(18.0)) == ("20.5", "18")


@pytest.mark.parametrize(("process", "version"), [("mini", "*"), ("mini", "1"), ("*", "*")])
def test_the_view_the_app_and_stats_json_agree(db_path: Path, process: str, version: str) -> None:
    args = ["--processes", str(REPO / "processes"), "--db", str(db_path), "stats", "--json"]
    if process != "*":
        args.append(process)
    if version != "*":
        args += ["--version", version]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    with Journal(db_path) as journal:
        m = compute_metrics(
            journal,
            None if process == "*" else process,
            version=None if version == "*" else version,
        ).to_dict()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        "SELECT * FROM process_metrics WHERE process_id = ? AND version = ?", (process, version)
    ).fetchone()
    conn.close()
    view = {k: row[k] for k in RUN_FIGURES}
    assert {k: printed[k] for k in RUN_FIGURES} == {k: m[k] for k in RUN_FIGURES}
    assert view == pytest.approx({k: m[k] for k in RUN_FIGURES})
