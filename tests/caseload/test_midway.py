"""Midway reviews: when they are due, recording the progress of every decision, and an escalation
pre-filled from the decisions found drifting."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop import settings
from iro_desktop.caseload import escalations, midway, reviews
from iro_desktop.caseload.midway import MidwayInput
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import MidwayReview, Review
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date


@pytest.fixture
def recorded(session):
    """Second review held 28/08/2025 (the third is due 28/02/2026) with three decisions."""
    child = make_child(session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
    review_id = reviews.save_review(
        session, child.id, series_review(D(2025, 8, 28), D(2025, 9, 4)), today=D(2025, 9, 5)
    )
    return child, session.get(Review, review_id)


def test_midway_due_at_the_midpoint_or_the_setting(session, recorded):
    child, _review = recorded
    # 184 days from 28/08/2025 to 28/02/2026: the midpoint is 92 days on.
    assert midway.midway_due(session, child.id) == D(2025, 11, 28)
    settings.put(session, "midway_fraction_percent", 25)
    assert midway.midway_due(session, child.id) == D(2025, 10, 13)  # 46 days on


def test_no_midway_before_the_first_review(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1))
    assert midway.midway_due(session, child.id) is None


def test_the_form_lists_the_last_reviews_decisions(session, recorded):
    child, review = recorded
    checks = midway.decisions_for_midway(session, child.id, D(2025, 11, 27))
    assert checks.review_id == review.id
    assert checks.review_date == D(2025, 8, 28)
    assert [
        (d.text, d.owner_role, d.due_on, d.key_decision, d.last_status) for d in checks.decisions
    ] == [
        ("Book a dental check", "Carer", D(2025, 9, 25), True, ""),
        ("Refer to the advocacy service", "Social worker", D(2025, 9, 11), False, ""),
        ("Update the PEP targets", "Designated teacher", None, False, ""),
    ]


def _progress(review: Review, *statuses: str) -> dict[int, tuple[str, str]]:
    notes = {"drifting": "No date yet", "not_started": "Not referred", "done": "", "on_track": ""}
    return {d.id: (s, notes[s]) for d, s in zip(review.decisions, statuses, strict=True)}


def test_a_midway_review_records_every_decisions_progress(session, recorded):
    child, review = recorded
    data = MidwayInput(
        D(2025, 11, 27),
        "call",
        "Spoke to Sam Worker and Jo Carer.",
        _progress(review, "drifting", "not_started", "on_track"),
    )
    midway_id = midway.save_midway(session, child.id, data, today=D(2025, 11, 27))
    row = session.get(MidwayReview, midway_id)
    assert row.review_id == review.id
    assert sorted((p.decision.text, p.status) for p in row.progress) == [
        ("Book a dental check", "drifting"),
        ("Refer to the advocacy service", "not_started"),
        ("Update the PEP targets", "on_track"),
    ]
    assert midway.load_midway(session, midway_id).progress == data.progress
    later = midway.decisions_for_midway(session, child.id, D(2026, 1, 5))
    assert [d.last_status for d in later.decisions] == ["drifting", "not_started", "on_track"]
    listed = midway.list_midways(session, child.id)
    assert listed[0].counts == {"done": 0, "on_track": 1, "drifting": 1, "not_started": 1}


def test_every_decision_needs_a_status_and_nothing_is_saved(session, recorded):
    child, review = recorded
    first, second, _third = review.decisions
    data = MidwayInput(
        D(2025, 11, 27),
        "fax",
        "",
        {first.id: ("drifting", ""), second.id: ("late", ""), 9999: ("done", "")},
    )
    with pytest.raises(ValidationError) as caught:
        midway.save_midway(session, child.id, data, today=D(2025, 11, 27))
    assert caught.value.errors == {
        "method": "Choose how the midway review was done.",
        f"progress[{second.id}]": "Choose done, on track, drifting or not started.",
        f"progress[{review.decisions[2].id}]": "Choose done, on track, drifting or not started.",
        "progress[9999]": "Not a decision of the review of 28/08/2025.",
    }
    assert session.query(MidwayReview).count() == 0


def test_a_midway_needs_a_review_before_it_and_no_future_date(session, recorded):
    child, _review = recorded
    with pytest.raises(ValidationError) as caught:
        midway.save_midway(session, child.id, MidwayInput(D(2025, 5, 20)), today=D(2025, 11, 27))
    assert "no review before this date" in caught.value.errors["held_on"]
    with pytest.raises(ValidationError) as caught:
        midway.save_midway(session, child.id, MidwayInput(D(2025, 12, 1)), today=D(2025, 11, 27))
    assert caught.value.errors == {"held_on": "01/12/2025 is in the future."}


def test_drift_prefills_an_escalation(session, recorded):
    child, review = recorded
    data = MidwayInput(
        D(2025, 11, 27), "call", "", _progress(review, "drifting", "not_started", "on_track")
    )
    midway_id = midway.save_midway(session, child.id, data, today=D(2025, 11, 27))
    prefill = midway.escalation_from_midway(session, midway_id)
    assert prefill.kind == "escalation"
    assert prefill.raised_on == D(2025, 11, 27)
    assert prefill.stage == "informal_sw"
    assert prefill.midway_review_id == midway_id
    assert prefill.themes == ["Follow-up of review decisions", "Care plan delay (drift and delay)"]
    assert prefill.concern.splitlines() == [
        "At the midway review on 27/11/2025, decisions of the review of 28/08/2025 were not "
        "progressing:",
        "- Book a dental check [Carer (Jo Carer), due 25/09/2025] drifting: No date yet",
        "- Refer to the advocacy service [Social worker (Sam Worker), due 11/09/2025] "
        "not started, past its date: Not referred",
    ]
    escalation_id = escalations.raise_escalation(session, child.id, prefill, today=D(2025, 11, 27))
    assert escalations.load_escalation(session, escalation_id).midway_review_id == midway_id


def test_editing_a_midway_keeps_its_rows(session, recorded):
    child, review = recorded
    data = MidwayInput(
        D(2025, 11, 27), "call", "", _progress(review, "drifting", "on_track", "on_track")
    )
    midway_id = midway.save_midway(session, child.id, data, today=D(2025, 11, 27))
    data.progress[review.decisions[0].id] = ("done", "Booked for 3 December")
    data.method = "visit"
    assert (
        midway.save_midway(session, child.id, data, midway_id, today=D(2025, 11, 28)) == midway_id
    )
    row = session.get(MidwayReview, midway_id)
    assert (row.method, len(row.progress)) == ("visit", 3)
    assert {p.decision_id: p.status for p in row.progress}[review.decisions[0].id] == "done"
