"""Crash test: children drive runs and acknowledge each operation on stdout; they are killed
with SIGKILL at random moments (33 kills, three terminals at once on one file). After each kill
every acknowledged operation is in the journal, the chains verify, the file is sound, and the
next child resumes the same run where it stopped (the dead child's lease does not block it)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.journal.verify import verify_journal

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
LANES = 3
KILLS_PER_LANE = 11  # 33 kills in all

ZYGOTE = textwrap.dedent(
    """
    # Imports procedo and loads the processes once, then forks a child per request, so that
    # each child starts in milliseconds. It opens no database itself (nothing SQLite crosses a
    # fork). Requests on stdin: "spawn OUT ERR DB LANE SEED RUN" and "reap PID".
    import os
    import random
    import sys
    from pathlib import Path

    from procedo.journal import Journal
    from procedo.model import load_file
    from procedo.model.signature import SignerIdentity

    LOADED = [load_file(path) for path in sorted(Path(sys.argv[1]).glob("*.toml"))]
    LOADED = [p for p in LOADED if not p.definition.calls]  # one run at a time: no called runs


    def child(db, lane, seed, run_id):
        rng = random.Random(int(seed))
        journal = Journal(db)

        def say(*words):
            sys.stdout.write(" ".join(str(w) for w in words) + "\\n")
            sys.stdout.flush()

        def new_run():
            process = rng.choice(LOADED)
            trigger = rng.choice(process.definition.triggers).id
            inputs = {k: value_for(s) for k, s in process.definition.inputs.items()}
            run = journal.start_run(process, f"operator-{lane}", trigger, inputs=inputs)
            say("ack", run.run_id, run.state.last_seq)
            return run

        def value_for(item):
            if item.record == "choice":
                return rng.choice(item.choices)
            if item.record == "number":
                low = item.min if item.min is not None else 0
                high = item.max if item.max is not None else low + 10
                return f"{(low + high) / 2:g}".replace(".", ",")
            return "ok"

        def step(run):
            state = run.state
            if state.status == "paused":
                return run.resume()
            roll = rng.random()
            if roll < 0.05:
                return run.pause("break")
            if roll < 0.10:
                return run.note(f"note after {state.last_seq}")
            if roll < 0.13 and run.allowed().back.ok:  # never across a join
                return run.back()
            if state.awaiting_role is not None:
                return run.accept_role()
            current = run.current_step
            open_items = run.open_items()
            if current is not None and roll < 0.2 and any(
                run.allowed(i).clear.ok for i in range(len(current.items))
            ):
                done = [i for i in range(len(current.items)) if run.allowed(i).clear.ok]
                return run.uncheck(rng.choice(done))
            if open_items:
                index = rng.choice(open_items)
                item = current.items[index]
                if run.toggle(index).why == "waiting":  # its wait_minutes runs: N/A is allowed
                    return run.mark_not_applicable(index, "no time to wait")
                return run.record(index, value_for(item)) if item.record else run.check(index)
            for status in run.signoffs():  # a hold point: a signer of each role signs
                if status.signature is None:
                    role = status.signoff.role
                    signer = SignerIdentity(f"signer-{role}", f"Signer {role}", (role,))
                    return run.sign(status.index, signer)
            node = state.current_node
            if node in run.definition.decisions:
                option = rng.randrange(len(run.definition.decisions[node].options))
                suggestion = run.suggestion()  # another option is an override: it needs a reason
                overrides = suggestion is not None and suggestion.option not in (None, option)
                return run.choose(option, "override" if overrides else None)
            for index, check in enumerate(run.item_checks()):
                if check.needs_reason and state.current.mark(index).deviation_reason is None:
                    return run.explain(index, "checked it twice")
            return run.complete()

        if run_id != "-":
            opened = journal.open_run(run_id)
            state = opened.run.state
            say("open", run_id, int(opened.read_only), state.last_seq, state.status)
            if opened.read_only and not state.finished:
                return 3
            run = new_run() if state.finished else opened.run
        else:
            run = new_run()
        while True:
            step(run)
            say("ack", run.run_id, run.state.last_seq)
            if run.state.finished:
                run = new_run()


    for request in sys.stdin:
        command, *args = request.split()
        if command == "spawn":
            out, err, *rest = args
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
                    os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
                    code = child(*rest)
                except BaseException:
                    import traceback

                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code or 1)
            print("pid", pid, flush=True)
        elif command == "reap":
            _, status = os.waitpid(int(args[0]), 0)
            print("status", os.waitstatus_to_exitcode(status), flush=True)
    """
)


@dataclass
class Lane:
    """One terminal that keeps crashing: its runs, what was acknowledged, what it checked."""

    number: int
    db: Path
    folder: Path
    zygote: subprocess.Popen[str]
    rng: random.Random
    current: str = "-"
    acked: dict[str, int] = field(default_factory=dict)
    kills: int = 0
    resumes: int = 0
    acks: int = 0

    def ask(self, request: str) -> str:
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write(request + "\n")
        self.zygote.stdin.flush()
        return self.zygote.stdout.readline().split()[1]

    def cycle(self) -> None:
        """Start a child, kill it at a random moment, check the journal."""
        expected_seq = self.last_seq(self.current) if self.current != "-" else None
        out = self.folder / f"out-{self.number}-{self.kills}.txt"
        err = self.folder / f"err-{self.number}-{self.kills}.txt"
        seed = self.rng.randrange(10**9)
        pid = int(self.ask(f"spawn {out} {err} {self.db} {self.number} {seed} {self.current}"))
        if self.rng.random() < 0.2:
            time.sleep(self.rng.uniform(0.0, 0.01))  # may die while opening or starting
        else:
            deadline = time.monotonic() + 10
            while not (out.exists() and "\n" in out.read_text()):
                assert time.monotonic() < deadline, err.read_text()
                time.sleep(0.001)
            time.sleep(self.rng.uniform(0.005, 0.08))
        os.kill(pid, signal.SIGKILL)
        status = int(self.ask(f"reap {pid}"))
        if status != -signal.SIGKILL:
            written = out.read_text() if out.exists() else ""
            raise AssertionError(
                f"the child ended by itself ({status}): {written}{err.read_text()}"
            )
        self.kills += 1
        written = out.read_text() if out.exists() else ""
        for line in written.splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut off mid-line: not an acknowledgement
            words = line.split()
            if words[0] == "open":
                run_id, read_only, last_seq, status_text = words[1:5]
                assert run_id == self.current
                if status_text in ("active", "paused"):
                    assert read_only == "0", "the dead child's lease blocked the run"
                    self.resumes += 1
                if int(last_seq) == expected_seq + 1:  # the dead child's session, journaled
                    assert self.event_kind(run_id, int(last_seq)) == "takeover"
                else:
                    assert int(last_seq) == expected_seq, "the run did not resume where it stopped"
            elif words[0] == "ack":
                run_id, seq = words[1], int(words[2])
                assert seq > self.acked.get(run_id, 0)
                self.acked[run_id] = seq
                self.current = run_id
                self.acks += 1
        self.check()

    def event_kind(self, run_id: str, seq: int) -> str:
        with Journal(self.db, create=False) as journal:
            return next(e.kind for e in journal.events(run_id) if e.seq == seq)

    def last_seq(self, run_id: str) -> int:
        with Journal(self.db, create=False) as journal:
            return int(journal.run_row(run_id)["last_seq"])

    def check(self) -> None:
        with Journal(self.db, create=False) as journal:
            for run_id, seq in self.acked.items():
                events = journal.events(run_id)
                assert events[-1].seq >= seq, f"acknowledged event {seq} of {run_id} was lost"
                _, state = journal.load_state(run_id)
                assert state.last_seq == events[-1].seq
            report = verify_journal(journal, list(self.acked))
            assert report.intact, [str(b) for b in report.breaches]
        conn = sqlite3.connect(self.db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()

    def drive(self) -> None:
        for _ in range(KILLS_PER_LANE):
            self.cycle()


def test_kill_9_at_random_moments_loses_no_acknowledged_operation(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    Journal(db).close()
    script = tmp_path / "zygote.py"
    script.write_text(ZYGOTE)
    seed = random.randrange(10**6)
    zygotes = [
        subprocess.Popen(
            [sys.executable, str(script), str(REPO / "processes")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(LANES)
    ]
    try:
        lanes = [
            Lane(n, db, tmp_path, zygote, random.Random(seed + n))
            for n, zygote in enumerate(zygotes)
        ]
        with ThreadPoolExecutor(LANES) as pool:
            for future in [pool.submit(lane.drive) for lane in lanes]:
                future.result()
    finally:
        for zygote in zygotes:
            zygote.stdin.close()  # type: ignore[union-attr]
            zygote.wait(timeout=10)
            zygote.stdout.close()  # type: ignore[union-attr]
    assert sum(lane.kills for lane in lanes) >= 30
    assert sum(lane.acks for lane in lanes) > 50, f"seed {seed}"
    assert sum(lane.resumes for lane in lanes) >= 10, f"seed {seed}"
    with Journal(db, create=False) as journal:
        report = verify_journal(journal)
        assert report.intact, [str(b) for b in report.breaches]
        for lane in lanes:
            for run_id, seq in lane.acked.items():
                assert journal.events(run_id)[-1].seq >= seq
