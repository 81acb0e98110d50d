"""What a sign-off or an override shows: plain records the run screen fills from the run.

The dialogs (``screens/signoff_dialog.py``, ``screens/override_dialog.py``) draw only these
records, so what a signer sees is exactly what the screen put in them; every text here comes
from a TOML file or an operator and is drawn literally.
"""

from __future__ import annotations

from dataclasses import dataclass

MARK_KINDS = ("done", "na", "value", "deviation", "override", "deferred", "off", "open")
"""How a line's mark is drawn: ticked, not applicable, a value, a deviation, overridden,
deferred, switched off by its condition, still open."""


@dataclass(frozen=True, slots=True)
class SignLine:
    """One item of the node being signed, with its mark."""

    number: int
    """The item's number as on screen (from 1)."""
    text: str
    mark: str
    """What was done: ``done``, ``n/a: reason``, ``= 12 mg``, ``overridden: reason``..."""
    kind: str = "open"
    """One of :data:`MARK_KINDS`."""
    notes: tuple[str, ...] = ()
    """The notes on the item, each ``actor: text``."""
    critical: bool = False


@dataclass(frozen=True, slots=True)
class SigningView:
    """Exactly what one sign-off signs: the node, its items and marks, the role and meaning."""

    kind: str
    """``Step`` or ``Decision``."""
    title: str
    role: str
    """The role's name, as the process names it."""
    meaning: str
    """``approved``, ``reviewed``... or the process's own words."""
    lines: tuple[SignLine, ...] = ()
    notes: tuple[str, ...] = ()
    """The notes on the node, each ``actor: text``."""
    position: str = ""
    """``Sign-off 1 of 2`` (empty when there is one)."""
    given: tuple[str, ...] = ()
    """The signatures this node already holds (``signature_text``), shown above the inputs."""
    distinct: bool = False
    """The signer must have taken no action at this node."""


@dataclass(frozen=True, slots=True)
class OverrideView:
    """What an override passes: the critical item of a step, and who may pass it."""

    step: str
    """The step's title."""
    item: SignLine
    role: str
    """The name of the role whose signature the override needs."""


__all__ = ["MARK_KINDS", "OverrideView", "SignLine", "SigningView"]
