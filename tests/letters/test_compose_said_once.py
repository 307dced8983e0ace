"""Each sentence once in a draft: the same words recorded under two headings, or a decision also
written into a heading's note, reach the child once, under the topic they fit best. And the small
things a child finds odd: double full stops, ISO dates, "None", a helper named twice."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from iro_desktop.caseload.demo import make_demo_caseload
from iro_desktop.caseload.reviews import DecisionInput, save_review
from iro_desktop.db.models import Episode, Review
from iro_desktop.letters import compose
from iro_desktop.letters.compose import draft_letter
from iro_desktop.letters.glossary import check
from tests.factory import D, make_child
from tests.letters.conftest import TODAY, make_case


def sentence_keys(doc: compose.LetterDocument) -> list[str]:
    """Every sentence the child reads, normalised (case, spacing, punctuation), in order."""
    keys = []
    for section in doc.sections:
        for line in section.text.splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+", line.removeprefix("- ")):
                key = " ".join(re.sub(r"[^\w\s]", " ", sentence.lower()).split())
                if key:
                    keys.append(key)
    return keys


def repeated(doc: compose.LetterDocument) -> list[str]:
    return [k for k, n in Counter(sentence_keys(doc)).items() if n > 1]


def redraft(session, case, record=None, decisions=None):  # type: ignore[no-untyped-def]
    """The case's review saved again with another record or decisions, then drafted."""
    data = case.data
    if record is not None:
        data.record = record
    if decisions is not None:
        data.decisions = decisions
    save_review(session, case.child.id, data, case.review_id, today=TODAY)
    session.flush()
    session.expire_all()
    return draft_letter(session, case.review_id)


def test_the_same_note_under_two_headings_is_read_once_under_the_first(session, iro):
    case = make_case(session, "4-8")
    doc = redraft(session, case, record={
        "where_child_lives": "Leo is happy living with Janet and says he feels safe.",
        "plan_permanence": "Leo is happy living with Janet and says he feels safe.",
        "health": "Leo had his health check in September.",
        "emotional_wellbeing": "Leo had his health check in September. Leo still has bad "
                               "dreams sometimes.",
    })
    assert repeated(doc) == []
    home = doc.section("home").text
    assert home.count("You are happy living with Janet and say you feel safe.") == 1
    health = doc.section("health").text
    assert health.count("You had your health check in September.") == 1
    assert "You still have bad dreams sometimes." in health  # the rest of the note stays


def test_a_sentence_under_two_topics_stays_with_the_one_it_fits(session, iro):
    """"He needs new glasses" recorded under education and health reads once, under health."""
    case = make_case(session, "4-8")
    doc = redraft(session, case, record={
        "education": "Leo is in Year 1. He needs new glasses!",
        "health": "Leo had his health check in September. He needs new glasses.",
    })
    assert repeated(doc) == []
    assert doc.section("school").text == "You are in Year 1."
    assert "You need new glasses." in doc.section("health").text


def test_a_decision_in_a_note_is_read_once_as_the_decision(session, iro):
    """The note that only repeats a decision goes, and so does its section (it is not a fixed
    one); the decision keeps who will do it and by when."""
    case = make_case(session, "4-8")
    record = dict(case.data.record)
    record["family_time"] = "Take Leo for an eye test and get new glasses."
    record["health"] = "Leo had his health check in September. Carer to find a swimming club " \
                       "near home."
    doc = redraft(session, case, record=record)
    assert repeated(doc) == []
    assert doc.section("family_time") is None
    assert doc.section("health").text.startswith("You had your health check in September.\n\n")
    assert "swimming" not in doc.section("health").text
    decided = doc.section("decisions").text
    assert "Your carer, Janet, will take you for an eye test and get new glasses " \
           "(by 27 November 2026)." in decided
    assert "Your carer, Janet, will find a swimming club near home (by 8 January 2027)." \
        in decided


def test_the_same_decision_recorded_twice_is_one_bullet(session, iro):
    case = make_case(session, "9-12")
    twice = DecisionInput("Arrange for Maya to join the school choir.", "Carer",
                          due_on=D(2026, 11, 6))
    doc = redraft(session, case, decisions=[twice, DecisionInput(
        twice.text, twice.owner_role, due_on=twice.due_on)])
    bullets = [line for line in doc.section("decisions").text.splitlines()
               if line.startswith("- ")]
    assert len(bullets) == 1


def test_a_fixed_section_stays_without_a_lead_in_to_nothing(session, iro):
    """Leaving care repeating where the young person lives: "what happens next" stays (every
    letter has it) and has no "Getting ready for adult life." with nothing after it."""
    case = make_case(session, "13+")
    doc = redraft(session, case, record={
        "where_child_lives": "Jas lives at Elm Court.",
        "leaving_care": "Jas lives at Elm Court.",
        "health": "Jas is registered with a GP.",
        "emotional_wellbeing": "Jas is registered with a GP.",
    })
    assert repeated(doc) == []
    assert doc.section("home").text == "You live at Elm Court."
    assert doc.section("health").text == "You are registered with a GP."
    assert "Getting ready for adult life" not in doc.section("next").text
    keys = [s.key for s in doc.sections]
    assert set(keys) >= compose.FIXED_SECTIONS
    for section in doc.sections:
        assert section.text.strip(), section.key


@pytest.mark.parametrize("band", ["0-3", "4-8", "9-12", "13+"])
def test_every_band_says_each_sentence_once(session, iro, band):
    case = make_case(session, band)
    record = dict(case.data.record)
    first = next(iter(record))
    record["identity"] = record[first]  # the same note again, under another heading
    doc = redraft(session, case, record=record)
    assert repeated(doc) == []
    assert check(doc.plain_text()) == []


def test_demo_drafts_say_each_sentence_once_and_nothing_odd(session, iro):
    make_demo_caseload(session, children=24, seed=5, today=TODAY)
    latest = session.execute(
        select(Review.child_id, func.max(Review.review_date)).group_by(Review.child_id)).all()
    for child_id, day in latest:
        review_id = session.scalar(select(Review.id).where(Review.child_id == child_id,
                                                           Review.review_date == day))
        doc = draft_letter(session, review_id)
        assert repeated(doc) == [], child_id
        for section in doc.sections:
            assert section.title.strip() and section.text.strip()
            assert "None" not in section.text and ".." not in section.text
            assert not re.search(r"\d{4}-\d{2}-\d{2}", section.text)
        assert "(adopters)" not in doc.plain_text()
        assert "your family centre" not in doc.plain_text()


def test_notes_and_decisions_read_without_odd_marks(session, iro):
    case = make_case(session, "9-12")
    doc = redraft(session, case, record={
        "health": "Dental check booked for 2026-12-01.",
        "education": "None",
        "family_time": "N/A",
        "identity": "Maya likes drawing.. She is funny...",
        "emotional_wellbeing": "none.",
    }, decisions=[
        DecisionInput("Arrange a dental check!", "Carer", due_on=D(2026, 12, 1)),
        DecisionInput("Refer to CAMHS for support with sleep and worries.", "Social worker",
                      due_on=D(2026, 12, 2)),
        DecisionInput("Share the care plan with the carers.", "Team manager",
                      due_on=D(2026, 12, 3)),
        DecisionInput("Send the views form by 14/01/2027", "The child"),
    ])
    text = doc.plain_text()
    assert "None" not in text and "N/A" not in text and ".." not in text
    assert doc.section("school") is None and doc.section("family_time") is None
    assert doc.section("health").text == "Your dental check has been booked for 1 December 2026."
    assert doc.section("going_well").text.endswith("You like drawing. You are funny.")
    bullets = [line[2:] for line in doc.section("decisions").text.splitlines()
               if line.startswith("- ")]
    assert bullets[0] == "Your carers, Jo and Alex, will arrange a dental check " \
                         "(by 1 December 2026)."
    # CAMHS in plain words is "people who help with feelings and worries": not "... to help
    # you with sleep and worries" after it.
    assert bullets[1] == "Your social worker, Grace, will ask people who help with feelings and " \
                         "worries to help you with sleep (by 2 December 2026)."
    assert bullets[2].endswith("share your plan with your carers (by 3 December 2026).")
    assert bullets[3] == "You will send the views form by 14 January 2027."


def test_an_older_review_does_not_name_carers_the_child_met_later(session, iro):
    """Child.carer_name is who the child lives with now; a letter about a review before a move
    to new carers does not say the child lived with them then."""
    child = make_child(session, date_of_birth=D(2017, 1, 1), looked_after_since=D(2025, 1, 6),
                       placement="K2", carer_name="Femi and Tola Adebayo",
                       reviews=[D(2025, 2, 1), D(2025, 5, 1)])
    child.episodes[0].end = D(2025, 9, 1)
    child.episodes.append(Episode(start=D(2025, 9, 1), reason_new_episode="P",
                                  legal_status="C2", placement="U4",
                                  placement_postcode="ZZ1 1ZZ"))
    session.flush()
    before = draft_letter(session, child.reviews[1].id)
    assert before.section("home").text == "You live in a children's home."
    assert "Femi" not in before.plain_text()
    review = Review(review_date=D(2025, 11, 1), participation_code="PN1", source="app")
    child.reviews.append(review)
    session.flush()
    after = draft_letter(session, review.id)
    assert after.section("home").text == "You live with Femi and Tola, your foster carers."


def test_mum_at_home_is_named_once_and_as_mum(session, iro):
    case = make_case(session, "9-12")
    child = case.child
    child.carer_name = "Mum (placed at home)"
    child.episodes[0].placement = "P1"
    data = case.data
    for person in data.participants:
        if person.role == "carer":
            person.name = "The carer"
    data.decisions = [DecisionInput("Book a dental check.", "Carer", due_on=D(2026, 12, 11))]
    doc = redraft(session, case)
    took = doc.section("took_part").text
    assert "These people came too: Mum, Grace (your social worker) and Mrs Patel" in took
    assert "Mum (your carer)" not in took
    assert "- Mum will book a dental check (by 11 December 2026)." in \
        doc.section("decisions").text


def test_a_meeting_at_the_family_centre_is_not_yours(session, iro):
    from iro_desktop.caseload.reviews import MeetingInput

    case = make_case(session, "9-12")
    case.data.meetings = [MeetingInput(held_on=case.data.meetings[0].held_on,
                                       format="in_person", venue="Family centre")]
    doc = redraft(session, case)
    assert " at the family centre for your review" in doc.section("hello").text
