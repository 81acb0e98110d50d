"""The record of conditions (schema 5): what the sink writes for start inputs, suggestions,
overrides, automatic choices, deviations and inactive items; verify finds it intact and finds
each tampered column; an older journal upgrades; the figures; ``show`` and the export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conditions_fixture import build
from procedo.cli import cli
from procedo.journal import Journal
from procedo.journal.metrics import compute_metrics
from procedo.journal.run_record import load_run_record
from procedo.journal.schema import SCHEMA_VERSION
from procedo.journal.verify import verify_journal
from procedo.render.export import to_markdown
from schema5_downgrade import drop_schema_5


@pytest.fixture
def journal_file(tmp_path: Path) -> tuple[Path, str, str]:
    db = tmp_path / "j.db"
    high, low = build(db, tmp_path)
    return db, high, low


def rows(db: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def tamper(db: Path, sql: str, *params: Any) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def breaches(db: Path) -> list[str]:
    with Journal(db) as journal:
        return [str(b) for b in verify_journal(journal).breaches]


def test_the_runs_rows_hold_the_start_inputs(journal_file: tuple[Path, str, str]) -> None:
    db, high, low = journal_file
    held = {r["id"]: r["inputs"] for r in rows(db, "SELECT id, inputs FROM runs")}
    assert json.loads(held[high]) == {"amount": "300"}
    assert json.loads(held[low]) == {"amount": "100"}


def test_decision_visits_hold_the_suggestion_who_chose_and_the_override(
    journal_file: tuple[Path, str, str],
) -> None:
    db, high, low = journal_file
    sql = (
        "SELECT node, choice, suggested, chosen_by, override_reason, basis_values FROM visits "
        "WHERE run_id = ? AND kind = 'decision' ORDER BY visit"
    )
    auto, override = rows(db, sql, high)
    assert (auto["node"], auto["choice"], auto["suggested"], auto["chosen_by"]) == (
        "limit",
        0,
        0,
        "process",
    )
    assert json.loads(auto["basis_values"]) == {"amount": "300"}
    assert override["suggested"] == 1 and override["choice"] == 0
    assert override["chosen_by"] == "operator"
    assert override["override_reason"] == "bled by [red]the fitter[/red], gauge stuck"
    assert json.loads(override["basis_values"]) == {"pressure": "5"}
    by_default, confirmed = rows(db, sql, low)
    assert (by_default["choice"], by_default["suggested"], by_default["chosen_by"]) == (
        1,
        1,
        "process",
    )
    assert (confirmed["choice"], confirmed["suggested"], confirmed["chosen_by"]) == (
        0,
        0,
        "operator",
    )
    assert confirmed["override_reason"] is None
    steps = rows(db, "SELECT * FROM visits WHERE kind != 'decision'")
    assert all(r["chosen_by"] is None and r["basis_values"] is None for r in steps)


def test_marks_hold_deviations_and_inactive_items(journal_file: tuple[Path, str, str]) -> None:
    db, high, low = journal_file
    sql = (
        "SELECT visit, item, value, na_reason, deviation, deviation_reason, inactive "
        "FROM marks WHERE run_id = ? ORDER BY visit, item"
    )
    explained, routed = (r for r in rows(db, sql, high) if r["deviation"])
    assert (explained["value"], explained["deviation_reason"]) == (
        "230",
        "meter <faulty>, [re-measured] by hand",
    )
    assert (routed["visit"], routed["value"], routed["deviation_reason"]) == (2, "5", None)
    inactive = [r for r in rows(db, sql, low) if r["inactive"]]
    assert inactive == [
        {
            "visit": 0,
            "item": 1,
            "value": None,
            "na_reason": None,
            "deviation": 0,
            "deviation_reason": None,
            "inactive": 1,
        }
    ]
    fine = [r for r in rows(db, sql, low) if not r["inactive"]]
    assert [r["deviation"] for r in fine] == [0, 0]


def test_the_definition_rows_hold_the_conditions(journal_file: tuple[Path, str, str]) -> None:
    db, _, _ = journal_file
    items = rows(db, "SELECT node, item, value_id, expect, when_condition FROM items")
    assert {"node": "check", "item": 0, "value_id": "residual_v", "expect": "residual_v < 1",
            "when_condition": None} in items  # fmt: skip
    assert {"node": "check", "item": 1, "value_id": None, "expect": None,
            "when_condition": "amount > 250"} in items  # fmt: skip
    options = rows(db, "SELECT node, option, when_condition, is_default FROM options")
    assert {"node": "limit", "option": 1, "when_condition": None, "is_default": 1} in options
    assert {"node": "safe", "option": 1, "when_condition": "pressure >= 2", "is_default": 0} in (
        options
    )


def test_verify_finds_such_a_journal_intact(journal_file: tuple[Path, str, str]) -> None:
    db, _, _ = journal_file
    assert breaches(db) == []


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("UPDATE marks SET deviation_reason = 'fine' WHERE deviation_reason IS NOT NULL",
         "deviation_reason"),
        ("UPDATE marks SET deviation = 0 WHERE deviation = 1", "deviation"),
        ("UPDATE marks SET inactive = 0 WHERE inactive = 1", "inactive"),
        ("UPDATE visits SET override_reason = NULL WHERE override_reason IS NOT NULL",
         "override_reason"),
        ("UPDATE visits SET suggested = choice WHERE override_reason IS NOT NULL", "suggested"),
        ("UPDATE visits SET chosen_by = 'operator' WHERE chosen_by = 'process'", "chosen_by"),
        ("UPDATE visits SET basis_values = '{\"amount\": \"9\"}' WHERE node = 'limit'",
         "basis_values"),
        ("UPDATE runs SET inputs = '{\"amount\": \"1\"}'", "inputs"),
        ("UPDATE items SET expect = NULL", "items"),
        ("UPDATE options SET is_default = 0", "options"),
    ],
)  # fmt: skip
def test_verify_reports_a_tampered_condition_column(
    journal_file: tuple[Path, str, str], sql: str, said: str
) -> None:
    db, _, _ = journal_file
    tamper(db, sql)
    found = breaches(db)
    assert found, sql
    assert any(said in problem for problem in found), found


def test_a_schema_4_journal_upgrades_to_the_latest_and_verifies(
    journal_file: tuple[Path, str, str],
) -> None:
    db, high, _ = journal_file
    conn = sqlite3.connect(db)
    drop_schema_5(conn)
    conn.commit()
    conn.close()
    with Journal(db) as journal:
        assert journal.rows("PRAGMA user_version")[0]["user_version"] == SCHEMA_VERSION == 9
    # a schema-4 journal held no condition columns: the defaults are what an older procedo
    # gives, so the runs with conditions now disagree with the columns their events give...
    chosen = rows(db, "SELECT chosen_by FROM visits WHERE kind = 'decision'")
    assert {r["chosen_by"] for r in chosen} == {None}  # no basis known: a person's choice
    found = breaches(db)
    assert found and all(high in b or True for b in found)


def test_an_upgraded_journal_without_conditions_verifies_intact(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    from procedo.model import load_file

    db = tmp_path / "plain.db"
    with Journal(db) as journal:
        process = load_file(repo / "processes" / "incident-response.toml")  # no conditions
        trigger = process.definition.triggers[0].id if process.definition.triggers else None
        run = journal.start_run(process, "Cy", trigger)
        for index in run.open_items():
            spec = run.definition.steps[run.state.current_node or ""].items[index]
            if spec.record is None:
                run.check(index)
            else:
                run.record(index, spec.choices[0] if spec.choices else "1")
        run.complete()
        if run.state.awaiting_role is not None:
            run.accept_role()
        assert run.state.current_node in run.definition.decisions
        run.choose(0)
    conn = sqlite3.connect(db)
    drop_schema_5(conn)
    conn.commit()
    conn.close()
    assert breaches(db) == []
    chosen = rows(db, "SELECT chosen_by FROM visits WHERE outcome = 'chosen'")
    assert chosen and {r["chosen_by"] for r in chosen} == {None}


def test_the_figures_of_conditions(journal_file: tuple[Path, str, str]) -> None:
    db, _, _ = journal_file
    with Journal(db) as journal:
        m = compute_metrics(journal, "cond")
    by_item = {(d.node, d.item): d for d in m.deviations}
    voltage = by_item["check", 0]
    assert (voltage.recorded, voltage.missed, voltage.share) == (2, 1, 0.5)
    assert voltage.expect == "residual_v < 1"
    assert [(v.value, v.count) for v in voltage.values] == [("230", 1)]
    pressure = by_item["measure", 0]
    assert (pressure.recorded, pressure.missed) == (2, 1)
    assert [(v.value, v.count) for v in pressure.values] == [("5", 1)]
    by_node = {s.node: s for s in m.suggestions}
    limit, safe = by_node["limit"], by_node["safe"]
    assert (limit.choices, limit.suggested, limit.automatic, limit.confirmed) == (2, 2, 2, 0)
    assert limit.overridden == 0
    assert (safe.choices, safe.confirmed, safe.overridden, safe.automatic) == (2, 1, 1, 0)
    assert [(i.node, i.item, i.when, i.count) for i in m.inactive] == [
        ("check", 1, "amount > 250", 1)
    ]
    assert m.not_applicable == ()  # an inactive item is not counted as not applicable


def test_practice_runs_stay_out_of_the_figures_of_conditions(tmp_path: Path) -> None:
    from conditions_fixture import loaded

    db = tmp_path / "p.db"
    with Journal(db) as journal:
        run = journal.start_run(loaded(tmp_path), "Ann", practice=True, inputs={"amount": "9"})
        run.record(0, "400")
        run.explain(0, "practice")
        m = compute_metrics(journal, "cond")
        with_practice = compute_metrics(journal, "cond", include_practice=True)
    assert m.deviations == () and m.inactive == ()
    assert [(d.recorded, d.missed) for d in with_practice.deviations] == [(1, 1)]


def test_show_prints_the_inputs_the_choices_and_the_deviations(
    journal_file: tuple[Path, str, str],
) -> None:
    db, high, low = journal_file
    result = CliRunner().invoke(cli, ["--db", str(db), "show", high])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Amount asked (amount) = 300 EUR" in out
    assert "Yes, escalate: chosen by the process (the condition is amount > 250; " in out
    assert "amount = 300 EUR" in out
    assert "Yes, work may start: overrode the suggestion No, bleed it first" in out
    assert "reason: bled by [red]the fitter[/red], gauge stuck" in out
    assert "Voltage at the isolator = 230 V, expected residual_v < 1; reason: meter" in out
    assert "Pressure = 5 bar, expected pressure < 2; routed by the flow" in out
    assert "Check 300 EUR" in out  # the placeholder filled with the run's value
    out_low = CliRunner().invoke(cli, ["--db", str(db), "show", low]).output
    assert "Manager signs for 100 EUR EUR: inactive (amount > 250 was false)" not in out_low
    assert "Manager signs for 100 EUR: inactive (amount > 250 was false)" in out_low
    assert "No: chosen by the process (no condition held: the default; amount = 100 EUR)" in (
        out_low
    )
    assert "Yes, work may start: the suggestion, confirmed" in out_low
    data = json.loads(CliRunner().invoke(cli, ["--db", str(db), "show", high, "--json"]).output)
    assert data["conditions"]["deviations"][1]["reason"] is None
    assert data["run"]["inputs"] == '{"amount": "300"}'


def test_the_markdown_export_has_the_sections_of_conditions(
    journal_file: tuple[Path, str, str],
) -> None:
    db, high, low = journal_file
    with Journal(db) as journal:
        text = to_markdown(load_run_record(journal, high))
        plain = to_markdown(load_run_record(journal, low))
    assert "## Start inputs" in text and "| Amount asked | `amount` | 300 EUR |" in text
    assert "## Suggested and automatic choices" in text
    assert "| chosen by the process |" in text and "| overridden |" in text
    assert "bled by \\[red\\]the fitter\\[/red\\], gauge stuck" in text  # literal, escaped
    assert "## Deviations" in text and "| routed by the flow |" in text
    assert "meter \\<faulty\\>, \\[re-measured\\] by hand" in text
    assert "## Inactive items" in plain and "| amount \\> 250 |" in plain
    assert "| suggestion confirmed |" in plain
    assert "{amount}" not in text.split("## Events")[0].split("## Path")[1]


def test_stats_prints_the_figures_of_conditions(journal_file: tuple[Path, str, str]) -> None:
    db, _, _ = journal_file
    result = CliRunner().invoke(cli, ["--db", str(db), "stats", "cond"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Expected values missed" in out
    assert (
        "50 % Voltage at the isolator (check): missed 1 of 2 values: expected residual_v < 1"
        in (out)
    )
    assert "— 230 (1)" in out
    assert "Safe to work? (safe): 2 choices · 1 confirmed · 1 overridden · 0 automatic" in out
    assert "(limit): 2 choices · 0 confirmed · 0 overridden · 2 automatic" in out
    assert "1× Manager signs for {amount} EUR (check) when amount > 250" in out
    data = json.loads(CliRunner().invoke(cli, ["--db", str(db), "stats", "cond", "--json"]).output)
    assert data["deviations"][0]["missed"] == 1 and data["inactive"][0]["count"] == 1
