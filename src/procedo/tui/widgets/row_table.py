"""A DataTable of rows whose Home and End keys go to the first and last row.

Textual's DataTable scrolls sideways on Home/End even with a row cursor, which in a table
that fits its width does nothing at all.
"""

from __future__ import annotations

from textual.widgets import DataTable


class RowTable(DataTable[object]):
    """A row-cursor table: Home is the first row, End the last."""

    def action_scroll_home(self) -> None:
        """The first row."""
        if self.cursor_type == "row" and self.row_count:
            self.move_cursor(row=0)
        else:
            super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """The last row."""
        if self.cursor_type == "row" and self.row_count:
            self.move_cursor(row=self.row_count - 1)
        else:
            super().action_scroll_end()


__all__ = ["RowTable"]
