"""How checklist items and decision options are drawn (pure functions returning Content), and
the list that shows them."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList

from procedo.engine import ItemMark, Note, RunState
from procedo.engine.judge import FINE, ItemCheck, Suggestion
from procedo.model import Decision, Item, ProcessDefinition, Step
from procedo.model.definition import RecordSpec
from procedo.model.placeholders import fill
from procedo.tui.signing_view import given_text
from procedo.tui.text import line

Values = dict[str, str]
"""The named values a run holds (journal text by id), for the placeholders."""


def record_hint(item: RecordSpec) -> str:
    """What a record item asks for: ``number, %, 0–100`` or ``one of: eu, us``."""
    if item.record == "number":
        parts = ["number"]
        if item.unit:
            parts.append(item.unit)
        if item.min is not None and item.max is not None:
            parts.append(f"{item.min:g}–{item.max:g}")
        elif item.min is not None:
            parts.append(f"≥ {item.min:g}")
        elif item.max is not None:
            parts.append(f"≤ {item.max:g}")
        return ", ".join(parts)
    if item.record == "choice":
        return "one of: " + ", ".join(item.choices)
    return "text"


def item_prompt(
    definition: ProcessDefinition,
    step: Step,
    item: Item,
    mark: ItemMark,
    notes: int,
    *,
    values: Values | None = None,
    check: ItemCheck = FINE,
    last: str | None = None,
    deferred: str | None = None,
) -> Content:
    """One checklist row: box, text (placeholders filled), role, critical mark, value or
    reason; an inactive item dimmed with why, a deviation marked, the last visit's value;
    ``deferred``: what a deferred item (or one that came back here) says under it."""
    off = not check.active or mark.inactive
    overridden = mark.overridden
    if mark.deferred:
        box: tuple[str, str] = ("[»] ", "bold $accent")
    elif overridden is not None:
        box = ("[⊘] ", "bold $warning")
    elif mark.na_reason is not None:
        box = ("[–] ", "$text-muted")
    elif off:
        box = ("[·] ", "$text-muted")
    elif mark.checked and check.deviation:
        box = ("[!] ", "bold $warning")
    elif mark.checked:
        box = ("[✓] ", "bold $success")
    else:
        box = ("[ ] ", "bold")
    text = fill(item.text, values or {})
    muted = mark.na_reason is not None or off or mark.deferred
    parts: list[str | tuple[str, str]] = [box, (text, "$text-muted") if muted else text]
    if item.critical:
        parts.append(("  ⚠ critical", "$text-muted" if off else "bold $warning"))
    if item.role and item.role != step.role:
        parts.append((f"  · {definition.role_name(item.role)}", "italic $accent"))
    if item.record:
        if mark.value is not None:
            unit = f" {item.unit}" if item.unit else ""
            parts.append(("  = ", "$text-muted"))
            parts.append(
                (mark.value + unit, "bold $warning" if check.deviation else "bold $success")
            )
        elif not off:
            parts.append((f"  ({record_hint(item)})", "$text-muted"))
        if last is not None and mark.value is None and not off:
            parts.append(("  last: ", "$text-muted"))
            parts.append((last + (f" {item.unit}" if item.unit else ""), "italic $accent"))
    if notes:
        parts.append((f"  ✎{notes}", "$accent"))
    if deferred is not None:
        parts.append((f"\n    {deferred}", "italic $accent"))
    if overridden is not None:  # the override's signature and reason (signing_view.py)
        parts.append(("\n    overridden by ", "italic $warning"))
        parts.append((given_text(overridden), "italic"))
    elif mark.na_reason is not None:
        parts.append(("\n    not applicable: ", "italic $text-muted"))
        parts.append((mark.na_reason, "italic $text-muted"))
    elif off:
        parts.append(("\n    off: ", "italic $text-muted"))
        parts.append((check.why_inactive or "its condition was false", "italic $text-muted"))
    elif check.deviation and mark.value is not None:
        parts.append(("\n    ⚠ ", "bold $warning"))
        parts.append((check.why_deviation, "$warning"))
        if mark.deviation_reason is not None:
            parts.append(("\n    accepted: ", "italic $text-muted"))
            parts.append((mark.deviation_reason, "italic"))
        elif check.routed:
            parts.append(("\n    the next decision routes it", "italic $text-muted"))
    return line(*parts)


def option_prompt(
    definition: ProcessDefinition,
    decision: Decision,
    index: int,
    *,
    values: Values | None = None,
    suggested: bool = False,
) -> Content:
    """One decision option: ``1. Yes  → Mitigate`` (``◂ suggested`` on the suggestion)."""
    option = decision.options[index]
    target = definition.node(option.next)
    target_title = getattr(target, "title", None) or getattr(target, "question", option.next)
    number = f"{index + 1}. " if index < 9 else "   "
    parts: list[str | tuple[str, str]] = [
        (number, "bold"),
        (fill(option.label, values or {}), "bold"),
        ("  → ", "$text-muted"),
        (fill(target_title, values or {}), "$text-muted"),
    ]
    if suggested:
        parts.append(("  ◂ suggested", "bold $accent"))
    return line(*parts)


def suggestion_content(
    definition: ProcessDefinition, decision: Decision, suggestion: Suggestion, values: Values
) -> Content:
    """``Suggested: No, because …  enter confirms`` (or why nothing is suggested)."""
    if suggestion.option is None:
        why = suggestion.why or "no condition could be judged yet"
        return line(("No suggestion: ", "bold"), why)
    label = fill(decision.options[suggestion.option].label, values)
    return line(
        ("Suggested: ", "bold $accent"),
        (label, "bold"),
        ", because ",
        suggestion.why,
        ("\nenter confirms it; another option asks for a reason", "$text-muted"),
    )


def auto_choice_content(
    definition: ProcessDefinition, decision: Decision, option: int, why: str, values: Values
) -> Content:
    """``The process chose 'No': no condition holds (amount = 100 EUR): the default``."""
    label = fill(decision.options[option].label, values)
    return line(
        ("The process chose ", "bold $accent"),
        (repr(label), "bold"),
        (" at ", "$text-muted"),
        (fill(decision.question, values), "italic"),
        ": ",
        why,
    )


def item_notes(state: RunState, node: str, item: int) -> list[Note]:
    """Notes on one item of the current visit."""
    visit = state.current
    index = visit.index if visit else None
    return [n for n in state.notes if n.node == node and n.item == item and n.visit == index]


def node_notes(state: RunState) -> list[Note]:
    """Notes on the current visit as a whole."""
    visit = state.current
    if visit is None:
        return []
    return [n for n in state.notes if n.visit == visit.index and n.item is None]


def item_detail(
    step: Step,
    index: int,
    mark: ItemMark,
    notes: list[Note],
    values: Values | None = None,
    check: ItemCheck = FINE,
) -> Content:
    """The text under the list for the highlighted item: details, notes, who did it."""
    item = step.items[index]
    parts: list[str | tuple[str, str]] = []
    if item.details:
        parts.append(fill(item.details, values or {}))
    if mark.by and mark.at:
        verb = "marked not applicable" if mark.na_reason is not None else "done"
        parts.append((f"\n{verb} by {mark.by} at {mark.at[11:19]} UTC", "$text-muted"))
    for note in notes:
        parts.append(("\n✎ ", "$accent"))
        parts.append((f"{note.actor}: ", "$text-muted"))
        parts.append(note.text)
    if check.needs_reason and mark.deviation_reason is None and mark.value is not None:
        parts.append(("\n⚠ A deviation: press e to give the reason it is accepted", "$warning"))
    if item.critical and not parts:
        parts.append(("Critical: must be done; it cannot be marked not applicable.", "$warning"))
    return line(*parts) if parts else Content("")


class Checklist(OptionList):
    """The run screen's list of items or options; a changed row repaints only that row.

    ``OptionList.replace_option_prompt_at_index`` drops the rendering of every row and repaints
    the whole list. :meth:`set_prompt` keeps the other rows when the new prompt has the same
    height (the usual case: a tick changes ``[ ]`` to ``[✓]``), else falls back to it.
    """

    def action_cursor_down(self) -> None:
        """Down to the next row; at the last one, stay: a list of work does not wrap round
        (a quick ``j j j`` past the end must not land on the first, done, item)."""
        self._step(1)

    def action_cursor_up(self) -> None:
        """Up to the previous row; at the first one, stay."""
        self._step(-1)

    def _step(self, direction: int) -> None:
        if self.highlighted is None:
            super().action_cursor_down() if direction > 0 else super().action_cursor_up()
            return
        index = self.highlighted + direction
        while 0 <= index < self.option_count:
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return
            index += direction

    def set_prompt(self, index: int, prompt: Content) -> None:
        """Replace the prompt of the option at ``index``."""
        if not self._replace_in_place(index, prompt):
            self.replace_option_prompt_at_index(index, prompt)

    def _replace_in_place(self, index: int, prompt: Content) -> bool:
        # The caches are OptionList internals (Textual 8): without them, do the full replace.
        line_cache = getattr(self, "_line_cache", None)
        render_cache = getattr(self, "_option_render_cache", None)
        heights = getattr(line_cache, "heights", None)
        first_lines = getattr(line_cache, "index_to_line", None)
        if render_cache is None or heights is None or first_lines is None:
            return False
        height, first = heights.get(index), first_lines.get(index)
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        if height is None or first is None or width <= 0:
            return False
        option = self.get_option_at_index(index)
        padding = self.get_component_styles("option-list--option").padding
        new_height = prompt.get_height(self.styles, width - padding.width) + option._divider
        if new_height != height:
            return False
        option._set_prompt(prompt)
        for key in [key for key in render_cache.keys() if key[0] is option]:  # noqa: SIM118
            render_cache.discard(key)
        self.refresh_lines(first, height)
        return True
