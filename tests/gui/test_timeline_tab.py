"""The timeline tab says each thing that happened once, in plain words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factory import make_child

TODAY = dt.date.today()


def test_each_entry_says_what_happened_once(qtbot: Any, qtmodeltester: Any, store: Any) -> None:
    from iro_desktop.caseload import escalations
    from iro_desktop.gui.timeline_tab import TimelineTab

    with store.transaction() as session:
        child = make_child(session, first_name="Tia", looked_after_since=TODAY - dt.timedelta(200),
                           reviews=[TODAY - dt.timedelta(180)])
        review = child.reviews[0]
        review.decisions_circulated_on = TODAY - dt.timedelta(176)
        review.record_completed_on = TODAY - dt.timedelta(170)
        alert_id = escalations.raise_escalation(
            session, child.id,
            escalations.EscalationInput(kind=escalations.GOOD_PRACTICE,
                                        raised_on=TODAY - dt.timedelta(20), concern="Well done.",
                                        themes=["Education"]),
            today=TODAY)
        escalations.record_response(session, alert_id, TODAY - dt.timedelta(10), "Thanks.",
                                    today=TODAY)
        child_id = child.id
    tab = TimelineTab(store, child_id)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model)
    whats = {tab.model.index(r, 1).data() for r in range(tab.model.rowCount())}
    assert "✔ Review record completed" in whats  # not "Record completed: Review record completed"
    assert "● Initial review" in whats  # not "Review: Initial review"
    assert "⚑ Good-practice alert" in whats  # not "Escalation raised: Good-practice alert"
    assert "↩ Response to the good-practice alert" in whats
    for what in whats:
        words = [w.strip(":()…,.").casefold() for w in what.split()]
        assert not [w for w in words if len(w) >= 4 and words.count(w) > 1], what
