"""A signature as a ``sign`` or ``override`` event holds it, and the signer the engine takes.

The event's ``value`` is the signature JSON (keys sorted, compact, not ASCII-escaped):
``{"covers": "<hash>", "meaning": "approved", "name": "Printed Name", "role": "surgeon",
"signer": "<signer id>"}``. :func:`signature_text` is the one way to show a signature.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["Signature", "SignerIdentity", "signature_text"]


@dataclass(frozen=True, slots=True)
class SignerIdentity:
    """An authenticated signer: id, printed name and the roles the signer may sign for."""

    id: str
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Signature:
    """What a signature states: who (id and printed name), in which role, meaning what, and the
    hash of the event it covers."""

    signer: str
    name: str
    role: str
    meaning: str
    covers: str

    def to_json(self) -> str:
        """The signature JSON an event's ``value`` holds."""
        data = {
            "covers": self.covers,
            "meaning": self.meaning,
            "name": self.name,
            "role": self.role,
            "signer": self.signer,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> Signature | None:
        """The signature in ``text``, or None when it is not a signature JSON."""
        if not text:
            return None
        try:
            data = json.loads(text)
        except (ValueError, TypeError):
            return None
        keys = ("signer", "name", "role", "meaning", "covers")
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in keys):
            return None
        return cls(data["signer"], data["name"], data["role"], data["meaning"], data["covers"])


def signature_text(sig: Signature, ts_iso: str) -> str:
    """``Printed Name (id), approved, 2026-11-26 14:03:12 UTC`` (the event's time, UTC)."""
    moment = datetime.fromisoformat(ts_iso.replace("Z", "+00:00")).astimezone(UTC)
    return f"{sig.name} ({sig.signer}), {sig.meaning}, {moment:%Y-%m-%d %H:%M:%S} UTC"
