"""A DataTable of rows whose Home and End keys go to the first and last row, and that can
find its highlighted row again after it was refilled.

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

    def cursor_key(self) -> str | None:
        """The key of the highlighted row (None in an empty table)."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def restore_cursor(self, key: str | None, row: int) -> None:
        """Highlight the row ``key`` again (after a refill), or the old place when it is gone."""
        if not self.row_count:
            return
        if key is not None and key in self.rows:
            self.move_cursor(row=self.get_row_index(key))
        else:
            self.move_cursor(row=min(row, self.row_count - 1))


__all__ = ["RowTable"]
