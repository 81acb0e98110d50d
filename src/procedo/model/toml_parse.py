"""Parse TOML fast with rtoml, giving exactly what tomli (procedo's parser until now) gives.

rtoml (Rust) reads a definition about 3x faster than tomli, compiled (bench/README.md, "Issue
15 (stop 23)"). Both read TOML 1.1, but rtoml is not the same parser, so it is used only where
its result is known to be tomli's; everything else goes to tomli, whose result and error text
are what procedo has always given:

- any rtoml error: tomli parses again (its error message and line, or a value rtoml refuses:
  a float that overflows to inf, a lone surrogate);
- times and datetimes (rtoml's offsets are not ``datetime.timezone``): any ``:`` followed by
  a digit sends the text to tomli;
- a byte order mark at the start, which rtoml skips and tomli refuses (the loader strips it);
- CRLF: tomli reads a multi-line string's CRLF as LF, rtoml keeps it; so rtoml reads the text
  with its CRLFs made LFs, which is the same document.

tests/test_toml_fast_parse.py checks, with hypothesis, that the two give the same documents.
"""

from __future__ import annotations

import re
from typing import Any

import tomli

TOMLDecodeError = tomli.TOMLDecodeError

_MAYBE_A_TIME = re.compile(r":[0-9]")  # every time has HH:MM (a literal first: a fast scan)


def loads(text: str) -> dict[str, Any]:
    """The document in ``text``, as ``tomli.loads`` gives it; raise its errors."""
    if _MAYBE_A_TIME.search(text) is None and not text.startswith("\ufeff"):
        try:
            import rtoml  # where it is used: only reading definitions pays for its import
        except ImportError:  # pragma: no cover - rtoml is a dependency; tomli is the fallback
            return tomli.loads(text)
        try:
            return rtoml.loads(text.replace("\r\n", "\n") if "\r" in text else text)
        except Exception:  # whatever rtoml refuses, tomli says why (or reads it)
            pass
    return tomli.loads(text)
