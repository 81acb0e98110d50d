"""The run screen's keys: its bindings, and the key hint after a refusal."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from procedo.engine.allowed import Allowed, Verdict

EDIT_KEYS = {
    *("space", "x", "c", "e", "l", "L", "D", "r", "exclamation_mark", "delete", "S", "O"),
    *(str(n) for n in range(1, 10)),
}
"""The keys that change the run (read-only, they say why they do nothing)."""

_HINTS: dict[str, str] = {
    "ticked": "delete clears it",
    "not_applicable": "delete clears it",
    "no_checklist": "choose an option (1–9)",
    "no_items": "press c to complete it",
    "inactive": "it is not required: leave it",
}
"""The key that helps, after the engine's reason why space does nothing on a row."""


def hinted(reason: str, why: str) -> str:
    """The engine's reason, with the key that helps (when one does)."""
    hint = _HINTS.get(why)
    return f"{reason}: {hint}" if hint else reason


# One footer entry, "1-9 Choose", stands for the nine option keys.
_DIGITS = [
    Binding(
        str(n),
        f"choose({n - 1})",
        "Choose" if n == 1 else f"Option {n}",
        show=n == 1,
        key_display="1-9" if n == 1 else None,
        id=f"run.choose{n}",
    )
    for n in range(1, 10)
]


RUN_BINDINGS: list[BindingType] = [
    *_DIGITS,
    Binding("space", "toggle", "Tick", id="run.toggle"),
    Binding("x", "not_applicable", "N/A", id="run.na"),
    Binding("c", "complete", "Done", id="run.complete"),
    # c at a step whose items are done and sign-offs are not: it signs (run_signing.py)
    Binding("c", "sign_step", "Sign", id="run.sign_step"),
    Binding("S", "sign", "Sign", id="run.sign"),
    Binding("O", "override", "Override", id="run.override"),
    Binding("e", "explain", "Reason", id="run.explain"),
    Binding("l", "keep_last", "Keep last", id="run.keep_last"),
    Binding("L", "keep_all_last", "Keep all last", id="run.keep_all_last", show=False),
    Binding("r", "acknowledge_reminder", "Reminder done", id="run.reminder"),
    Binding("n", "note", "Note", id="run.note"),
    Binding("exclamation_mark", "interrupt", "Non-normal", key_display="!", id="run.interrupt"),
    Binding("o", "hand_over", "Handover", id="run.handover", show=False),
    Binding(
        "enter",
        "accept_role",
        "I act as next role",
        id="run.accept_role",
        priority=True,
        show=False,  # the hand-over point itself says what enter and o do
    ),
    Binding(
        "enter",
        "confirm",
        "Confirm the suggestion",
        id="run.confirm",
        priority=True,
        show=False,  # the suggestion itself says what enter does
    ),
    Binding("a", "abort", "Abort", id="run.abort", show=False),  # rare: in ? and the palette
    Binding("t", "take_over", "Take over", id="run.takeover"),
    Binding("d", "map", "Map", id="run.map"),
    Binding("q", "leave", "Pause", id="run.leave"),
    Binding("q", "leave_read_only", "Leave", id="run.leave_read_only"),
    # The footer hides what does not fit from the end: help stays, defer and back give way.
    Binding("question_mark", "app.help", "Help", id="run.help"),
    Binding("D", "defer", "Defer", id="run.defer"),
    Binding("b", "back", "Back", id="run.back"),
    Binding("delete", "clear", "Clear item", id="run.clear", show=False),
    Binding("j", "cursor(1)", "Down", id="run.down", show=False),
    Binding("k", "cursor(-1)", "Up", id="run.up", show=False),
]
"""The run screen's keys in the footer's order (check_action says which apply here)."""

_EDITING = {
    *("leave", "accept_role", "toggle", "not_applicable", "complete", "clear"),
    *("choose", "hand_over", "abort", "note", "back", "explain", "confirm"),
    *("keep_last", "keep_all_last", "interrupt", "defer", "acknowledge_reminder"),
    *("sign_step", "sign", "override"),
}
"""The actions a read-only screen leaves out of its footer (q leaves it without pausing)."""


CONDITION_KEYS = {
    "explain": "explain",
    "keep_last": "keep_last",
    "keep_all_last": "keep_last",
    "confirm": "confirm",
}
"""The keys shown only where a condition or a loop makes them mean something, by what the
node needs for them (see :func:`key_applies`)."""


def key_applies(
    action: str, read_only: bool, allowed: Allowed, here: frozenset[str] = frozenset()
) -> bool:
    """Whether the key of ``action`` belongs in the footer here: the engine says which
    actions apply at this node; read-only, only taking over and leaving do. ``here``: the
    keys of the conditions that apply at this node (``explain``, ``keep_last``, ``confirm``)."""
    if action in ("take_over", "leave_read_only"):
        return read_only
    if read_only and action in _EDITING:
        return False
    if action in CONDITION_KEYS:
        return CONDITION_KEYS[action] in here
    verdict = getattr(allowed, action, None)
    return verdict.applies if isinstance(verdict, Verdict) else True


__all__ = ["CONDITION_KEYS", "EDIT_KEYS", "RUN_BINDINGS", "hinted", "key_applies"]
