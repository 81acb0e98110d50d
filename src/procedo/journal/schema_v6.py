"""Schema 6: what parallel branches and called runs (issue 14) leave in the record.

New columns only, whose NULL is what a run of an older procedo gives: its events and visits
are on the main line (no branch), none of its steps called a run, and no run was called.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

V6: list[str | Callable[[sqlite3.Connection], None]] = [
    "ALTER TABLE events ADD COLUMN branch TEXT",
    "ALTER TABLE visits ADD COLUMN branch TEXT",
    "ALTER TABLE visits ADD COLUMN child_run TEXT",
    "ALTER TABLE visits ADD COLUMN child_outcome TEXT",
    "ALTER TABLE runs ADD COLUMN parent_run TEXT",
    "ALTER TABLE runs ADD COLUMN parent_step TEXT",
    "CREATE INDEX runs_children ON runs(parent_run, started_at) WHERE parent_run IS NOT NULL",
    "CREATE INDEX visits_branches ON visits(process_id, node, branch, practice, "
    "process_version, duration_ms) WHERE branch IS NOT NULL",
]

V6_COLUMNS = {
    "events": ("branch",),
    "visits": ("branch", "child_run", "child_outcome"),
    "runs": ("parent_run", "parent_step"),
}
V6_INDEXES = ("runs_children", "visits_branches")
