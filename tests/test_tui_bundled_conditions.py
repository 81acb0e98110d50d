"""Pilot walks of the bundled refund approval on both sides of its limits (issue 10): the
amount given on the command line decides the automatic 250 EUR check and the suggestion of
finance approval above 2,000 EUR, and the journal says so."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui_support
from procedo.journal import Journal
from procedo.journal.verify import verify_journal
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_support import app_for, first_new_option, make_paths, walk_to_end


@pytest.mark.parametrize(
    ("amount", "automatic", "suggested_at_lead"),
    [
        ("250", "No, 250 EUR or less", ""),  # the team lead is never asked
        ("250.01", "Yes, above 250 EUR", None),  # asked, nothing suggested
        ("2000", "Yes, above 250 EUR", None),
        ("2000.01", "Yes, above 250 EUR", "Needs finance approval"),
    ],
)
async def test_the_refund_walks_each_side_of_its_limits(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    amount: str,
    automatic: str,
    suggested_at_lead: str | None,  # "": the team lead is never asked
) -> None:
    monkeypatch.setitem(tui_support.MET_EXPECTATIONS, "refunded", amount)  # the amount asked
    paths = make_paths(tmp_path)
    start = StartRequest("refund-approval", "Tess", "customer-request", inputs={"amount": amount})
    async with app_for(paths, start=start).run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, RunScreen)
        run = pilot.app.screen.run
        passed = await walk_to_end(pilot, first_new_option, keys=False)  # actions, not keys
        assert isinstance(pilot.app.screen, SummaryScreen)
    state = run.state
    assert (state.status, state.end_node) == ("completed", "refunded")
    checked = next(v for v in state.visits if v.node == "amount-check")
    label = run.definition.decisions["amount-check"].options[checked.choice or 0].label
    assert (checked.chosen_by, label) == ("process", automatic)
    assert "amount-check" not in passed  # the screen never stopped there
    if suggested_at_lead == "":
        assert "lead-approval" not in state.path_nodes()
    else:
        lead = next(v for v in state.visits if v.node == "lead-approval")
        options = run.definition.decisions["lead-approval"].options
        assert lead.basis is not None and lead.basis.values == {"amount": amount}
        shown = None if lead.basis.suggested is None else options[lead.basis.suggested].label
        assert shown == suggested_at_lead
        assert (lead.chosen_by, lead.override_reason) == ("operator", None)  # no override
    with Journal(paths.db) as journal:
        assert verify_journal(journal).intact
        assert journal.run_row(state.run_id)["inputs"] == f'{{"amount": "{amount}"}}'
