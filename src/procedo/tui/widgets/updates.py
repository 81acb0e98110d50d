"""Narrow repaints: change a widget only when what it shows changes.

Each ``Static.update`` asks for a layout of the whole screen by default. On a run screen most
updates after a keypress change one line of text without changing any widget's height, so they
need a repaint of that widget only.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def same_content(old: object, new: Content) -> bool:
    """Whether ``old`` shows exactly ``new``: text and styles (Content's ``==`` compares text)."""
    return isinstance(old, Content) and old.plain == new.plain and old.spans == new.spans


def update_static(widget: Static, content: Content, *, fixed_height: bool = False) -> bool:
    """Show ``content`` in ``widget``; True if it changed.

    Nothing happens when the widget already shows it. The screen is laid out again only when
    the widget's height may change: never for a ``fixed_height`` widget (its CSS fixes it),
    else when the new text wraps to a different number of lines at the widget's width.
    """
    old = widget.content
    if same_content(old, content):
        return False
    layout = not fixed_height
    if layout and isinstance(old, Content):
        width = widget.content_region.width
        if width > 0:
            layout = shown_height(widget, old, width) != shown_height(widget, content, width)
    widget.update(content, layout=layout)
    return True


def shown_height(widget: Static, content: Content, width: int) -> int:
    """The lines ``content`` takes in ``widget`` at ``width``, within the widget's CSS
    ``min-height`` and ``max-height`` when they are counted in lines."""
    styles = widget.styles
    height = content.get_height(styles, width)
    gutter = styles.gutter.height
    low, high = styles.min_height, styles.max_height
    if low is not None and low.is_cells:
        height = max(height, int(low.value) - gutter)
    if high is not None and high.is_cells:
        height = min(height, int(high.value) - gutter)
    return height


def set_only_class(widget: Static, name: str) -> None:
    """Give ``widget`` exactly the class ``name`` (no style recalculation when it has it)."""
    if set(widget.classes) != {name}:
        widget.set_classes(name)
