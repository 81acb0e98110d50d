"""A non-normal checklist (``[interrupts.<id>]``): its priority, its items, and where the
run goes once it is done (back, to a node, or as a question chooses). A process holds them in
:attr:`procedo.model.definition.ProcessDefinition.interrupts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from procedo.model.items import Item, Text, _Frozen

if TYPE_CHECKING:
    from procedo.model.definition import Step


Priority = Literal["warning", "caution", "advisory"]
PRIORITIES: tuple[Priority, ...] = ("warning", "caution", "advisory")
"""The priorities of non-normal checklists, highest first."""
RETURN = "return"
"""The ``after`` (or an after option's ``next``) that goes back to where the run was."""


class AfterOption(_Frozen):
    """One way on from a non-normal checklist: back (``"return"``) or to a node."""

    label: Text
    next: Text


class AfterChoice(_Frozen):
    """The question asked when a non-normal checklist is done: go back, or go elsewhere."""

    question: Text
    options: Annotated[tuple[AfterOption, ...], Field(min_length=2)]


class Interrupt(_Frozen):
    """A non-normal checklist (``[interrupts.<id>]``) that interrupts the run and returns.

    ``after``: ``"return"`` (back to the exact node and item), a node id (an end: abandon), or
    a question whose options choose between the two. ``during``: the nodes it may interrupt
    (empty: everywhere).
    """

    title: Text
    priority: Priority
    role: str | None = None
    instructions: str = ""
    items: tuple[Item, ...] = ()
    after: Text | AfterChoice = RETURN
    during: tuple[Text, ...] = ()

    @property
    def rank(self) -> int:
        """0 for a warning, 1 for a caution, 2 for an advisory (lower interrupts higher)."""
        return PRIORITIES.index(self.priority)

    def targets(self) -> list[str]:
        """The nodes it may lead to instead of returning."""
        if isinstance(self.after, AfterChoice):
            found = [o.next for o in self.after.options if o.next != RETURN]
            return list(dict.fromkeys(found))
        return [] if self.after == RETURN else [self.after]

    def as_step(self) -> Step:
        """The checklist as a step (what the run engine works on inside the interrupt)."""
        from procedo.model.definition import Step  # definition.py holds a process's interrupts

        return Step(
            title=self.title, role=self.role, instructions=self.instructions,
            items=self.items, next=self.after if isinstance(self.after, str) else RETURN,
        )  # fmt: skip
