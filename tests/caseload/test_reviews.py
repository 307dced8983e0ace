"""Recording a review: a series of meetings, people, participation, the record, decisions, status
and the local deadlines. Real dates: the child came into care on Thursday 1 May 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from iro_desktop import settings
from iro_desktop.caseload import reviews
from iro_desktop.caseload.reviews import (
    DecisionInput,
    MeetingInput,
    ParticipantInput,
    ReviewInput,
    ValidationError,
)
from iro_desktop.db.models import Decision, Letter, Review, ReviewMeeting, ReviewParticipant
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date
TODAY = D(2025, 9, 5)


@pytest.fixture
def child(session):
    # Born 9 March 2014 (11 in 2025); initial review held on its due date, 2 June 2025.
    return make_child(
        session,
        date_of_birth=D(2014, 3, 9),
        looked_after_since=D(2025, 5, 1),
        reviews=[D(2025, 6, 2)],
    )


def test_a_whole_review_held_as_two_meetings(session, child):
    data = series_review(D(2025, 8, 28), D(2025, 9, 4))
    review_id = reviews.save_review(session, child.id, data, today=TODAY)

    review = session.get(Review, review_id)
    assert review.review_date == D(2025, 8, 28)  # the first meeting of the series
    assert review.kind == "second"
    assert review.participation_code == "PN2"
    assert review.format == "mixed"  # one meeting in person, one virtual
    assert review.venue == "Carer's home"
    assert review.source == "app"
    assert review.status == "draft"
    assert [(m.held_on, m.format) for m in review.meetings] == [
        (D(2025, 8, 28), "in_person"),
        (D(2025, 9, 4), "virtual"),
    ]
    attended = {p.role: [m.held_on for m in p.meetings_attended] for p in review.participants}
    assert attended == {
        "child": [D(2025, 8, 28)],
        "carer": [D(2025, 8, 28)],
        "social_worker": [D(2025, 8, 28), D(2025, 9, 4)],
        "parent": [D(2025, 9, 4)],
        "teacher": [],
    }
    assert [p.attended for p in review.participants] == [True, True, True, True, False]
    assert [
        (d.position, d.text, d.owner_role, d.due_on, d.key_decision) for d in review.decisions
    ] == [
        (0, "Book a dental check", "Carer", D(2025, 9, 25), True),
        (1, "Refer to the advocacy service", "Social worker", D(2025, 9, 11), False),
        (2, "Update the PEP targets", "Designated teacher", None, False),
    ]
    assert review.record["health"] == "Dental check overdue."
    assert review.advocacy == "referred" and review.independent_visitor == "discussed"

    loaded = reviews.load_review(session, review_id)
    assert loaded.meetings[1].held_on == D(2025, 9, 4)
    assert [p.meetings_attended for p in loaded.participants] == [[0], [0], [0, 1], [1], []]
    assert loaded.decisions[0].key_decision is True
    assert loaded.participation_code == "PN2"
    assert loaded.consultation_parents is False and loaded.seen_alone is True


def test_deadlines_run_in_working_days_from_the_last_meeting(session, child):
    review_id = reviews.save_review(
        session, child.id, series_review(D(2025, 8, 28), D(2025, 9, 4)), today=TODAY
    )
    deadlines = reviews.review_deadlines(session, review_id, today=D(2025, 9, 12))
    assert deadlines.counted_from == D(2025, 9, 4)
    assert deadlines.circulate_by == D(2025, 9, 11)  # 5 working days
    assert deadlines.complete_by == D(2025, 9, 25)  # 15 working days
    assert deadlines.letter_by == D(2025, 9, 25)
    assert deadlines.circulate.state == reviews.OVERDUE
    assert deadlines.complete.state == reviews.PENDING
    assert deadlines.circulate.days_late(D(2025, 9, 12)) == 1

    reviews.mark_decisions_circulated(session, review_id, D(2025, 9, 10), today=D(2025, 9, 12))
    reviews.mark_record_completed(session, review_id, D(2025, 9, 26), today=D(2025, 9, 30))
    deadlines = reviews.review_deadlines(session, review_id, today=D(2025, 9, 30))
    assert (deadlines.circulate.state, deadlines.complete.state) == (reviews.MET, reviews.LATE)
    assert deadlines.letter.state == reviews.OVERDUE
    assert session.get(Review, review_id).status == "completed"

    session.add(Letter(review_id=review_id, sent_on=D(2025, 9, 24)))
    session.flush()
    session.expire_all()
    assert (
        reviews.review_deadlines(session, review_id, today=D(2025, 9, 30)).letter.state
        == reviews.MET
    )


def test_deadlines_follow_the_settings_and_bank_holidays(session, child):
    settings.put(session, "record_completed_days", 20)
    data = series_review(D(2025, 12, 19), code="PN1")
    data.participants[0].meetings_attended = [0]
    make = make_child(session, looked_after_since=D(2025, 11, 24))
    review_id = reviews.save_review(session, make.id, data, today=D(2025, 12, 19))
    deadlines = reviews.review_deadlines(session, review_id, today=D(2025, 12, 19))
    # Christmas Day, Boxing Day and New Year's Day are not working days.
    assert deadlines.circulate_by == D(2025, 12, 30)
    assert deadlines.complete_by == D(2026, 1, 21)


def test_status_moves_from_draft_to_circulated_to_completed(session, child):
    review_id = reviews.save_review(session, child.id, series_review(D(2025, 8, 28)), today=TODAY)
    reviews.mark_decisions_circulated(session, review_id, D(2025, 9, 1), today=TODAY)
    assert session.get(Review, review_id).status == "circulated"
    reviews.mark_record_completed(session, review_id, D(2025, 9, 5), today=TODAY)
    assert session.get(Review, review_id).status == "completed"
    reviews.mark_record_completed(session, review_id, None, today=TODAY)
    reviews.mark_decisions_circulated(session, review_id, None, today=TODAY)
    review = session.get(Review, review_id)
    assert (review.status, review.decisions_circulated_on) == ("draft", None)


def test_completing_the_record_circulates_the_decisions_with_it(session, child):
    review_id = reviews.save_review(session, child.id, series_review(D(2025, 8, 28)), today=TODAY)
    reviews.mark_record_completed(session, review_id, D(2025, 9, 3), today=TODAY)
    review = session.get(Review, review_id)
    assert review.decisions_circulated_on == D(2025, 9, 3)
    assert review.status == "completed"


def test_status_dates_before_the_review_or_in_the_future_are_refused(session, child):
    review_id = reviews.save_review(session, child.id, series_review(D(2025, 8, 28)), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        reviews.mark_decisions_circulated(session, review_id, D(2025, 8, 27), today=TODAY)
    assert caught.value.errors == {
        "decisions_circulated_on": "27/08/2025 is before the review (28/08/2025)."
    }
    with pytest.raises(ValidationError) as caught:
        reviews.mark_record_completed(session, review_id, D(2025, 8, 1), today=TODAY)
    assert "before the review" in caught.value.errors["record_completed_on"]
    with pytest.raises(ValidationError) as caught:
        reviews.mark_record_completed(session, review_id, D(2025, 9, 6), today=TODAY)
    assert "in the future" in caught.value.errors["record_completed_on"]
    reviews.mark_decisions_circulated(session, review_id, D(2025, 9, 2), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        reviews.mark_record_completed(session, review_id, D(2025, 9, 1), today=TODAY)
    assert "before the decisions were circulated" in caught.value.errors["record_completed_on"]
    review = session.get(Review, review_id)
    assert (review.decisions_circulated_on, review.record_completed_on) == (D(2025, 9, 2), None)


def test_kind_follows_the_statutory_cycle_and_an_extra_review_restarts_the_clock(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1))
    initial = reviews.save_review(session, child.id, series_review(D(2025, 6, 2)), today=TODAY)
    extra = series_review(D(2025, 7, 14))
    extra.kind, extra.extra_reason = "extra", "Placement move planned"
    extra_id = reviews.save_review(session, child.id, extra, today=TODAY)
    third = reviews.save_review(session, child.id, series_review(D(2025, 9, 1)), today=TODAY)
    kinds = [session.get(Review, i).kind for i in (initial, extra_id, third)]
    assert kinds == ["initial", "extra", "subsequent"]
    assert session.get(Review, extra_id).extra_reason == "Placement move planned"
    # The next review is due six months after the last one actually held.
    assert reviews.new_review_input(session, child.id, D(2025, 9, 5)).kind == "subsequent"

    from iro_desktop.caseload.overview import caseload_rows

    row = next(r for r in caseload_rows(session, TODAY) if r.child_id == child.id)
    assert row.next_review.due == D(2026, 3, 1)


def test_an_extra_review_needs_a_reason_to_be_completed(session, child):
    data = series_review(D(2025, 7, 14))
    data.kind = "extra"
    review_id = reviews.save_review(session, child.id, data, today=TODAY)  # a draft may wait
    assert reviews.still_to_do(session, child.id, data, review_id, today=TODAY) == {
        "extra_reason": "Say why this extra review was brought forward."
    }
    with pytest.raises(ValidationError) as caught:
        reviews.mark_record_completed(session, review_id, TODAY, today=TODAY)
    assert caught.value.errors == {"extra_reason": "Say why this extra review was brought forward."}


def test_new_review_input_prefills_kind_people_and_pn0_for_a_baby(session):
    baby = make_child(
        session,
        first_name="Ava",
        last_name="Baby",
        date_of_birth=D(2024, 2, 10),
        looked_after_since=D(2025, 5, 1),
        carer_name="Jo Carer",
        social_worker_name="Sam Worker",
    )
    data = reviews.new_review_input(session, baby.id, D(2025, 5, 29))
    assert data.kind == "initial"
    assert data.participation_code == "PN0"
    assert [(p.role, p.name) for p in data.participants] == [
        ("child", "Ava Baby"),
        ("carer", "Jo Carer"),
        ("social_worker", "Sam Worker"),
        ("parent", ""),
    ]
    assert "leaving_care" not in data.record
    assert data.meetings[0].held_on == D(2025, 5, 29)


def test_pn0_is_automatic_under_4_and_refused_from_the_4th_birthday(session):
    child = make_child(session, date_of_birth=D(2021, 6, 10), looked_after_since=D(2025, 5, 1))
    assert reviews.allowed_codes_for(session, child.id, D(2025, 6, 9)) == ["PN0"]
    assert "PN0" not in reviews.allowed_codes_for(session, child.id, D(2025, 6, 10))

    under_four = series_review(D(2025, 6, 2), code="")
    review_id = reviews.save_review(session, child.id, under_four, today=TODAY)
    assert session.get(Review, review_id).participation_code == "PN0"

    with pytest.raises(ValidationError) as caught:
        reviews.save_review(
            session, child.id, series_review(D(2025, 6, 10), code="PN0"), today=TODAY
        )
    assert caught.value.errors == {
        "participation_code": "PN0 is only for a child under 4; the child was 4 on the review date."
    }


def test_a_code_other_than_pn0_is_refused_under_4(session):
    child = make_child(session, date_of_birth=D(2023, 1, 5), looked_after_since=D(2025, 5, 1))
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(
            session, child.id, series_review(D(2025, 6, 2), code="PN1"), today=TODAY
        )
    assert caught.value.errors["participation_code"].startswith("The child was under 4")


def test_a_child_over_4_needs_a_code_before_the_record_is_completed(session, child):
    problems = reviews.check_review(
        session, child.id, series_review(D(2025, 8, 28), code=""), None, TODAY
    )
    assert problems.errors == {"participation_code": "Choose how the child took part (PN1 to PN7)."}


def test_the_code_must_agree_with_the_child_attending_to_complete(session, child):
    data = series_review(D(2025, 8, 28), code="PN6")  # did not attend, but ticked as attending
    problems = reviews.check_review(session, child.id, data, None, TODAY)
    assert "did not attend" in problems.errors["participation_code"]
    data = series_review(D(2025, 8, 28), code="PN1")
    data.participants[0].meetings_attended = []
    problems = reviews.check_review(session, child.id, data, None, TODAY)
    assert "means the child attended" in problems.errors["participation_code"]
    # In a draft one of the two may not be filled in yet: it saves, and is still to do.
    review_id = reviews.save_review(session, child.id, data, today=TODAY)
    assert list(reviews.still_to_do(session, child.id, data, review_id, today=TODAY)) == [
        "participation_code"
    ]


def test_leaving_care_heading_only_from_16(session):
    young = make_child(session, date_of_birth=D(2010, 1, 1), looked_after_since=D(2025, 5, 1))
    older = make_child(session, date_of_birth=D(2009, 1, 1), looked_after_since=D(2025, 5, 1))
    day = D(2025, 6, 2)
    assert ("leaving_care", "Leaving care (16 and over)") not in reviews.record_headings_for(
        session, young.id, day
    )
    assert reviews.record_headings_for(session, older.id, day)[-1][0] == "leaving_care"
    data = series_review(day)
    data.record["leaving_care"] = "Pathway plan started."
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, young.id, data, today=TODAY)
    assert list(caught.value.errors) == ["record.leaving_care"]
    review_id = reviews.save_review(session, older.id, data, today=TODAY)
    assert session.get(Review, review_id).record["leaving_care"] == "Pathway plan started."


def _counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Review, ReviewMeeting, ReviewParticipant, Decision)
    )


def _every_kind_of_problem() -> ReviewInput:
    return ReviewInput(
        meetings=[MeetingInput(D(2025, 4, 28)), MeetingInput(D(2025, 4, 20), format="phone")],
        participation_code="PN0",
        participants=[ParticipantInput(name="", role="auntie", attended=True)],
        decisions=[
            DecisionInput("Find a tutor", "", due_on=D(2025, 4, 1)),
            DecisionInput("   ", "Social worker"),
        ],
    )


IMPOSSIBLE = {
    "meetings[1].held_on": "This meeting (20/04/2025) is before the one above it (28/04/2025): "
    "list the meetings in the order they were held.",
    "meetings[1].format": "Choose in person, virtual or mixed.",
    "meetings[0].held_on": "The review is dated 28/04/2025, before the child became looked "
    "after on 01/05/2025.",
    "participation_code": "PN0 is only for a child under 4; the child was 11 on the review date.",
    "decisions[0].due_on": "Due 01/04/2025, before the review (28/04/2025).",
}
INCOMPLETE = {
    "participants[0].role": "Choose this person's role.",
    "participants[0].name": "Give the name of someone who attended.",
    "decisions[0].owner_role": "Say who will do this (their role).",
    "decisions[1].text": "Write what was decided.",
}


def test_every_problem_is_reported_at_once_and_nothing_is_saved(session, child):
    before = _counts(session)
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, _every_kind_of_problem(), today=TODAY)
    assert caught.value.errors == IMPOSSIBLE  # a draft: only what is impossible
    assert _counts(session) == before
    problems = reviews.check_review(session, child.id, _every_kind_of_problem(), None, TODAY)
    assert problems.errors == IMPOSSIBLE | INCOMPLETE  # completing: everything at once
    circulating = reviews.check_review(
        session, child.id, _every_kind_of_problem(), None, TODAY, status="circulated"
    )
    assert circulating.errors == IMPOSSIBLE | {
        k: v for k, v in INCOMPLETE.items() if k.startswith("decisions")
    }


def test_a_review_in_the_future_is_refused(session, child):
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, series_review(D(2025, 9, 8)), today=TODAY)
    assert caught.value.errors == {
        "meetings[0].held_on": "08/09/2025 is in the future: record a "
        "meeting once it has been held."
    }
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(
            session, child.id, series_review(D(2025, 9, 1), D(2025, 9, 9)), today=TODAY
        )
    assert list(caught.value.errors) == ["meetings[1].held_on"]


def test_a_second_review_on_the_same_date_is_refused(session, child):
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, series_review(D(2025, 6, 2)), today=TODAY)
    assert caught.value.errors == {
        "meetings[0].held_on": "This child already has a review on 02/06/2025."
    }


def test_a_review_between_two_periods_of_care_is_refused(session):
    from iro_desktop.db.models import Episode

    child = make_child(session, looked_after_since=None)
    child.episodes.append(
        Episode(
            start=D(2024, 1, 8),
            reason_new_episode="S",
            legal_status="V2",
            placement="U4",
            end=D(2024, 6, 30),
            reason_ended="E11",
        )
    )
    child.episodes.append(
        Episode(start=D(2025, 2, 3), reason_new_episode="S", legal_status="C1", placement="U4")
    )
    session.flush()
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, series_review(D(2024, 9, 2)), today=TODAY)
    assert "between two periods of care" in caught.value.errors["meetings[0].held_on"]
    # A review in the earlier period is fine, and it is that period's initial review.
    review_id = reviews.save_review(session, child.id, series_review(D(2024, 2, 5)), today=TODAY)
    assert session.get(Review, review_id).kind == "initial"


def test_editing_keeps_decision_rows_and_removes_those_left_out(session, child):
    review_id = reviews.save_review(
        session, child.id, series_review(D(2025, 8, 28), D(2025, 9, 4)), today=TODAY
    )
    data = reviews.load_review(session, review_id)
    kept_id = data.decisions[1].id
    data.decisions = [
        data.decisions[1],
        DecisionInput("Plan family time at Christmas", "Social worker"),
    ]
    data.decisions[0].text = "Refer to the advocacy service this week"
    data.meetings[1].held_on = D(2025, 9, 3)
    reviews.save_review(session, child.id, data, review_id, today=TODAY)
    review = session.get(Review, review_id)
    assert review.decisions[0].id == kept_id
    assert [d.text for d in review.decisions] == [
        "Refer to the advocacy service this week",
        "Plan family time at Christmas",
    ]
    assert session.scalar(select(func.count()).select_from(Decision)) == 2
    assert [m.held_on for m in review.meetings] == [D(2025, 8, 28), D(2025, 9, 3)]
    # Editing does not trip over the review's own date.
    assert review.review_date == D(2025, 8, 28)


def test_a_review_cannot_move_after_its_status_dates(session, child):
    review_id = reviews.save_review(session, child.id, series_review(D(2025, 8, 28)), today=TODAY)
    reviews.mark_decisions_circulated(session, review_id, D(2025, 8, 29), today=TODAY)
    data = reviews.load_review(session, review_id)
    data.meetings[0].held_on = D(2025, 9, 1)
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, data, review_id, today=TODAY)
    assert (
        "after the day the decisions were circulated" in caught.value.errors["meetings[0].held_on"]
    )


def test_a_903_review_loads_as_one_meeting(session, child):
    review_id = child.reviews[0].id
    data = reviews.load_review(session, review_id)
    assert [(m.held_on, m.format) for m in data.meetings] == [(D(2025, 6, 2), "")]
    assert data.participation_code == "PN1"


def test_list_reviews_newest_first_with_deadlines(session, child):
    review_id = reviews.save_review(session, child.id, series_review(D(2025, 8, 28)), today=TODAY)
    rows = reviews.list_reviews(session, child.id, today=TODAY)
    assert [(r.review_id, r.review_date, r.meetings, r.decisions) for r in rows] == [
        (review_id, D(2025, 8, 28), 1, 3),
        (child.reviews[0].id, D(2025, 6, 2), 0, 0),
    ]
    assert rows[0].deadlines.circulate_by == D(2025, 9, 4)


def test_delete_review(session, child):
    review_id = reviews.save_review(session, child.id, series_review(D(2025, 8, 28)), today=TODAY)
    reviews.delete_review(session, review_id)
    assert session.get(Review, review_id) is None
    assert session.scalar(select(func.count()).select_from(Decision)) == 0


def test_the_first_review_of_a_period_cannot_be_an_extra_one(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1))
    data = series_review(D(2025, 5, 20))
    data.kind, data.extra_reason = "extra", "Placement breaking down"
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, data, today=TODAY)
    assert list(caught.value.errors) == ["kind"]


def test_after_short_breaks_the_first_review_of_full_time_care_is_the_initial(session):
    from iro_desktop.db.models import Episode

    child = make_child(session, looked_after_since=None)
    child.episodes.append(
        Episode(
            start=D(2025, 1, 6),
            reason_new_episode="S",
            legal_status="V3",
            placement="U4",
            end=D(2025, 5, 1),
            reason_ended="X1",
        )
    )
    child.episodes.append(
        Episode(start=D(2025, 5, 1), reason_new_episode="L", legal_status="C2", placement="U4")
    )
    session.flush()
    assert reviews.new_review_input(session, child.id, D(2025, 5, 29)).kind == "initial"
    review_id = reviews.save_review(session, child.id, series_review(D(2025, 5, 29)), today=TODAY)
    assert session.get(Review, review_id).kind == "initial"
    assert reviews.new_review_input(session, child.id, D(2025, 8, 1)).kind == "second"
