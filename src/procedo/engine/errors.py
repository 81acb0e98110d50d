"""Errors of the run engine. Each message is meant to be shown to the operator as is."""

from __future__ import annotations


class RunError(Exception):
    """Base class for everything the engine refuses."""


class Refused(RunError):
    """An operation is not allowed in the run's current state; the message says why."""


class SignerRefused(Refused):
    """A signer who proved who they are may not sign here (the role, ``distinct``, the
    run's own operator): a face logs the refused attempt."""


class InvalidValue(Refused):
    """A value to record does not fit the item (type, range or choices)."""


class Unchanged(Refused):
    """The item already holds that value: nothing to record (a screen may treat it as done)."""


class ReplayError(RunError):
    """Stored events do not form a valid run (damaged or foreign journal)."""
