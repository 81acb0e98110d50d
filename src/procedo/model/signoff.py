"""Sign-offs in a definition: who must sign a step or a decision, and who may override an item.

``signoff = [{ role = "surgeon", meaning = "approved" }]`` on a step or a decision: each one
must be given (by a signer holding the role) before the step completes or an option is
chosen. ``override = { role = "supervisor" }`` on a critical item lets a second person in that
role pass it without it being done, with a reason. The roles are checked against ``[roles]``
by :mod:`procedo.model.checks_signoff`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from pydantic_core import PydanticCustomError

# items.py imports this module (an item's override): the two shared types are spelt here
_Text = Annotated[str, Field(min_length=1, strict=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


MEANINGS: tuple[str, ...] = ("performed", "reviewed", "approved", "verified", "witnessed")
"""The documented meanings of a signature; any other non-empty text is allowed as free text."""


class SignOff(_Frozen):
    """One signature a step or a decision needs: its role, its meaning, and whether the signer
    must be someone who took no action in that visit of the node (``distinct``)."""

    role: _Text
    meaning: _Text
    distinct: StrictBool = False

    @field_validator("meaning")
    @classmethod
    def _meaning_not_blank(cls, meaning: str) -> str:
        if not meaning.strip():
            raise PydanticCustomError(
                "meaning_blank",
                "a sign-off needs a meaning: one of {known}, or a text of your own",
                {"known": ", ".join(MEANINGS)},
            )
        return meaning


class Override(_Frozen):
    """``override = { role = ... }`` on a critical item: a signer in that role may pass it
    without it being done, with a reason."""

    role: _Text
