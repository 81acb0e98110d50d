"""A signature as journaled in a ``sign`` or ``override`` event, and who signs.

The event's ``value`` holds :meth:`Signature.to_json`; :func:`signature_text` is the one way
every view shows a signature: "Printed Name (id), approved, 2026-11-26 14:03:12 UTC".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

_KEYS = frozenset({"covers", "meaning", "name", "role", "signer"})


@dataclass(frozen=True, slots=True)
class SignerIdentity:
    """A signer who has proved who they are: id, printed name and the roles they hold."""

    id: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Signature:
    """Who signed, in which role, with which meaning, and the hash of the event it covers."""

    signer: str
    name: str
    role: str
    meaning: str
    covers: str

    def to_json(self) -> str:
        """The event's value: sorted keys, no spaces, not ASCII-escaped."""
        obj = {
            "covers": self.covers,
            "meaning": self.meaning,
            "name": self.name,
            "role": self.role,
            "signer": self.signer,
        }
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> Signature | None:
        """The signature in ``text``, or None when it is not one (not JSON, a key missing or
        extra, a value that is not text)."""
        if not text:
            return None
        try:
            obj = json.loads(text)
        except ValueError:
            return None
        if not isinstance(obj, dict) or set(obj) != _KEYS:
            return None
        if not all(isinstance(value, str) for value in obj.values()):
            return None
        return cls(obj["signer"], obj["name"], obj["role"], obj["meaning"], obj["covers"])


def signature_text(sig: Signature, ts_iso: str) -> str:
    """``"Printed Name (id), approved, 2026-11-26 14:03:12 UTC"`` (``ts_iso``: the event's
    time; shown as given when it cannot be read)."""
    try:
        moment = datetime.fromisoformat(ts_iso.replace("Z", "+00:00"))
    except ValueError:
        when = ts_iso
    else:
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        when = moment.strftime("%Y-%m-%d %H:%M:%S") + " UTC"
    return f"{sig.name} ({sig.signer}), {sig.meaning}, {when}"
