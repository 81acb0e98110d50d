"""The history of runs: filtered, newest first, one page at a time (paged in SQL).

Dates are UTC. ``since`` keeps runs started at or after it; ``until`` keeps runs started up to
it, and a bare date means the whole of that day. Text search looks in the process id and
title, the operators, the trigger and the start of the run id (case-insensitive for ASCII).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from procedo.engine import STATUSES, iso_from_ms
from procedo.journal.store import Journal

OUTCOMES = ("success", "failure")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_when(text: str, *, end: bool = False) -> str:
    """A date or date-time as the journal's UTC text, or ValueError with a clear message.

    A bare date with ``end=True`` gives the start of the next day (an exclusive bound).
    A date-time without a zone is taken as UTC.
    """
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if end and _DATE_ONLY.match(raw):
        moment += timedelta(days=1)
    return iso_from_ms(round(moment.timestamp() * 1000))


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which runs the history shows; ValueError on construction when a field is invalid."""

    process: str | None = None
    status: str | None = None
    outcome: str | None = None
    operator: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    include_practice: bool = True

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be success or failure, not {self.outcome!r}")
        for value in (self.since, self.until):
            if value is not None:
                parse_when(value)

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition on ``runs r`` and its parameters."""
        terms: list[str] = []
        params: list[Any] = []
        if self.process:
            terms.append("r.process_id = ?")
            params.append(self.process)
        if self.status:
            terms.append("r.status = ?")
            params.append(self.status)
        if self.outcome:
            terms.append("r.status = 'completed' AND r.success = ?")
            params.append(1 if self.outcome == "success" else 0)
        if self.operator and self.operator.strip():
            terms.append(
                "EXISTS (SELECT 1 FROM json_each(r.operators) j WHERE j.value = ? COLLATE NOCASE)"
            )
            params.append(" ".join(self.operator.split()))
        if self.since:
            terms.append("r.started_at >= ?")
            params.append(parse_when(self.since))
        if self.until:
            bare = bool(_DATE_ONLY.match(self.until.strip()))
            terms.append("r.started_at < ?" if bare else "r.started_at <= ?")
            params.append(parse_when(self.until, end=True))
        if self.text and self.text.strip():
            pattern = "%" + _like_escape(self.text.strip()) + "%"
            terms.append(
                "(r.id LIKE ? ESCAPE '\\' OR r.process_id LIKE ? ESCAPE '\\' "
                "OR r.operators LIKE ? ESCAPE '\\' OR r.trigger LIKE ? ESCAPE '\\' "
                "OR r.definition_hash IN "
                "(SELECT hash FROM definitions WHERE title LIKE ? ESCAPE '\\'))"
            )
            prefix = _like_escape(self.text.strip().lower()) + "%"
            params.extend([prefix, pattern, pattern, pattern, pattern])
        if not self.include_practice:
            terms.append("r.practice = 0")
        return (" WHERE " + " AND ".join(terms)) if terms else "", params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One run as the history lists it."""

    run_id: str
    process_id: str
    process_title: str
    version: str
    started_at: str
    ended_at: str | None
    operators: list[str]
    status: str
    outcome: str | None
    duration_ms: int | None
    target_ms: int | None
    on_target: bool | None
    practice: bool
    trigger: str | None
    current_node: str | None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data."""
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


_SELECT = """
SELECT r.id, r.process_id,
    COALESCE((SELECT d.title FROM definitions d WHERE d.hash = r.definition_hash), r.process_id),
    r.process_version, r.started_at, r.ended_at, r.operators, r.status,
    CASE WHEN r.status = 'completed' THEN CASE r.success WHEN 1 THEN 'success'
        ELSE 'failure' END END,
    r.duration_ms, r.target_ms,
    CASE WHEN r.status = 'completed' AND r.target_ms IS NOT NULL
        THEN r.duration_ms <= r.target_ms END,
    r.practice, r.trigger, r.current_node
FROM runs r
"""


def history_page(
    journal: Journal, flt: HistoryFilter | None = None, *, limit: int = 100, offset: int = 0
) -> list[HistoryRow]:
    """One page of the runs matching ``flt``, newest first."""
    where, params = (flt or HistoryFilter()).where()
    sql = f"{_SELECT}{where} ORDER BY r.started_at DESC, r.id DESC LIMIT ? OFFSET ?"
    rows = journal.iter_rows(sql, (*params, max(0, int(limit)), max(0, int(offset))))
    return [_row(values) for values in rows]


def history_count(journal: Journal, flt: HistoryFilter | None = None) -> int:
    """How many runs match ``flt``."""
    where, params = (flt or HistoryFilter()).where()
    for (count,) in journal.iter_rows(f"SELECT COUNT(*) FROM runs r{where}", tuple(params)):
        return int(count)
    return 0


def _row(values: tuple[Any, ...]) -> HistoryRow:
    (run_id, process_id, title, version, started, ended, operators, status, outcome) = values[:9]
    duration, target, on_target, practice, trigger, node = values[9:]
    try:
        names = [str(n) for n in json.loads(operators or "[]")]
    except ValueError:
        names = []
    return HistoryRow(
        run_id=run_id,
        process_id=process_id,
        process_title=title,
        version=version,
        started_at=started,
        ended_at=ended,
        operators=names,
        status=status,
        outcome=outcome,
        duration_ms=duration,
        target_ms=target,
        on_target=None if on_target is None else bool(on_target),
        practice=bool(practice),
        trigger=trigger,
        current_node=node,
    )
