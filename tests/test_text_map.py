"""The terminal map: each node drawn once, loops as back references, run styles, figures."""

from __future__ import annotations

import time
from typing import Any

from procedo.model import ProcessDefinition, load_file, parse_definition
from procedo.model.figures import MapFigures
from procedo.render.flow_graph import short_condition
from procedo.render.text_map import TEXT_MAP_CONDITION, reachable_from, render_text_map
from tui_support import BUNDLED


def render_text(definition: ProcessDefinition, **options: Any) -> str:
    """The map's lines joined, as ``procedo diagram --format text`` prints them."""
    return "".join(f"{line.text}\n" for line in render_text_map(definition, **options))


INCIDENT = load_file(BUNDLED / "incident-response.toml").definition

INCIDENT_MAP = """\
  Triage the alert · On-call engineer
  ◇ Are customers affected? · Incident commander
├─ Yes
│    Mitigate · On-call engineer
│    ◇ Is the error rate back to normal?
│  ├─ Yes → ● Service restored (success)
│  ├─ No, try again → ↺ Mitigate
│  └─ No, escalate → ✗ Escalated to the vendor (failure)
└─ No → ● No customer impact (success)
! Non-normal checklists, highest priority first:
  ! Security finding · warning · Incident commander
    at any step or decision
    then → ↩ back to where the run was
  ! A second incident starts · caution · Incident commander
    at any step or decision
    then → ↩ back to where the run was
"""


def test_the_incident_map_reads_as_a_tree_with_its_loop_drawn_once() -> None:
    assert render_text(INCIDENT) == INCIDENT_MAP


def test_every_bundled_process_draws_every_node_exactly_once() -> None:
    for path in sorted(BUNDLED.glob("*.toml")):
        definition = load_file(path).definition
        lines = render_text_map(definition)
        drawn = [
            line.node
            for line in lines
            if line.node
            and not {"↺", "↪"} & set(line.text)
            and definition.kind_of(line.node) != "end"
        ]
        expected = [n for n in definition.node_ids() if definition.kind_of(n) != "end"]
        assert sorted(drawn) == sorted(expected), path.name
        ends = {line.node for line in lines if line.node in definition.ends}
        assert ends == set(definition.ends), path.name


def test_a_run_styles_its_path_its_place_and_what_is_still_possible() -> None:
    lines = render_text_map(INCIDENT, visited={"triage", "impact"}, current="mitigate")
    by_text = {line.text.lstrip("│ "): line.style for line in lines}
    assert by_text["✓ Triage the alert · On-call engineer"] == "visited"
    assert by_text["✓ ◇ Are customers affected? · Incident commander"] == "visited"
    assert by_text["▶ Mitigate · On-call engineer"] == "current"
    assert by_text["◇ Is the error rate back to normal?"] == "possible"
    assert by_text["└─ No → ● No customer impact (success)"] == "unreachable"
    assert [line.style for line in lines].count("current") == 1
    assert by_text["├─ Yes"] == "visited"
    assert by_text["├─ No, try again → ↺ Mitigate"] == "possible"


def test_without_a_run_everything_is_possible() -> None:
    assert {line.style for line in render_text_map(INCIDENT)} == {"possible"}


def test_reachable_from_follows_loops_and_stops() -> None:
    assert reachable_from(INCIDENT, "mitigate") == {
        "mitigate",
        "fixed",
        "resolved",
        "escalated",
    }
    assert reachable_from(INCIDENT, None) == set()


def test_figures_label_edges_with_counts_and_shares_and_steps_with_medians() -> None:
    figures = MapFigures(
        runs=4,
        node_visits={"triage": 4, "impact": 4, "mitigate": 3, "fixed": 3, "resolved": 3},
        edge_counts={("impact", "mitigate", "Yes"): 3, ("impact", "closed", "No"): 1},
        median_seconds={"triage": 95.0, "mitigate": 3725.0},
        commonest_path=("triage", "impact", "mitigate", "fixed", "resolved"),
    )
    text = render_text(INCIDENT, figures=figures)
    assert "Triage the alert · On-call engineer · 4× median 1 min 35 s" in text
    assert "Mitigate · On-call engineer · 3× median 1 h 02 min" in text
    assert "├─ Yes (3×, 75%)" in text
    assert "└─ No (1×, 25%) → ● No customer impact (success) · never reached" in text
    assert "✗ Escalated to the vendor (failure) · never reached" in text


def test_a_trigger_with_its_own_start_draws_its_branch_under_its_title() -> None:
    refund = load_file(BUNDLED / "refund-approval.toml").definition
    text = render_text(refund)
    assert "⚑ Payment provider reports a chargeback\n    Review the chargeback" in text


def _chain_of_decisions(count: int) -> str:
    parts = ['[process]\ntitle = "Deep"\nstart = "d0"\n']
    for i in range(count):
        parts.append(
            f'[decisions.d{i}]\nquestion = "Q{i} [b]?"\n'
            f'options = [{{ label = "on", next = "d{i + 1}" }}, {{ label = "stop", next = "e" }}]\n'
        )
    parts.append(f'[decisions.d{count}]\nquestion = "last"\n')
    parts.append('options = [{ label = "a", next = "e" }, { label = "b", next = "d0" }]\n')
    parts.append('[ends.e]\ntitle = "End"\noutcome = "success"\n')
    return "".join(parts)


def test_a_deep_chain_of_decisions_neither_recurses_nor_runs_off_the_screen() -> None:
    definition = parse_definition(_chain_of_decisions(3000), source="deep.toml")
    began = time.perf_counter()
    lines = render_text_map(definition)
    assert time.perf_counter() - began < 2
    assert max(len(line.text) for line in lines) < 80
    assert any(line.text.endswith("→ ↺ Q0 [b]?") for line in lines)


def test_the_narrow_map_leaves_out_the_roles() -> None:
    text = render_text(INCIDENT, roles=False)
    assert "  Triage the alert\n  ◇ Are customers affected?\n" in text
    assert "On-call engineer" not in text and "Incident commander" not in text


LAB = load_file(BUNDLED / "lab-sample-intake.toml").definition


def test_a_loop_is_drawn_with_a_back_arrow_and_a_forward_meeting_with_another() -> None:
    text = render_text(LAB, roles=False)
    assert "│    ↺ Inspect containers and paperwork" in text  # corrected paperwork: a loop
    accept = "├─ Yes, accept: add the deviation as a note on this run"
    assert f"{accept} → ↪ Inspect containers and paperwork" in text
    assert "└─ No, reject the shipment → ↪ Reject and document" in text
    assert "↺ Reject" not in text


def test_the_run_s_marks_follow_the_branch_it_took() -> None:
    taken = {
        ("unpack", "temperature-ok"),
        ("temperature-ok", "qa-review"),
        ("qa-review", "inspect"),
    }
    lines = render_text_map(
        LAB,
        visited={"unpack", "temperature-ok", "qa-review"},
        current="inspect",
        taken=taken,
        roles=False,
    )
    texts = [line.text for line in lines]
    current = [i for i, line in enumerate(lines) if "▶" in line.text]
    assert len(current) == 1 and lines[current[0]].style == "current"
    accepted = "├─ ✓ Yes, accept: add the deviation as a note on this run"
    assert texts[current[0] - 1].endswith(accepted)
    untaken = next(line for line in lines if line.text.startswith("├─ Yes"))
    yes = LAB.decisions["temperature-ok"].options[0]  # its condition is written on the branch
    caption = f"Yes [{short_condition(yes.when or '', TEXT_MAP_CONDITION)}]"
    assert untaken.text == f"├─ {caption} → ↪ Inspect containers and paperwork"
    assert untaken.style == "possible"
    assert "└─ ✓ No (default)" in texts  # the default option is marked


def test_an_end_reached_from_two_branches_is_marked_only_where_the_run_reached_it() -> None:
    refund = load_file(BUNDLED / "refund-approval.toml").definition
    ends = [n for n in refund.ends]
    for end in ends:
        sources = [
            d for d, dec in refund.decisions.items() if any(o.next == end for o in dec.options)
        ] + [s for s, step in refund.steps.items() if step.next == end]
        if len(sources) > 1:
            break
    else:
        raise AssertionError("no end with two ways in")
    lines = render_text_map(
        refund, visited=set(refund.node_ids()) - {end}, current=end, taken={(sources[0], end)}
    )
    assert sum("▶" in line.text for line in lines) == 1
