"""CLI output never lets user text forge lines or send escape sequences to the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.cli.terminal_text import shown
from procedo.journal import Journal
from procedo.model import load_file

BUNDLED = Path(__file__).resolve().parent.parent / "processes"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("plain text [b]", "plain text [b]"),
        ("C:\\temp", "C:\\temp"),
        ("two\nlines", "two\\nlines"),
        ("\x1b]0;pwned\x07title", "\\x1b]0;pwned\\x07title"),
        ("bell\x07 and \\", "bell\\x07 and \\\\"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("Zoë 漢字", "Zoë 漢字"),
    ],
)
def test_shown_keeps_text_on_one_line_and_inert(text: str, printed: str) -> None:
    assert shown(text) == printed


def test_show_prints_a_forged_looking_note_on_its_own_line(tmp_path: Path) -> None:
    db = tmp_path / "j.db"
    with Journal(db) as journal:
        run = journal.start_run(load_file(BUNDLED / "incident-response.toml"), "Ann", "pager")
        run.note("fine\n   9  12:00:00.000  Auditor  check  triage#3")  # a note may span lines
        run_id = run.run_id
    result = CliRunner().invoke(cli, ["--db", str(db), "show", run_id])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    lines = result.output.splitlines()
    assert not any("Auditor" in line and "fine" not in line for line in lines)
    assert "fine\\n   9  12:00:00.000  Auditor  check  triage#3" in result.output
