"""Hard cases for the statutory dates, each worked out by hand from the published bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop.rules.participation import age_on, allowed_codes, code_problem
from iro_desktop.rules.reviews import (
    EpisodeFacts,
    ReviewKind,
    current_period,
    due_after,
    midway_due,
    next_review,
    periods_of_care,
    placement_changed_since,
    review_timeliness,
)
from iro_desktop.rules.workdays import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

D = dt.date


# An episode literal reads like a 903 row, so its fields are positional.
def ep(start, rne="S", ls="C2", place="U4", end=None, rec="", post="ZZ1 1ZZ"):  # noqa: PLR0917
    return EpisodeFacts(start, rne, ls, place, end, rec, post)


# ---------------------------------------------------------------- bank holidays


@pytest.mark.parametrize(
    "day",
    [
        D(2024, 3, 29),
        D(2024, 4, 1),  # Easter 2024
        D(2025, 4, 18),
        D(2025, 4, 21),  # Easter 2025
        D(2026, 4, 3),
        D(2026, 4, 6),  # Easter 2026
        D(2020, 5, 8),  # VE Day: the early May bank holiday moved from Monday 4 May 2020
        D(2022, 6, 2),
        D(2022, 6, 3),  # spring bank holiday moved, and the Platinum Jubilee
        D(2022, 9, 19),  # the Queen's state funeral
        D(2023, 5, 8),  # the coronation of King Charles III
        D(2020, 12, 28),  # Boxing Day 2020 was a Saturday: substitute Monday
        D(2021, 12, 27),
        D(2021, 12, 28),  # Christmas and Boxing Day 2021 on the weekend
        D(2022, 12, 26),
        D(2022, 12, 27),  # Christmas 2022 on a Sunday
        D(2022, 1, 3),
        D(2023, 1, 2),  # New Year's Day on a Saturday / Sunday
        D(2026, 12, 28),  # Boxing Day 2026 is a Saturday
    ],
)
def test_bank_holidays_including_moved_and_one_off_days(day):
    assert is_bank_holiday(day)
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2020, 5, 4),  # the Monday that would have been the early May holiday in 2020
        D(2022, 5, 30),  # the last Monday in May 2022 was not a holiday (moved to 2 June)
        D(2020, 12, 29),
        D(2022, 12, 28),
        D(2026, 12, 29),
        D(2024, 4, 2),  # the day after Easter Monday
        D(2025, 12, 24),  # Christmas Eve is a working day
    ],
)
def test_days_that_look_like_holidays_but_are_working_days(day):
    assert day.weekday() < 5
    assert is_working_day(day)


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2026, 11, 28))
    assert not is_working_day(D(2026, 11, 29))
    assert is_working_day(D(2026, 11, 30))


# ---------------------------------------------------------------- first review: 20 working days


@pytest.mark.parametrize(
    ("looked_after", "due"),
    [
        (D(2020, 5, 2), D(2020, 6, 2)),  # VE Day on Friday 8 May, spring holiday 25 May
        (D(2020, 12, 18), D(2021, 1, 20)),  # 25, 28 December and 1 January
        (D(2022, 5, 20), D(2022, 6, 21)),  # Jubilee weekend: 2 and 3 June, 30 May worked
        (D(2022, 9, 1), D(2022, 9, 30)),  # the state funeral on 19 September
        (D(2023, 4, 28), D(2023, 5, 31)),  # 1 May, coronation 8 May, spring 29 May
        (D(2024, 3, 22), D(2024, 4, 23)),  # Good Friday and Easter Monday
        (D(2026, 12, 18), D(2027, 1, 20)),  # Christmas 2026: 25 and 28 December, 1 January
    ],
)
def test_first_review_due_counts_english_working_days(looked_after, due):
    assert due_after(looked_after, []) == (ReviewKind.INITIAL, due)
    assert working_days_between(looked_after, due) == 20


def test_first_review_counting_starts_the_day_after():
    # In care on a Monday: the 20th working day is four weeks later (no holidays in that stretch).
    assert add_working_days(D(2025, 10, 6), 20) == D(2025, 11, 3)
    assert add_working_days(D(2025, 10, 6), 0) == D(2025, 10, 6)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2025, 10, 6), -1)


def test_working_days_between():
    assert working_days_between(D(2027, 12, 24), D(2027, 12, 29)) == 1
    assert working_days_between(D(2027, 12, 29), D(2027, 12, 24)) == -1
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 7)) == 1  # over Easter 2026
    assert working_days_between(D(2026, 6, 1), D(2026, 6, 1)) == 0
    assert working_days_between(D(2026, 6, 5), D(2026, 6, 6)) == 0  # to a Saturday


# ---------------------------------------------------------------- 3 and 6 months, month ends


@pytest.mark.parametrize(
    ("held", "second_due"),
    [
        (D(2025, 11, 30), D(2026, 2, 28)),  # no 30 February
        (D(2023, 11, 30), D(2024, 2, 29)),  # leap year
        (D(2025, 5, 31), D(2025, 8, 31)),
        (D(2025, 12, 31), D(2026, 3, 31)),
        (D(2026, 3, 31), D(2026, 6, 30)),  # no 31 June
    ],
)
def test_second_review_three_calendar_months_clamped_to_month_end(held, second_due):
    assert due_after(D(2020, 1, 1), [held]) == (ReviewKind.SECOND, second_due)


@pytest.mark.parametrize(
    ("held", "next_due"),
    [
        (D(2025, 8, 31), D(2026, 2, 28)),
        (D(2023, 8, 31), D(2024, 2, 29)),
        (D(2024, 2, 29), D(2024, 8, 29)),
        (D(2026, 3, 31), D(2026, 9, 30)),
        (D(2027, 8, 29), D(2028, 2, 29)),
    ],
)
def test_later_reviews_six_calendar_months_clamped_to_month_end(held, next_due):
    assert due_after(D(2020, 1, 1), [D(2020, 1, 20), held]) == (ReviewKind.SUBSEQUENT, next_due)


# ---------------------------------------------------------------- clocks run from the real date


def test_late_first_review_restarts_the_clock_from_the_day_it_was_held():
    start = D(2025, 5, 1)
    held = review_timeliness([ep(start)], [D(2025, 6, 20), D(2025, 9, 19), D(2026, 3, 25)])
    assert [(h.kind, h.due, h.on_time) for h in held] == [
        (ReviewKind.INITIAL, D(2025, 6, 2), False),
        (ReviewKind.SECOND, D(2025, 9, 20), True),
        (ReviewKind.SUBSEQUENT, D(2026, 3, 19), False),
    ]
    nxt = next_review([ep(start)], [D(2025, 6, 20), D(2025, 9, 19), D(2026, 3, 25)])
    assert nxt.due == D(2026, 9, 25)


def test_review_on_its_due_date_is_on_time_and_the_day_after_is_late():
    start = D(2025, 5, 1)
    assert review_timeliness([ep(start)], [D(2025, 6, 2)])[0].on_time
    assert not review_timeliness([ep(start)], [D(2025, 6, 3)])[0].on_time


def test_extra_review_brought_forward_restarts_the_clock():
    start = D(2025, 5, 1)
    # Initial on 02/06/2025, then an extra review before a move on 01/07/2025: it is the second
    # review, so the next is due six months after it, not three months after the first.
    nxt = next_review([ep(start)], [D(2025, 6, 2), D(2025, 7, 1)])
    assert (nxt.kind, nxt.due, nxt.last_review) == (
        ReviewKind.SUBSEQUENT,
        D(2026, 1, 1),
        D(2025, 7, 1),
    )
    later = next_review([ep(start)], [D(2025, 6, 2), D(2025, 9, 2), D(2025, 11, 14)])
    assert later.due == D(2026, 5, 14)


def test_the_same_review_date_twice_counts_once():
    nxt = next_review([ep(D(2025, 5, 1))], [D(2025, 6, 2), D(2025, 6, 2)])
    assert nxt.kind is ReviewKind.SECOND


# ---------------------------------------------------------------- periods of care


def test_x1_episodes_continue_one_period_of_care():
    episodes = [
        ep(D(2024, 1, 8), "S", "C1", "U6", D(2024, 4, 2), "X1"),
        ep(D(2024, 4, 2), "P", "C1", "K2", D(2024, 9, 30), "X1", post="ZZ2 2ZZ"),
        ep(D(2024, 9, 30), "L", "C2", "K2", post="ZZ2 2ZZ"),
    ]
    [period] = periods_of_care(episodes)
    assert period.is_open and period.start == D(2024, 1, 8)
    assert next_review(episodes, []).due == add_working_days(D(2024, 1, 8), 20)
    nxt = next_review(episodes, [D(2024, 2, 1), D(2024, 5, 1)])
    assert (nxt.kind, nxt.due) == (ReviewKind.SUBSEQUENT, D(2024, 11, 1))


def test_second_period_of_care_ignores_the_first_periods_reviews():
    episodes = [
        ep(D(2023, 1, 9), "S", "V2", "U6", D(2023, 11, 1), "E4A"),
        ep(D(2024, 6, 3), "S", "C1", "U4"),
    ]
    reviews = [D(2023, 2, 3), D(2023, 5, 2), D(2024, 1, 15)]  # the last one between the periods
    first, second = periods_of_care(episodes)
    assert (first.end, second.end) == (D(2023, 11, 1), None)
    nxt = next_review(episodes, reviews)
    assert (nxt.kind, nxt.last_review, nxt.period_start) == (
        ReviewKind.INITIAL,
        None,
        D(2024, 6, 3),
    )
    assert nxt.due == D(2024, 7, 1)
    history = review_timeliness(episodes, reviews)
    assert [(h.held_on, h.kind) for h in history] == [
        (D(2023, 2, 3), ReviewKind.INITIAL),
        (D(2023, 5, 2), ReviewKind.SECOND),
    ]


def test_an_ended_episode_followed_by_another_starts_a_new_period_even_without_s():
    episodes = [ep(D(2023, 1, 9), "S", end=D(2023, 11, 1), rec="E13"), ep(D(2024, 6, 3), "P")]
    assert len(periods_of_care(episodes)) == 2
    assert current_period(episodes).start == D(2024, 6, 3)


def test_left_care_has_no_review_due():
    assert next_review([ep(D(2025, 1, 6), end=D(2025, 9, 1), rec="E11")], [D(2025, 2, 3)]) is None
    assert next_review([], []) is None


def test_short_breaks_only_have_no_review_due():
    for status in ("V3", "V4"):
        episodes = [ep(D(2025, 1, 6), ls=status)]
        assert next_review(episodes, []) is None
        assert review_timeliness(episodes, [D(2025, 2, 3)]) == []


def test_short_breaks_then_full_care_starts_the_clock_at_full_care():
    episodes = [
        ep(D(2024, 1, 8), "S", "V4", "U6", D(2025, 3, 3), "X1"),
        ep(D(2025, 3, 3), "L", "C1", "U6"),
    ]
    nxt = next_review(episodes, [])
    assert (nxt.kind, nxt.due) == (ReviewKind.INITIAL, add_working_days(D(2025, 3, 3), 20))


def test_episodes_given_out_of_order_are_sorted():
    episodes = [
        ep(D(2024, 9, 30), "L", "C2", "K2"),
        ep(D(2024, 1, 8), "S", "C1", "K2", D(2024, 9, 30), "X1"),
    ]
    assert current_period(episodes).start == D(2024, 1, 8)


# ---------------------------------------------------------------- placement changed since review


def test_placement_changed_since_the_last_review():
    episodes = [
        ep(D(2025, 1, 6), "S", "C1", "U6", D(2025, 5, 12), "X1"),
        ep(D(2025, 5, 12), "P", "C1", "K2", post="ZZ2 2ZZ"),
    ]
    assert placement_changed_since(episodes, D(2025, 4, 1))
    assert not placement_changed_since(episodes, D(2025, 5, 12))  # reviewed the day of the move
    assert not placement_changed_since(episodes, D(2025, 6, 1))
    assert not placement_changed_since(episodes, None)  # no review yet: the initial one is due


def test_legal_status_change_alone_is_not_a_move_but_a_new_address_is():
    status_only = [
        ep(D(2025, 1, 6), "S", "C1", end=D(2025, 5, 12), rec="X1"),
        ep(D(2025, 5, 12), "L", "C2"),
    ]
    assert not placement_changed_since(status_only, D(2025, 4, 1))
    new_address = [
        ep(D(2025, 1, 6), "S", end=D(2025, 5, 12), rec="X1"),
        ep(D(2025, 5, 12), "L", post="ZZ9 9ZZ"),
    ]
    assert placement_changed_since(new_address, D(2025, 4, 1))


def test_move_with_the_same_carers_counts_as_a_placement_change():
    # T: carers moved house / placement re-registered, code and postcode given unchanged.
    same_carers = [ep(D(2025, 1, 6), "S", end=D(2025, 5, 12), rec="X1"), ep(D(2025, 5, 12), "T")]
    assert placement_changed_since(same_carers, D(2025, 4, 1))


def test_a_move_in_an_earlier_period_does_not_count():
    episodes = [
        ep(D(2023, 1, 9), "S", place="U6", end=D(2023, 3, 1), rec="X1"),
        ep(D(2023, 3, 1), "P", place="K2", end=D(2023, 11, 1), rec="E4A"),
        ep(D(2024, 6, 3), "S", place="U4"),
    ]
    assert not placement_changed_since(episodes, D(2023, 2, 1))


# ---------------------------------------------------------------- midway, ages, PN0


def test_midway_review_is_half_way():
    assert midway_due(D(2025, 6, 2), D(2025, 9, 2)) == D(2025, 7, 18)
    assert midway_due(D(2025, 9, 2), D(2026, 3, 2)) == D(2025, 12, 1)


def test_age_on_birthdays_and_leap_days():
    assert age_on(D(2014, 3, 9), D(2018, 3, 8)) == 3
    assert age_on(D(2014, 3, 9), D(2018, 3, 9)) == 4
    assert age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17
    assert age_on(D(2008, 2, 29), D(2026, 3, 1)) == 18
    assert age_on(D(2020, 2, 29), D(2024, 2, 29)) == 4


def test_pn0_if_and_only_if_under_4_on_the_review_date():
    dob = D(2021, 6, 15)
    assert allowed_codes(dob, D(2025, 6, 14)) == ["PN0"]
    assert "PN0" not in allowed_codes(dob, D(2025, 6, 15))  # the 4th birthday is not under 4
    assert code_problem("PN0", dob, D(2025, 6, 15)).startswith("PN0 is only for a child under 4")
    assert code_problem("PN1", dob, D(2025, 6, 14)).startswith("The child was under 4")
    assert code_problem("PN1", dob, D(2025, 6, 15)) is None
    assert code_problem("PN9", dob, D(2025, 6, 15)) is not None
    leap = D(2020, 2, 29)
    assert allowed_codes(leap, D(2024, 2, 28)) == ["PN0"]
    assert allowed_codes(leap, D(2024, 2, 29)) != ["PN0"]


def test_x1_followed_by_s_still_closes_the_earlier_period():
    # Contradictory data (X1 says care goes on, S says a new period begins): the S wins, and the
    # earlier period is not left "open" beside the current one.
    episodes = [ep(D(2023, 1, 9), "S", end=D(2023, 6, 1), rec="X1"), ep(D(2023, 6, 1), "S", "V2")]
    first, second = periods_of_care(episodes)
    assert (first.is_open, first.end, second.is_open) == (False, D(2023, 6, 1), True)
    assert next_review(episodes, [D(2023, 2, 6)]).kind is ReviewKind.INITIAL
    no_end = [ep(D(2023, 1, 9), "S"), ep(D(2023, 6, 1), "S", "V2")]
    assert periods_of_care(no_end)[0].end == D(2023, 6, 1)
