"""Review timescales (CPPCR Regulations 2010, reg 33): periods of care, due dates, what is next."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from iro_desktop.rules.workdays import add_working_days

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
# Legal statuses of children on short breaks only: they have no reviews in the 903 return.
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})
# RNE codes that say the placement changed (P and B with new carers, T and U with the same ones).
PLACEMENT_CHANGE_RNE = frozenset({"P", "B", "T", "U"})
# REC code meaning "episode ends because a new one starts the same day": care continues.
CONTINUING_REC = "X1"


class ReviewKind(StrEnum):
    INITIAL = "initial"
    SECOND = "second"
    SUBSEQUENT = "subsequent"


@dataclass(frozen=True, slots=True)
class EpisodeFacts:
    """What the rules need of a 903 episode."""

    start: dt.date
    reason_new_episode: str
    legal_status: str
    placement: str
    end: dt.date | None = None
    reason_ended: str = ""
    placement_postcode: str = ""


@dataclass(frozen=True, slots=True)
class PeriodOfCare:
    start: dt.date
    end: dt.date | None  # None while the child is still looked after
    episodes: tuple[EpisodeFacts, ...]

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def short_breaks_only(self) -> bool:
        return all(e.legal_status in SHORT_BREAK_STATUSES for e in self.episodes)

    @property
    def review_clock_start(self) -> dt.date | None:
        """When the review cycle began: the first episode that is not a short break (a child on
        short breaks who then comes into full-time care is first reviewed 20 working days after
        that, not after their first short break). None for short breaks only."""
        for episode in self.episodes:
            if episode.legal_status not in SHORT_BREAK_STATUSES:
                return episode.start
        return None


@dataclass(frozen=True, slots=True)
class NextReview:
    kind: ReviewKind
    due: dt.date
    last_review: dt.date | None
    period_start: dt.date

    def days_until_due(self, today: dt.date) -> int:
        return (self.due - today).days


def periods_of_care(episodes: Iterable[EpisodeFacts]) -> list[PeriodOfCare]:
    """Group episodes into periods of care: a period starts at RNE 'S' (or the first episode we
    hold) and ends at an episode that ends with a reason other than X1."""
    ordered = sorted(episodes, key=lambda e: e.start)
    periods: list[PeriodOfCare] = []
    current: list[EpisodeFacts] = []
    for episode in ordered:
        starts_new = episode.reason_new_episode == "S" or not current
        previous_closed = bool(current) and _ends_care(current[-1])
        if current and (starts_new or previous_closed):
            # A period followed by another is over, even when the data says X1 (or gives no end)
            # before an S: it ended when the next one began at the latest.
            periods.append(_period(current, ended_by=episode.start))
            current = []
        current.append(episode)
    if current:
        periods.append(_period(current))
    return periods


def _ends_care(episode: EpisodeFacts) -> bool:
    return episode.end is not None and episode.reason_ended not in ("", CONTINUING_REC)


def _period(episodes: list[EpisodeFacts], ended_by: dt.date | None = None) -> PeriodOfCare:
    last = episodes[-1]
    end = last.end if _ends_care(last) else None
    if end is None and ended_by is not None:
        end = last.end or ended_by
    return PeriodOfCare(start=episodes[0].start, end=end, episodes=tuple(episodes))


def current_period(episodes: Iterable[EpisodeFacts]) -> PeriodOfCare | None:
    """The latest period of care, or None when the child has no episodes."""
    periods = periods_of_care(episodes)
    return periods[-1] if periods else None


def reviews_in_period(period: PeriodOfCare, review_dates: Iterable[dt.date]) -> list[dt.date]:
    """The reviews held in the period, in date order (reviews before it do not count)."""
    start = period.review_clock_start or period.start
    return sorted(
        d for d in set(review_dates) if d >= start and (period.end is None or d <= period.end)
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months on; where the month is shorter, its last day (31/08 + 6 -> 28 or 29/02).

    The same answer as `dateutil.relativedelta(months=...)` for dates (tested), several times
    faster, which matters when the caseload recomputes every child's dates."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_after(period_start: dt.date, held: Sequence[dt.date]) -> tuple[ReviewKind, dt.date]:
    """The kind and due date of the review after the reviews `held` (sorted) in a period."""
    if not held:
        return ReviewKind.INITIAL, add_working_days(period_start, FIRST_REVIEW_WORKING_DAYS)
    if len(held) == 1:
        return ReviewKind.SECOND, add_months(held[0], SECOND_REVIEW_MONTHS)
    return ReviewKind.SUBSEQUENT, add_months(held[-1], LATER_REVIEW_MONTHS)


def next_review(
    episodes: Iterable[EpisodeFacts], review_dates: Iterable[dt.date]
) -> NextReview | None:
    """When the child's next review is due; None when not looked after or on short breaks only."""
    return next_review_in_period(current_period(episodes), review_dates)


def next_review_in_period(
    period: PeriodOfCare | None, review_dates: Iterable[dt.date]
) -> NextReview | None:
    """`next_review` for a period already worked out (the caseload computes it once per child)."""
    if period is None or not period.is_open:
        return None
    clock_start = period.review_clock_start
    if clock_start is None:  # short breaks only
        return None
    held = reviews_in_period(period, review_dates)
    kind, due = due_after(clock_start, held)
    return NextReview(
        kind=kind, due=due, last_review=held[-1] if held else None, period_start=period.start
    )


@dataclass(frozen=True, slots=True)
class HeldReview:
    held_on: dt.date
    kind: ReviewKind
    due: dt.date

    @property
    def on_time(self) -> bool:
        return self.held_on <= self.due


def review_timeliness(
    episodes: Iterable[EpisodeFacts], review_dates: Iterable[dt.date]
) -> list[HeldReview]:
    """Every review held, in any period of care, with the date it was due and so whether on time.

    Reviews in a period of short breaks only are left out: those children have no statutory
    looked-after reviews."""
    dates = set(review_dates)
    result: list[HeldReview] = []
    for period in periods_of_care(episodes):
        clock_start = period.review_clock_start
        if clock_start is None:
            continue  # short breaks only: no statutory reviews
        held = reviews_in_period(period, dates)
        for index, day in enumerate(held):
            kind, due = due_after(clock_start, held[:index])
            result.append(HeldReview(held_on=day, kind=kind, due=due))
    return result


def placement_changed_since(episodes: Iterable[EpisodeFacts], since: dt.date | None) -> bool:
    """True when a new placement began after `since` in the current period ("consider a review")."""
    return placement_changed_in_period(current_period(episodes), since)


def placement_changed_in_period(period: PeriodOfCare | None, since: dt.date | None) -> bool:
    """`placement_changed_since` for a period already worked out."""
    if period is None or since is None:
        return False
    previous: EpisodeFacts | None = None
    for episode in period.episodes:
        moved = previous is not None and (
            episode.placement != previous.placement
            or episode.placement_postcode != previous.placement_postcode
            or episode.reason_new_episode in PLACEMENT_CHANGE_RNE
        )
        if moved and episode.start > since:
            return True
        previous = episode
    return False


def midway_due(last_review: dt.date, next_due: dt.date) -> dt.date:
    """The midpoint between the last review and the next due date (local practice)."""
    return last_review + (next_due - last_review) // 2
