"""Working days in England and Wales: Monday to Friday less bank holidays (substitutes count)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=128)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # The holidays table is built once per year and cached: date sums run on every caseload refresh.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `start` (start itself is not counted); count >= 0."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += _ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    days = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if is_working_day(day):
            days += 1
    return days
