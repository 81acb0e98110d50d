"""``procedo validate`` on many files: a pool of processes, the same report as one process."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.model import catalog_check, definition_files, load_catalog
from procedo.model.catalog_check import check_catalog, check_files

VALID = """
[process]
title = "Tiny"

[steps.only]
title = "Only step"
items = ["One thing", { text = "Reading", record = "number", min = 1, max = 2 }]
next = "done"

[ends.done]
title = "Done"
outcome = "success"
"""

BROKEN = {
    "b-syntax.toml": VALID.replace('title = "Tiny"', 'title = "Tiny'),
    "b-shape.toml": VALID.replace("min = 1, max = 2", "min = 3, max = 2").replace(
        'outcome = "success"', 'outcome = "fine"'
    ),
    "b-graph.toml": VALID.replace('next = "done"', 'next = "dnoe"'),
    "b-bytes.toml": "\ufeff",  # replaced by bytes below
    "dup-1.toml": VALID.replace("[process]", '[process]\nid = "same"'),
    "dup-2.toml": VALID.replace("[process]", '[process]\nid = "same"'),
}


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """20 valid files and six with every kind of problem, two of them sharing an id."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(20):
        (folder / f"ok-{number:02d}.toml").write_text(VALID, encoding="utf-8")
    for name, text in BROKEN.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "b-bytes.toml").write_bytes(b'[process]\ntitle = "caf\xe9"\n')
    return folder


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in ``procedo validate``: no other thread (a thread left by another test would
    send the files to the serial path)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


@pytest.mark.usefixtures("alone")
def test_pool_and_serial_give_the_same_report_as_load_catalog(many: Path) -> None:
    paths = [many, many / "missing.toml"]
    serial = check_catalog(paths, workers=1)
    pooled = check_catalog(paths, workers=2, min_files=1)
    catalog = load_catalog(paths)
    assert pooled == serial
    assert serial.problems == catalog.problems
    assert serial.valid_ids == [p.id for p in catalog.processes]
    assert serial.files == len(definition_files(paths)) == 27
    assert serial.files_with_problems == catalog.files_with_problems
    keys = {p.key for p in serial.problems}
    assert {"process.id", "steps.only.next", "ends.done.outcome"} <= keys
    assert any(p.message.startswith("not UTF-8 text") for p in serial.problems)


def _pid_of(_path: Path) -> int:
    return os.getpid()


@pytest.mark.usefixtures("alone")
def test_many_files_are_checked_in_other_processes_few_in_this_one(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_check, "check_file", _pid_of)  # forked workers inherit it
    files = sorted(many.glob("*.toml"))
    pooled = check_files(files, workers=2, min_files=len(files))
    assert len(pooled) == len(files) and os.getpid() not in pooled
    assert check_files(files, workers=2, min_files=len(files) + 1) == [os.getpid()] * len(files)
    assert check_files(files, workers=1, min_files=1) == [os.getpid()] * len(files)


def test_validate_prints_the_pool_report_in_file_order(many: Path) -> None:
    expected = check_catalog([many], workers=1)
    assert expected.files >= catalog_check.POOL_MIN_FILES  # the command takes the pool
    result = CliRunner().invoke(cli, ["validate", str(many)], prog_name="procedo")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        *(str(p) for p in expected.problems),
        f"{len(expected.problems)} problem(s) in 6 of 26 file(s); 20 valid process(es).",
    ]


def test_with_another_thread_running_the_files_are_checked_here(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_check, "check_file", _pid_of)
    files = sorted(many.glob("*.toml"))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert check_files(files, workers=2, min_files=1) == [os.getpid()] * len(files)
    finally:
        release.set()
        other.join()
