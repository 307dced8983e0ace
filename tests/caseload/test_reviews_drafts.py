"""Recording a review in stages: a draft keeps whatever is there (and refuses only what is
impossible); circulating the decisions needs each to say what and who; completing the record
needs everything (the participation code, ...). Child born 9 March 2014, in care from 1 May 2025."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop.caseload import reviews
from iro_desktop.caseload.reviews import (
    DecisionInput,
    MeetingInput,
    ParticipantInput,
    ReviewInput,
    ValidationError,
)
from iro_desktop.db.models import Decision, Review, ReviewParticipant
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date
TODAY = D(2025, 9, 5)
HELD = D(2025, 8, 28)


@pytest.fixture
def child(session):
    return make_child(
        session,
        date_of_birth=D(2014, 3, 9),
        looked_after_since=D(2025, 5, 1),
        reviews=[D(2025, 6, 2)],
    )


def _notes_from_the_meeting() -> ReviewInput:
    """What an IRO has after the meeting: the date, who came, a note, a half-written decision."""
    return ReviewInput(
        meetings=[MeetingInput(held_on=HELD, format="in_person", venue="Carer's home")],
        participants=[
            ParticipantInput(name="Mia", role="child", meetings_attended=[0]),
            ParticipantInput(name="Jo Carer", role="carer", meetings_attended=[0]),
        ],
        record={"health": "Dental check overdue."},
        decisions=[DecisionInput("Book a dental check", "")],  # who: to ask the carer
    )


def test_a_draft_without_a_code_saves_and_comes_back_as_it_was(session, child):
    review_id = reviews.save_review(session, child.id, _notes_from_the_meeting(), today=TODAY)

    review = session.get(Review, review_id)
    assert (review.status, review.participation_code) == ("draft", "")
    assert review.record_completed_on is None
    loaded = reviews.load_review(session, review_id)
    assert loaded.participation_code == ""
    assert loaded.record == {"health": "Dental check overdue."}
    assert [(d.text, d.owner_role) for d in loaded.decisions] == [("Book a dental check", "")]
    assert reviews.still_to_do(session, child.id, loaded, review_id, today=TODAY) == {
        "participation_code": "Choose how the child took part (PN1 to PN7).",
        "decisions[0].owner_role": "Say who will do this (their role).",
    }
    assert reviews.review_to_do(session, review_id, today=TODAY) == [
        "participation code",
        "who will do decision 1",
    ]
    # The draft counts as a review held on its date: the kind follows the statutory cycle.
    assert review.kind == "second"
    assert reviews.new_review_input(session, child.id, TODAY).kind == "subsequent"


def test_saving_the_draft_again_as_the_work_goes_on(session, child):
    review_id = reviews.save_review(session, child.id, _notes_from_the_meeting(), today=TODAY)
    data = reviews.load_review(session, review_id)
    data.participation_code = "PN1"
    data.decisions[0].owner_role, data.decisions[0].owner_name = "Carer", "Jo Carer"
    decision_id = data.decisions[0].id
    reviews.save_review(session, child.id, data, review_id, today=TODAY)
    assert reviews.review_to_do(session, review_id, today=TODAY) == []
    review = session.get(Review, review_id)
    assert review.participation_code == "PN1"
    assert review.decisions[0].id == decision_id  # the same decision, now with its owner


def test_completing_without_a_code_fails_with_the_field_error(session, child):
    review_id = reviews.save_review(session, child.id, _notes_from_the_meeting(), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        reviews.mark_record_completed(session, review_id, TODAY, today=TODAY)
    assert caught.value.errors == {
        "participation_code": "Choose how the child took part (PN1 to PN7).",
        "decisions[0].owner_role": "Say who will do this (their role).",
    }
    review = session.get(Review, review_id)
    assert (review.status, review.record_completed_on) == ("draft", None)

    data = reviews.load_review(session, review_id)
    data.participation_code = "PN1"
    data.decisions[0].owner_role = "Carer"
    reviews.save_review(session, child.id, data, review_id, today=TODAY)
    reviews.mark_record_completed(session, review_id, TODAY, today=TODAY)
    assert session.get(Review, review_id).status == "completed"


def test_check_review_at_each_status(session, child):
    data = _notes_from_the_meeting()
    at = {
        status: list(
            reviews.check_review(session, child.id, data, None, TODAY, status=status).errors
        )
        for status in ("draft", "circulated", "completed")
    }
    assert at == {
        "draft": [],
        "circulated": ["decisions[0].owner_role"],
        "completed": ["participation_code", "decisions[0].owner_role"],
    }


def test_circulating_needs_each_decision_to_say_what_and_who(session, child):
    review_id = reviews.save_review(session, child.id, _notes_from_the_meeting(), today=TODAY)
    with pytest.raises(ValidationError) as caught:
        reviews.mark_decisions_circulated(session, review_id, TODAY, today=TODAY)
    assert caught.value.errors == {"decisions[0].owner_role": "Say who will do this (their role)."}
    data = reviews.load_review(session, review_id)
    data.decisions[0].owner_role = "Carer"
    reviews.save_review(session, child.id, data, review_id, today=TODAY)
    reviews.mark_decisions_circulated(session, review_id, TODAY, today=TODAY)  # no code needed
    review = session.get(Review, review_id)
    assert (review.status, review.participation_code) == ("circulated", "")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: setattr(d.decisions[0], "due_on", D(2025, 8, 1)), "decisions[0].due_on",
         "before the review"),
        (lambda d: setattr(d.meetings[0], "held_on", D(2025, 9, 8)), "meetings[0].held_on",
         "in the future"),
        (lambda d: setattr(d.meetings[0], "held_on", D(2025, 4, 1)), "meetings[0].held_on",
         "before the child became looked after"),
        (lambda d: setattr(d.meetings[0], "held_on", D(2025, 6, 2)), "meetings[0].held_on",
         "already has a review"),
        (lambda d: setattr(d.meetings[0], "held_on", None), "meetings[0].held_on",
         "Give the date"),
        (lambda d: setattr(d, "participation_code", "PN0"), "participation_code",
         "only for a child under 4"),
        (lambda d: setattr(d, "participation_code", "PN9"), "participation_code",
         "not a participation code"),
        (lambda d: d.meetings.append(MeetingInput(D(2025, 8, 20))), "meetings[1].held_on",
         "before the one above it"),
        (lambda d: d.record.update(leaving_care="Pathway plan."), "record.leaving_care",
         "from 16"),
        (lambda d: setattr(d.meetings[0], "format", "phone"), "meetings[0].format",
         "in person, virtual or mixed"),
    ],
)
def test_impossible_values_are_refused_even_in_a_draft(session, child, change, field, words):
    data = _notes_from_the_meeting()
    change(data)
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, data, today=TODAY)
    assert list(caught.value.errors) == [field]  # the missing owner is not one of them
    assert words in caught.value.errors[field]
    assert session.query(Review).filter_by(child_id=child.id).count() == 1  # the 903 one only


def test_a_completed_record_cannot_lose_what_it_needs(session, child):
    review_id = reviews.save_review(session, child.id, series_review(HELD), today=TODAY)
    reviews.mark_record_completed(session, review_id, TODAY, today=TODAY)
    data = reviews.load_review(session, review_id)
    data.participation_code = ""
    with pytest.raises(ValidationError) as caught:
        reviews.save_review(session, child.id, data, review_id, today=TODAY)
    assert list(caught.value.errors) == ["participation_code"]
    assert session.get(Review, review_id).participation_code == "PN2"
    # Undo the completion first, and it is a draft again.
    reviews.mark_record_completed(session, review_id, None, today=TODAY)
    reviews.mark_decisions_circulated(session, review_id, None, today=TODAY)
    reviews.save_review(session, child.id, data, review_id, today=TODAY)
    review = session.get(Review, review_id)
    assert (review.status, review.participation_code) == ("draft", "")


def test_empty_rows_are_not_saved(session, child):
    data = _notes_from_the_meeting()
    data.decisions.append(DecisionInput("", ""))  # Add decision pressed, nothing typed
    data.participants.append(ParticipantInput(name="", role=""))
    review_id = reviews.save_review(session, child.id, data, today=TODAY)
    assert session.query(Decision).filter_by(review_id=review_id).count() == 1
    assert session.query(ReviewParticipant).filter_by(review_id=review_id).count() == 2
    assert list(reviews.still_to_do(session, child.id, data, review_id, today=TODAY)) == [
        "participation_code",
        "decisions[0].owner_role",
    ]


def test_a_child_under_4_gets_pn0_in_a_draft_too(session):
    baby = make_child(session, date_of_birth=D(2023, 1, 5), looked_after_since=D(2025, 5, 1))
    review_id = reviews.save_review(session, baby.id, _notes_from_the_meeting(), today=TODAY)
    assert session.get(Review, review_id).participation_code == "PN0"


def test_to_do_words_name_each_thing_once():
    assert reviews.to_do_words(
        [
            "participation_code",
            "extra_reason",
            "meetings[1].format",
            "participants[2].name",
            "participants[2].role",
            "decisions[0].text",
            "decisions[3].owner_role",
        ]
    ) == [
        "participation code",
        "why this extra review was brought forward",
        "format of meeting 2",
        "name of person 3",
        "role of person 3",
        "what was decided (decision 1)",
        "who will do decision 4",
    ]


def test_a_completed_record_has_nothing_to_do(session, child):
    review_id = reviews.save_review(session, child.id, series_review(HELD), today=TODAY)
    reviews.mark_record_completed(session, review_id, TODAY, today=TODAY)
    assert reviews.review_to_do(session, review_id, today=TODAY) == []
