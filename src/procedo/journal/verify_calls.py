"""The links between called runs and their parents, checked in a second pass of ``verify``.

Each run's own chain is checked by :mod:`procedo.journal.verify_run`; a link joins two runs,
so it is checked here, in SQL, one run at a time (memory flat in the number of runs):

- a child's ``called_by`` event names a run that exists, and that run's ``call`` event at the
  same step named this child; the child's ``runs.parent_run`` and ``parent_step`` say the same;
- a parent's ``call_end`` says how its child ended as the child's run record has it
  (success, failure or aborted), and names a child that exists and has ended.

Only the runs of processes whose stored definition calls another are read for the second
point, and only the runs with a parent (an index) for the first: a journal without calls
costs two small queries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from procedo.journal.store import Journal
from procedo.journal.verify import VerifyReport, verify_journal
from procedo.journal.verify_run import Breach
from procedo.journal.verify_signatures import signature_breaches, signer_breaches

__all__ = ["call_link_breaches", "verify_with_links"]


def verify_with_links(journal: Journal, run_ids: Iterable[str] | None = None) -> VerifyReport:
    """:func:`~procedo.journal.verify.verify_journal`, then the links of called runs and the
    signatures (:mod:`~procedo.journal.verify_signatures`), all read at one moment (their
    breaches after the others; the signers' own in ``signers``)."""
    wanted = None if run_ids is None else list(run_ids)
    with journal.snapshot():
        report = verify_journal(journal, wanted)
        links = call_link_breaches(journal, wanted)
        signatures = signature_breaches(journal, wanted)
        signers = signer_breaches(journal)
    breaches = sorted([*links, *signatures], key=lambda b: (b.run_id, b.seq or 0))
    return dataclasses.replace(report, breaches=[*report.breaches, *breaches], signers=signers)


def call_link_breaches(journal: Journal, run_ids: Iterable[str] | None = None) -> list[Breach]:
    """Every broken link between a called run and its parent (of the given runs, or all)."""
    wanted = None if run_ids is None else set(run_ids)
    breaches = [b for b in _child_links(journal) if wanted is None or b.run_id in wanted]
    breaches += [b for b in _call_ends(journal) if wanted is None or b.run_id in wanted]
    return sorted(breaches, key=lambda b: (b.run_id, b.seq or 0))


def child_outcome(status: str | None, success: int | None) -> str | None:
    """How a run ended, as a ``call_end`` says it (None: it has not ended)."""
    if status == "completed":
        return "success" if success else "failure"
    return "aborted" if status == "aborted" else None


def _child_links(journal: Journal) -> Iterator[Breach]:
    """The ``called_by`` of every run with a parent checked against the parent's ``call``
    (a ``parent_run`` column that disagrees with the events is a breach of the run record,
    found by the first pass)."""
    sql = """
        SELECT c.id, e.seq, e.node, e.value,
            (SELECT 1 FROM runs p WHERE p.id = e.value),
            (SELECT 1 FROM events k WHERE k.run_id = e.value AND k.kind = 'call'
                AND k.node IS e.node AND k.value = c.id)
        FROM runs c JOIN events e ON e.run_id = c.id AND e.seq = 2 AND e.kind = 'called_by'
        WHERE c.parent_run IS NOT NULL
    """
    for run_id, seq, node, parent, exists, called in journal.iter_rows(sql):
        if not exists:
            yield Breach(run_id, seq, f"called_by names run {parent}, which is not in the "
                         "journal")  # fmt: skip
        elif not called:
            yield Breach(run_id, seq, f"called_by names run {parent} at step {node}, but "
                         "that run's call there named another run")  # fmt: skip


def _call_ends(journal: Journal) -> Iterator[Breach]:
    """Every ``call_end`` of the runs of processes that call, against the child it ended."""
    calling = {
        str(row["process_id"])
        for row in journal.rows("SELECT process_id, hash FROM definitions")
        if _calls(journal, str(row["hash"]))
    }
    sql = """
        SELECT x.run_id, x.seq, x.node, x.reason,
            (SELECT k.value FROM events k WHERE k.run_id = x.run_id AND k.kind = 'call'
                AND k.node IS x.node AND k.seq < x.seq ORDER BY k.seq DESC LIMIT 1) AS child
        FROM runs r JOIN events x ON x.run_id = r.id AND x.kind = 'call_end'
        WHERE r.process_id = ?
    """
    for process_id in sorted(calling):
        for run_id, seq, node, said, child in journal.iter_rows(sql, (process_id,)):
            if child is None:
                yield Breach(run_id, seq, f"call_end at {node} follows no call")
                continue
            rows = journal.rows("SELECT status, success FROM runs WHERE id = ?", (child,))
            if not rows:
                yield Breach(run_id, seq, f"call_end at {node}: its child run {child} is not "
                             "in the journal")  # fmt: skip
                continue
            ended = child_outcome(rows[0]["status"], rows[0]["success"])
            if ended != said:
                how = f"ended {ended}" if ended else f"is {rows[0]['status']}"
                yield Breach(run_id, seq, f"call_end at {node} says its child run {child} "
                             f"ended {said}, but that run {how}")  # fmt: skip


def _calls(journal: Journal, digest: str) -> bool:
    """True when the stored definition has a calling step (a damaged one is the first
    pass's breach: its runs are read here too, to be safe)."""
    try:
        return bool(journal.definition(digest).calls)
    except Exception:  # any damage: check its runs' links anyway
        return True
