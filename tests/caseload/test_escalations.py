"""Alerts and escalations: the ladder, response dates in working days, responses, moving up,
Cafcass, closing, and good-practice alerts."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop import settings
from iro_desktop.caseload import escalations
from iro_desktop.caseload.escalations import EscalationInput
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Escalation, EscalationStage
from tests.factory import make_child

D = dt.date
TODAY = D(2026, 2, 27)
THEMES = ["Care plan delay (drift and delay)", "Education"]


@pytest.fixture
def child(session):
    return make_child(session, looked_after_since=D(2025, 5, 1))


def _raise(session, child, on=None, **changes):
    data = EscalationInput(
        raised_on=on or D(2025, 12, 18), concern="No PEP since September.", themes=list(THEMES)
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return escalations.raise_escalation(session, child.id, data, today=TODAY)


def test_an_escalation_moves_up_two_stages_to_resolution(session, child):
    escalation_id = _raise(session, child)
    view = escalations.load_escalation(session, escalation_id)
    assert view.current.stage == "informal_sw"
    # 10 working days from Thursday 18/12/2025, over Christmas, Boxing Day and New Year's Day.
    assert view.current.response_due_on == D(2026, 1, 6)
    assert view.waiting_for_response and view.response_due == D(2026, 1, 6)
    assert view.current.overdue(D(2026, 1, 7)) and not view.current.overdue(D(2026, 1, 6))

    escalations.record_response(
        session, escalation_id, D(2026, 1, 5), "Worker off sick; no date.", today=TODAY
    )
    assert not escalations.load_escalation(session, escalation_id).waiting_for_response
    escalations.move_up(session, escalation_id, "team_manager", D(2026, 1, 8), today=TODAY)
    escalations.record_response(
        session, escalation_id, D(2026, 1, 20), "PEP meeting on 26/01.", today=TODAY
    )
    escalations.close_escalation(session, escalation_id, "resolved", D(2026, 1, 27), today=TODAY)

    view = escalations.load_escalation(session, escalation_id)
    assert [
        (s.stage, s.started_on, s.response_due_on, s.response_received_on) for s in view.stages
    ] == [
        ("informal_sw", D(2025, 12, 18), D(2026, 1, 6), D(2026, 1, 5)),
        ("team_manager", D(2026, 1, 8), D(2026, 1, 22), D(2026, 1, 20)),
    ]
    assert view.highest_stage == "team_manager"
    assert (view.outcome, view.outcome_on, view.closed) == ("resolved", D(2026, 1, 27), True)
    assert not view.waiting_for_response
    assert view.themes == tuple(THEMES)


def test_the_response_days_are_a_setting(session, child):
    settings.put(session, "escalation_response_days", 5)
    escalation_id = _raise(session, child, on=D(2026, 2, 2))
    assert escalations.load_escalation(session, escalation_id).current.response_due_on == D(
        2026, 2, 9
    )


def test_a_response_before_it_was_raised_or_the_stage_began_is_refused(session, child):
    escalation_id = _raise(session, child)
    with pytest.raises(ValidationError) as caught:
        escalations.record_response(session, escalation_id, D(2025, 12, 17), "Reply", today=TODAY)
    assert caught.value.errors == {
        "received_on": "17/12/2025 is before it was raised (18/12/2025)."
    }
    escalations.move_up(session, escalation_id, "informal_tm", D(2026, 1, 8), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        escalations.record_response(session, escalation_id, D(2026, 1, 7), "", today=TODAY)
    assert caught.value.errors == {
        "received_on": "07/01/2026 is before this stage started (08/01/2026).",
        "text": "Note what the response said.",
    }
    assert session.get(EscalationStage, 2).response_received_on is None


def test_moving_down_or_sideways_is_refused(session, child):
    escalation_id = _raise(session, child, stage="service_manager")
    for stage in ("team_manager", "service_manager"):
        with pytest.raises(ValidationError) as caught:
            escalations.move_up(session, escalation_id, stage, D(2026, 1, 8), today=TODAY)
        assert "can only move up the ladder" in caught.value.errors["stage"]
    with pytest.raises(ValidationError) as caught:
        escalations.move_up(session, escalation_id, "director", D(2025, 12, 1), today=TODAY)
    assert caught.value.errors == {
        "started_on": "01/12/2025 is before the current stage started (18/12/2025)."
    }
    view = escalations.load_escalation(session, escalation_id)
    assert len(view.stages) == 1
    assert [k for k, _ in view.next_stages()] == ["head_of_service", "director"]


def test_closing_twice_and_acting_on_a_closed_escalation_are_refused(session, child):
    escalation_id = _raise(session, child)
    escalations.close_escalation(
        session, escalation_id, "partly_resolved", D(2026, 1, 9), today=TODAY
    )
    with pytest.raises(ValidationError) as caught:
        escalations.close_escalation(
            session, escalation_id, "resolved", D(2026, 1, 10), today=TODAY
        )
    assert caught.value.errors == {"outcome": "Already closed (Partly resolved, 09/01/2026)."}
    with pytest.raises(ValidationError):
        escalations.move_up(session, escalation_id, "team_manager", D(2026, 1, 12), today=TODAY)
    with pytest.raises(ValidationError):
        escalations.record_response(
            session, escalation_id, D(2026, 1, 12), "Late reply", today=TODAY
        )
    escalations.reopen_escalation(session, escalation_id)
    escalations.close_escalation(
        session, escalation_id, "not_resolved", D(2026, 1, 10), today=TODAY
    )
    assert session.get(Escalation, escalation_id).outcome == "not_resolved"


def test_closing_needs_an_outcome_and_a_date_after_the_last_stage(session, child):
    escalation_id = _raise(session, child)
    escalations.move_up(session, escalation_id, "team_manager", D(2026, 1, 8), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        escalations.close_escalation(session, escalation_id, "fixed", D(2026, 1, 7), today=TODAY)
    assert caught.value.errors == {
        "outcome": "Choose resolved, partly resolved or not resolved.",
        "on": "07/01/2026 is before the last stage started (08/01/2026).",
    }


def test_raising_validates_everything_at_once(session, child):
    data = EscalationInput(raised_on=D(2026, 3, 2), concern=" ", themes=[], stage="minister")
    with pytest.raises(ValidationError) as caught:
        escalations.raise_escalation(session, child.id, data, today=TODAY)
    assert caught.value.errors == {
        "raised_on": "02/03/2026 is in the future.",
        "concern": "Describe the concern.",
        "themes": "Choose at least one theme.",
        "stage": "Choose the stage it is raised at.",
    }
    data = EscalationInput(raised_on=D(2026, 2, 2), concern="x", themes=["Lost paperwork"])
    with pytest.raises(ValidationError) as caught:
        escalations.raise_escalation(session, child.id, data, today=TODAY)
    assert caught.value.errors == {"themes": "Not in the list of themes: Lost paperwork."}
    assert session.query(Escalation).count() == 0


def test_a_good_practice_alert_needs_no_theme_and_does_not_climb(session, child):
    alert_id = escalations.raise_escalation(
        session,
        child.id,
        EscalationInput(
            kind="good_practice",
            raised_on=D(2026, 2, 2),
            concern="Life story book finished with Mia.",
            stage="team_manager",
        ),
        today=TODAY,
    )
    view = escalations.load_escalation(session, alert_id)
    assert (view.kind, view.themes, view.waiting_for_response) == ("good_practice", (), False)
    with pytest.raises(ValidationError):
        escalations.move_up(session, alert_id, "director", D(2026, 2, 3), today=TODAY)
    with pytest.raises(ValidationError):
        escalations.refer_to_cafcass(session, alert_id, D(2026, 2, 3), today=TODAY)


def test_cafcass_referral_at_any_stage_once(session, child):
    escalation_id = _raise(session, child)
    escalations.refer_to_cafcass(session, escalation_id, D(2026, 1, 2), today=TODAY)
    assert session.get(Escalation, escalation_id).cafcass_referred_on == D(2026, 1, 2)
    with pytest.raises(ValidationError) as caught:
        escalations.refer_to_cafcass(session, escalation_id, D(2026, 1, 5), today=TODAY)
    assert caught.value.errors == {"on": "Already referred to Cafcass on 02/01/2026."}


def test_editing_the_raised_date_moves_the_first_stage(session, child):
    escalation_id = _raise(session, child)
    data = EscalationInput(
        raised_on=D(2025, 12, 19), concern="No PEP since September.", themes=["Education"]
    )
    escalations.edit_escalation(session, escalation_id, data, today=TODAY)
    first = escalations.load_escalation(session, escalation_id).stages[0]
    assert (first.started_on, first.response_due_on) == (D(2025, 12, 19), D(2026, 1, 7))
    escalations.record_response(session, escalation_id, D(2026, 1, 5), "Reply", today=TODAY)
    data.raised_on = D(2026, 1, 6)
    with pytest.raises(ValidationError) as caught:
        escalations.edit_escalation(session, escalation_id, data, today=TODAY)
    assert list(caught.value.errors) == ["raised_on"]


def test_list_escalations_newest_first(session, child):
    older = _raise(session, child, on=D(2025, 10, 1))
    newer = _raise(session, child, on=D(2026, 1, 12))
    assert [v.escalation_id for v in escalations.list_escalations(session, child.id)] == [
        newer,
        older,
    ]
