"""Time the BPMN 2.0 import of a generated file of 500 flow nodes.

The file is one pool with three lanes: a start event, then blocks in turn (a task; an
exclusive split with a condition on one flow, two tasks and a merge; a parallel split, two
tasks and a join; a timer event), then an end: 500 flow nodes and about 560 sequence flows,
each task with a documentation. Times ``import_bpmn`` (parse with defusedxml, map, write TOML,
validate with the loader), the best and the median of 5, after one warm-up run (the first
compiles the CEL environment).

Run: ``.venv/bin/python bench/bpmn_import.py`` (or ``make bench``). Aim: under 1 s.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time

from procedo.importers.bpmn import import_bpmn
from procedo.model import parse_definition

NODES = 500
REPEATS = 5
LANES = ("Operator", "Supervisor", "Maintenance")


def generate(nodes: int = NODES) -> str:
    """A BPMN file of ``nodes`` flow nodes (give or take a block's size at the end)."""
    elements: list[str] = []
    flows: list[str] = []
    lanes: dict[str, list[str]] = {lane: [] for lane in LANES}
    count = 0

    def node(tag: str, name: str = "", body: str = "") -> str:
        nonlocal count
        count += 1
        key = f"n{count}"
        elements.append(f'<bpmn:{tag} id="{key}" name="{name}">{body}</bpmn:{tag}>')
        lanes[LANES[count % len(LANES)]].append(key)
        return key

    def flow(source: str, target: str, name: str = "", condition: str = "") -> None:
        body = (
            f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
            "</bpmn:conditionExpression>"
            if condition
            else ""
        )
        flows.append(
            f'<bpmn:sequenceFlow id="f{len(flows)}" name="{name}" sourceRef="{source}" '
            f'targetRef="{target}">{body}</bpmn:sequenceFlow>'
        )

    def task(label: str) -> str:
        return node("userTask", label, f"<bpmn:documentation>Do {label} carefully."
                    "</bpmn:documentation>")  # fmt: skip

    last = node("startEvent", "Shift starts")
    block = 0
    while count < nodes - 1:
        block += 1
        kind = block % 4
        if kind == 0:
            step = task(f"Check station {block}")
            flow(last, step)
            last = step
        elif kind == 1:
            split = node("exclusiveGateway", f"Reading {block} in range?")
            ok, bad = task(f"Log reading {block}"), task(f"Recalibrate {block}")
            merge = node("exclusiveGateway")
            flow(last, split)
            flow(split, ok, "Yes", f"${{reading &lt;= {block * 10}}}")
            flow(split, bad, "No")
            flow(ok, merge)
            flow(bad, merge)
            last = merge
        elif kind == 2:
            split = node("parallelGateway", f"Both checks {block}")
            one, two = task(f"Inspect valve {block}"), task(f"Inspect pump {block}")
            join = node("parallelGateway")
            flow(last, split)
            flow(split, one)
            flow(split, two)
            flow(one, join)
            flow(two, join)
            last = join
        else:
            wait = node(
                "intermediateCatchEvent",
                f"Cool down {block}",
                "<bpmn:timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration>"
                "</bpmn:timerEventDefinition>",
            )
            flow(last, wait)
            last = wait
    end = node("endEvent", "Shift done")
    flow(last, end)
    lane_xml = "".join(
        f'<bpmn:lane id="lane{i}" name="{lane}">'
        + "".join(f"<bpmn:flowNodeRef>{k}</bpmn:flowNodeRef>" for k in keys)
        + "</bpmn:lane>"
        for i, (lane, keys) in enumerate(lanes.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs">\n'
        '<bpmn:process id="shift" name="Generated shift">\n'
        f'<bpmn:laneSet id="lanes">{lane_xml}</bpmn:laneSet>\n'
        + "\n".join(elements + flows)
        + "\n</bpmn:process>\n</bpmn:definitions>\n"
    )


def main() -> None:
    """Print the figures."""
    text = generate()
    nodes = text.count(' id="n')
    [result] = import_bpmn(text)  # warm-up: imports, the CEL environment
    definition = parse_definition(result.toml, default_id=result.process_id)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        import_bpmn(text)
        times.append(time.perf_counter() - started)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    print(
        f"file: {len(text) / 1024:.0f} KiB, {text.count('<bpmn:sequenceFlow')} sequence flows, "
        f"{nodes} flow nodes; imported: {len(definition.steps)} steps, "
        f"{len(definition.decisions)} decisions, {len(definition.parallel)} parallel blocks, "
        f"{len(result.report)} report lines"
    )
    print(
        f"import_bpmn (parse, map, TOML, validate): best {min(times) * 1000:.0f} ms, "
        f"median {statistics.median(times) * 1000:.0f} ms (aim: under 1 s)"
    )
    sys.exit(0 if min(times) < 1 else 1)


if __name__ == "__main__":
    main()
