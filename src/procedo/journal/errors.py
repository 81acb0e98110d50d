"""Errors of the journal. Each message can be shown to a user as is."""

from __future__ import annotations


class JournalError(Exception):
    """Base class for everything the journal reports."""


class SchemaError(JournalError):
    """The database file cannot be used (not SQLite, damaged, foreign, or too new)."""


class StorageError(JournalError):
    """A write failed (disk full, read-only, I/O error, busy); nothing of it was saved."""


class JournalGoneError(StorageError):
    """The path no longer names the file the journal opened (its folder removed, the file moved
    or replaced): a write into the old file is not kept, so it is reported as not saved."""


class UnknownRunError(JournalError):
    """No run has that id (or the prefix matches none or several)."""


class RunLockedError(JournalError):
    """Another procedo session drives this run; it is open read-only here."""


class StaleRunError(JournalError):
    """The run changed in another session since it was opened here; reopen it."""
