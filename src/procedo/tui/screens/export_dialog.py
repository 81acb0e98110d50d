"""Exporting a run from the app: pick a format, confirm or change the file, see where it went.

The file is proposed in the user's documents folder (``platformdirs.user_documents_dir``, or
the home folder when there is none) under a name that says what it holds:
``incident-response-2026-11-25-caf16b32.md``. A name without a folder goes into that folder,
never silently into wherever the app was started. An existing file is overwritten only after
a yes in a confirmation; a folder that is missing or cannot be written is said so in the
dialog, which stays open to fix the name.
"""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs
from textual.screen import Screen
from textual.widgets import Input

from procedo.journal.run_record import RunRecord
from procedo.render.export import to_csv, to_json, to_markdown
from procedo.tui.screens.dialogs import ChoicePrompt, Confirm, TextPrompt

EXPORTERS = {"md": to_markdown, "json": to_json, "csv": to_csv}
FORMAT_NAMES = {
    "md": "Markdown (printable record)",
    "json": "JSON (everything)",
    "csv": "CSV (one row per event)",
}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def documents_folder() -> Path:
    """Where exports go by default: the documents folder, else the home folder."""
    try:
        folder = Path(platformdirs.user_documents_dir())
    except Exception:
        return Path.home()
    return folder if folder.is_dir() else Path.home()


def default_name(record: RunRecord, fmt: str) -> str:
    """``PROCESS-DATE-RUNID.md``: what the file holds, safe as a file name anywhere."""
    process = _UNSAFE_NAME.sub("-", str(record.run["process_id"])).strip("-.") or "run"
    day = _UNSAFE_NAME.sub("-", str(record.run.get("started_at") or "")[:10]).strip("-")
    return "-".join(part for part in (process, day, record.run_id[:8]) if part) + f".{fmt}"


def target_path(name: str, folder: Path) -> Path:
    """The file a typed name means: ``~`` expanded, a bare name inside ``folder``."""
    path = Path(name.strip()).expanduser()
    return path if path.is_absolute() else folder / path


def check_target(target: Path) -> None:
    """Refuse, with a clear reason, a target that cannot be a new or replaced file."""
    if target.is_dir():
        raise ValueError(f"{target} is a folder; add a file name")
    parent = target.parent
    if not parent.exists():
        raise ValueError(f"The folder {parent} does not exist")
    if not parent.is_dir():
        raise ValueError(f"{parent} is not a folder")


def write_export(record: RunRecord, fmt: str, target: Path, *, overwrite: bool = False) -> Path:
    """Write the record to ``target`` (over an existing file only with ``overwrite``)."""
    check_target(target)
    text = EXPORTERS[fmt](record)
    try:
        with target.open("w" if overwrite else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise
    except OSError as error:
        reason = error.strerror or str(error)
        raise ValueError(f"Cannot write {target}: {reason}") from None
    return target


class ExportPrompt(TextPrompt):
    """The file to export to; asks before replacing an existing file."""

    def __init__(self, record: RunRecord, fmt: str, folder: Path) -> None:
        super().__init__(
            f"Export as {FORMAT_NAMES[fmt]}",
            hint=f"A name without a folder is saved in {folder}",
            value=str(folder / default_name(record, fmt)),
        )
        self.record = record
        self.fmt = fmt
        self.folder = folder

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # TextPrompt's own handler would close the dialog
        if self.app.screen is not self:
            # A second enter of a quick double press, taken by the field before the first was
            # handled: the dialog is already asking to replace, or closed after writing the
            # file (it would then ask about its own file, and a yes would pop another screen).
            return
        if not event.value.strip():
            self.show_error("Type a file name first (or press escape to cancel).")
            return
        target = target_path(event.value, self.folder)
        try:
            check_target(target)
            if target.exists():
                self.app.push_screen(
                    Confirm("File exists", f"{target} already exists. Replace it?", "Replace"),
                    lambda yes: self._write(target, overwrite=True) if yes else None,
                )
                return
        except ValueError as error:
            self.show_error(str(error))
            return
        self._write(target, overwrite=False)

    def _write(self, target: Path, *, overwrite: bool) -> None:
        try:
            write_export(self.record, self.fmt, target, overwrite=overwrite)
        except FileExistsError:
            self.show_error(f"{target} appeared meanwhile; press enter again to decide")
            return
        except ValueError as error:
            self.show_error(str(error))
            return
        self.dismiss(str(target.resolve()))


def ask_export(screen: Screen[object], record: RunRecord) -> None:
    """Ask for a format and a file, write the record there and say where it went."""

    def done(path: object) -> None:
        if path is not None:
            screen.notify(f"Exported to {path}", title="Export", markup=False, timeout=12)

    formats = {f"{name}  .{fmt}": fmt for fmt, name in FORMAT_NAMES.items()}

    def chosen(label: object) -> None:
        if label is not None:
            fmt = formats[str(label)]
            screen.app.push_screen(ExportPrompt(record, fmt, documents_folder()), done)

    screen.app.push_screen(ChoicePrompt("Export format", list(formats)), chosen)
