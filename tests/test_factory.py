"""The factory itself makes a valid child whose next review follows from its reviews."""

import datetime as dt

from iro_desktop.caseload.overview import caseload_rows
from tests.factory import make_child

D = dt.date


def test_make_child_with_reviews_gives_subsequent_review(session):
    make_child(session, reviews=[D(2025, 6, 2), D(2025, 9, 2)])
    (row,) = caseload_rows(session, D(2025, 10, 1))
    assert row.next_review is not None
    assert row.next_review.due == D(2026, 3, 2)
    assert str(row.next_review.kind) == "subsequent"
