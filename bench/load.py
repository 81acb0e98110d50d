"""Time loading and validating process definitions (issue 15's figure and the loader's).

Generates, in a temporary folder, 200 process files of 100 nodes each and one file of 10,000
nodes (steps with several items, decisions with loops back, ends), checks they are valid, then
times, cold (nothing cached):

- what ``procedo validate`` does with the 200 files (``check_catalog``: a pool of one
  process per core), and ``procedo validate DIR`` end to end in a new process (with Python's
  and the CLI's start-up, printed apart: ``procedo --version``);
- ``load_catalog`` on the 200 (what the app does: one process, every model built);
- ``load_file`` on the large one, cold and warm (the parse cache keeps files that large).

Run: ``.venv/bin/python bench/load.py`` (or ``make bench``). It exits 1 when the issue's aim
is missed: ``procedo validate`` of the 200 files, cold, under 0.5 s (median of 5, start-up
apart). The other figures are printed for comparison.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import procedo
from procedo.model import load_catalog, load_file
from procedo.model.catalog_check import check_catalog
from procedo.model.parse_cache import ENV_CACHE_DIR

SMALL_FILES = 200
SMALL_NODES = 100
LARGE_NODES = 10_000
REPEATS = 5
VALIDATE_AIM = 0.5

VERBS = ["Check", "Confirm", "Record", "Inspect", "Verify", "Label", "Photograph", "Clean", "Log"]
OBJECTS = [
    "the seal on the container",
    "the delivery note against the order",
    "the pressure gauge reading",
    "the spare parts in the kit",
    "the customer's account status",
    "the backup from last night",
    "the isolation valve position",
    "the safety signage at the entrance",
    "the calibration sticker date",
    "the handover notes from the last shift",
]
ROLES = {"operator": "Operator", "lead": "Shift lead", "qa": "Quality assurance"}


def q(text: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML for ASCII text)."""
    return json.dumps(text)


def item_line(rng: random.Random, index: int) -> str:
    """One checklist item: mostly plain strings, some tables with roles, records, details."""
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    roll = rng.random()
    if roll < 0.45:
        return q(text)
    if roll < 0.6:
        return f"{{ text = {q(text)}, critical = true }}"
    if roll < 0.7:
        return f"{{ text = {q(text)}, role = {q(rng.choice(list(ROLES)))} }}"
    if roll < 0.8:
        low = rng.randint(0, 20)
        return (
            f'{{ text = {q(f"Reading {index}")}, record = "number", unit = "degC", '
            f"min = {low}, max = {low + rng.randint(5, 60)} }}"
        )
    if roll < 0.88:
        return f'{{ text = {q(f"Grade {index}")}, record = "choice", choices = ["A", "B", "C"] }}'
    if roll < 0.94:
        return f'{{ text = {q(f"Reference {index}")}, record = "text" }}'
    return (
        f"{{ text = {q(text)}, details = "
        f"{q('Use the laminated card at the station; ask the lead when unsure.')} }}"
    )


def process_text(process_id: str, nodes: int, seed: int) -> str:
    """A valid process of ``nodes`` nodes: a main line of steps and decisions, and ends.

    Every decision continues along the main line, and either leaves for an end or loops back
    to an earlier node; the last node leads to the first end. So every node is reachable and
    every node can finish.
    """
    rng = random.Random(seed)
    ends = max(2, nodes // 10)
    decisions = max(1, nodes // 5)
    steps = nodes - ends - decisions
    kinds = ["step"] * steps + ["decision"] * decisions
    rng.shuffle(kinds)
    kinds[0] = "step"
    line = [f"{kind[0]}{i:05d}" for i, kind in enumerate(kinds)]
    end_ids = [f"end{i:04d}" for i in range(ends)]

    out = [
        "[process]",
        f"id = {q(process_id)}",
        f"title = {q('Generated process ' + process_id)}",
        'version = "1.0"',
        f"summary = {q('A generated process with ' + str(nodes) + ' nodes, for the benchmark.')}",
        'owner = "Benchmark"',
        f"start = {q(line[0])}",
        "target_minutes = 90",
        'resources = ["Clipboard", "Torch", "Label printer"]',
        "",
        "[roles]",
        *(f"{key} = {q(name)}" for key, name in ROLES.items()),
        "",
        "[[triggers]]",
        'id = "scheduled"',
        'title = "Scheduled run"',
        "",
        "[[triggers]]",
        'id = "resume"',
        'title = "Resume after an interruption"',
        f"start = {q(line[1])}",
        "",
    ]
    decision_count = 0
    for position, (node_id, kind) in enumerate(zip(line, kinds, strict=True)):
        following = line[position + 1] if position + 1 < len(line) else end_ids[0]
        role = rng.choice(list(ROLES))
        if kind == "step":
            out += [
                f"[steps.{node_id}]",
                f"title = {q(rng.choice(VERBS) + ' ' + rng.choice(OBJECTS))}",
                f"role = {q(role)}",
                f"instructions = {q('Work through the list in order and tick each line.')}",
                f"next = {q(following)}",
                "items = [",
                *(f"  {item_line(rng, i)}," for i in range(rng.randint(3, 7))),
                "]",
                "",
            ]
            continue
        if decision_count < ends or rng.random() < 0.6:
            other = end_ids[decision_count % ends]
        else:
            other = line[rng.randrange(0, position)]  # a loop back; the main line still finishes
        decision_count += 1
        out += [
            f"[decisions.{node_id}]",
            f"question = {q('Is ' + rng.choice(OBJECTS) + ' in order?')}",
            f"role = {q(role)}",
            "options = [",
            f'  {{ label = "Yes", next = {q(following)} }},',
            f'  {{ label = "No", next = {q(other)} }},',
            "]",
            "",
        ]
    for index, end_id in enumerate(end_ids):
        outcome = "success" if index % 3 == 0 else "failure"
        out += [
            f"[ends.{end_id}]",
            f"title = {q('Finished: outcome ' + str(index))}",
            f'outcome = "{outcome}"',
            "",
        ]
    return "\n".join(out)


def timed(func: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    """Wall-clock seconds of ``repeats`` calls (bench/docs_import.py uses it too)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the pool's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_with_cpu(func: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``REPEATS`` calls (CPU does not depend on the load)."""
    walls, cpus = [], []
    for _ in range(REPEATS):
        started, used = time.perf_counter(), cpu_seconds()
        func()
        walls.append(time.perf_counter() - started)
        cpus.append(cpu_seconds() - used)
    return walls, cpus


def command_times(*args: str, env: dict[str, str]) -> list[float]:
    """Wall-clock seconds of ``python -m procedo ARGS`` in a new process, ``REPEATS`` times."""
    command = [sys.executable, "-m", "procedo", *args]
    return timed(lambda: subprocess.run(command, env=env, capture_output=True, check=False))


def report(label: str, times: list[float], aim: str = "", cpu: list[float] | None = None) -> str:
    """One line: best and median (and the median CPU time when measured)."""
    best, median = min(times), statistics.median(times)
    used = f", CPU median {statistics.median(cpu):.3f} s" if cpu else ""
    suffix = f" (aim {aim})" if aim else ""
    return f"{label}: best {best:.3f} s, median {median:.3f} s{used}{suffix}"


def write_files(tmp: str) -> tuple[Path, Path]:
    """The 200 small files in a folder, and the large file."""
    small_dir = Path(tmp, "small")
    small_dir.mkdir()
    for number in range(SMALL_FILES):
        process_id = f"bench-{number:03d}"
        text = process_text(process_id, SMALL_NODES, seed=number)
        (small_dir / f"{process_id}.toml").write_text(text, encoding="utf-8")
    large = Path(tmp, "large.toml")
    large.write_text(process_text("large", LARGE_NODES, seed=10_000), encoding="utf-8")
    return small_dir, large


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="procedo-bench-") as tmp:
        os.environ[ENV_CACHE_DIR] = "off"  # cold: every file parsed
        small_dir, large = write_files(tmp)
        checked = check_catalog([small_dir])
        if checked.problems or len(checked.valid_ids) != SMALL_FILES:
            for problem in checked.problems[:10]:
                print(problem)
            print("the generated files are not valid", file=sys.stderr)
            return 1
        if len(load_file(large).definition.node_ids()) != LARGE_NODES:
            print("the large file has the wrong size", file=sys.stderr)
            return 1

        small_mb = sum(p.stat().st_size for p in small_dir.iterdir()) / 1e6
        large_mb = large.stat().st_size / 1e6
        paths = [str(Path(procedo.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        validate, validate_cpu = timed_with_cpu(lambda: check_catalog([small_dir]))
        command = command_times("validate", str(small_dir), env=env)
        start_up = command_times("--version", env=env)
        serial, serial_cpu = timed_with_cpu(lambda: check_catalog([small_dir], workers=1))
        catalog, catalog_cpu = timed_with_cpu(lambda: load_catalog([small_dir]))
        cold_large, cold_large_cpu = timed_with_cpu(lambda: load_file(large))
        os.environ[ENV_CACHE_DIR] = str(Path(tmp, "cache"))  # a fresh cache, filled once
        load_file(large)
        warm_large = timed(lambda: load_file(large))

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    print(f"best and median of {REPEATS}, cold unless said; load average {os.getloadavg()[0]:.1f}")
    small = f"{SMALL_FILES} files x {SMALL_NODES} nodes ({small_mb:.1f} MB)"
    print(report(f"procedo validate, {small}", validate, f"< {VALIDATE_AIM} s", validate_cpu))
    print(report("  the same in one process", serial, cpu=serial_cpu))
    print(report("  `procedo validate DIR`, end to end", command))
    print(report("  of which start-up (`procedo --version`)", start_up))
    print(report(f"load_catalog (the app), {small}", catalog, cpu=catalog_cpu))
    large_label = f"load_file, 1 file x {LARGE_NODES} nodes ({large_mb:.1f} MB)"
    print(report(large_label, cold_large, cpu=cold_large_cpu))
    print(report("  the same, warm (parse cache)", warm_large))
    if statistics.median(validate) >= VALIDATE_AIM:
        print(f"aim missed: procedo validate of the {SMALL_FILES} files, median over 0.5 s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
