"""Drafts from the review: per band, no jargon, easy to read, and every fact as recorded."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from iro_desktop import settings
from iro_desktop.caseload.demo import make_demo_caseload
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Child, Letter, Review
from iro_desktop.letters import compose
from iro_desktop.letters.compose import (
    LetterSection,
    age_band_for,
    draft_letter,
    has_saved_letter,
    letter_summaries,
    load_letter,
    mark_letter_sent,
    next_review_due,
    save_letter,
    short_date,
)
from iro_desktop.letters.glossary import check
from iro_desktop.letters.pictures import default_picture, get_picture
from iro_desktop.letters.readability import score_letter
from tests.factory import D, make_child
from tests.letters.conftest import IRO, TODAY, make_case


def test_age_bands_follow_the_age_on_the_review_date():
    dob = D(2016, 5, 10)
    assert age_band_for(dob, D(2020, 5, 9)) == "0-3"
    assert age_band_for(dob, D(2020, 5, 10)) == "4-8"  # the 4th birthday is not under 4
    assert age_band_for(dob, D(2025, 5, 9)) == "4-8"
    assert age_band_for(dob, D(2025, 5, 10)) == "9-12"
    assert age_band_for(dob, D(2029, 5, 9)) == "9-12"
    assert age_band_for(dob, D(2029, 5, 10)) == "13+"


def test_draft_has_the_sections_in_order_with_titles_and_pictures(band_case, session):
    doc = draft_letter(session, band_case.review_id)
    keys = [s.key for s in doc.sections]
    expected = [k for k in compose.SECTION_KEYS if k in keys]
    assert keys == expected
    for key in ("hello", "took_part", "going_well", "home", "family_time", "school", "health",
                "decisions", "next", "rights"):
        assert key in keys, key
    for section in doc.sections:
        assert section.title == compose.default_title(section.key, doc.age_band)
        assert section.picture == default_picture(section.key)
        assert get_picture(section.picture) is not None
        assert section.text.strip()


def test_draft_band_matches_the_child(band_case, session):
    doc = draft_letter(session, band_case.review_id)
    assert doc.age_band == age_band_for(band_case.child.date_of_birth, doc.review_date)


def test_draft_contains_no_jargon(band_case, session):
    doc = draft_letter(session, band_case.review_id)
    hits = check(doc.plain_text())
    assert hits == [], [(h.matched, h.term) for h in hits]


def test_draft_meets_the_readability_target_of_its_band(band_case, session):
    doc = draft_letter(session, band_case.review_id)
    result = score_letter(doc)
    assert result.meets_target, (doc.age_band, result)
    assert result.words > 150


def test_every_fact_in_the_draft_matches_the_review(band_case, session):
    review = session.get(Review, band_case.review_id)
    child = review.child
    doc = draft_letter(session, band_case.review_id)
    text = doc.plain_text()
    # The child's name, as they like to be called, and never their full legal name.
    name = child.preferred_name or child.first_name
    assert doc.child_name == name
    assert doc.greeting == f"Dear {name},"
    assert child.last_name not in text
    # The meeting date, the next review date (from the rules), the IRO as in the settings.
    assert short_date(review.review_date) in text
    due = next_review_due(child, review)
    assert due is not None and due > review.review_date
    assert f"{due.day} {due:%B %Y}" in doc.section("next").text
    assert doc.iro_name == IRO["iro_name"] and doc.iro_phone == IRO["iro_phone"]
    assert doc.iro_email == IRO["iro_email"] and doc.iro_council == IRO["iro_council"]
    assert IRO["iro_first_name"] in doc.sign_off
    # Every decision: once, in order, with its due date; nothing that is not a decision.
    decision_lines = [line[2:] for line in doc.section("decisions").text.splitlines()
                      if line.startswith("- ")]
    assert len(decision_lines) == len(review.decisions)
    for line, decision in zip(decision_lines, review.decisions, strict=True):
        assert f"(by {short_date(decision.due_on)})" in line
    # Every date in the letter is the review's, a decision's or the next review's.
    allowed = {review.review_date, due, *(d.due_on for d in review.decisions)}
    months = "January|February|March|April|May|June|July|August|September|October|November|" \
             "December"
    for day, month, year in re.findall(rf"\b(\d{{1,2}}) ({months}) (\d{{4}})\b", text):
        found = dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
        assert found in allowed, found
    # Who came: each attending adult's first name appears; nobody who did not come.
    for person in review.participants:
        if person.role in ("child",) or person.name in ("Mum",):
            continue
        first = person.name.split()[0] if not person.name.startswith("Mrs") else person.name
        if person.attended and person.role != "carer":
            assert first in doc.section("took_part").text, person.name


def test_decisions_say_who_in_child_words_and_when(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    lines = [line[2:] for line in doc.section("decisions").text.splitlines()
             if line.startswith("- ")]
    assert lines[0] == ("Your carers, Jo and Alex, will arrange for you to join the school choir "
                        "(by 6 November 2026).")
    assert lines[1].startswith("Mrs Patel, your teacher, will update your school plan")
    assert "PEP" not in lines[1] and "Virtual School" not in lines[1]
    assert lines[2] == ("Your social worker, Grace, will ask Mum about family time in the summer "
                        "holidays (by 26 February 2027).")
    assert lines[3] == "You will send your views form before the next review (by 31 March 2027)."


def test_decision_owned_by_the_iro_is_written_as_i(session, iro):
    case = make_case(session, "13+")
    text = draft_letter(session, case.review_id).section("decisions").text
    assert "- I will tell you about the Staying Close scheme (by 1 February 2027)." in text
    assert "Your personal adviser, Tariq, will help you open a bank account" in text


def test_record_notes_are_turned_to_you(session, iro):
    case = make_case(session, "4-8")
    doc = draft_letter(session, case.review_id)
    assert "You are happy living with Janet and say you feel safe." in doc.section("home").text
    assert "Your teacher says you are trying hard with reading." in doc.section("school").text
    assert "You see your mum every other Saturday." in doc.section("family_time").text
    assert "You still have bad dreams sometimes." in doc.section("health").text
    assert "bad dreams" not in doc.section("going_well").text


def test_interests_appear_in_words_and_pictures(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    assert "K-Pop, drawing and swimming" in doc.section("going_well").text
    assert doc.interest_pictures == ["microphone", "painting", "swimming"]


@pytest.mark.parametrize(("code", "words"), [
    ("PN1", "spoke for yourself"),
    ("PN2", "helped by telling everyone what you think"),
    ("PN3", "in your own way"),
    ("PN4", "did not want to say much"),
    ("PN5", "you told me what you think before it"),
    ("PN6", "in another way"),
    ("PN7", "we did not hear what you think"),
])
def test_how_the_child_took_part_follows_the_code(session, iro, code, words):
    case = make_case(session, "9-12", code=code)
    text = draft_letter(session, case.review_id).section("took_part").text
    assert words in text
    assert "PN" not in text


def test_under_four_letter_is_for_later(session, iro):
    case = make_case(session, "0-3")
    doc = draft_letter(session, case.review_id)
    assert doc.age_band == "0-3"
    assert "too young to read this now" in doc.section("hello").text
    assert doc.section("rights").title == "When you are older"


def test_no_record_gives_a_shorter_honest_letter(session, iro):
    case = make_case(session, "9-12", with_record=False)
    doc = draft_letter(session, case.review_id)
    keys = [s.key for s in doc.sections]
    assert "school" not in keys and "health" not in keys and "family_time" not in keys
    assert {"hello", "took_part", "decisions", "next", "rights"} <= set(keys)
    assert check(doc.plain_text()) == []


def test_draft_without_iro_settings_still_reads_well(session):
    case = make_case(session, "4-8")
    doc = draft_letter(session, case.review_id)
    assert "My job is to check" in doc.section("hello").text
    assert doc.iro_name == ""


@pytest.mark.parametrize("band", ["0-3", "4-8", "9-12", "13+"])
def test_no_iro_name_never_gives_a_sentence_about_nobody(session, band):
    case = make_case(session, band)
    hello = draft_letter(session, case.review_id).section("hello").text
    assert "My name is your" not in hello and "My name is ." not in hello
    sentences = [x.strip() for x in hello.replace("\n", " ").split(".") if x.strip()]
    assert len(sentences) == len(set(sentences)), "a sentence said twice"


def test_unknown_review_is_a_lookup_error(session):
    with pytest.raises(LookupError):
        draft_letter(session, 999_999)


def test_save_and_load_keep_every_word_and_the_header(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    assert not has_saved_letter(session, case.review_id)
    doc.sections[0].text = "Hello Maya, it was lovely to see you."
    doc.sections.reverse()
    doc.sections.append(LetterSection("custom", "Your new bike", "You told me about it.", "bike"))
    save_letter(session, case.review_id, doc)
    assert has_saved_letter(session, case.review_id)
    # The settings change later: the saved letter still says what it said.
    settings.put(session, "iro_phone", "01234 000000")
    again = load_letter(session, case.review_id)
    assert [s.to_json() for s in again.sections] == [s.to_json() for s in doc.sections]
    assert again.iro_phone == IRO["iro_phone"]
    assert again.greeting == doc.greeting and again.sign_off == doc.sign_off
    assert again.age_band == doc.age_band and again.interest_pictures == doc.interest_pictures
    row = session.scalar(select(Letter).where(Letter.review_id == case.review_id))
    assert row.sections[0]["key"] == "rights" and row.age_band == "9-12"


def test_save_checks_the_letter(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    doc.sections[2] = LetterSection("custom", " ", "  ", "")
    doc.age_band = "adult"
    with pytest.raises(ValidationError) as caught:
        save_letter(session, case.review_id, doc)
    assert set(caught.value.errors) == {"sections[2].text", "age_band"}
    doc.sections = []
    with pytest.raises(ValidationError) as caught:
        save_letter(session, case.review_id, doc)
    assert "sections" in caught.value.errors


def test_mark_sent_validates_and_saves_the_draft(session, iro):
    case = make_case(session, "13+")
    review = session.get(Review, case.review_id)
    with pytest.raises(ValidationError) as caught:
        mark_letter_sent(session, case.review_id, review.review_date - dt.timedelta(days=1),
                         today=TODAY)
    assert "sent_on" in caught.value.errors
    with pytest.raises(ValidationError):
        mark_letter_sent(session, case.review_id, TODAY + dt.timedelta(days=1), today=TODAY)
    assert not has_saved_letter(session, case.review_id)
    mark_letter_sent(session, case.review_id, review.review_date, today=TODAY)  # same day is fine
    assert has_saved_letter(session, case.review_id)
    assert load_letter(session, case.review_id).sent_on == review.review_date
    mark_letter_sent(session, case.review_id, None, today=TODAY)
    assert load_letter(session, case.review_id).sent_on is None


def test_letter_summaries_show_deadline_and_lateness(session, iro):
    case = make_case(session, "9-12")
    rows = letter_summaries(session, case.child.id, TODAY)
    assert [r.review_date for r in rows] == sorted((r.review_date for r in rows), reverse=True)
    latest = rows[0]
    assert latest.review_id == case.review_id and not latest.saved and latest.sent_on is None
    assert latest.due_by > latest.review_date
    assert latest.late  # 20 November is past 15 working days after 14 October
    mark_letter_sent(session, case.review_id, latest.due_by, today=TODAY)
    latest = letter_summaries(session, case.child.id, TODAY)[0]
    assert latest.saved and latest.sent_on == latest.due_by and not latest.late


def test_demo_caseload_drafts_have_no_jargon_and_read_easily(session, iro):
    """The demo's record notes are written for professionals (PEP, SDQ, health assessment...)."""
    make_demo_caseload(session, children=24, seed=5, today=TODAY)
    latest = session.execute(
        select(Review.child_id, func.max(Review.review_date)).group_by(Review.child_id)).all()
    bands = set()
    for child_id, day in latest:
        review_id = session.scalar(select(Review.id).where(Review.child_id == child_id,
                                                           Review.review_date == day))
        doc = draft_letter(session, review_id)
        bands.add(doc.age_band)
        hits = check(doc.plain_text())
        assert hits == [], (doc.age_band, [h.matched for h in hits])
        result = score_letter(doc)
        assert result.meets_target, (doc.age_band, result.reading_ease, result.grade)
        child = session.get(Child, child_id)
        assert doc.child_name == (child.preferred_name or child.first_name)
    assert bands >= {"4-8", "9-12", "13+"}


def test_a_review_imported_from_903_gets_a_short_letter(session, iro):
    child = make_child(session, reviews=[D(2025, 6, 2)], date_of_birth=D(2015, 1, 1))
    review = child.reviews[0]
    doc = draft_letter(session, review.id)
    assert doc.age_band == "9-12"
    assert check(doc.plain_text()) == []
    assert "2 September 2025" in doc.section("next").text  # second review: 3 months on


def test_a_letter_saved_without_a_header_gets_one(session, iro):
    case = make_case(session, "4-8")
    doc = draft_letter(session, case.review_id)
    save_letter(session, case.review_id, doc)
    row = session.scalar(select(Letter).where(Letter.review_id == case.review_id))
    row.header = None
    session.flush()
    again = load_letter(session, case.review_id)
    assert again.greeting == "Dear Leo," and again.iro_name == IRO["iro_name"]
    assert [s.text for s in again.sections] == [s.text for s in doc.sections]


def test_reviews_imported_from_a_903_file_owe_no_letter(session, iro):
    """A 903 import brings the child's past reviews (no meetings recorded in the app): they are
    history, not letters the IRO owes, and never "844 days late". Only reviews recorded in the
    app count, as in My week."""
    from iro_desktop.caseload.myweek import my_week

    case = make_case(session, "9-12")
    imported = [r for r in case.child.reviews if r.id != case.review_id]
    assert imported
    for review in imported:
        review.source = "903"
        review.review_date = review.review_date - dt.timedelta(days=800)  # long ago
    session.flush()
    rows = {r.review_id: r for r in letter_summaries(session, case.child.id, TODAY)}
    for review in imported:
        row = rows[review.id]
        assert not row.expected and not row.late
    recorded = rows[case.review_id]
    assert recorded.expected and recorded.late  # 20 November is past its deadline
    letters = [item for item in my_week(session, TODAY) if item.category == "letter"
               and item.child_id == case.child.id]
    assert [item.item_id for item in letters] == [case.review_id]
    # Sending a letter for an imported review anyway is fine, and still never late.
    mark_letter_sent(session, imported[0].id, TODAY, today=TODAY)
    row = {r.review_id: r for r in letter_summaries(session, case.child.id, TODAY)}[imported[0].id]
    assert row.sent_on == TODAY and not row.late and not row.expected


def test_draft_letter_for_another_age_band(session, iro):
    """The IRO can write for another band than the child's age gives (the composer re-drafts)."""
    case = make_case(session, "9-12")
    natural = draft_letter(session, case.review_id)
    assert natural.age_band == "9-12"
    for band in compose.AGE_BANDS:
        doc = draft_letter(session, case.review_id, age_band=band)
        assert doc.age_band == band
        assert doc.section("hello").title == compose.default_title("hello", band)
        assert doc.sections[0].key == "hello"
    young = draft_letter(session, case.review_id, age_band="4-8")
    assert young.section("rights").text != natural.section("rights").text
    assert young.sign_off.startswith("Bye for now")
    assert draft_letter(session, case.review_id, age_band=None).age_band == "9-12"
    with pytest.raises(ValidationError) as caught:
        draft_letter(session, case.review_id, age_band="7-9")
    assert "age_band" in caught.value.errors


def test_a_child_placed_for_adoption_is_not_told_they_live_with_foster_carers(session, iro):
    child = make_child(session, reviews=[D(2026, 6, 2)], date_of_birth=D(2024, 1, 1),
                       placement="A4", carer_name="Helen Marchbank (adopters)")
    review = child.reviews[0]
    review.record = {"health": "Meeting developmental milestones."}
    session.flush()
    doc = draft_letter(session, review.id)
    home = doc.section("home")
    assert home is not None and home.text == "You live with Helen."
    assert doc.section("health").text == "You are growing and learning well."


def test_a_series_in_two_places_is_not_said_to_be_at_the_first_place(session, iro):
    """Two meetings (home, then school) read "We met on ... and ... at your home"."""
    from iro_desktop.caseload.reviews import MeetingInput, save_review

    case = make_case(session, "9-12")
    data = case.data
    day = data.meetings[0].held_on
    data.meetings = [MeetingInput(held_on=day, format="in_person", venue="The child's home"),
                     MeetingInput(held_on=day + dt.timedelta(days=2), format="in_person",
                                  venue="School")]
    save_review(session, case.child.id, data, case.review_id, today=TODAY)
    session.flush()
    session.expire_all()
    hello = compose.draft_letter(session, case.review_id).sections[0].text
    assert "at your home" not in hello and "We met on" in hello
    data.meetings[1].venue = "Home"
    save_review(session, case.child.id, data, case.review_id, today=TODAY)
    session.flush()
    session.expire_all()
    assert " at your home for your review" in compose.draft_letter(
        session, case.review_id).sections[0].text


def test_a_named_owner_is_set_off_by_two_commas(session, iro):
    """"Your carer, Hollie will do this." lacked the comma after the name."""
    from iro_desktop.caseload.reviews import DecisionInput, save_review

    case = make_case(session, "9-12")
    data = case.data
    data.decisions = [DecisionInput("Family time with Gran every month", "Carer", "Hollie Brennan",
                                    D(2027, 1, 15))]
    save_review(session, case.child.id, data, case.review_id, today=TODAY)
    session.flush()
    session.expire_all()
    doc = compose.draft_letter(session, case.review_id)
    decided = next(s for s in doc.sections if s.key == "decisions").text
    assert "Your carer, Hollie, will do this (by 15 January 2027)." in decided
