"""Anchors: the end of every run's chain, kept outside the journal, to catch what a chain alone
cannot show (a tail cut off together with the ``runs`` row, a whole chain rewritten).

An anchor file is UTF-8 text (see docs/schema.md, "Anchors")::

    # procedo journal anchor 1
    # journal /home/ann/.local/share/procedo/procedo.db
    # made 2026-12-01T20:00:00.000Z, 2 runs
    0b6c...-run-id 14 9f2a...64 hex
    5d1e...-run-id 3 41c0...
    sha256 <hex of SHA-256 over every line above, each ended by a newline>

A run's journal *reaches* its anchor line when it holds an event at that seq with that hash
(it may have grown since). The Markdown export of a run, which ends with its last hash, is
read as an anchor for that one run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from procedo.engine import iso_from_ms, now_ms
from procedo.journal.errors import JournalError
from procedo.journal.store import Journal
from procedo.journal.verify import Breach
from procedo.safe_text import visible

HEADER = "# procedo journal anchor 1"
_LINE = re.compile(r"^(\S+) ([1-9][0-9]*) ([0-9a-f]{64})$")
_DIGEST = re.compile(r"^sha256 ([0-9a-f]{64})$")
_EXPORT_RUN = re.compile(r"^Journal of run (\S+): ([0-9]+) events?\b", re.MULTILINE)
_EXPORT_HASH = re.compile(
    r"^Last journal hash \(event ([0-9]+)\): ([0-9a-f]{64})\s*$", re.MULTILINE
)


class AnchorError(JournalError):
    """A file that cannot be read as an anchor."""


@dataclass(frozen=True, slots=True)
class AnchorPoint:
    """Where one run's chain ended when the anchor was made."""

    run_id: str
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """The points of an anchor file; ``altered`` when its digest does not match its lines."""

    points: list[AnchorPoint]
    kind: str  # "anchor" or "export"
    altered: bool = False


def make_anchor(journal: Journal, label: str | None = None) -> str:
    """The anchor text of every run in the journal, read at one moment."""
    with journal.snapshot():
        rows = list(journal.iter_rows("SELECT id, last_seq, last_hash FROM runs ORDER BY id"))
    lines = [
        HEADER,
        f"# journal {visible(label or str(journal.path))}",
        f"# made {iso_from_ms(now_ms())}, {len(rows)} runs",
        *(f"{run_id} {seq} {last_hash}" for run_id, seq, last_hash in rows),
    ]
    return "".join(f"{line}\n" for line in lines) + f"sha256 {_digest(lines)}\n"


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode("utf-8")).hexdigest()


def parse_anchor(text: str) -> Anchor:
    """Read an anchor file or a run's Markdown export; AnchorError when it is neither."""
    lines = text.splitlines()
    if lines and lines[0].strip() == HEADER:
        return _parse_anchor_lines(lines)
    run = _EXPORT_RUN.search(text)
    last = _EXPORT_HASH.search(text)
    if run and last:
        if run.group(2) != last.group(1):
            raise AnchorError("the export's event count and its last hash's event disagree")
        return Anchor([AnchorPoint(run.group(1), int(last.group(1)), last.group(2))], "export")
    raise AnchorError(
        "this file is neither a procedo anchor (made by `procedo anchor`) nor a run's "
        "Markdown export (which ends with 'Last journal hash')"
    )


def _parse_anchor_lines(lines: list[str]) -> Anchor:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    digest = _DIGEST.match(lines[-1]) if lines else None
    if digest is None:
        raise AnchorError("the anchor file is incomplete: its last line is not its sha256 digest")
    body = lines[:-1]
    points: list[AnchorPoint] = []
    for number, line in enumerate(body, start=1):
        if line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise AnchorError(f"line {number} of the anchor file is not 'run_id seq hash'")
        points.append(AnchorPoint(match.group(1), int(match.group(2)), match.group(3)))
    return Anchor(points, "anchor", altered=_digest(body) != digest.group(1))


def check_anchor(journal: Journal, anchor: Anchor) -> list[Breach]:
    """A breach for every anchored run whose journal no longer reaches its anchor point."""
    breaches: list[Breach] = []
    with journal.snapshot():
        for point in anchor.points:
            breach = _check_point(journal, point)
            if breach is not None:
                breaches.append(breach)
    return breaches


def _check_point(journal: Journal, point: AnchorPoint) -> Breach | None:
    rows = journal.rows(
        "SELECT count(*) AS n, max(seq) AS last, "
        "(SELECT hash FROM events WHERE run_id = :id AND seq = :seq) AS hash "
        "FROM events WHERE run_id = :id",
        {"id": point.run_id, "seq": point.seq},
    )
    held, last, found = rows[0]["n"], rows[0]["last"], rows[0]["hash"]
    if not held:
        return Breach(point.run_id, None, "the anchor holds this run, the journal has none of it")
    if found is None and last < point.seq:
        return Breach(
            point.run_id,
            point.seq,
            f"the anchor holds {point.seq} events, the journal only {last}: "
            "the newest events were cut off",
        )
    if found is None:
        return Breach(point.run_id, point.seq, "the anchored event is missing from the journal")
    if found != point.hash:
        return Breach(
            point.run_id,
            point.seq,
            f"the anchor holds hash {point.hash[:16]}... for this event, the journal "
            f"{found[:16]}...: the chain was rewritten",
        )
    return None
