"""The IRO's figures for the year 1 April 2025 to 31 March 2026, with exact numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from iro_desktop.caseload import escalations, midway, reviews
from iro_desktop.caseload.escalations import EscalationInput
from iro_desktop.db.models import Base, Child, Escalation, Letter, MidwayReview, Review
from iro_desktop.reports.figures import april_year, iro_figures
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date
START, END = D(2025, 4, 1), D(2026, 3, 31)
TODAY = D(2026, 4, 20)


def _codes(child, *codes):
    for review, code in zip(child.reviews, codes, strict=True):
        review.participation_code = code


@pytest.fixture
def year(session):
    """Three children, five reviews in the year, one of them late, one from a 903 file."""
    # Initial on its due date (02/06/2025); second due 02/09/2025 but held a day late.
    ada = make_child(
        session,
        first_name="Ada",
        sex="F",
        date_of_birth=D(2014, 3, 9),
        looked_after_since=D(2025, 5, 1),
        reviews=[D(2025, 6, 2), D(2025, 9, 3)],
    )
    _codes(ada, "PN1", "PN6")
    # A baby in care from 10/12/2025: initial due 12/01/2026 over Christmas, held that day (903).
    ben = make_child(
        session,
        first_name="Ben",
        sex="M",
        date_of_birth=D(2024, 2, 10),
        looked_after_since=D(2025, 12, 10),
        reviews=[D(2026, 1, 12)],
    )
    ben.reviews[0].source = "903"
    # In care since 2024: the reviews before April count for timeliness, not as held this year.
    cai = make_child(
        session,
        first_name="Cai",
        sex="M",
        looked_after_since=D(2024, 3, 1),
        reviews=[D(2024, 3, 28), D(2024, 6, 20), D(2024, 12, 19), D(2025, 6, 18), D(2025, 12, 10)],
    )
    _codes(cai, "PN1", "PN1", "PN1", "PN3", "PN7")
    session.flush()
    return {"ada": ada, "ben": ben, "cai": cai}


def test_reviews_timeliness_and_participation(session, year):
    figures = iro_figures(session, START, END)
    assert figures["reviews_held"] == 5
    assert figures["reviews_on_time"] == 4
    assert figures["children_reviewed"] == 3
    assert figures["children_all_reviews_on_time"] == 2  # Ben and Cai
    assert figures["participation"] == {
        "PN0": 1,
        "PN1": 1,
        "PN2": 0,
        "PN3": 1,
        "PN4": 0,
        "PN5": 0,
        "PN6": 1,
        "PN7": 1,
    }
    assert figures["reviews_recorded"] == 4  # not Ben's 903 line
    assert (figures["from"], figures["to"]) == ("2025-04-01", "2026-03-31")


def test_the_period_includes_both_ends(session, year):
    assert iro_figures(session, D(2025, 6, 2), D(2025, 6, 18))["reviews_held"] == 2
    assert iro_figures(session, D(2025, 6, 3), D(2025, 6, 17))["reviews_held"] == 0


def test_filter_by_child_ids_or_a_criterion(session, year):
    ada_only = iro_figures(session, START, END, child_ids={year["ada"].id})
    assert (ada_only["reviews_held"], ada_only["reviews_on_time"]) == (2, 1)
    assert ada_only["children_all_reviews_on_time"] == 0
    boys = iro_figures(session, START, END, child_filter=Child.sex == "M")
    assert (boys["reviews_held"], boys["reviews_on_time"], boys["children_reviewed"]) == (3, 3, 2)
    nobody = iro_figures(session, START, END, child_ids=set())
    assert nobody["reviews_held"] == 0


def test_filter_the_reviews_counted_keeps_timeliness_from_all_of_them(session, year):
    # As the manager counts the reviews one IRO chaired: here, those not from a 903 file.
    mine = iro_figures(session, START, END, review_filter=Review.source != "903")
    assert (mine["reviews_held"], mine["reviews_on_time"], mine["children_reviewed"]) == (4, 3, 2)
    # Cai's review of 10/12/2025 alone: on time, because the one before it (18/06/2025) counts.
    one = iro_figures(session, START, END, review_filter=Review.review_date == D(2025, 12, 10))
    assert (one["reviews_held"], one["reviews_on_time"]) == (1, 1)
    ada = year["ada"]
    midway.save_midway(
        session, ada.id, midway.MidwayInput(D(2025, 11, 20), "call", ""), today=TODAY
    )
    escalations.raise_escalation(
        session,
        ada.id,
        EscalationInput(raised_on=D(2025, 11, 20), concern="x", themes=["Health"]),
        today=TODAY,
    )
    none = iro_figures(
        session,
        START,
        END,
        midway_filter=MidwayReview.method == "visit",
        escalation_filter=Escalation.concern == "y",
    )
    assert (none["midway_reviews_held"], none["escalations_raised"]) == (0, 0)
    assert iro_figures(session, START, END)["escalations_raised"] == 1


def test_midway_reviews_and_escalations(session, year):
    ada, cai = year["ada"], year["cai"]
    # Ada's third review is due 03/03/2026: a midway review in November finds drift.
    for held_on in (D(2025, 11, 20), D(2026, 4, 2)):
        midway.save_midway(session, ada.id, midway.MidwayInput(held_on, "call", ""), today=TODAY)
    first = escalations.raise_escalation(
        session,
        ada.id,
        EscalationInput(
            raised_on=D(2025, 11, 20),
            concern="Dental check not booked.",
            themes=["Follow-up of review decisions", "Health"],
        ),
        today=TODAY,
    )
    escalations.move_up(session, first, "team_manager", D(2025, 12, 8), today=TODAY)
    escalations.move_up(session, first, "head_of_service", D(2026, 1, 5), today=TODAY)
    escalations.refer_to_cafcass(session, first, D(2026, 1, 20), today=TODAY)
    escalations.close_escalation(session, first, "partly_resolved", D(2026, 2, 2), today=TODAY)
    second = escalations.raise_escalation(
        session,
        cai.id,
        EscalationInput(
            raised_on=D(2026, 3, 31),
            concern="No allocated worker.",
            stage="informal_tm",
            themes=["CLA social work (visits, no allocated worker, worker changes)", "Health"],
        ),
        today=TODAY,
    )
    escalations.raise_escalation(
        session,
        cai.id,
        EscalationInput(  # the year before
            raised_on=D(2025, 3, 31), concern="Old.", themes=["Other"]
        ),
        today=TODAY,
    )
    escalations.raise_escalation(
        session,
        cai.id,
        EscalationInput(
            kind="good_practice", raised_on=D(2025, 7, 1), concern="Great transition work."
        ),
        today=TODAY,
    )
    assert second

    figures = iro_figures(session, START, END)
    assert figures["midway_reviews_held"] == 1
    assert figures["escalations_raised"] == 2
    assert figures["escalation_children"] == 2
    assert figures["good_practice_alerts"] == 1
    assert figures["escalations_referred_to_cafcass"] == 1
    themes = {k: v for k, v in figures["escalations_by_theme"].items() if v}
    assert themes == {
        "Follow-up of review decisions": 1,
        "Health": 2,
        "CLA social work (visits, no allocated worker, worker changes)": 1,
    }
    assert figures["escalations_by_theme"]["Other"] == 0  # every theme is listed
    assert figures["escalations_by_stage"] == {
        "informal_sw": 0,
        "informal_tm": 1,
        "team_manager": 0,
        "service_manager": 0,
        "head_of_service": 1,
        "director": 0,
    }
    assert figures["escalations_by_outcome"] == {
        "resolved": 0,
        "partly_resolved": 1,
        "not_resolved": 0,
        "open": 1,
    }


def test_decisions_records_and_letters_on_time(session):
    dee = make_child(
        session, first_name="Dee", looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)]
    )
    one = reviews.save_review(
        session, dee.id, series_review(D(2025, 9, 1), D(2025, 9, 4)), today=TODAY
    )
    # From the last meeting, Thursday 04/09/2025: circulate by 11/09, complete and send by 25/09.
    reviews.mark_decisions_circulated(session, one, D(2025, 9, 11), today=TODAY)
    reviews.mark_record_completed(session, one, D(2025, 9, 26), today=TODAY)
    session.add(Letter(review_id=one, sent_on=D(2025, 9, 25)))
    eve = make_child(session, first_name="Eve", looked_after_since=D(2025, 5, 1))
    two = reviews.save_review(session, eve.id, series_review(D(2025, 5, 29)), today=TODAY)
    reviews.mark_decisions_circulated(session, two, D(2025, 6, 6), today=TODAY)  # due 05/06
    reviews.mark_record_completed(session, two, D(2025, 6, 19), today=TODAY)  # due 19/06
    session.add(Letter(review_id=two, sent_on=None))
    session.flush()
    session.expire_all()

    figures = iro_figures(session, START, END)
    assert figures["reviews_held"] == 3
    assert figures["reviews_recorded"] == 3
    assert (figures["decisions_circulated"], figures["decisions_circulated_on_time"]) == (2, 1)
    assert (figures["records_completed"], figures["records_on_time"]) == (2, 1)
    assert (figures["letters_sent"], figures["letters_on_time"]) == (1, 1)


def test_a_review_outside_every_period_of_care_is_not_on_time(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1))
    child.reviews.append(Review(review_date=D(2025, 4, 20), participation_code="PN1", source="903"))
    session.flush()
    figures = iro_figures(session, START, END)
    assert (figures["reviews_held"], figures["reviews_on_time"]) == (1, 0)


def test_works_on_any_session_over_the_models():
    """The manager's service database is another database with the same tables."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as other:
        make_child(other, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2), D(2025, 9, 3)])
        figures = iro_figures(other, START, END)
    assert (figures["reviews_held"], figures["reviews_on_time"]) == (2, 1)
    engine.dispose()


def test_a_backwards_period_is_refused(session):
    with pytest.raises(ValueError, match="ends before it starts"):
        iro_figures(session, END, START)


def test_the_reporting_year_runs_april_to_march():
    assert april_year(D(2026, 3, 31)) == (D(2025, 4, 1), D(2026, 3, 31))
    assert april_year(D(2026, 4, 1)) == (D(2026, 4, 1), D(2027, 3, 31))
    assert april_year(D(2026, 12, 1)) == (D(2026, 4, 1), D(2027, 3, 31))
