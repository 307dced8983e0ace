"""A child's timeline: everything in date order, each entry pointing at its tab and item."""

from __future__ import annotations

import datetime as dt

from iro_desktop import settings
from iro_desktop.caseload import escalations, midway, notes, reviews
from iro_desktop.caseload.timeline import timeline
from iro_desktop.db.models import Letter, Review
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date
TODAY = D(2026, 2, 2)


def test_timeline_in_date_order(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
    initial_id = child.reviews[0].id
    review_id = reviews.save_review(
        session, child.id, series_review(D(2025, 8, 28), D(2025, 9, 4)), today=TODAY
    )
    reviews.mark_decisions_circulated(session, review_id, D(2025, 9, 9), today=TODAY)
    reviews.mark_record_completed(session, review_id, D(2025, 9, 24), today=TODAY)
    session.add(Letter(review_id=review_id, sent_on=D(2025, 9, 25)))
    note_id = notes.save_note(
        session,
        child.id,
        notes.NoteInput(D(2025, 7, 1), "visit", True, "Saw Mia at home."),
        today=TODAY,
    )
    decisions = session.get(Review, review_id).decisions
    midway_id = midway.save_midway(
        session,
        child.id,
        midway.MidwayInput(
            D(2025, 11, 27),
            "call",
            "",
            {
                decisions[0].id: ("drifting", ""),
                decisions[1].id: ("done", ""),
                decisions[2].id: ("done", ""),
            },
        ),
        today=TODAY,
    )
    escalation_id = escalations.raise_escalation(
        session, child.id, midway.escalation_from_midway(session, midway_id), today=TODAY
    )
    escalations.record_response(session, escalation_id, D(2025, 12, 5), "No date yet.", today=TODAY)
    escalations.move_up(session, escalation_id, "team_manager", D(2025, 12, 8), today=TODAY)
    escalations.close_escalation(session, escalation_id, "resolved", D(2026, 1, 5), today=TODAY)
    session.flush()
    session.expire_all()

    entries = [(e.on, e.kind, e.title, e.tab, e.item_id) for e in timeline(session, child.id)]
    assert entries == [
        (D(2025, 6, 2), "review", "Initial review", "reviews", initial_id),
        (D(2025, 7, 1), "note", "Case note: Visit to the child (seen alone)", "notes", note_id),
        (D(2025, 8, 28), "review", "Second review", "reviews", review_id),
        (D(2025, 9, 4), "review_meeting", "Review meeting 2 of 2", "reviews", review_id),
        (D(2025, 9, 9), "decisions_circulated", "Decisions circulated", "reviews", review_id),
        (D(2025, 9, 24), "record_completed", "Review record completed", "reviews", review_id),
        (D(2025, 9, 25), "letter_sent", "Letter sent to the child", "letters", review_id),
        (D(2025, 11, 27), "midway", "Midway review (phone call)", "midway", midway_id),
        (D(2025, 11, 27), "escalation_raised", "Escalation raised", "escalations", escalation_id),
        (
            D(2025, 12, 5),
            "escalation_response",
            "Escalation response received (Informal: with the social worker)",
            "escalations",
            escalation_id,
        ),
        (
            D(2025, 12, 8),
            "escalation_stage",
            "Escalation moved up (Formal: team manager)",
            "escalations",
            escalation_id,
        ),
        (
            D(2026, 1, 5),
            "escalation_closed",
            "Escalation closed: Resolved",
            "escalations",
            escalation_id,
        ),
    ]
    texts = {e.kind: e.text for e in timeline(session, child.id)}
    assert texts["midway"] == "1 drifting, 2 done"
    assert texts["review"] == "participation PN2, 2 meetings, 3 decisions"
    late = make_child(session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 3)])
    assert [e.text for e in timeline(session, late.id)] == [
        "participation PN1, late: due 02/06/2025"
    ]
    assert [e.on for e in timeline(session, child.id, newest_first=True)][:2] == [
        D(2026, 1, 5),
        D(2025, 12, 8),
    ]


def _doubled_words(title: str) -> list[str]:
    """Words of four letters or more said twice in one title ("Review: Second review")."""
    words = [w.strip(":()…,.").casefold() for w in title.split()]
    return sorted({w for w in words if len(w) >= 4 and words.count(w) > 1})


def test_every_title_says_what_happened_once(session):
    """Each title reads whole on its own, and the timeline tab shows it as it is: nothing is said
    twice ("Record completed: Review record completed"), for every kind of entry."""
    child = make_child(session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
    review_id = reviews.save_review(
        session, child.id, series_review(D(2025, 8, 28), D(2025, 9, 4)), today=TODAY
    )
    reviews.mark_decisions_circulated(session, review_id, D(2025, 9, 9), today=TODAY)
    reviews.mark_record_completed(session, review_id, D(2025, 9, 24), today=TODAY)
    session.add(Letter(review_id=review_id, sent_on=D(2025, 9, 25)))
    for kind, _label in notes.NOTE_KINDS:
        notes.save_note(session, child.id, notes.NoteInput(D(2025, 7, 1), kind, False, "Words."),
                        today=TODAY)
    for kind, _label in escalations.ESCALATION_KINDS:
        escalation_id = escalations.raise_escalation(
            session, child.id,
            escalations.EscalationInput(kind=kind, raised_on=D(2025, 12, 1), concern="Drift.",
                                        themes=[settings.ESCALATION_THEMES[0]],
                                        stage="informal_sw"),
            today=TODAY)
        escalations.record_response(session, escalation_id, D(2025, 12, 5), "Noted.", today=TODAY)
        if kind == escalations.ESCALATION:  # a good-practice alert goes no further
            escalations.move_up(session, escalation_id, "team_manager", D(2025, 12, 8),
                                today=TODAY)
            escalations.refer_to_cafcass(session, escalation_id, D(2025, 12, 9), today=TODAY)
        escalations.close_escalation(session, escalation_id, "resolved", D(2026, 1, 5),
                                     today=TODAY)
    session.flush()
    session.expire_all()

    entries = timeline(session, child.id)
    kinds = {e.kind for e in entries}
    assert {"review", "review_meeting", "decisions_circulated", "record_completed",
            "letter_sent", "note", "escalation_raised", "escalation_response",
            "escalation_stage", "cafcass", "escalation_closed"} <= kinds
    assert {e.title: _doubled_words(e.title) for e in entries if _doubled_words(e.title)} == {}
    titles = {e.title for e in entries}
    assert "Review record completed" in titles
    assert "Case note: Call" in titles
    assert "Good-practice alert" in titles  # not "Escalation raised: Good-practice alert"
    assert "Good-practice alert closed: Resolved" in titles
