"""Leases: one procedo session drives a run at a time.

A lease names the session (a random token), its process id and host. A lease is *live* when
its holder is this very session, or another process on this host that is still running, or a
session on another host (which we cannot check, so we trust it until it is taken over).
A dead holder's lease is taken silently: that is how a run resumes after a crash.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lease:
    """Who holds a run."""

    run_id: str
    token: str
    pid: int
    host: str
    operator: str
    acquired_at: str

    def describe(self) -> str:
        """A sentence naming the holder."""
        where = f"process {self.pid}" + (f" on {self.host}" if self.host != this_host() else "")
        return f"{self.operator} ({where}, since {self.acquired_at[:16].replace('T', ' ')} UTC)"


def this_host() -> str:
    """The host name used in leases."""
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """True when a process with that id exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def read_lease(conn: sqlite3.Connection, run_id: str) -> Lease | None:
    """The lease row of a run, if any."""
    row = conn.execute(
        "SELECT run_id, token, pid, host, operator, acquired_at FROM leases WHERE run_id = ?",
        (run_id,),
    ).fetchone()
    return Lease(*row) if row else None


def is_live(lease: Lease, my_token: str) -> bool:
    """Whether ``lease`` still binds anyone but the session ``my_token``."""
    if lease.token == my_token:
        return True
    if lease.host != this_host():
        return True
    return pid_alive(lease.pid)


def write_lease(
    conn: sqlite3.Connection, run_id: str, token: str, operator: str, now_iso: str
) -> None:
    """Give the run's lease to the session ``token`` (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO leases (run_id, token, pid, host, operator, acquired_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(run_id) DO UPDATE SET token = excluded.token, "
        "pid = excluded.pid, host = excluded.host, operator = excluded.operator, "
        "acquired_at = excluded.acquired_at",
        (run_id, token, os.getpid(), this_host(), operator, now_iso),
    )


def rename_lease(conn: sqlite3.Connection, run_id: str, token: str, operator: str) -> None:
    """Name ``operator`` as the one driving under the session ``token``'s lease (a hand-over
    within the session; inside the caller's transaction)."""
    conn.execute(
        "UPDATE leases SET operator = ? WHERE run_id = ? AND token = ?", (operator, run_id, token)
    )
