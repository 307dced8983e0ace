"""The IRO's own figures for a period (the `stats` command and the figures page), over any session
on these models: the IRO's store or the manager's service database.

Definitions (each as the seeds' annual reports count them):
- a review is *held in the period* when its date (the first meeting) falls in it, whatever its
  source: recorded in the app, imported from a 903 file, or from an IRO's export;
- it is *on time* when held on or before the date the previous review of the same period of care
  (or the start of that period) made it due (rules.reviews.review_timeliness); a review dated
  outside every period of care the database holds is not on time;
- decisions circulated, records completed and letters sent are counted for the reviews held in
  the period, *on time* when done by the deadline from the settings, in working days from the
  last meeting of the review (reviews.counted_from); `reviews_recorded` (reviews not from a 903
  line) is the number that could have them;
- a recorded review not yet done whose deadline has not come yet on `today` (the report date:
  the deadline day itself still counts as in time) is *pending* (`decisions_pending`,
  `records_pending`, `letters_pending`): it is neither on time nor late yet, so it is left out of
  that share's "out of" (`decisions_due`, `records_due`, `letters_due`: the recorded reviews done,
  or past their deadline and not done). Done after the deadline is late; past the deadline and not
  done is late. A period whose deadlines have all passed on `today` has nothing pending;
- participation counts each review held by its code; a draft saved before the IRO chose the code
  (`participation_code` "") is *not recorded* (`participation_not_recorded`), so the codes and
  that figure add up to `reviews_held`;
- escalations are those raised in the period (good-practice alerts are counted apart); the
  highest stage and the outcome are as recorded now; one escalation may have several themes, so
  the theme counts add up to more than `escalations_raised`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from iro_desktop import settings
from iro_desktop.caseload.escalations import OUTCOMES, STAGE_ORDER, STAGES
from iro_desktop.caseload.reviews import PENDING, deadline_days, deadline_state, deadlines_from
from iro_desktop.db.models import (
    Child,
    Episode,
    Escalation,
    Letter,
    MidwayReview,
    Review,
    ReviewMeeting,
)
from iro_desktop.rules.participation import PARTICIPATION_CODES
from iro_desktop.rules.reviews import EpisodeFacts, review_timeliness

OPEN = "open"
FIGURE_LABELS: dict[str, str] = {
    "reviews_held": "Reviews held",
    "reviews_on_time": "Reviews held on time",
    "children_reviewed": "Children reviewed",
    "children_all_reviews_on_time": "Children all of whose reviews were on time",
    "participation_not_recorded": "Participation not recorded yet (draft records)",
    "midway_reviews_held": "Midway reviews held",
    "escalations_raised": "Escalations raised",
    "escalation_children": "Children with an escalation",
    "escalations_referred_to_cafcass": "Escalations referred to Cafcass",
    "good_practice_alerts": "Good-practice alerts",
    "reviews_recorded": "Reviews recorded (not from a 903 file)",
    "decisions_circulated": "Decisions circulated",
    "decisions_circulated_on_time": "Decisions circulated on time",
    "decisions_due": "Reviews whose decisions were due (circulated, or past the deadline)",
    "decisions_pending": "Decisions not circulated yet, still within the deadline",
    "records_completed": "Records completed",
    "records_on_time": "Records completed on time",
    "records_due": "Reviews whose record was due (completed, or past the deadline)",
    "records_pending": "Records not completed yet, still within the deadline",
    "letters_sent": "Letters to children sent",
    "letters_on_time": "Letters sent on time",
    "letters_due": "Reviews whose letter was due (sent, or past the deadline)",
    "letters_pending": "Letters not sent yet, still within the deadline",
}
# Each "on time" share and the figure it is out of (the reviews not pending on the report date).
ON_TIME_OUT_OF: dict[str, str] = {
    "decisions_circulated_on_time": "decisions_due",
    "records_on_time": "records_due",
    "letters_on_time": "letters_due",
}


def april_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The April-to-March reporting year that contains `today`."""
    first = today.year if today.month >= 4 else today.year - 1
    return dt.date(first, 4, 1), dt.date(first + 1, 3, 31)


def current_date() -> dt.date:
    """The report date when none is given (tests pin it here)."""
    return dt.date.today()


def _filtered(query: Select[Any], column: Any, children: Select[Any] | None) -> Select[Any]:
    return query if children is None else query.where(column.in_(children))


def iro_figures(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    child_ids: Collection[int] | None = None,
    child_filter: ColumnElement[bool] | None = None,
    review_filter: ColumnElement[bool] | None = None,
    midway_filter: ColumnElement[bool] | None = None,
    escalation_filter: ColumnElement[bool] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The figures for reviews and work dated `start` to `end` inclusive, as a JSON-ready dict.

    `child_ids` (a set of child ids) and/or `child_filter` (a SQLAlchemy criterion on `Child`, e.g.
    `Child.current_iro_id == 7` in the service database) restrict it to some children.
    `review_filter`, `midway_filter` and `escalation_filter` (criteria on `Review`, `MidwayReview`,
    `Escalation`, e.g. `Review.chaired_by_iro_id == 7`) restrict which of those count; a review's
    timeliness still comes from all the child's reviews, whoever chaired them. `today` (the
    report date, today by default) decides which deadlines are still to come (pending). A fixed
    number of queries whatever the size."""
    if end < start:
        raise ValueError("the period ends before it starts")
    today = today if today is not None else current_date()
    children: Select[Any] | None = None
    if child_ids is not None or child_filter is not None:
        children = select(Child.id)
        if child_ids is not None:
            children = children.where(Child.id.in_(list(child_ids)))
        if child_filter is not None:
            children = children.where(child_filter)

    def held_in_period(query: Select[Any]) -> Select[Any]:
        query = query.where(Review.review_date >= start, Review.review_date <= end)
        if review_filter is not None:
            query = query.where(review_filter)
        return _filtered(query, Review.child_id, children)

    in_period = held_in_period(select(Review).options(selectinload(Review.letter)))
    reviews = session.scalars(in_period).all()
    reviewed_ids = {r.child_id for r in reviews}

    # Timeliness needs every review and episode of the children reviewed, not only the period's.
    episodes: dict[int, list[EpisodeFacts]] = defaultdict(list)
    dates: dict[int, list[dt.date]] = defaultdict(list)
    if reviewed_ids:
        reviewed = held_in_period(select(Review.child_id))
        for e in session.scalars(select(Episode).where(Episode.child_id.in_(reviewed))):
            episodes[e.child_id].append(
                e.facts()
            )
        for child_id, day in session.execute(
            select(Review.child_id, Review.review_date).where(Review.child_id.in_(reviewed))
        ):
            dates[child_id].append(day)
    on_time: set[tuple[int, dt.date]] = set()
    for child_id in reviewed_ids:
        for held in review_timeliness(episodes[child_id], dates[child_id]):
            if held.on_time:
                on_time.add((child_id, held.held_on))

    late_children = {r.child_id for r in reviews if (r.child_id, r.review_date) not in on_time}
    participation = {code: 0 for code in PARTICIPATION_CODES}
    not_recorded = 0  # a draft saved before the IRO chose the code
    for r in reviews:
        if r.participation_code in participation:
            participation[r.participation_code] += 1
        else:
            not_recorded += 1

    # Local deadlines from the last meeting of each review (the review date when none recorded).
    last_meeting: dict[int, dt.date] = {}
    if reviews:
        meeting_query = held_in_period(
            select(ReviewMeeting.review_id, func.max(ReviewMeeting.held_on))
            .join(Review, Review.id == ReviewMeeting.review_id)
            .group_by(ReviewMeeting.review_id)
        )
        last_meeting = dict(session.execute(meeting_query).all())
    days = deadline_days(session)
    circulated = circulated_on_time = completed = completed_on_time = sent = sent_on_time = 0
    pending: Counter[str] = Counter()
    for r in reviews:
        circulate_by, complete_by, letter_by = deadlines_from(
            last_meeting.get(r.id, r.review_date), days
        )
        letter: Letter | None = r.letter
        sent_on = letter.sent_on if letter is not None else None
        if r.decisions_circulated_on is not None:
            circulated += 1
            circulated_on_time += r.decisions_circulated_on <= circulate_by
        if r.record_completed_on is not None:
            completed += 1
            completed_on_time += r.record_completed_on <= complete_by
        if sent_on is not None:
            sent += 1
            sent_on_time += sent_on <= letter_by
        if r.source != "903":  # only the reviews recorded could have them (`reviews_recorded`)
            for key, due, done_on in (
                ("decisions", circulate_by, r.decisions_circulated_on),
                ("records", complete_by, r.record_completed_on),
                ("letters", letter_by, sent_on),
            ):
                pending[key] += deadline_state(due, done_on, today) == PENDING
    recorded = sum(r.source != "903" for r in reviews)

    midways = (
        session.scalar(
            _filtered(
                select(func.count(MidwayReview.id)).where(
                    MidwayReview.held_on >= start,
                    MidwayReview.held_on <= end,
                    *([midway_filter] if midway_filter is not None else []),
                ),
                MidwayReview.child_id,
                children,
            )
        )
        or 0
    )

    raised = session.scalars(
        _filtered(
            select(Escalation)
            .where(
                Escalation.raised_on >= start,
                Escalation.raised_on <= end,
                *([escalation_filter] if escalation_filter is not None else []),
            )
            .options(selectinload(Escalation.stages)),
            Escalation.child_id,
            children,
        )
    ).all()
    escalations = [e for e in raised if e.kind != "good_practice"]
    by_theme: dict[str, int] = {theme: 0 for theme in settings.get(session, "escalation_themes")}
    theme_counts = Counter(theme for e in escalations for theme in dict.fromkeys(e.themes or []))
    for theme, count in theme_counts.items():
        by_theme[theme] = by_theme.get(theme, 0) + count
    by_stage = {key: 0 for key, _ in STAGES}
    for e in escalations:
        reached = max(
            (s.stage for s in e.stages if s.stage in STAGE_ORDER),
            key=STAGE_ORDER.__getitem__,
            default=None,
        )
        if reached is not None:
            by_stage[reached] += 1
    by_outcome = {key: 0 for key, _ in OUTCOMES} | {OPEN: 0}
    for e in escalations:
        key = e.outcome if e.outcome in by_outcome else OPEN
        by_outcome[key] += 1

    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "reviews_held": len(reviews),
        "reviews_on_time": sum((r.child_id, r.review_date) in on_time for r in reviews),
        "children_reviewed": len(reviewed_ids),
        "children_all_reviews_on_time": len(reviewed_ids - late_children),
        "participation": participation,
        "participation_not_recorded": not_recorded,
        "midway_reviews_held": midways,
        "escalations_raised": len(escalations),
        "escalation_children": len({e.child_id for e in escalations}),
        "escalations_by_theme": by_theme,
        "escalations_by_stage": by_stage,
        "escalations_by_outcome": by_outcome,
        "escalations_referred_to_cafcass": sum(
            e.cafcass_referred_on is not None for e in escalations
        ),
        "good_practice_alerts": len(raised) - len(escalations),
        "reviews_recorded": recorded,
        "decisions_circulated": circulated,
        "decisions_circulated_on_time": circulated_on_time,
        "decisions_due": recorded - pending["decisions"],
        "decisions_pending": pending["decisions"],
        "records_completed": completed,
        "records_on_time": completed_on_time,
        "records_due": recorded - pending["records"],
        "records_pending": pending["records"],
        "letters_sent": sent,
        "letters_on_time": sent_on_time,
        "letters_due": recorded - pending["letters"],
        "letters_pending": pending["letters"],
        "report_date": today.isoformat(),  # pending is judged on this day
    }


__all__ = ["FIGURE_LABELS", "ON_TIME_OUT_OF", "OPEN", "april_year", "current_date", "iro_figures"]
