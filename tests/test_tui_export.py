"""Exporting from the app: the file goes to the documents folder unless told otherwise, an
existing file is replaced only when confirmed, and a folder that cannot take the file says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens import export_dialog
from procedo.tui.screens.dialogs import Confirm
from procedo.tui.screens.export_dialog import ExportPrompt
from procedo.tui.screens.run_detail import RunDetailScreen
from tui_support import FakeClock, app_for, make_paths, settle


@pytest.fixture
def finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, str, Path]:
    paths = make_paths(tmp_path)
    loaded = load_file(paths.processes / "incident-response.toml")
    with Journal(paths.db) as journal:
        journal.clock = FakeClock(step=1000)
        run = journal.start_run(loaded, "Alice", "pager")
        run.abort("False alarm")
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(export_dialog, "documents_folder", lambda: documents)
    monkeypatch.chdir(tmp_path)
    return paths, run.run_id, documents


async def open_export(pilot: Pilot[None], run_id: str, fmt: str = "1") -> ExportPrompt:
    app = pilot.app
    app.open_run_detail(run_id)  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, RunDetailScreen)
    await pilot.press("e")
    await pilot.pause()
    await pilot.press(fmt)
    await pilot.pause()
    assert isinstance(app.screen, ExportPrompt)
    return app.screen


async def type_name(pilot: Pilot[None], name: str) -> None:
    pilot.app.screen.query_one(Input).value = name
    await pilot.press("enter")
    await pilot.pause()


def error_of(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#dialog-error").render())


async def test_the_file_is_proposed_in_the_documents_folder_and_its_path_shown(finished) -> None:
    paths, run_id, documents = finished
    app = app_for(paths)
    notes: list[str] = []
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        prompt = await open_export(pilot, run_id, "2")  # json
        proposed = Path(prompt.query_one(Input).value)
        assert proposed.parent == documents
        assert proposed.name.startswith("incident-response-2026-")
        assert proposed.name.endswith(f"-{run_id[:8]}.json")
        app.screen.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign]
        detail = app.screen_stack[-2]
        detail.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RunDetailScreen)
        assert proposed.is_file() and '"format": "procedo-run-export"' in proposed.read_text()
        assert notes == [f"Exported to {proposed.resolve()}"]
        assert not list(Path.cwd().glob("*.json")), "nothing lands in the current folder"


async def test_a_bare_name_goes_to_the_documents_folder(finished) -> None:
    paths, run_id, documents = finished
    async with app_for(paths).run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await open_export(pilot, run_id, "3")  # csv
        await type_name(pilot, "events.csv")
        assert (documents / "events.csv").read_text().startswith("run_id,seq,ts")


async def test_an_existing_file_is_replaced_only_after_yes(finished) -> None:
    paths, run_id, documents = finished
    target = documents / "record.md"
    target.write_text("keep me", encoding="utf-8")
    async with app_for(paths).run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await open_export(pilot, run_id)
        await type_name(pilot, str(target))
        assert isinstance(pilot.app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ExportPrompt), "the dialog stays to change the name"
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RunDetailScreen)
        assert target.read_text(encoding="utf-8").startswith("# Run record: ")


async def test_a_folder_that_cannot_take_the_file_is_named(finished, tmp_path: Path) -> None:
    paths, run_id, documents = finished
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    async with app_for(paths).run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await open_export(pilot, run_id)
        await type_name(pilot, str(tmp_path / "missing" / "r.md"))
        assert f"The folder {tmp_path / 'missing'} does not exist" in error_of(pilot)
        await type_name(pilot, str(tmp_path / "a-file" / "r.md"))
        assert f"{tmp_path / 'a-file'} is not a folder" in error_of(pilot)
        await type_name(pilot, str(documents))
        assert "is a folder; add a file name" in error_of(pilot)
        assert isinstance(pilot.app.screen, ExportPrompt)
        assert list(documents.iterdir()) == []


def test_write_errors_are_explained(finished, monkeypatch: pytest.MonkeyPatch) -> None:
    paths, run_id, documents = finished
    from procedo.journal.run_record import load_run_record

    with Journal(paths.db) as journal:
        record = load_run_record(journal, run_id)

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(ValueError, match=r"Cannot write .*r\.md: Permission denied"):
        export_dialog.write_export(record, "md", documents / "r.md")


def test_without_a_documents_folder_exports_go_home(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(export_dialog.platformdirs, "user_documents_dir", lambda: "/nowhere/x")
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    assert export_dialog.documents_folder() == tmp_path
    monkeypatch.setattr(export_dialog.platformdirs, "user_documents_dir", lambda: str(tmp_path))
    assert export_dialog.documents_folder() == tmp_path


async def test_the_proposed_path_accepted_twice_asks_the_second_time(finished) -> None:
    """e, 1, enter twice: the second export asks, and enter there keeps the file."""
    paths, run_id, documents = finished
    async with app_for(paths).run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await open_export(pilot, run_id)
        await pilot.press("enter")
        await pilot.pause()
        (written,) = documents.glob("*.md")
        written.write_text("keep me", encoding="utf-8")
        await open_export(pilot, run_id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, Confirm)
        await pilot.press("enter")  # the focused button is No
        await pilot.pause()
        assert isinstance(pilot.app.screen, ExportPrompt)
        assert written.read_text(encoding="utf-8") == "keep me"


def submit_twice(prompt: ExportPrompt) -> None:
    """Two enters taken by the field before the dialog handles the first (a quick double press)."""
    field = prompt.query_one(Input)
    for _ in range(2):
        field.post_message(Input.Submitted(field, field.value))


async def test_a_double_enter_writes_once_and_asks_once(finished) -> None:
    paths, run_id, documents = finished
    async with app_for(paths).run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        submit_twice(await open_export(pilot, run_id))
        await pilot.pause()
        (written,) = documents.glob("*.md")
        assert isinstance(pilot.app.screen, RunDetailScreen), "no question about its own file"
        written.write_text("keep me", encoding="utf-8")
        submit_twice(await open_export(pilot, run_id))
        await pilot.pause()
        stack = pilot.app.screen_stack
        assert [type(s) for s in stack[-2:]] == [ExportPrompt, Confirm], "one question"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ExportPrompt)
        assert written.read_text(encoding="utf-8") == "keep me"


async def test_export_writes_a_new_file_and_never_overwrites(journal_paths, tmp_path, monkeypatch):
    paths, ids = journal_paths
    monkeypatch.setattr(export_dialog, "documents_folder", lambda: tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        app.open_run_detail(ids[2])
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("1")  # md
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        (written,) = tmp_path.glob(f"incident-response-*-{ids[2][:8]}.md")
        text = written.read_text(encoding="utf-8")
        record = app.screen.record  # type: ignore[attr-defined]
        assert text.rstrip().endswith(record.last_hash)
        assert r"False alarm \[monitoring\]" in text  # Markdown-escaped
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm), "an existing file is replaced only when confirmed"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, export_dialog.ExportPrompt)
        assert written.read_text(encoding="utf-8") == text
