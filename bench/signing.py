"""Issue 11's signatures: what a signer waits for, and what verify pays for them.

- the PIN check alone (scrypt at the default parameters, n=2^15 r=8 p=1: the cost is the point);
- ``authenticate`` on a journal (the check, the lock state read): right PIN, and a wrong one
  (which also writes its ``failed`` row durably);
- ``Run.sign`` on a journal (the durable ``sign`` event);
- ``verify_signatures`` over N runs of two sign-offs each.

Run: ``.venv/bin/python bench/signing.py [--runs 200]``. Prints medians of 7 (ms).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from procedo.journal import Journal
from procedo.journal.secrets import hash_secret, verify_secret
from procedo.journal.signers import SignRefused, add_signer, authenticate
from procedo.journal.verify import verify_journal
from procedo.model import load_file

PIN = "135790"
PROCESS = """
[process]
id = "hold"
title = "A hold point"
start = "work"

[roles]
doer = "Doer"
checker = "Checker"

[steps.work]
title = "Do the work"
role = "doer"
next = "done"
items = ["Do it", "Check it"]
signoff = [{ role = "doer", meaning = "performed" },
           { role = "checker", meaning = "verified", distinct = true }]

[ends.done]
title = "Done"
outcome = "success"
"""


def median_ms(work: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    stored = hash_secret(PIN)
    check = median_ms(lambda: verify_secret(PIN, stored))
    print(f"PIN check alone (scrypt)            {check:8.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "hold.toml").write_text(PROCESS, encoding="utf-8")
        loaded = load_file(Path(folder) / "hold.toml")
        with Journal(Path(folder) / "journal.db") as journal:
            for signer_id, role in (("dora", "doer"), ("carl", "checker")):
                add_signer(journal, signer_id, signer_id.title(), [role], PIN)
            print(
                f"authenticate, right PIN             "
                f"{median_ms(lambda: authenticate(journal, 'dora', PIN, now_ms=None)):8.1f} ms"
            )

            def wrong() -> None:
                with contextlib.suppress(SignRefused):
                    authenticate(journal, "carl", "000000", now_ms=None)

            print(f"authenticate, wrong PIN (logged)    {median_ms(wrong, repeat=4):8.1f} ms")
            dora = authenticate(journal, "dora", PIN, now_ms=None)
            carl_signer = None
            sign_times = []
            for _ in range(runs):
                run = journal.start_run(loaded, "Olga")
                run.check(0)
                run.check(1)
                started = time.perf_counter()
                run.sign(0, dora)
                sign_times.append((time.perf_counter() - started) * 1000)
                if carl_signer is None:
                    carl_signer = authenticate(journal, "carl", PIN, now_ms=None)
                run.sign(1, carl_signer)
                run.complete()
                journal.release(run.run_id)
            print(
                f"Run.sign, durable (median of {runs})     {statistics.median(sign_times):8.1f} ms"
            )
            started = time.perf_counter()
            report = verify_journal(journal)
            took = (time.perf_counter() - started) * 1000
            said = f"{took:8.1f} ms  intact={report.intact}"
            print(f"verify of {runs} runs, {2 * runs} signatures   {said}")


if __name__ == "__main__":
    main()
