"""A signer's PIN or passphrase: the rule it must meet, its scrypt hash, and checking it.

Only the hash is stored, as ``scrypt$n$r$p$salt_b64$hash_b64`` (standard base64): the
parameters travel with it, so that a later procedo with stronger defaults still checks an old
hash. The comparison is constant-time (:func:`hmac.compare_digest`). The text is normalised
(Unicode NFKC) before hashing, so the same passphrase typed on another keyboard matches.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

__all__ = [
    "DEFAULT_PARAMS",
    "MIN_PASSPHRASE",
    "MIN_PIN",
    "TEST_PARAMS",
    "ScryptParams",
    "hash_secret",
    "secret_problem",
    "verify_secret",
]


@dataclass(frozen=True, slots=True)
class ScryptParams:
    """scrypt's cost (``n``, a power of two), block size (``r``) and parallelism (``p``)."""

    n: int
    r: int
    p: int


DEFAULT_PARAMS = ScryptParams(n=2**15, r=8, p=1)
"""About 50-100 ms and 32 MiB per hash: what a new secret is hashed with."""
TEST_PARAMS = ScryptParams(n=2**4, r=1, p=1)
"""Cheap parameters for the tests (they set :data:`PARAMS` to these)."""
PARAMS = DEFAULT_PARAMS
"""The parameters a new hash uses when none are given (tests lower it to TEST_PARAMS)."""

MIN_PIN = 6
"""The fewest characters of a secret made of digits only."""
MIN_PASSPHRASE = 4
"""The fewest characters of any other secret."""
MAX_SECRET = 1024
"""The most characters of a secret (a longer one is refused, not cut)."""

_SALT_BYTES = 16
_KEY_BYTES = 32
_PREFIX = "scrypt"
_MAX_N, _MAX_R, _MAX_P = 2**20, 32, 16
"""Stored parameters above these are refused rather than computed (a tampered row must not
make a check take minutes or gigabytes)."""


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` cannot be a signer's PIN or passphrase (None when it can)."""
    text = _normalised(secret)
    if not text.strip():
        return "the PIN or passphrase must not be empty"
    if len(text) > MAX_SECRET:
        return f"the PIN or passphrase is longer than {MAX_SECRET} characters"
    if text.isdigit() and len(text) < MIN_PIN:
        return f"a PIN of digits only must have at least {MIN_PIN} digits"
    if len(text.strip()) < MIN_PASSPHRASE:
        return f"the PIN or passphrase must have at least {MIN_PASSPHRASE} characters"
    return None


def hash_secret(secret: str, params: ScryptParams | None = None) -> str:
    """The stored form of ``secret``: scrypt with a fresh random salt, parameters included."""
    chosen = params or PARAMS
    salt = os.urandom(_SALT_BYTES)
    key = _scrypt(_normalised(secret), salt, chosen, _KEY_BYTES)
    return "$".join((_PREFIX, str(chosen.n), str(chosen.r), str(chosen.p), _b64(salt), _b64(key)))


def verify_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` is the one ``stored`` was made from (False for a damaged hash)."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    params, salt, key = parsed
    candidate = _scrypt(_normalised(secret), salt, params, len(key))
    return hmac.compare_digest(candidate, key)


def stored_params(stored: str) -> ScryptParams | None:
    """The parameters a stored hash was made with (None when it is not one of ours)."""
    parsed = _parse(stored)
    return parsed[0] if parsed is not None else None


def _parse(stored: str) -> tuple[ScryptParams, bytes, bytes] | None:
    parts = str(stored).split("$")
    if len(parts) != 6 or parts[0] != _PREFIX:
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    if not (1 < n <= _MAX_N and n & (n - 1) == 0 and 0 < r <= _MAX_R and 0 < p <= _MAX_P):
        return None
    if not salt or not 16 <= len(key) <= 64:
        return None
    return ScryptParams(n, r, p), salt, key


def _scrypt(secret: str, salt: bytes, params: ScryptParams, length: int) -> bytes:
    # OpenSSL refuses more than 32 MiB by default, which n=2**15, r=8 just exceeds.
    needed = 128 * params.r * (params.n + params.p + 2)
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=needed + 1024 * 1024,
        dklen=length,
    )


def _normalised(secret: str) -> str:
    return unicodedata.normalize("NFKC", str(secret))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
