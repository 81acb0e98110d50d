"""Where procedo keeps its files: the processes folder and the journal database."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "procedo"
ENV_DB = "PROCEDO_DB"
ENV_PROCESSES = "PROCEDO_PROCESSES"
ENV_CONFIG = "PROCEDO_CONFIG"


def default_processes_dir(cwd: Path | None = None) -> Path:
    """``$PROCEDO_PROCESSES``, else ``./processes`` when it exists, else the user config dir."""
    if os.environ.get(ENV_PROCESSES):
        return Path(os.environ[ENV_PROCESSES])
    local = (cwd / "processes") if cwd else Path("processes")
    if local.is_dir():
        return local
    return Path(platformdirs.user_config_dir(APP_NAME)) / "processes"


def default_db_path() -> Path:
    """``$PROCEDO_DB``, else ``procedo.db`` in the user data dir."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    return Path(platformdirs.user_data_dir(APP_NAME)) / "procedo.db"


def default_settings_path() -> Path:
    """``$PROCEDO_CONFIG``, else ``settings.toml`` in the user config dir."""
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    return Path(platformdirs.user_config_dir(APP_NAME)) / "settings.toml"


@dataclass(frozen=True, slots=True)
class Paths:
    """The folders and files one procedo invocation uses."""

    processes: Path
    db: Path

    @classmethod
    def resolve(cls, processes: Path | str | None = None, db: Path | str | None = None) -> Paths:
        """Explicit values first, then the environment, then the defaults."""
        return cls(
            processes=Path(processes) if processes else default_processes_dir(),
            db=Path(db) if db else default_db_path(),
        )
