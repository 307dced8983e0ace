"""The caseload at a glance: every child's status and next statutory review, computed in one pass."""

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
    next_review,
    placement_changed_since,
)

DUE_SOON_DAYS = 28


def episode_facts(episode: Episode) -> EpisodeFacts:
    return EpisodeFacts(
        start=episode.start,
        reason_new_episode=episode.reason_new_episode,
        legal_status=episode.legal_status,
        placement=episode.placement,
        end=episode.end,
        reason_ended=episode.reason_ended,
        placement_postcode=episode.placement_postcode,
    )


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
    """Every child on the caseload with their next review; three queries whatever the size."""
    children = session.scalars(
        select(Child).where(Child.transferred_out_on.is_(None)).order_by(Child.last_name, Child.first_name)
    ).all()
    episodes: dict[int, list[EpisodeFacts]] = defaultdict(list)
    for episode in session.scalars(select(Episode).order_by(Episode.child_id, Episode.start)):
        episodes[episode.child_id].append(episode_facts(episode))
    review_dates: dict[int, list[dt.date]] = defaultdict(list)
    for child_id, review_date in session.execute(select(Review.child_id, Review.review_date)):
        review_dates[child_id].append(review_date)

    rows: list[CaseloadRow] = []
    for child in children:
        facts = episodes.get(child.id, [])
        period = current_period(facts)
        looked_after = period is not None and period.is_open
        if not looked_after and not include_left_care:
            continue
        latest = period.episodes[-1] if period else None
        upcoming = next_review(facts, review_dates.get(child.id, []))
        dates = review_dates.get(child.id, [])
        last = max(dates) if dates else None
        rows.append(
            CaseloadRow(
                child_id=child.id,
                child_ref=child.child_ref,
                name=child.display_name,
                date_of_birth=child.date_of_birth,
                age=age_on(child.date_of_birth, today),
                legal_status=latest.legal_status if latest else "",
                placement=latest.placement if latest else "",
                social_worker=child.social_worker_name,
                looked_after=looked_after,
                last_review=last,
                next_review=upcoming,
                placement_changed=placement_changed_since(facts, upcoming.last_review)
                if upcoming
                else False,
                today=today,
            )
        )
    return rows
