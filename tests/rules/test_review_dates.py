"""Review due dates against the guide's worked examples and hard cases, with real English dates."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop.rules.reviews import (
    EpisodeFacts,
    ReviewKind,
    due_after,
    next_review,
    review_timeliness,
)
from iro_desktop.rules.workdays import add_working_days, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("looked_after", "first", "second", "third"),
    [
        (D(2025, 5, 1), D(2025, 6, 2), D(2025, 9, 2), D(2026, 3, 2)),
        (D(2025, 12, 10), D(2026, 1, 12), D(2026, 4, 12), D(2026, 10, 12)),
        (D(2026, 12, 14), D(2027, 1, 14), D(2027, 4, 14), D(2027, 10, 14)),
    ],
)
def test_guide_worked_examples(looked_after, first, second, third):
    assert due_after(looked_after, []) == (ReviewKind.INITIAL, first)
    assert due_after(looked_after, [first]) == (ReviewKind.SECOND, second)
    assert due_after(looked_after, [first, second]) == (ReviewKind.SUBSEQUENT, third)


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(D(2025, 12, 25))
    assert not is_working_day(D(2025, 12, 26))
    assert not is_working_day(D(2026, 4, 3))  # Good Friday 2026
    assert not is_working_day(D(2026, 4, 6))  # Easter Monday 2026
    assert is_working_day(D(2026, 4, 7))


def test_substitute_day_counts_as_holiday():
    # Christmas 2027 falls on a Saturday: Monday 27 and Tuesday 28 December are the bank holidays.
    assert not is_working_day(D(2027, 12, 27))
    assert not is_working_day(D(2027, 12, 28))
    assert add_working_days(D(2027, 12, 24), 1) == D(2027, 12, 29)


def test_month_end_clamps_to_last_day():
    assert due_after(D(2025, 1, 1), [D(2025, 11, 30)])[1] == D(2026, 2, 28)
    assert due_after(D(2023, 1, 1), [D(2023, 8, 31), D(2023, 8, 31) + dt.timedelta(0)])[1] == D(
        2024, 2, 29
    )


def test_second_period_of_care_restarts_at_initial():
    episodes = [
        EpisodeFacts(D(2024, 1, 8), "S", "V2", "U4", D(2024, 9, 1), "E11"),
        EpisodeFacts(D(2025, 3, 3), "S", "C2", "U4"),
    ]
    reviews = [D(2024, 2, 1), D(2024, 5, 1)]
    nxt = next_review(episodes, reviews)
    assert nxt is not None
    assert nxt.kind is ReviewKind.INITIAL
    assert nxt.last_review is None
    assert nxt.due == add_working_days(D(2025, 3, 3), 20)


def test_late_review_restarts_clock_from_date_held():
    start = D(2025, 5, 1)
    held = review_timeliness(
        [EpisodeFacts(start, "S", "C2", "U4")], [D(2025, 6, 10), D(2025, 9, 1)]
    )
    assert [h.on_time for h in held] == [False, True]
    assert held[1].due == D(2025, 9, 10)
