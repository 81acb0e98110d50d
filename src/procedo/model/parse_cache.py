"""A disk cache of validated definitions, keyed by the exact text they were parsed from.

Reading TOML (tomli, compiled) and validating the models are most of the cost of loading a
large catalog. A definition that passed every check is stored as JSON under the SHA-256 of
(procedo's version and the source of the
rules, the default id, the text); the next load of the same text validates that
JSON in pydantic's Rust core instead, skipping TOML and the checks it passed.

Only large files are cached (``CACHE_MIN_CHARS``): measured in bench/README.md "Loading
definitions", a warm load takes about 0.45x the time of a cold one at every size, but below
about 100 KB (250 nodes) that saves under 10 ms a file, not worth an entry in the user's
cache folder (entries are never evicted) for every version of every file.

Only valid definitions are cached, so every problem is still found by the full path. The key
covers the whole text, so an edited file can never be served stale. The cache is a convenience:
any failure to read or write it is ignored and the file is parsed as usual. ``PROCEDO_CACHE_DIR``
chooses the folder; set it to ``off`` to disable the cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from pathlib import Path

import platformdirs
from pydantic import ValidationError

from procedo import __version__
from procedo.model.definition import ProcessDefinition

ENV_CACHE_DIR = "PROCEDO_CACHE_DIR"
CACHE_MIN_CHARS = 100_000
"""Texts shorter than this are always parsed: the cache would save under 10 ms."""


def cache_dir() -> Path | None:
    """The folder of cached definitions, or None when caching is off."""
    configured = os.environ.get(ENV_CACHE_DIR, "")
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    return Path(platformdirs.user_cache_dir("procedo")) / "definitions"


@functools.cache
def _rules_fingerprint() -> str:
    """procedo's version and the source of the modules that decide validity, hashed: a change
    to a rule (even between releases) retires every entry made under the old one."""
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    rules = [*sorted(here.glob("*.py")), here.parent / "safe_text.py"]  # which texts are safe
    for path in rules:
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(text: str, default_id: str) -> str:
    """The cache entry's name for this text (hex SHA-256)."""
    digest = hashlib.sha256()
    for part in (_rules_fingerprint(), default_id, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def cached_definition(text: str, default_id: str) -> ProcessDefinition | None:
    """The definition stored for this exact text, or None."""
    folder = cache_dir() if len(text) >= CACHE_MIN_CHARS else None
    if folder is None:
        return None
    try:
        raw = (folder / f"{cache_key(text, default_id)}.json").read_bytes()
        return ProcessDefinition.model_validate_json(raw)
    except (OSError, ValueError, ValidationError):
        return None


def store_definition(text: str, default_id: str, definition: ProcessDefinition) -> None:
    """Remember a valid definition for this text (best effort, atomic)."""
    folder = cache_dir() if len(text) >= CACHE_MIN_CHARS else None
    if folder is None:
        return
    target = folder / f"{cache_key(text, default_id)}.json"
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with contextlib.suppress(OSError, ValueError):
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(definition.model_dump_json(by_alias=True).encode("utf-8"))
        os.replace(temporary, target)
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)
