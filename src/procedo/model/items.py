"""The shared pieces of a definition's models, and what a checklist item is.

The frozen base model, the basic types (a non-empty text, a condition, a positive number of
minutes), a recorded value's spec, a checklist item and a start input. Re-exported by
:mod:`procedo.model.definition` and :mod:`procedo.model`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from procedo.model.signoff import Override

Text = Annotated[str, Field(min_length=1, strict=True)]
"""A non-empty string."""

RecordKind = Literal["text", "number", "choice"]

Condition = Annotated[str, Field(min_length=1, max_length=500, strict=True)]
"""A condition in CEL (checked against the ids of the definition by the loader)."""

Minutes = Annotated[float, Field(gt=0, strict=True, allow_inf_nan=False)]
"""A positive number of minutes (an int or a float; never a bool, a string, inf or nan)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecordSpec(_Frozen):
    """What a recorded value may be: its kind, unit, bounds and choices."""

    record: RecordKind | None = None
    unit: str | None = None
    # strict: an int or a float, never a bool or a string ("5" in TOML is a typo to report)
    min: Annotated[float, Field(strict=True, allow_inf_nan=False)] | None = None
    max: Annotated[float, Field(strict=True, allow_inf_nan=False)] | None = None
    choices: tuple[Text, ...] = ()

    @model_validator(mode="after")
    def _record_keys_fit(self) -> RecordSpec:
        if (
            self.record is None
            and not self.choices
            and self.unit is None
            and self.min is None
            and self.max is None
        ):
            return self  # a plain tick: nothing to fit (most items; this runs for every one)
        if self.record == "choice":
            if not self.choices:
                raise PydanticCustomError(
                    "choices_missing", "record = \"choice\" needs a non-empty 'choices' list"
                )
            if len(set(self.choices)) != len(self.choices):
                raise PydanticCustomError("choices_duplicate", "'choices' lists a value twice")
        elif self.choices:
            raise PydanticCustomError(
                "choices_unused", "'choices' is only used with record = \"choice\""
            )
        if self.record != "number":
            used = [k for k in ("unit", "min", "max") if getattr(self, k) is not None]
            if used:
                verb = "applies" if len(used) == 1 else "apply"
                keys = ", ".join(repr(k) for k in used)
                raise PydanticCustomError(
                    "number_keys_unused", f'{keys} only {verb} to record = "number"'
                )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError(
                "min_above_max", f"min ({self.min:g}) is above max ({self.max:g})"
            )
        return self

    @property
    def is_record(self) -> bool:
        """True when it asks for a value."""
        return self.record is not None


class Item(RecordSpec):
    """One line of a checklist: a plain tick, or a value to record.

    ``id`` names the recorded value for conditions and placeholders; ``expect`` is what the
    value should satisfy (a deviation otherwise); ``when`` switches the item off when false.
    """

    text: Text
    id: str | None = None
    role: str | None = None
    critical: StrictBool = False
    details: str = ""
    expect: Condition | None = None
    when: Condition | None = None
    defer_to: str | None = None
    """The step a deferred item comes back at (None: it follows the run until done)."""
    wait_minutes: Minutes | None = None
    """How long after the previous item is done (or the step entered, for the first) the
    item may be done: a wait the run counts down (paused time not counted)."""
    override: Override | None = None
    """On a critical item: a signer in that role may pass it without it being done."""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _expect_fits(self) -> Item:
        if self.expect is not None and self.record is None:
            raise PydanticCustomError(
                "expect_unused", "'expect' is only used on an item that records a value"
            )
        if self.critical and self.defer_to is not None:
            raise PydanticCustomError(
                "defer_critical", "a critical item can never be deferred: remove 'defer_to'"
            )
        if self.override is not None and not self.critical:
            raise PydanticCustomError(
                "override_not_critical",
                "'override' is only used on a critical item (critical = true): any other "
                "item can be marked not applicable",
            )
        if self.id is not None and self.record is None:
            raise PydanticCustomError(
                "id_unused",
                "'id' names a recorded value: it is only used on an item with 'record'",
            )
        return self


class Input(RecordSpec):
    """A value asked when a run starts (``[inputs.<id>]``), like a record item."""

    title: Text
    record: RecordKind = "text"
    details: str = ""


class Remind(_Frozen):
    """``remind = { every_minutes = 20, text = "Post a status update" }``: a reminder at each
    interval of active time (on ``[process]``: from the run's start; on a step: from entering
    it)."""

    every_minutes: Minutes
    text: Text


class Timeout(_Frozen):
    """``timeout = { after_minutes = 30, suggest = "Escalate" }`` on a decision: once the run
    has waited that long there (active time), the option labelled ``suggest`` is suggested."""

    after_minutes: Minutes
    suggest: Text
