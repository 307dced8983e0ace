"""My week: everything that needs the IRO's attention across the caseload, in one list, computed in
a fixed number of queries whatever the caseload size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from iro_desktop import settings
from iro_desktop.caseload.midway import midway_point
from iro_desktop.caseload.notes import last_seen_by_child, seen_due
from iro_desktop.caseload.reviews import REVIEW_KINDS, deadlines_from
from iro_desktop.db.models import (
    Child,
    Episode,
    Escalation,
    Letter,
    MidwayReview,
    Review,
    ReviewMeeting,
)
from iro_desktop.rules.reviews import (
    EpisodeFacts,
    PeriodOfCare,
    current_period,
    next_review_in_period,
    placement_changed_in_period,
)

REVIEW, MIDWAY, DECISIONS, RECORD, LETTER = "review", "midway", "decisions", "record", "letter"
ESCALATION_RESPONSE, NOT_SEEN, PLACEMENT_CHANGE = "escalation", "not_seen", "placement_change"
CATEGORIES: list[tuple[str, str]] = [
    (REVIEW, "Review"),
    (MIDWAY, "Midway review"),
    (DECISIONS, "Decisions to circulate"),
    (RECORD, "Record to complete"),
    (LETTER, "Letter to the child"),
    (ESCALATION_RESPONSE, "Escalation response"),
    (NOT_SEEN, "Child not seen"),
    (PLACEMENT_CHANGE, "Placement change: consider a review"),
]
# The child-record tab each category opens.
TAB_FOR: dict[str, str] = {
    REVIEW: "reviews",
    MIDWAY: "midway",
    DECISIONS: "reviews",
    RECORD: "reviews",
    LETTER: "letters",
    ESCALATION_RESPONSE: "escalations",
    NOT_SEEN: "notes",
    PLACEMENT_CHANGE: "details",
}


@dataclass(frozen=True, slots=True)
class WeekItem:
    """One line of My week; `item_id` is the review or escalation to show (0: none); `missing`
    is the field a record line is waiting for ("participation_code" for a draft saved before the
    code was chosen), "" otherwise."""

    category: str
    child_id: int
    child_name: str
    due: dt.date
    text: str
    tab: str
    item_id: int
    overdue: bool
    missing: str = ""

    @property
    def category_label(self) -> str:
        return dict(CATEGORIES)[self.category]

    def sort_key(self) -> tuple[int, dt.date, str, str]:
        return (0 if self.overdue else 1, self.due, self.child_name, self.category)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _facts(episode: Episode) -> EpisodeFacts:
    return episode.facts()


def placement_move_since(period: PeriodOfCare, since: dt.date) -> dt.date | None:
    """The day of the first placement move after `since` in the period, None if there is none.

    What counts as a move is rules.reviews.placement_changed_in_period alone (a new placement or
    address, or an RNE of P, B, T or U): the move is the episode at which that rule first holds
    for the period up to it."""
    if not placement_changed_in_period(period, since):
        return None
    for count in range(2, len(period.episodes) + 1):
        if placement_changed_in_period(replace(period, episodes=period.episodes[:count]), since):
            return period.episodes[count - 1].start
    return None  # pragma: no cover - the rule held for the whole period, so for some prefix


def my_week(session: Session, today: dt.date) -> list[WeekItem]:
    """What needs doing, overdue first (oldest first), then by due date.

    Reviews overdue or due within `due_soon_days`; midway reviews not yet held and due within that
    window (until the next review is due); for reviews recorded in the app (with meetings):
    decisions not circulated and records not completed, pending or late, and the letter after the
    child's latest review not sent;
    escalations waiting for a response; children not seen for `not_seen_months`; placement moves
    since the last review. Children transferred to another IRO are left out."""
    values = settings.get_all(session)  # one query for every setting used below
    soon = today + dt.timedelta(days=int(values["due_soon_days"]))
    fraction = int(values["midway_fraction_percent"])
    not_seen_months = int(values["not_seen_months"])
    days = (
        int(values["decisions_circulated_days"]),
        int(values["record_completed_days"]),
        int(values["letter_sent_days"]),
    )
    kind_labels = dict(REVIEW_KINDS)

    children = {
        c.id: c for c in session.scalars(select(Child).where(Child.transferred_out_on.is_(None)))
    }
    names = {cid: c.display_name for cid, c in children.items()}
    episodes: dict[int, list[EpisodeFacts]] = defaultdict(list)
    for e in session.scalars(select(Episode).order_by(Episode.child_id, Episode.start)):
        episodes[e.child_id].append(_facts(e))
    reviews = session.execute(
        select(
            Review.id,
            Review.child_id,
            Review.review_date,
            Review.kind,
            Review.decisions_circulated_on,
            Review.record_completed_on,
            Review.participation_code,  # "" in a draft saved before the code was chosen
        )
    ).all()
    review_dates: dict[int, list[dt.date]] = defaultdict(list)
    for row in reviews:
        review_dates[row.child_id].append(row.review_date)
    last_meeting = dict(
        session.execute(
            select(ReviewMeeting.review_id, func.max(ReviewMeeting.held_on)).group_by(
                ReviewMeeting.review_id
            )
        ).all()
    )
    sent = dict(session.execute(select(Letter.review_id, Letter.sent_on)).all())
    last_midway = dict(
        session.execute(
            select(MidwayReview.child_id, func.max(MidwayReview.held_on)).group_by(
                MidwayReview.child_id
            )
        ).all()
    )
    open_escalations = session.scalars(
        select(Escalation)
        .where(Escalation.outcome == "", Escalation.kind == "escalation")
        .options(selectinload(Escalation.stages))
    ).all()
    seen = last_seen_by_child(session)

    items: list[WeekItem] = []

    def add(
        category: str,
        child_id: int,
        due: dt.date,
        text: str,
        *,
        item_id: int = 0,
        overdue: bool | None = None,
        missing: str = "",
    ) -> None:
        items.append(
            WeekItem(
                category,
                child_id,
                names[child_id],
                due,
                text,
                TAB_FOR[category],
                item_id,
                today > due if overdue is None else overdue,
                missing,
            )
        )

    for child_id in children:
        facts = episodes.get(child_id, [])
        period = current_period(facts)
        upcoming = next_review_in_period(period, review_dates.get(child_id, []))
        if upcoming is not None:
            what = kind_labels.get(str(upcoming.kind), str(upcoming.kind))
            if today > upcoming.due:
                add(REVIEW, child_id, upcoming.due, f"{what} overdue: was due {_fmt(upcoming.due)}")
            elif upcoming.due <= soon:
                add(REVIEW, child_id, upcoming.due, f"{what} due {_fmt(upcoming.due)}")
            if upcoming.last_review is not None:
                due = midway_point(upcoming.last_review, upcoming.due, fraction)
                held = last_midway.get(child_id)
                if (
                    (held is None or held <= upcoming.last_review)
                    and due <= soon
                    and today <= upcoming.due
                ):
                    add(
                        MIDWAY,
                        child_id,
                        due,
                        f"Midway review {'overdue' if today > due else 'due'}: "
                        f"{_fmt(due)} (last review {_fmt(upcoming.last_review)})",
                    )
                moved = placement_move_since(period, upcoming.last_review) if period else None
                if moved is not None:
                    add(
                        PLACEMENT_CHANGE,
                        child_id,
                        moved,
                        f"Moved on {_fmt(moved)}, after the review of "
                        f"{_fmt(upcoming.last_review)}: consider a review",
                        overdue=False,
                    )
        if period is not None and period.is_open and not period.short_breaks_only:
            last = seen.get(child_id)
            due = seen_due(session, last, period.start, months=not_seen_months)
            if today > due:
                add(
                    NOT_SEEN,
                    child_id,
                    due,
                    f"Not seen since {_fmt(last)}"
                    if last
                    else f"Not seen since becoming looked after on {_fmt(period.start)}",
                )

    for row in reviews:
        if row.child_id not in children or row.id not in last_meeting:
            continue  # only reviews recorded in the app have these tasks
        circulate_by, complete_by, letter_by = deadlines_from(last_meeting[row.id], days)
        held = _fmt(row.review_date)
        if row.decisions_circulated_on is None and row.record_completed_on is None:
            add(
                DECISIONS,
                row.child_id,
                circulate_by,
                f"Circulate the decisions of the review of {held} by {_fmt(circulate_by)}",
                item_id=row.id,
            )
        if row.record_completed_on is None:
            # A draft with no code yet says so: that is what the record still lacks.
            no_code = not row.participation_code
            add(
                RECORD,
                row.child_id,
                complete_by,
                f"Record not finished: the review of {held} (no participation code yet) "
                f"– complete by {_fmt(complete_by)}"
                if no_code
                else f"Complete the record of the review of {held} by {_fmt(complete_by)}",
                item_id=row.id,
                missing="participation_code" if no_code else "",
            )
        # A letter follows the child's latest review; once there is a newer review, the newer
        # letter is the one to write.
        if sent.get(row.id) is None and row.review_date == max(review_dates[row.child_id]):
            add(
                LETTER,
                row.child_id,
                letter_by,
                f"Send the letter about the review of {held} by {_fmt(letter_by)}",
                item_id=row.id,
            )

    for escalation in open_escalations:
        if escalation.child_id not in children or not escalation.stages:
            continue
        stage = escalation.stages[-1]
        if stage.response_received_on is None:
            state = "late" if today > stage.response_due_on else "due"
            add(
                ESCALATION_RESPONSE,
                escalation.child_id,
                stage.response_due_on,
                f"Response {state}: {_fmt(stage.response_due_on)} "
                f"(raised {_fmt(escalation.raised_on)})",
                item_id=escalation.id,
            )

    items.sort(key=WeekItem.sort_key)
    return items


__all__ = ["CATEGORIES", "TAB_FOR", "WeekItem", "my_week", "placement_move_since"]
