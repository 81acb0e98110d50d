"""Checks of the steps that call another process: in one file, and across the catalog.

In one file (:func:`check_calls_in`): the called id is a valid process id and not the file's
own process, and each ``outcomes`` key is a valid id. Across the catalog
(:func:`catalog_call_problems`): the called process is in the catalog, each ``outcomes`` key
is ``success``, ``failure`` or an end of the called process, every end it can finish at
leads somewhere (an outcome or ``next``), and no process calls itself through others.
A process with such a problem is left out of the catalog like any invalid file, and so, in
turn, is a process that calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from procedo.model.definition import ProcessDefinition
from procedo.model.problems import Problem, did_you_mean, is_valid_id
from procedo.model.toml_index import KeyPath, TomlLineIndex

Finding = tuple[KeyPath, str]

__all__ = [
    "CallCheck",
    "CallFacts",
    "CallSite",
    "call_facts",
    "catalog_call_problems",
    "check_calls_in",
]

OUTCOMES = ("success", "failure")


@dataclass(frozen=True, slots=True)
class CallSite:
    """One calling step: what it calls, the keys of its ``outcomes``, whether it has ``next``."""

    step_id: str
    process_id: str
    outcome_keys: tuple[str, ...]
    has_next: bool


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the catalog check needs of one valid file (small, so a worker can send it back)."""

    process_id: str
    path: Path
    calls: tuple[CallSite, ...]
    ends: tuple[tuple[str, str], ...]  # (end id, outcome), in file order


def call_facts(definition: ProcessDefinition, path: Path) -> CallFacts:
    """The calls and ends of a valid definition."""
    calls = tuple(
        CallSite(step_id, step.call, tuple(step.outcomes), step.next is not None)
        for step_id, step in definition.steps.items()
        if step.call is not None
    )
    ends = tuple((end_id, end.outcome) for end_id, end in definition.ends.items())
    return CallFacts(definition.id, path, calls, ends)


def check_calls_in(definition: ProcessDefinition) -> Iterator[Finding]:
    """The problems of the calling steps that one file shows on its own."""
    for step_id, step in definition.steps.items():
        if step.call is None:
            continue
        key: KeyPath = ("steps", step_id, "call")
        if not is_valid_id(step.call):
            yield (
                key,
                (
                    f"{step.call!r} is not a valid process id: use lower-case letters, digits, "
                    "'-' and '_', starting with a letter or digit"
                ),
            )
        elif definition.id and step.call == definition.id:
            yield (
                key,
                (
                    f"the step calls its own process {step.call!r}: a call cycle, the run would "
                    "call itself without end"
                ),
            )
        for end_id in step.outcomes:
            if end_id not in OUTCOMES and not is_valid_id(end_id):
                yield (
                    ("steps", step_id, "outcomes", end_id),
                    (f"{end_id!r} is neither 'success', 'failure' nor a valid end id"),
                )


@dataclass(frozen=True, slots=True)
class CallCheck:
    """The catalog's call problems, the processes they leave out, and the warnings."""

    problems: list[Problem]
    dropped: set[str]
    warnings: list[Problem]


def catalog_call_problems(
    facts: Iterable[CallFacts],
    text_of: Callable[[Path], str],
    *,
    not_loaded: Iterable[str] = (),
    unknown_is_warning: bool = False,
) -> CallCheck:
    """Every call problem across ``facts`` (the valid files, in load order).

    ``not_loaded`` are ids (or file stems) of files that did not load, named as such when
    called; with ``unknown_is_warning`` (files checked alone, not a whole catalog) a call to
    a process that is not among them is a warning, not a problem.
    """
    facts = list(facts)
    broken = set(not_loaded)
    by_id = {f.process_id: f for f in facts}
    findings: dict[str, list[tuple[KeyPath, str]]] = {}
    warned: dict[str, list[tuple[KeyPath, str]]] = {}
    dropped: set[str] = set()
    cycles = _cycle_edges(facts)
    pending = facts
    first_round = True
    while pending:
        known = {pid: f for pid, f in by_id.items() if pid not in dropped}
        new: list[CallFacts] = []
        for fact in pending:
            context = _Context(known, dropped, broken, cycles, first_round, unknown_is_warning)
            found = list(_site_findings(fact, context, warned))
            if found:
                findings.setdefault(fact.process_id, []).extend(found)
                new.append(fact)
        dropped.update(f.process_id for f in new)
        callers = {f.process_id for f in facts if any(c.process_id in dropped for c in f.calls)}
        pending = [f for f in facts if f.process_id in callers - dropped]
        first_round = False
    problems = _as_problems(facts, findings, text_of)
    return CallCheck(problems, dropped, _as_problems(facts, warned, text_of))


@dataclass(frozen=True, slots=True)
class _Context:
    """What one round of the catalog check knows."""

    known: dict[str, CallFacts]
    dropped: set[str]
    broken: set[str]
    cycles: set[tuple[str, str]]
    first_round: bool
    warn_unknown: bool


def _site_findings(
    fact: CallFacts, context: _Context, warned: dict[str, list[tuple[KeyPath, str]]]
) -> Iterator[Finding]:
    known, dropped, broken, cycles = (
        context.known,
        context.dropped,
        context.broken,
        context.cycles,
    )
    first_round = context.first_round
    for site in fact.calls:
        key: KeyPath = ("steps", site.step_id, "call")
        if site.process_id == fact.process_id:
            continue  # said by the file's own check
        if site.process_id in dropped:
            yield (
                key,
                (
                    f"{site.process_id!r}, the process this step calls, did not load: see its "
                    "problems"
                ),
            )
            continue
        callee = known.get(site.process_id)
        if callee is None:
            if not first_round:
                continue
            if site.process_id in broken:
                yield (
                    key,
                    (
                        f"{site.process_id!r}, the process this step calls, did not load: see "
                        "its problems"
                    ),
                )
            elif context.warn_unknown:
                warned.setdefault(fact.process_id, []).append(
                    (
                        key,
                        f"the call of {site.process_id!r} cannot be checked here: it is not "
                        "among the files validated (validate the processes folder to check "
                        "it)",
                    )
                )
            else:
                yield (
                    key,
                    (
                        f"{site.process_id!r} is not a process of the catalog"
                        f"{did_you_mean(site.process_id, known)}"
                    ),
                )
            continue
        if not first_round:
            continue
        if (fact.process_id, site.process_id) in cycles:
            yield key, f"a call cycle: {cycles_text(fact.process_id, site.process_id, known)}"
            continue
        yield from _outcome_findings(site, callee)


def _outcome_findings(site: CallSite, callee: CallFacts) -> Iterator[Finding]:
    ends = dict(callee.ends)
    for end_id in site.outcome_keys:
        if end_id in OUTCOMES or end_id in ends:
            continue
        names = ", ".join(repr(e) for e in ends)
        yield (
            ("steps", site.step_id, "outcomes", end_id),
            (
                f"{end_id!r} is not an end of {callee.process_id!r} (its ends: {names}; or "
                f"'success', 'failure'){did_you_mean(end_id, ends)}"
            ),
        )
    if site.has_next:
        return
    for end_id, outcome in callee.ends:
        if end_id not in site.outcome_keys and outcome not in site.outcome_keys:
            message = (
                f"{callee.process_id!r} can end at {end_id!r} ({outcome}) and this step names "
                f"no node to go on to then: add {end_id!r} or {outcome!r} to its outcomes, or "
                "a 'next'"
            )
            yield ("steps", site.step_id, "outcomes"), message
            return


def _cycle_edges(facts: list[CallFacts]) -> set[tuple[str, str]]:
    """The calls (caller, callee) that lie on a cycle of two or more processes."""
    calls = {f.process_id: {c.process_id for c in f.calls} for f in facts}
    edges: set[tuple[str, str]] = set()
    for caller, callees in calls.items():
        for callee in callees:
            if callee != caller and callee in calls and caller in _reach(calls, callee):
                edges.add((caller, callee))
    return edges


def _reach(calls: dict[str, set[str]], start: str) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for following in calls.get(stack.pop(), ()):
            if following not in seen:
                seen.add(following)
                stack.append(following)
    return seen


def cycles_text(caller: str, callee: str, known: dict[str, CallFacts]) -> str:
    """``'a' calls 'b' calls 'a'``: the shortest cycle through the call of ``callee``."""
    calls = {pid: [c.process_id for c in f.calls] for pid, f in known.items()}
    previous: dict[str, str | None] = {callee: None}
    queue = [callee]
    while queue and caller not in previous:
        node = queue.pop(0)
        for following in calls.get(node, []):
            if following not in previous:
                previous[following] = node
                queue.append(following)
    path = [caller]
    back = previous.get(caller)
    while back is not None:
        path.append(back)
        back = previous[back]
    chain = [caller, *reversed(path[1:]), caller] if caller in previous else [caller, callee]
    return " calls ".join(repr(p) for p in chain) + ": a run would call itself without end"


def _as_problems(
    facts: list[CallFacts],
    found: dict[str, list[tuple[KeyPath, str]]],
    text_of: Callable[[Path], str],
) -> list[Problem]:
    problems: list[Problem] = []
    for fact in facts:
        lines = found.get(fact.process_id)
        if not lines:
            continue
        index = TomlLineIndex(text_of(fact.path))
        for path, message in lines:
            key = ".".join(str(p) for p in path)
            problems.append(Problem(str(fact.path), message, key, index.line_of(path)))
    return problems
