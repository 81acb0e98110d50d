"""``procedo docs`` and ``procedo import`` through the CLI: files, messages and exit codes."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procedo.cli import cli
from procedo.model import load_file

BUNDLED = Path(__file__).resolve().parent.parent / "processes"
CHECKLIST = "# Morning checks\n\n## Open up\n\n- [ ] Unlock the doors\n- [ ] Lights on\n"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run every command in an empty folder with no procedo variables set."""
    monkeypatch.delenv("PROCEDO_PROCESSES", raising=False)
    monkeypatch.setenv("PROCEDO_DB", str(tmp_path / "journal.db"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_import_writes_a_valid_definition_named_after_the_file(isolated: Path) -> None:
    Path("Morning Checks.md").write_text(CHECKLIST, encoding="utf-8")
    result = run("import", "Morning Checks.md")
    assert result.exit_code == 0, result.output
    assert "Wrote morning-checks.toml: 1 step(s), 2 item(s)" in result.output
    loaded = load_file(isolated / "morning-checks.toml")
    assert loaded.id == "morning-checks"
    assert loaded.definition.title == "Morning checks"
    assert [i.text for i in loaded.definition.steps["open-up"].items] == [
        "Unlock the doors",
        "Lights on",
    ]
    assert run("validate", "morning-checks.toml").exit_code == 0


def test_import_with_id_and_output(isolated: Path) -> None:
    Path("list.md").write_text(CHECKLIST, encoding="utf-8")
    (isolated / "out").mkdir()
    result = run("import", "list.md", "--id", "opening", "-o", "out/shop.toml")
    assert result.exit_code == 0, result.output
    assert load_file(isolated / "out" / "shop.toml").id == "opening"
    assert not Path("opening.toml").exists()


def test_import_never_overwrites(isolated: Path) -> None:
    Path("list.md").write_text(CHECKLIST, encoding="utf-8")
    Path("list.toml").write_text("keep me", encoding="utf-8")
    result = run("import", "list.md")
    assert result.exit_code == 1
    assert "list.toml already exists; not overwriting it" in result.output
    assert Path("list.toml").read_text(encoding="utf-8") == "keep me"
    Path("other.toml").write_text("keep me too", encoding="utf-8")
    result = run("import", "list.md", "-o", "other.toml")
    assert result.exit_code == 1
    assert Path("other.toml").read_text(encoding="utf-8") == "keep me too"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read missing.md"),
        (b"- [ ] caf\xe9\n", "is not UTF-8 text (byte 0xe9 at offset 9)"),
        (b"Just a paragraph.\n", "no checklist found"),
        (b"", "no checklist found"),
        (b"- [ ] x (record: weight)\n", "unknown record kind"),
    ],
)
def test_import_errors_write_nothing(isolated: Path, content: bytes | None, message: str) -> None:
    if content is not None:
        Path("missing.md").write_bytes(content)
    result = run("import", "missing.md")
    assert result.exit_code == 1
    assert message in result.output
    assert sorted(p.name for p in isolated.iterdir()) == (
        ["missing.md"] if content is not None else []
    )


def test_import_of_a_folder_is_an_error(isolated: Path) -> None:
    Path("folder.md").mkdir()
    result = run("import", "folder.md")
    assert result.exit_code != 0
    assert not list(isolated.glob("*.toml"))


def test_import_refuses_an_invalid_id() -> None:
    Path("list.md").write_text(CHECKLIST, encoding="utf-8")
    result = run("import", "list.md", "--id", "Bad Id")
    assert result.exit_code == 2
    assert "not a valid process id" in result.output


def test_docs_writes_a_page_per_process_and_an_index(isolated: Path) -> None:
    result = run("--processes", str(BUNDLED), "docs", "--out", "pages")
    assert result.exit_code == 0, result.output
    ids = sorted(p.stem for p in BUNDLED.glob("*.toml"))
    assert sorted(p.stem for p in Path("pages").glob("*.md")) == sorted([*ids, "README"])
    index = Path("pages/README.md").read_text(encoding="utf-8")
    for process_id in ids:
        assert f"]({process_id}.md)" in index


def test_docs_replaces_its_own_pages_but_not_other_files(isolated: Path) -> None:
    pages = Path("pages")
    assert run("--processes", str(BUNDLED), "docs", "--out", "pages").exit_code == 0
    assert run("--processes", str(BUNDLED), "docs", "--out", "pages").exit_code == 0
    (pages / "README.md").write_text("# Our team's own notes\n", encoding="utf-8")
    result = run("--processes", str(BUNDLED), "docs", "--out", "pages")
    assert result.exit_code == 1
    assert "pages/README.md exists and was not written by procedo docs" in result.stderr
    assert (pages / "README.md").read_text(encoding="utf-8") == "# Our team's own notes\n"
    result = run("--processes", str(BUNDLED), "docs", "--out", "pages", "--force")
    assert result.exit_code == 0, result.output
    assert "procedo docs" in (pages / "README.md").read_text(encoding="utf-8")


def test_written_files_follow_the_umask(isolated: Path) -> None:
    old = os.umask(0o022)
    try:
        assert run("--processes", str(BUNDLED), "docs", "--out", "pages").exit_code == 0
        Path("list.md").write_text(CHECKLIST, encoding="utf-8")
        assert run("import", "list.md").exit_code == 0
    finally:
        os.umask(old)
    for written in (Path("pages/README.md"), Path("list.toml")):
        assert stat.S_IMODE(written.stat().st_mode) == 0o644, written


def test_docs_reports_invalid_files_and_still_writes_the_valid(
    isolated: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "processes"
    shutil.copytree(BUNDLED, folder)
    (folder / "broken.toml").write_text('[process]\ntitle = "Broken"\n', encoding="utf-8")
    result = run("--processes", str(folder), "docs", "--out", "pages")
    assert result.exit_code == 1
    assert "broken.toml" in result.output
    assert Path("pages/incident-response.md").exists()
    assert not Path("pages/broken.md").exists()


def test_docs_into_a_folder_that_cannot_be_made(isolated: Path) -> None:
    Path("taken").write_text("a file", encoding="utf-8")
    result = run("--processes", str(BUNDLED), "docs", "--out", "taken/pages")
    assert result.exit_code == 1
    assert "cannot create taken/pages" in result.output


def test_a_generated_page_imports_back_through_the_cli(isolated: Path) -> None:
    assert run("--processes", str(BUNDLED), "docs", "--out", "pages").exit_code == 0
    result = run("import", "pages/refund-approval.md")
    assert result.exit_code == 0, result.output
    original = load_file(BUNDLED / "refund-approval.toml").definition
    again = load_file(isolated / "refund-approval.toml").definition
    assert again.steps == original.steps
    assert again.decisions == original.decisions
    assert again.ends == original.ends
    assert again.triggers == original.triggers
