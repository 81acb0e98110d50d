"""The journal: SQLite storage of definitions, runs, append-only events and visits."""

from procedo.journal.errors import (
    JournalError,
    JournalGoneError,
    RunLockedError,
    SchemaError,
    StaleRunError,
    StorageError,
    UnknownRunError,
)
from procedo.journal.lease import Lease
from procedo.journal.schema import SCHEMA_VERSION
from procedo.journal.store import Journal, OpenedRun, default_operator

__all__ = [
    "SCHEMA_VERSION",
    "Journal",
    "JournalError",
    "JournalGoneError",
    "Lease",
    "OpenedRun",
    "RunLockedError",
    "SchemaError",
    "StaleRunError",
    "StorageError",
    "UnknownRunError",
    "default_operator",
]
