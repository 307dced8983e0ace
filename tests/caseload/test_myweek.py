"""My week on a small caseload with one child for each kind of line, on Monday 12 January 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from iro_desktop import settings
from iro_desktop.caseload import escalations, midway, myweek, notes, reviews
from iro_desktop.caseload.escalations import EscalationInput
from iro_desktop.caseload.notes import NoteInput
from iro_desktop.db.models import Episode, Letter
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date
TODAY = D(2026, 1, 12)
SINCE = D(2025, 5, 1)


def _seen(session, child, on=None):
    notes.save_note(
        session, child.id, NoteInput(on or D(2026, 1, 5), "visit", False, "Visit."), today=TODAY
    )


@pytest.fixture
def caseload(session):
    c = {}
    c["late"] = make_child(session, first_name="Ada", reviews=[D(2025, 6, 2)])
    c["soon"] = make_child(session, first_name="Ben", reviews=[D(2025, 6, 2), D(2025, 8, 1)])
    c["quiet"] = make_child(
        session, first_name="Cai", reviews=[D(2025, 6, 2), D(2025, 9, 1), D(2025, 12, 10)]
    )
    c["recorded"] = make_child(session, first_name="Dee", reviews=[D(2025, 6, 2)])
    c["escalated"] = make_child(
        session, first_name="Eve", reviews=[D(2025, 6, 2), D(2025, 9, 1), D(2025, 12, 20)]
    )
    c["unseen"] = make_child(
        session, first_name="Fin", reviews=[D(2025, 6, 2), D(2025, 9, 1), D(2025, 12, 20)]
    )
    c["moved"] = make_child(
        session, first_name="Gus", reviews=[D(2025, 6, 2), D(2025, 9, 1), D(2025, 12, 1)]
    )
    c["gone"] = make_child(
        session, first_name="Hal", reviews=[D(2025, 6, 2)], transferred_out_on=D(2025, 12, 1)
    )
    for key in ("late", "soon", "quiet", "escalated", "moved"):
        _seen(session, c[key])
    _seen(session, c["unseen"], on=D(2025, 7, 1))

    # A review recorded in the app on Monday 5 January, the IRO seeing Dee alone beforehand.
    data = series_review(D(2026, 1, 5))
    c["review_id"] = reviews.save_review(session, c["recorded"].id, data, today=TODAY)

    raised = EscalationInput(raised_on=D(2025, 12, 18), concern="No PEP.", themes=["Education"])
    c["waiting"] = escalations.raise_escalation(session, c["escalated"].id, raised, today=TODAY)
    answered = escalations.raise_escalation(session, c["escalated"].id, raised, today=TODAY)
    escalations.record_response(session, answered, D(2025, 12, 22), "Meeting booked.", today=TODAY)
    closed = escalations.raise_escalation(session, c["escalated"].id, raised, today=TODAY)
    escalations.close_escalation(session, closed, "resolved", D(2025, 12, 19), today=TODAY)
    escalations.raise_escalation(
        session,
        c["escalated"].id,
        EscalationInput(
            kind="good_practice", raised_on=D(2025, 12, 18), concern="Great life story work."
        ),
        today=TODAY,
    )

    first = c["moved"].episodes[0]
    first.end, first.reason_ended = D(2026, 1, 5), "X1"
    c["moved"].episodes.append(
        Episode(
            start=D(2026, 1, 5),
            reason_new_episode="P",
            legal_status="C2",
            placement="U5",
            placement_postcode="ZZ2 2ZZ",
        )
    )
    session.flush()
    return c


def _lines(items):
    return [
        (i.category, i.child_name.split()[0], i.due, i.overdue, i.tab, i.item_id) for i in items
    ]


def test_my_week_has_a_line_for_each_thing_to_do_overdue_first(session, caseload):
    review_id, waiting = caseload["review_id"], caseload["waiting"]
    assert _lines(myweek.my_week(session, TODAY)) == [
        # Overdue, oldest first.
        ("review", "Ada", D(2025, 9, 2), True, "reviews", 0),
        ("midway", "Ben", D(2025, 11, 1), True, "midway", 0),
        ("not_seen", "Fin", D(2026, 1, 1), True, "notes", 0),
        ("escalation", "Eve", D(2026, 1, 6), True, "escalations", waiting),
        # Then by date.
        ("placement_change", "Gus", D(2026, 1, 5), False, "details", 0),
        ("decisions", "Dee", D(2026, 1, 12), False, "reviews", review_id),
        ("letter", "Dee", D(2026, 1, 26), False, "letters", review_id),
        ("record", "Dee", D(2026, 1, 26), False, "reviews", review_id),
        ("review", "Ben", D(2026, 2, 1), False, "reviews", 0),
    ]


def test_the_lines_say_what_to_do(session, caseload):
    texts = {(i.category, i.child_name.split()[0]): i.text for i in myweek.my_week(session, TODAY)}
    assert texts[("review", "Ada")] == "Second review overdue: was due 02/09/2025"
    assert texts[("review", "Ben")] == "Subsequent review due 01/02/2026"
    assert texts[("midway", "Ben")] == "Midway review overdue: 01/11/2025 (last review 01/08/2025)"
    assert texts[("not_seen", "Fin")] == "Not seen since 01/07/2025"
    assert texts[("placement_change", "Gus")] == (
        "Moved on 05/01/2026, after the review of 01/12/2025: consider a review"
    )
    assert texts[("decisions", "Dee")] == (
        "Circulate the decisions of the review of 05/01/2026 by 12/01/2026"
    )
    assert texts[("escalation", "Eve")] == "Response late: 06/01/2026 (raised 18/12/2025)"
    assert texts[("record", "Dee")] == (
        "Complete the record of the review of 05/01/2026 by 26/01/2026"
    )


def test_a_draft_with_no_participation_code_says_the_record_is_not_finished(session):
    """Kit's review on Monday 5 January 2026 was saved as a draft before the IRO chose the code:
    the record (due Monday 26/01) still needs it, and the line says so."""
    kit = make_child(session, first_name="Kit", reviews=[D(2025, 6, 2)])
    _seen(session, kit)
    draft = reviews.save_review(session, kit.id, series_review(D(2026, 1, 5), code=""), today=TODAY)
    assert reviews.review_to_do(session, draft, today=TODAY) == ["participation code"]
    [record] = [i for i in myweek.my_week(session, TODAY) if i.category == "record"]
    assert record.text == (
        "Record not finished: the review of 05/01/2026 (no participation code yet) "
        "– complete by 26/01/2026"
    )
    assert (record.due, record.tab, record.item_id, record.overdue, record.missing) == (
        D(2026, 1, 26), "reviews", draft, False, "participation_code")
    # The decisions and the letter are asked for as usual.
    decisions = [i for i in myweek.my_week(session, TODAY) if i.category == "decisions"]
    assert [i.text for i in decisions] == [
        "Circulate the decisions of the review of 05/01/2026 by 12/01/2026"]


def test_lines_go_when_the_work_is_done(session, caseload):
    review_id = caseload["review_id"]
    reviews.mark_decisions_circulated(session, review_id, D(2026, 1, 9), today=TODAY)
    session.add(Letter(review_id=review_id, sent_on=D(2026, 1, 12)))
    ben = caseload["soon"]
    checks = midway.decisions_for_midway(session, ben.id, TODAY)
    midway.save_midway(
        session, ben.id, midway.MidwayInput(D(2026, 1, 9), "call", "No decisions."), today=TODAY
    )
    assert checks.decisions == []
    escalations.record_response(session, caseload["waiting"], D(2026, 1, 9), "Done.", today=TODAY)
    _seen(session, caseload["unseen"], on=D(2026, 1, 9))
    session.flush()
    left = {(c, n) for c, n, *_ in _lines(myweek.my_week(session, TODAY))}
    assert left == {
        ("review", "Ada"),
        ("placement_change", "Gus"),
        ("record", "Dee"),
        ("review", "Ben"),
    }


def test_late_record_tasks_are_overdue(session, caseload):
    lines = _lines(myweek.my_week(session, D(2026, 1, 27)))
    assert ("record", "Dee", D(2026, 1, 26), True, "reviews", caseload["review_id"]) in lines
    assert ("decisions", "Dee", D(2026, 1, 12), True, "reviews", caseload["review_id"]) in lines


def test_the_due_soon_window_is_a_setting(session, caseload):
    settings.put(session, "due_soon_days", 14)
    categories = {(c, n) for c, n, *_ in _lines(myweek.my_week(session, TODAY))}
    assert ("review", "Ben") not in categories
    assert ("review", "Ada") in categories


def test_a_never_seen_child_is_flagged_six_months_after_coming_into_care(session):
    make_child(
        session, first_name="Ivy", looked_after_since=D(2025, 6, 2), reviews=[D(2025, 6, 30)]
    )
    lines = _lines(myweek.my_week(session, D(2025, 12, 3)))
    assert ("not_seen", "Ivy", D(2025, 12, 2), True, "notes", 0) in lines
    assert not [
        line for line in _lines(myweek.my_week(session, D(2025, 12, 2))) if line[0] == "not_seen"
    ]


def _queries(session) -> tuple[int, list]:
    statements = []
    engine = session.get_bind()

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        items = myweek.my_week(session, TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements), items


def test_seventy_children_in_a_fixed_number_of_queries(session):
    first = make_child(session, reviews=[D(2025, 6, 2)])
    escalations.raise_escalation(
        session,
        first.id,
        EscalationInput(raised_on=D(2025, 12, 18), concern="x", themes=["Education"]),
        today=TODAY,
    )
    few, _items = _queries(session)
    for number in range(70):
        child = make_child(session, reviews=[D(2025, 6, 2), D(2025, 9, 1)])
        if number % 2:
            _seen(session, child)
            escalations.raise_escalation(
                session,
                child.id,
                EscalationInput(raised_on=D(2025, 12, 18), concern="x", themes=["Education"]),
                today=TODAY,
            )
        if number % 5 == 0:  # every other one a draft with no participation code yet
            code = "" if number % 10 == 0 else "PN2"
            reviews.save_review(
                session, child.id, series_review(D(2026, 1, 5), code=code), today=TODAY
            )
    session.flush()
    many, items = _queries(session)
    assert many == few <= 12
    assert len([i for i in items if i.category == "escalation"]) == 36
    assert len([i for i in items if i.category == "record"]) == 14
    assert len([i for i in items if "no participation code yet" in i.text]) == 7


def test_only_the_latest_reviews_letter_is_asked_for(session):
    child = make_child(session, first_name="Jay", reviews=[D(2025, 6, 2)])
    _seen(session, child)
    older = reviews.save_review(session, child.id, series_review(D(2025, 8, 28)), today=TODAY)
    newer = reviews.save_review(session, child.id, series_review(D(2026, 1, 5)), today=TODAY)
    letters = [i.item_id for i in myweek.my_week(session, TODAY) if i.category == "letter"]
    assert letters == [newer]
    records = {i.item_id for i in myweek.my_week(session, TODAY) if i.category == "record"}
    assert records == {older, newer}  # an unfinished record stays on the list
