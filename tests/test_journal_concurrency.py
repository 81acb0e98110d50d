"""Several procedo processes on one journal file at once: writers on different runs lose
nothing and never fail; sessions shaped like two TUIs and a reader hammering ``runs()`` never
see "database is locked" (or any other error)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from procedo.journal import Journal
from procedo.journal.verify import verify_journal

REPO = Path(__file__).resolve().parent.parent

WORKER = textwrap.dedent(
    """
    import json
    import random
    import sys
    import time
    import traceback
    from pathlib import Path

    from procedo.journal import Journal
    from procedo.journal.verify import verify_journal
    from procedo.model import load_file
    from procedo.model.signature import SignerIdentity

    mode, db, processes, name, count = sys.argv[1:6]
    count = int(count)
    rng = random.Random(name)
    loaded = [load_file(path) for path in sorted(Path(processes).glob("*.toml"))]
    loaded = [p for p in loaded if not p.definition.calls]  # one run each: no called runs
    errors = []


    def value_for(item):
        if item.record == "choice":
            return rng.choice(item.choices)
        if item.record == "number":
            low = item.min if item.min is not None else 0
            high = item.max if item.max is not None else low + 10
            return f"{(low + high) / 2:g}"
        return "ok"


    def step(run):
        state = run.state
        if state.status == "paused":
            return run.resume()
        roll = rng.random()
        if roll < 0.05:
            return run.pause()
        if roll < 0.12:
            return run.note(f"{name} {state.last_seq}")
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
            return run.choose(option, f"{name} overrides" if overrides else None)
        for index, check in enumerate(run.item_checks()):
            if check.needs_reason and state.current.mark(index).deviation_reason is None:
                return run.explain(index, f"{name} checked it twice")
        return run.complete()


    def start(journal):
        process = rng.choice(loaded)
        inputs = {key: value_for(spec) for key, spec in process.definition.inputs.items()}
        trigger = rng.choice(process.definition.triggers).id
        return journal.start_run(process, name, trigger, inputs=inputs)


    def ready():
        print("ready", flush=True)
        sys.stdin.readline()  # wait for everyone


    def writer():
        # One session, one run at a time, `count` operations: the acknowledged last seq of every
        # run it touched is reported.
        journal = Journal(db)
        run = start(journal)
        seen = {run.run_id: run.state.last_seq}
        ready()
        for _ in range(count):
            if run.state.finished:
                run = start(journal)
            step(run)
            seen[run.run_id] = run.state.last_seq
        return {"runs": seen}


    def tui():
        # Like the app: a home session that lists runs and a run session that drives one run,
        # releases it, opens it again, and starts another when it ends.
        home, driver = Journal(db), Journal(db)
        run = start(driver)
        seen = {run.run_id: run.state.last_seq}
        ready()
        for done in range(count):
            if done % 25 == 0:
                home.runs()
                home.runs(status="active")
            if run.state.finished:  # before reopening: a finished run opens read-only
                run = start(driver)
            if done % 40 == 39:
                driver.release(run.run_id)
                opened = driver.open_run(run.run_id)
                assert not opened.read_only, opened
                run = opened.run
            step(run)
            seen[run.run_id] = run.state.last_seq
        return {"runs": seen}


    def reader():
        # Hammers runs() and replays, and opens fresh sessions as CLI commands do.
        journal = Journal(db)
        ready()
        reads = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows = journal.runs()
            reads += 1
            if rows:
                journal.load_state(rng.choice(rows)["id"])
            if reads % 20 == 0:
                with Journal(db, create=False) as fresh:
                    fresh.runs(process="incident-response")
                    verify_journal(fresh, [rows[0]["id"]] if rows else [])
            if Path(db + ".stop").exists():
                break
        return {"reads": reads}


    try:
        result = {"writer": writer, "tui": tui, "reader": reader}[mode]()
    except BaseException:
        traceback.print_exc()
        sys.exit(1)
    print(json.dumps(result), flush=True)
    """
)


def run_together(
    tmp_path: Path, roles: list[tuple[str, str, int]], reader: bool = False
) -> list[dict[str, object]]:
    """Start every worker, release them at once, and return what each reports."""
    db = tmp_path / "journal.db"
    Journal(db).close()
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    everyone = [*roles, ("reader", "reader", 0)] if reader else roles
    children = [
        subprocess.Popen(
            [sys.executable, str(script), mode, str(db), str(REPO / "processes"), name, str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode, name, n in everyone
    ]
    results: list[dict[str, object]] = []
    try:
        for child in children:
            line = child.stdout.readline()  # type: ignore[union-attr]
            assert line == "ready\n", line + child.stderr.read()  # type: ignore[union-attr]
        for child in children:
            child.stdin.write("go\n")  # type: ignore[union-attr]
            child.stdin.flush()  # type: ignore[union-attr]
        writers, readers = children[: len(roles)], children[len(roles) :]
        outputs = [child.communicate(timeout=120) for child in writers]
        Path(f"{db}.stop").touch()
        outputs += [child.communicate(timeout=120) for child in readers]
    finally:
        for child in children:
            child.kill()
            child.wait()
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert err == "", err
        assert "locked" not in out
        results.append(json.loads(out.splitlines()[-1]))
    return results


def check_everything_is_there(db: Path, reported: list[dict[str, object]]) -> int:
    """Every acknowledged event is present, numbered 1..n, and every chain verifies."""
    events = 0
    with Journal(db, create=False) as journal:
        for result in reported:
            runs = result.get("runs", {})
            assert isinstance(runs, dict)
            for run_id, last_seq in runs.items():
                seqs = [event.seq for event in journal.events(run_id)]
                assert seqs == list(range(1, last_seq + 1))
                assert journal.run_row(run_id)["last_seq"] == last_seq
                events += last_seq
        report = verify_journal(journal)
        assert report.intact, [str(b) for b in report.breaches]
        assert report.events_checked == events
    return events


def test_four_writers_on_one_file_lose_nothing(tmp_path: Path) -> None:
    reported = run_together(tmp_path, [("writer", f"writer-{n}", 300) for n in range(4)])
    events = check_everything_is_there(tmp_path / "journal.db", reported)
    assert events >= 4 * 301


def test_two_tuis_and_a_reader_never_see_database_is_locked(tmp_path: Path) -> None:
    reported = run_together(
        tmp_path, [("tui", "tui-ann", 250), ("tui", "tui-bob", 250)], reader=True
    )
    check_everything_is_there(tmp_path / "journal.db", reported[:2])
    reads = reported[2]["reads"]
    assert isinstance(reads, int) and reads > 20
