"""The process definition: frozen pydantic models of one TOML file.

A *process* is the flow: steps (procedures with an ordered checklist), decisions and ends,
started by triggers and done by roles. These models only check the shape of each value;
references between nodes are checked by :mod:`procedo.model.checks`. A checklist item and
the shared types are in :mod:`procedo.model.items`, a non-normal checklist in
:mod:`procedo.model.interrupts`.
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from pydantic import Field, StrictBool, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

# The interrupt models live in interrupts.py; the names other modules import from here stay.
from procedo.model.interrupts import PRIORITIES as PRIORITIES
from procedo.model.interrupts import RETURN as RETURN
from procedo.model.interrupts import AfterChoice as AfterChoice
from procedo.model.interrupts import AfterOption as AfterOption
from procedo.model.interrupts import Interrupt
from procedo.model.items import (
    Condition,
    Input,
    Item,
    Minutes,
    RecordKind,
    Remind,
    Text,
    Timeout,
    _Frozen,
)
from procedo.model.items import RecordSpec as RecordSpec
from procedo.model.signoff import SignOff

Outcome = Literal["success", "failure"]


class ProcessInfo(_Frozen):
    """The ``[process]`` table: what the process is and who owns it."""

    id: str | None = None
    title: Text
    version: str = "1"
    summary: str = ""
    owner: str = ""
    start: str | None = None
    target_minutes: Minutes | None = None
    resources: tuple[Text, ...] = ()
    remind: Remind | None = None
    """A reminder at each interval of the run's active time."""


class Trigger(_Frozen):
    """An event that starts the process; it may start at a node of its own."""

    id: str
    title: Text
    start: str | None = None


class Step(_Frozen):
    """A procedure: an ordered checklist done by one role, then on to ``next``.

    A step that ``call``s another process runs it as a child run once its own items are done;
    the run goes on at ``outcomes[end id]``, else ``outcomes[outcome]`` ("success" or
    "failure") of the end the child reached, else at ``next``.
    """

    title: Text
    role: str | None = None
    instructions: str = ""
    next: str | None = None
    items: tuple[Item, ...] = ()
    call: str | None = None
    outcomes: dict[str, str] = Field(default_factory=dict)
    target_minutes: Minutes | None = None
    """How long the step should take (active time); the run screen warns past it."""
    remind: Remind | None = None
    """A reminder at each interval of active time at the step."""
    signoff: tuple[SignOff, ...] = ()
    """The signatures the step needs before it completes (each by a signer in its role)."""

    @model_validator(mode="after")
    def _next_fits(self) -> Step:
        if self.call is None:
            if self.outcomes:
                raise PydanticCustomError(
                    "outcomes_unused", "'outcomes' is only used on a step that has 'call'"
                )
            if self.next is None:
                raise PydanticCustomError(
                    "next_missing", "a step needs 'next': the node the run goes on to"
                )
        elif self.next is None and not self.outcomes:
            raise PydanticCustomError(
                "outcomes_missing",
                "a step with 'call' needs 'outcomes' (by end id, or success and failure) or 'next'",
            )
        return self

    def targets(self) -> list[str]:
        """Every node the step may go on to (its ``next``, and its call's outcomes)."""
        found = list(dict.fromkeys(self.outcomes.values()))
        if self.next is not None and self.next not in found:
            found.append(self.next)
        return found

    def after_call(self, end_id: str, outcome: str) -> str | None:
        """Where the run goes on once the called run reached ``end_id`` with ``outcome``."""
        return self.outcomes.get(end_id) or self.outcomes.get(outcome) or self.next


class Option(_Frozen):
    """One answer at a decision and the node it leads to.

    ``when`` makes the option the suggestion when it holds (the first that holds wins);
    ``default`` marks the option suggested when none holds.
    """

    label: Text
    next: str
    when: Condition | None = None
    default: StrictBool = False


class Decision(_Frozen):
    """A decision point: a question with two or more options."""

    question: Text
    role: str | None = None
    details: str = ""
    options: tuple[Option, ...]
    auto: StrictBool = False
    timeout: Timeout | None = None
    """After that long at the decision (active time), an option is suggested."""
    signoff: tuple[SignOff, ...] = ()
    """The signatures the decision needs before an option is chosen."""

    @model_validator(mode="after")
    def _auto_unsigned(self) -> Decision:
        if self.auto and self.signoff:
            raise PydanticCustomError(
                "auto_signoff",
                "a decision with 'signoff' cannot be 'auto': the process cannot choose before "
                "the signatures are given (remove 'auto' or 'signoff')",
            )
        return self

    @field_validator("timeout")
    @classmethod
    def _timeout_fits(cls, timeout: Timeout | None, info: ValidationInfo) -> Timeout | None:
        options: tuple[Option, ...] = info.data.get("options") or ()
        if timeout is None or not options:
            return timeout  # no options: that problem is reported on its own
        labels = [o.label for o in options]
        if timeout.suggest not in labels:
            raise PydanticCustomError(
                "timeout_unknown_option",
                "timeout suggests {suggest}, which is not an option of this decision "
                "(options: {known})",  # labels may hold braces: filled in, not formatted
                {"suggest": repr(timeout.suggest), "known": ", ".join(map(repr, labels))},
            )
        if any(o.default for o in options):
            raise PydanticCustomError(
                "timeout_unused",
                "'timeout' never applies here: an option is the default, and a condition's "
                "suggestion (or the default) always wins over the timeout",
            )
        return timeout

    @property
    def has_conditions(self) -> bool:
        """True when an option has a ``when`` or is the default: the decision suggests."""
        return any(o.when is not None or o.default for o in self.options)


class Parallel(_Frozen):
    """A split into branches that run at the same time, joined again at ``join``.

    Each branch starts at its node and runs until it moves to ``join``; the join opens once
    every branch has arrived. A branch that reaches an end ends the whole run.
    """

    title: Text
    branches: Annotated[tuple[str, ...], Field(min_length=2)]
    join: str
    details: str = ""


class End(_Frozen):
    """An end of the process with its outcome."""

    title: Text
    outcome: Outcome

    @property
    def success(self) -> bool:
        """True for a successful outcome."""
        return self.outcome == "success"


Node = Step | Decision | Parallel | End
NodeKind = Literal["step", "decision", "parallel", "end"]


class ProcessDefinition(_Frozen):
    """A whole process file, as validated models."""

    process: ProcessInfo
    roles: dict[str, Text] = Field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()
    inputs: dict[str, Input] = Field(default_factory=dict)
    steps: dict[str, Step] = Field(default_factory=dict)
    decisions: dict[str, Decision] = Field(default_factory=dict)
    parallel: dict[str, Parallel] = Field(default_factory=dict)
    ends: dict[str, End] = Field(default_factory=dict)
    interrupts: dict[str, Interrupt] = Field(default_factory=dict)

    @functools.cached_property
    def checklists(self) -> dict[str, Step]:
        """Every checklist a run works on, by id: the steps, then the interrupts as steps."""
        if not self.interrupts:
            return self.steps
        found = dict(self.steps)
        for key, interrupt in self.interrupts.items():
            found.setdefault(key, interrupt.as_step())
        return found

    def interrupts_at(self, node: str) -> list[str]:
        """The interrupts that may interrupt ``node``, highest priority first."""
        found = [k for k, i in self.interrupts.items() if not i.during or node in i.during]
        return sorted(found, key=lambda k: self.interrupts[k].rank)

    def value_kinds(self) -> dict[str, RecordKind]:
        """The kind of every named value: start inputs, then record items with an ``id``."""
        return self.kinds_of_values

    @functools.cached_property
    def ids_read_by_conditions(self) -> frozenset[str]:
        """Every id an ``expect`` or ``when`` reads (read off the tokens: no CEL needed)."""
        from procedo.model.cel_tokens import identifiers

        sources = [
            source
            for step in self.checklists.values()
            for item in step.items
            for source in (item.expect, item.when)
            if source is not None
        ]
        sources += [o.when for d in self.decisions.values() for o in d.options if o.when]
        return frozenset(name for source in sources for name in identifiers(source))

    @functools.cached_property
    def kinds_of_values(self) -> dict[str, RecordKind]:
        """:meth:`value_kinds`, computed once (a cached property: model equality ignores it, so
        a definition that was asked equals one freshly parsed from the same text)."""
        kinds: dict[str, RecordKind] = {key: spec.record for key, spec in self.inputs.items()}
        for step in self.checklists.values():
            for item in step.items:
                if item.id is not None and item.record is not None:
                    kinds.setdefault(item.id, item.record)
        return kinds

    def value_spec(self, value_id: str) -> Input | Item | None:
        """The input or record item that names ``value_id`` (the first, for a repeated id)."""
        if value_id in self.inputs:
            return self.inputs[value_id]
        for step in self.checklists.values():
            for item in step.items:
                if item.id == value_id:
                    return item
        return None

    @property
    def has_conditions(self) -> bool:
        """True when any item or option has a condition (conditions need the CEL package)."""
        return any(
            item.expect is not None or item.when is not None
            for step in self.checklists.values()
            for item in step.items
        ) or any(d.has_conditions for d in self.decisions.values())

    @property
    def id(self) -> str:
        """The process id (the loader fills it from the file name when absent)."""
        return self.process.id or ""

    @property
    def title(self) -> str:
        """The process title."""
        return self.process.title

    @property
    def version(self) -> str:
        """The process version string."""
        return self.process.version

    @property
    def start(self) -> str:
        """The node a run starts at without a trigger of its own."""
        if self.process.start:
            return self.process.start
        return next(iter(self.steps), None) or next(iter(self.decisions), "")

    def start_for(self, trigger_id: str | None) -> str:
        """The start node for a trigger (or the process start for None)."""
        for trigger in self.triggers:
            if trigger.id == trigger_id and trigger.start:
                return trigger.start
        return self.start

    def trigger(self, trigger_id: str) -> Trigger | None:
        """The trigger with that id, if any."""
        return next((t for t in self.triggers if t.id == trigger_id), None)

    def node(self, node_id: str) -> Node:
        """The step, decision, parallel block or end with that id (KeyError when absent)."""
        for table in (self.steps, self.decisions, self.parallel, self.ends):
            if node_id in table:
                return table[node_id]
        raise KeyError(node_id)

    def kind_of(self, node_id: str) -> NodeKind:
        """Whether ``node_id`` is a step, a decision, a parallel block or an end."""
        if node_id in self.steps:
            return "step"
        if node_id in self.decisions:
            return "decision"
        if node_id in self.parallel:
            return "parallel"
        if node_id in self.ends:
            return "end"
        raise KeyError(node_id)

    def node_ids(self) -> list[str]:
        """Every node id: steps, then decisions, then parallel blocks, then ends."""
        return [*self.steps, *self.decisions, *self.parallel, *self.ends]

    def successors(self, node_id: str) -> list[str]:
        """The nodes reachable in one move from ``node_id``."""
        kind = self.kind_of(node_id)
        if kind == "step":
            return self.steps[node_id].targets()
        if kind == "decision":
            return [option.next for option in self.decisions[node_id].options]
        if kind == "parallel":
            return list(self.parallel[node_id].branches)
        return []

    @functools.cached_property
    def joins(self) -> dict[str, str]:
        """The parallel block each join node closes, by join node id."""
        return {block.join: block_id for block_id, block in self.parallel.items()}

    @property
    def calls(self) -> dict[str, str]:
        """The process each calling step calls, by step id."""
        return {key: step.call for key, step in self.steps.items() if step.call is not None}

    def role_name(self, role_id: str | None) -> str:
        """The display name of a role, or the id itself when it is not defined."""
        if role_id is None:
            return ""
        return self.roles.get(role_id, role_id)
