"""Properties of the date rules that must hold for every date, checked by hypothesis."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from iro_desktop.rules.participation import age_on, allowed_codes
from iro_desktop.rules.reviews import (
    EpisodeFacts,
    ReviewKind,
    add_months,
    due_after,
    next_review,
    periods_of_care,
    review_timeliness,
)
from iro_desktop.rules.workdays import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2032, 12, 31))
counts = st.integers(min_value=0, max_value=80)


@given(days, st.integers(min_value=1, max_value=80))
def test_add_working_days_lands_on_a_working_day_after_the_start(start, count):
    result = add_working_days(start, count)
    assert is_working_day(result)
    assert result > start
    # Every calendar day passed is either counted, a weekend day or a weekday bank holiday.
    passed = [start + dt.timedelta(days=i) for i in range(1, (result - start).days + 1)]
    weekends = sum(day.weekday() >= 5 for day in passed)
    holidays = sum(day.weekday() < 5 and is_bank_holiday(day) for day in passed)
    assert len(passed) == count + weekends + holidays


@given(days, counts)
def test_working_days_between_inverts_add_working_days(start, count):
    assert working_days_between(start, add_working_days(start, count)) == count


@given(days, counts, counts)
def test_add_working_days_is_monotonic_in_the_count(start, a, b):
    low, high = sorted((a, b))
    assert add_working_days(start, low) <= add_working_days(start, high)


@given(days, days, counts)
def test_add_working_days_is_monotonic_in_the_start(a, b, count):
    early, late = sorted((a, b))
    assert add_working_days(early, count) <= add_working_days(late, count)


@given(days, days)
def test_working_days_between_is_antisymmetric(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)


@given(days, st.lists(days, min_size=0, max_size=5, unique=True))
def test_the_due_date_is_after_the_last_review_and_within_the_statutory_limit(start, held):
    held = sorted(d for d in held if d >= start)
    kind, due = due_after(start, held)
    if not held:
        assert kind is ReviewKind.INITIAL
        assert working_days_between(start, due) == 20
    elif len(held) == 1:
        assert kind is ReviewKind.SECOND
        assert 89 <= (due - held[0]).days <= 92
        assert due == held[0] + relativedelta(months=3)
    else:
        assert kind is ReviewKind.SUBSEQUENT
        assert 181 <= (due - held[-1]).days <= 184


@given(days, days, days)
def test_a_later_review_never_brings_the_next_due_date_forward(start, a, b):
    early, late = sorted((a, b))
    if early < start:
        return
    assert due_after(start, [early])[1] <= due_after(start, [late])[1]
    assert due_after(start, [start, early])[1] <= due_after(start, [start, late])[1]


@settings(max_examples=200)
@given(days, st.lists(st.integers(min_value=1, max_value=250), min_size=1, max_size=8))
def test_reviews_held_on_their_due_dates_are_all_on_time_and_dates_increase(start, _gaps):
    held: list[dt.date] = []
    for _ in range(len(_gaps)):
        held.append(due_after(start, held)[1])
    history = review_timeliness([EpisodeFacts(start, "S", "C2", "U4")], held)
    assert all(h.on_time for h in history)
    assert [h.due for h in history] == held
    assert held == sorted(held)
    nxt = next_review([EpisodeFacts(start, "S", "C2", "U4")], held)
    assert nxt is not None and nxt.due > held[-1]


@given(
    st.lists(
        st.tuples(
            st.integers(1, 400),
            st.sampled_from("SLPTBU"),
            st.sampled_from(["", "X1", "E4A", "E13"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_periods_of_care_partition_the_episodes(steps):
    day = dt.date(2020, 1, 6)
    episodes = []
    for index, (gap, rne, rec) in enumerate(steps):
        last = index == len(steps) - 1
        end = None if last else day + dt.timedelta(days=gap)
        episodes.append(
            EpisodeFacts(
                day, "S" if index == 0 else rne, "C2", "U4", end, "" if last else (rec or "X1")
            )
        )
        day = day + dt.timedelta(days=gap)
    periods = periods_of_care(episodes)
    assert [e for p in periods for e in p.episodes] == episodes
    assert all(p.end is not None for p in periods[:-1])
    for period in periods[1:]:
        assert period.episodes[0].reason_new_episode == "S" or period.start >= periods[0].start


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=0, max_value=20 * 366),
)
def test_age_and_pn0_agree(dob, days_old):
    day = dob + dt.timedelta(days=days_old)
    age = age_on(dob, day)
    assert age == relativedelta(day, dob).years or (dob.month, dob.day) == (2, 29)
    assert (allowed_codes(dob, day) == ["PN0"]) == (age < 4)


@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
    st.integers(min_value=0, max_value=36),
)
def test_add_months_agrees_with_relativedelta(day, months):
    assert add_months(day, months) == day + relativedelta(months=months)
