"""Problems found in process definitions, and the error that carries them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

NODE_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")


def is_valid_id(value: str) -> bool:
    """True when ``value`` is a valid node, trigger or process id."""
    return NODE_ID_PATTERN.fullmatch(value) is not None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix, or an empty string when nothing is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a definition file, phrased so a person can act on it."""

    file: str
    message: str
    key: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (file, line, column, key, message)."""
        return asdict(self)


class DefinitionError(Exception):
    """A definition could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
