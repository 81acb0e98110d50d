"""Review finding: the Markdown import took ``Outcomes:``, ``Join:`` and ``Calls:`` for the
fields of a calling step or a parallel block wherever they stood. On an ordinary checklist
page, a step whose text says "Outcomes: write them in the lab log." lost its whole checklist
(the list under it was read as a call's outcomes and dropped, silently), "Join: ..." vanished
from the instructions, and "Calls: the supplier, ..." refused the page as an invalid process
id. They are fields only where they belong: ``Outcomes:`` after ``Calls:``, ``Join:`` after
``Parallel:``, ``Calls:`` naming a process id (alone or with its ``*(id: ...)*``)."""

from __future__ import annotations

from procedo.importers.markdown import import_markdown

PAGE = """# Review

## Ring round

Calls: the supplier, then the carrier.

- [ ] Supplier rung
- [ ] Carrier rung

## Review the results

Outcomes: write them in the lab log.

- [ ] Compare with the reference
- [ ] Sign the sheet

## Meet

Join: the morning meeting on the second floor.

- [ ] Minutes taken
"""


def test_the_words_of_an_ordinary_page_stay_text_and_its_checklists_stay() -> None:
    definition = import_markdown(PAGE, process_id="review").definition
    steps = definition.steps
    ring, results, meet = steps["ring-round"], steps["review-the-results"], steps["meet"]
    assert [i.text for i in ring.items] == ["Supplier rung", "Carrier rung"]
    assert ring.call is None and "the supplier, then the carrier" in ring.instructions
    assert [i.text for i in results.items] == ["Compare with the reference", "Sign the sheet"]
    assert "write them in the lab log" in results.instructions
    assert [i.text for i in meet.items] == ["Minutes taken"]
    assert "the morning meeting" in meet.instructions
    assert not definition.parallel


CALLING = """# Isolate

## Prove the tester

- [ ] Fetch the tester

Calls: tester-check

Outcomes:

- success → [Work](#work)
- failure → [Stopped](#stopped)

## <a id="work"></a>Work

- [ ] Do it

## <a id="stopped"></a>Stopped

Outcome: failure
"""


def test_the_fields_of_a_calling_step_are_still_read() -> None:
    definition = import_markdown(CALLING, process_id="isolate").definition
    step = definition.steps["prove-the-tester"]
    assert step.call == "tester-check"
    assert step.outcomes == {"success": "work", "failure": "stopped"}
