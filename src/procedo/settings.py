"""The operator's preferences (theme, figures on the map), kept in a small TOML file.

Reading never fails: a missing file gives the defaults, a broken or unreadable one gives the
defaults and a notice to show. Writing is atomic (a temporary file renamed over the old one),
so a crash mid-write leaves the previous settings, never half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

MAX_BYTES = 64_000
"""A settings file is a few lines: anything larger is not ours."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What is remembered between starts."""

    theme: str = ""
    """The Textual theme's name ("" for the default)."""
    map_figures: bool = False
    """Show the journal's figures (branch counts, median times) on the map when it opens."""

    def changed(self, **values: object) -> Settings:
        """A copy with some values changed."""
        return replace(self, **values)  # type: ignore[arg-type]


def load_settings(path: Path) -> tuple[Settings, str]:
    """The settings in ``path`` and a notice ("" when all is well); never raises."""
    try:
        if not path.exists():
            return Settings(), ""
        if path.stat().st_size > MAX_BYTES:
            return Settings(), f"The settings file {path} is too large: it was ignored."
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        return Settings(), f"The settings file {path} could not be read ({reason}): it was ignored."
    values: dict[str, object] = {}
    ignored: list[str] = []
    for field in fields(Settings):
        if field.name not in data:
            continue
        value = data[field.name]
        expected = type(getattr(Settings(), field.name))
        if type(value) is expected:
            values[field.name] = value
        else:
            ignored.append(field.name)
    notice = ""
    if ignored:
        notice = (
            f"The settings file {path}: ignored {', '.join(ignored)} (a value of the wrong kind)."
        )
    return Settings(**values), notice  # type: ignore[arg-type]


def settings_text(settings: Settings) -> str:
    """The TOML text of ``settings`` (strings written as JSON strings, which TOML reads)."""
    lines = ["# procedo settings: written by procedo when a preference changes."]
    for field in fields(Settings):
        value = getattr(settings, field.name)
        text = ("true" if value else "false") if isinstance(value, bool) else json.dumps(value)
        lines.append(f"{field.name} = {text}")
    return "\n".join(lines) + "\n"


def save_settings(path: Path, settings: Settings) -> None:
    """Write ``settings`` to ``path`` atomically; OSError if it cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(settings_text(settings))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


__all__ = ["Settings", "load_settings", "save_settings", "settings_text"]
