"""The run's header line: process, operator, elapsed time against the target, status."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from procedo.engine import RunState
from procedo.engine.clock_text import clock_text
from procedo.model import ProcessDefinition
from procedo.tui.text import line


def header_content(
    definition: ProcessDefinition,
    state: RunState,
    now_ms: int,
    read_only: bool,
    width: int = 0,
) -> Content:
    """The header text for a run at time ``now_ms``; the title is shortened to fit ``width``."""
    elapsed = state.active_ms(now_ms)
    parts: list[str | tuple[str, str]] = []
    if state.practice:
        parts.append(("  PRACTICE", "bold $warning"))
    parts += [("  · ", "$text-muted"), state.operator, ("  · ", "$text-muted")]
    target = definition.process.target_minutes
    if target:
        over = elapsed > target * 60_000
        parts.append((clock_text(elapsed), "bold $error" if over else "bold"))
        parts.append((f" / {clock_text(int(target * 60_000))}", "$text-muted"))
    else:
        parts.append((clock_text(elapsed), "bold"))
    status = "read-only" if read_only else state.status
    parts += [("  · ", "$text-muted"), (status, "italic")]
    parts.append((f"  · saved #{state.last_seq}", "$text-muted"))
    rest = line(*parts)
    title = definition.title
    room = width - rest.cell_length if width > 0 else len(title)
    if len(title) > room:
        title = title[: max(1, room - 1)] + "…"
    return line((title, "bold"), rest)


class RunHeader(Static):
    """Shows :func:`header_content`; the run screen refreshes it every second."""
