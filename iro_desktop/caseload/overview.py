"""The caseload at a glance: every child's status and next statutory review, in one pass."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop.db.models import Child, Episode, Review
from iro_desktop.rules.participation import age_on
from iro_desktop.rules.reviews import (
    EpisodeFacts,
    NextReview,
    current_period,
    next_review_in_period,
    placement_changed_in_period,
)

DUE_SOON_DAYS = 28


def episode_facts(episode: Episode) -> EpisodeFacts:
    return episode.facts()


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One line of the caseload: plain values, safe to hand to any thread or view."""

    child_id: int
    child_ref: str
    name: str
    date_of_birth: dt.date
    age: int
    legal_status: str
    placement: str
    social_worker: str
    looked_after: bool
    last_review: dt.date | None
    next_review: NextReview | None
    placement_changed: bool
    today: dt.date

    @property
    def days_until_due(self) -> int | None:
        return None if self.next_review is None else self.next_review.days_until_due(self.today)

    @property
    def overdue(self) -> bool:
        days = self.days_until_due
        return days is not None and days < 0

    @property
    def due_soon(self) -> bool:
        days = self.days_until_due
        return days is not None and 0 <= days <= DUE_SOON_DAYS


def caseload_rows(
    session: Session, today: dt.date, *, include_left_care: bool = False
) -> list[CaseloadRow]:
    """Every child on the caseload with their next review; three queries whatever the size.

    Plain column queries, not ORM objects: 10,000 children take well under a second."""
    return _rows(session, today, include_left_care=include_left_care, only_child=None)


def caseload_row(session: Session, child_id: int, today: dt.date) -> CaseloadRow | None:
    """One child's caseload line (also after they left care; None for no such child or one
    transferred out): the same three queries as `caseload_rows`, for that child only."""
    rows = _rows(session, today, include_left_care=True, only_child=child_id)
    return rows[0] if rows else None


def _rows(
    session: Session, today: dt.date, *, include_left_care: bool, only_child: int | None
) -> list[CaseloadRow]:
    # Core queries on the session's connection: plain tuples, no ORM row processing.
    connection = session.connection()
    children_query = (
        select(Child.id, Child.child_ref, Child.first_name, Child.preferred_name, Child.last_name,
               Child.date_of_birth, Child.social_worker_name)
        .where(Child.transferred_out_on.is_(None))
        .order_by(Child.last_name, Child.first_name)
    )
    episodes_query = (
        select(Episode.child_id, Episode.start, Episode.reason_new_episode, Episode.legal_status,
               Episode.placement, Episode.end, Episode.reason_ended, Episode.placement_postcode)
        .order_by(Episode.child_id, Episode.start)
    )
    reviews_query = select(Review.child_id, Review.review_date)
    if only_child is not None:
        children_query = children_query.where(Child.id == only_child)
        episodes_query = episodes_query.where(Episode.child_id == only_child)
        reviews_query = reviews_query.where(Review.child_id == only_child)
    children = connection.execute(children_query).all()
    episodes: dict[int, list[EpisodeFacts]] = defaultdict(list)
    for episode_child, *fields in connection.execute(episodes_query):
        episodes[episode_child].append(EpisodeFacts(*fields))
    review_dates: dict[int, list[dt.date]] = defaultdict(list)
    for review_child, review_date in connection.execute(reviews_query):
        review_dates[review_child].append(review_date)

    rows: list[CaseloadRow] = []
    for child_id, child_ref, first_name, preferred_name, last_name, dob, worker in children:
        facts = episodes.get(child_id, [])
        period = current_period(facts)
        looked_after = period is not None and period.is_open
        if not looked_after and not include_left_care:
            continue
        latest = period.episodes[-1] if period else None
        dates = review_dates.get(child_id, [])
        upcoming = next_review_in_period(period, dates)
        # The last review of this period of care (a review from an earlier period is history).
        last = upcoming.last_review if upcoming is not None else max(dates, default=None)
        name = f"{preferred_name or first_name} {last_name}".strip() or child_ref
        rows.append(
            CaseloadRow(
                child_id=child_id,
                child_ref=child_ref,
                name=name,
                date_of_birth=dob,
                age=age_on(dob, today),
                legal_status=latest.legal_status if latest else "",
                placement=latest.placement if latest else "",
                social_worker=worker,
                looked_after=looked_after,
                last_review=last,
                next_review=upcoming,
                placement_changed=placement_changed_in_period(period, upcoming.last_review)
                if upcoming
                else False,
                today=today,
            )
        )
    return rows
