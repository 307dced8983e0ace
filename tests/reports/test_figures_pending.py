"""Decisions, records and letters still within their deadline on the report date are *pending*:
neither on time nor late yet, left out of the share and counted apart.

Real English dates, the default settings (decisions 5 working days after the last meeting, record
and letter 15). The report date is Monday 30 November 2026 unless a test says otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop.caseload import reviews
from iro_desktop.db.models import Letter, Review, ReviewMeeting
from iro_desktop.reports import figures
from iro_desktop.reports.figures import FIGURE_LABELS, ON_TIME_OUT_OF, iro_figures
from iro_desktop.rules.workdays import is_bank_holiday
from tests.factory import make_child

D = dt.date
START, END = D(2026, 4, 1), D(2027, 3, 31)
MONDAY = D(2026, 11, 30)
DAYS = (5, 15, 15)
KINDS = ("decisions", "records", "letters")


def _review(
    session,
    held_on: dt.date,
    *,
    circulated: dt.date | None = None,
    completed: dt.date | None = None,
    sent: dt.date | None = None,
    source: str = "app",
) -> Review:
    child = make_child(session, looked_after_since=D(2026, 3, 2), reviews=[held_on])
    review = child.reviews[0]
    review.source = source
    review.decisions_circulated_on = circulated
    review.record_completed_on = completed
    if sent is not None:
        session.add(Letter(review_id=review.id, sent_on=sent))
    session.flush()
    return review


def _after(f: dict) -> dict:
    """(on time, out of, pending) for decisions, records and letters."""
    on_time = {"decisions": "decisions_circulated_on_time", "records": "records_on_time",
               "letters": "letters_on_time"}
    return {k: (f[on_time[k]], f[f"{k}_due"], f[f"{k}_pending"]) for k in KINDS}


@pytest.fixture
def autumn(session):
    """Four reviews in November 2026, each a different case."""
    # Held Thursday 26/11: two working days before the report date (Fri 27, Mon 30). Circulate by
    # Thursday 03/12, record and letter by Thursday 17/12: nothing done yet, nothing late yet.
    _review(session, D(2026, 11, 26))
    # Also held 26/11, decisions out the next day: done inside the deadline counts at once.
    _review(session, D(2026, 11, 26), circulated=D(2026, 11, 27))
    # Held Tuesday 10/11, twenty days ago, nothing done: the decisions (due 17/11) are late; the
    # record and the letter are due Tuesday 01/12, so on 30/11 they are still pending.
    _review(session, D(2026, 11, 10))
    # Held Monday 02/11: decisions out 10/11 (due 09/11) and record 24/11 (due 23/11), both a day
    # late; the letter went on 23/11, its last day.
    _review(session, D(2026, 11, 2), circulated=D(2026, 11, 10), completed=D(2026, 11, 24),
            sent=D(2026, 11, 23))


def test_the_deadlines_used_here_are_the_settings_in_working_days(session):
    assert reviews.deadline_days(session) == DAYS
    assert reviews.deadlines_from(D(2026, 11, 26), DAYS) == (D(2026, 12, 3), D(2026, 12, 17),
                                                            D(2026, 12, 17))
    assert reviews.deadlines_from(D(2026, 11, 10), DAYS)[1] == D(2026, 12, 1)
    assert reviews.deadlines_from(D(2026, 11, 2), DAYS) == (D(2026, 11, 9), D(2026, 11, 23),
                                                           D(2026, 11, 23))


def test_pending_work_is_left_out_of_the_share_and_counted_apart(session, autumn):
    f = iro_figures(session, START, END, today=MONDAY)
    assert f["reviews_recorded"] == 4
    assert f["report_date"] == "2026-11-30"
    assert _after(f) == {
        "decisions": (1, 3, 1),  # on time: 27/11; late: the 10/11 one and the 02/11 one
        "records": (0, 1, 3),  # only the 02/11 one was due, and it was completed late
        "letters": (1, 1, 3),  # the 02/11 one, sent on its last day
    }
    # The things done are counted as before, whether their deadline has come or not.
    assert (f["decisions_circulated"], f["records_completed"], f["letters_sent"]) == (2, 1, 1)


def test_a_deadline_passing_moves_work_from_pending_to_late(session, autumn):
    # Wednesday 02/12: the record and letter of the review of 10/11 (due 01/12) are now late.
    f = iro_figures(session, START, END, today=D(2026, 12, 2))
    assert _after(f) == {"decisions": (1, 3, 1), "records": (0, 2, 2), "letters": (1, 2, 2)}
    # Thursday 03/12 is the last day for the decisions of 26/11: still pending that day...
    assert iro_figures(session, START, END, today=D(2026, 12, 3))["decisions_pending"] == 1
    # ...and late the day after.
    assert iro_figures(session, START, END, today=D(2026, 12, 4))["decisions_pending"] == 0
    # Friday 18/12: every deadline has passed, nothing is pending and every review counts.
    f = iro_figures(session, START, END, today=D(2026, 12, 18))
    assert _after(f) == {"decisions": (1, 4, 0), "records": (0, 4, 0), "letters": (1, 4, 0)}


def test_a_review_held_yesterday_does_not_pull_the_figure_down(session):
    # Three October reviews, everything done on its deadline day: 100%.
    for held_on in (D(2026, 10, 1), D(2026, 10, 8), D(2026, 10, 15)):
        circulate_by, complete_by, letter_by = reviews.deadlines_from(held_on, DAYS)
        _review(session, held_on, circulated=circulate_by, completed=complete_by, sent=letter_by)
    before = iro_figures(session, START, END, today=MONDAY)
    # The IRO chairs a review on Friday 27/11 and looks at the figures on Monday.
    _review(session, D(2026, 11, 27))
    after = iro_figures(session, START, END, today=MONDAY)
    assert after["reviews_recorded"] == before["reviews_recorded"] + 1 == 4
    for key, out_of in ON_TIME_OUT_OF.items():
        assert (after[key], after[out_of]) == (before[key], before[out_of]) == (3, 3), key
    assert _after(after) == {k: (3, 3, 1) for k in KINDS}
    assert _after(before) == {k: (3, 3, 0) for k in KINDS}


def test_bank_holidays_push_the_deadline_back(session):
    # Christmas 2026: Friday 25/12, Boxing Day's substitute Monday 28/12, New Year Friday 01/01.
    assert is_bank_holiday(D(2026, 12, 25)) and is_bank_holiday(D(2026, 12, 28))
    assert is_bank_holiday(D(2027, 1, 1))
    # Held Wednesday 23/12: working days 24/12, 29/12, 30/12, 31/12, 04/01 -> circulate by 04/01
    # (counting weekdays alone it would be Wednesday 30/12).
    assert reviews.deadlines_from(D(2026, 12, 23), DAYS)[0] == D(2027, 1, 4)
    waiting = _review(session, D(2026, 12, 23))
    done = _review(session, D(2026, 12, 23), circulated=D(2027, 1, 4))

    def decisions(today: dt.date) -> tuple[int, int, int]:
        return _after(iro_figures(session, START, END, today=today))["decisions"]

    assert decisions(D(2026, 12, 31)) == (1, 1, 1)  # not late on New Year's Eve
    assert decisions(D(2027, 1, 4)) == (1, 1, 1)  # the deadline day itself
    assert decisions(D(2027, 1, 5)) == (1, 2, 0)  # now it is late; the one out on 04/01 was not
    assert waiting.decisions_circulated_on is None and done.decisions_circulated_on is not None


def test_the_deadline_runs_from_the_last_meeting_of_a_series(session):
    review = _review(session, D(2026, 11, 20))
    for held_on in (D(2026, 11, 20), D(2026, 11, 27)):
        session.add(ReviewMeeting(review_id=review.id, held_on=held_on, format="in_person"))
    session.flush()
    # From the first meeting the decisions were due 27/11 (late on 30/11); from the last, 04/12.
    f = iro_figures(session, START, END, today=MONDAY)
    assert (f["decisions_pending"], f["decisions_due"]) == (1, 0)


def test_a_review_from_a_903_file_is_never_pending(session):
    _review(session, D(2026, 11, 27), source="903")
    _review(session, D(2026, 11, 27))
    f = iro_figures(session, START, END, today=MONDAY)
    assert f["reviews_held"] == 2 and f["reviews_recorded"] == 1
    assert _after(f) == {k: (0, 0, 1) for k in KINDS}


def test_the_report_date_is_today_by_default(session, monkeypatch):
    _review(session, D(2026, 11, 27))
    monkeypatch.setattr(figures, "current_date", lambda: MONDAY)
    assert iro_figures(session, START, END)["decisions_pending"] == 1
    monkeypatch.setattr(figures, "current_date", lambda: D(2027, 2, 1))
    f = iro_figures(session, START, END)
    assert (f["decisions_pending"], f["decisions_due"], f["report_date"]) == (0, 1, "2027-02-01")


def test_every_new_figure_has_a_label():
    for kind in KINDS:
        assert f"{kind}_pending" in FIGURE_LABELS and f"{kind}_due" in FIGURE_LABELS
    assert set(ON_TIME_OUT_OF.values()) == {f"{k}_due" for k in KINDS}
