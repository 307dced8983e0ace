"""Midway reviews: the IRO's check between reviews that the last review's decisions are being
carried out, and an escalation pre-filled from the decisions found drifting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop import settings
from iro_desktop.caseload.escalations import ESCALATION, EscalationInput
from iro_desktop.caseload.validation import Problems, ValidationError
from iro_desktop.db.models import Child, DecisionProgress, Episode, MidwayReview, Review
from iro_desktop.rules.reviews import EpisodeFacts, next_review

METHODS: list[tuple[str, str]] = [
    ("call", "Phone call"),
    ("visit", "Visit"),
    ("meeting", "Meeting"),
    ("email", "Email"),
    ("virtual", "Virtual meeting"),
]
DONE, ON_TRACK, DRIFTING, NOT_STARTED = "done", "on_track", "drifting", "not_started"
PROGRESS_STATUSES: list[tuple[str, str]] = [
    (DONE, "Done"),
    (ON_TRACK, "On track"),
    (DRIFTING, "Drifting"),
    (NOT_STARTED, "Not started"),
]
DRIFT_THEMES = ["Follow-up of review decisions", "Care plan delay (drift and delay)"]
_METHOD_KEYS = {k for k, _ in METHODS}
_STATUS_KEYS = {k for k, _ in PROGRESS_STATUSES}


@dataclass
class MidwayInput:
    """`progress` maps each decision id of the last review to (status, note)."""

    held_on: dt.date | None
    method: str = "call"  # METHODS
    note: str = ""
    progress: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A decision the midway review checks, with what the previous midway (if any) found."""

    decision_id: int
    text: str
    owner_role: str
    owner_name: str
    due_on: dt.date | None
    key_decision: bool
    last_status: str
    last_note: str


@dataclass(frozen=True, slots=True)
class MidwayChecks:
    """The review whose decisions a midway review on a date checks."""

    review_id: int
    review_date: dt.date
    decisions: list[DecisionRow]


@dataclass(frozen=True, slots=True)
class MidwayView:
    midway_id: int
    held_on: dt.date
    method: str
    note: str
    review_id: int | None
    counts: dict[str, int]  # PROGRESS_STATUSES key -> decisions


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def midway_point(last_review: dt.date, next_due: dt.date, percent: int) -> dt.date:
    """`percent` of the way from the last review to the next due date (50: the midpoint)."""
    return last_review + dt.timedelta(days=(next_due - last_review).days * percent // 100)


def _facts(session: Session, child_id: int) -> list[EpisodeFacts]:
    return [
        e.facts()
        for e in session.scalars(select(Episode).where(Episode.child_id == child_id))
    ]


def midway_due(session: Session, child_id: int) -> dt.date | None:
    """When the midway review of the current review cycle is due: `midway_fraction_percent` of the
    way from the last review to the next due date. None before the first review of the current
    period of care or when the child is not looked after (was one held: `midway_held_since`)."""
    dates = list(session.scalars(select(Review.review_date).where(Review.child_id == child_id)))
    upcoming = next_review(_facts(session, child_id), dates)
    if upcoming is None or upcoming.last_review is None:
        return None
    return midway_point(
        upcoming.last_review, upcoming.due, int(settings.get(session, "midway_fraction_percent"))
    )


def midway_held_since(session: Session, child_id: int, since: dt.date) -> dt.date | None:
    """The latest midway review held after `since` (the last review), or None."""
    return session.scalar(
        select(MidwayReview.held_on)
        .where(MidwayReview.child_id == child_id, MidwayReview.held_on > since)
        .order_by(MidwayReview.held_on.desc())
        .limit(1)
    )


def _review_before(session: Session, child_id: int, day: dt.date) -> Review | None:
    return session.scalar(
        select(Review)
        .where(Review.child_id == child_id, Review.review_date < day)
        .order_by(Review.review_date.desc())
        .limit(1)
    )


def decisions_for_midway(session: Session, child_id: int, held_on: dt.date) -> MidwayChecks | None:
    """The decisions of the last review before `held_on`, for the midway form; None if no review."""
    review = _review_before(session, child_id, held_on)
    if review is None:
        return None
    latest: dict[int, tuple[str, str]] = {}
    rows = session.execute(
        select(DecisionProgress.decision_id, DecisionProgress.status, DecisionProgress.note)
        .join(MidwayReview, MidwayReview.id == DecisionProgress.midway_review_id)
        .where(MidwayReview.review_id == review.id, MidwayReview.held_on <= held_on)
        .order_by(MidwayReview.held_on, MidwayReview.id)
    )
    for decision_id, status, note in rows:
        latest[decision_id] = (status, note)
    return MidwayChecks(
        review_id=review.id,
        review_date=review.review_date,
        decisions=[
            DecisionRow(
                d.id,
                d.text,
                d.owner_role,
                d.owner_name,
                d.due_on,
                d.key_decision,
                *latest.get(d.id, ("", "")),
            )
            for d in review.decisions
        ],
    )


def save_midway(
    session: Session,
    child_id: int,
    data: MidwayInput,
    midway_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> int:
    """Record (or, with `midway_id`, correct) a midway review of the last review before its date.
    Every decision of that review needs a status. Field keys on error: `held_on`, `method`,
    `progress[<decision id>]`."""
    today = today or dt.date.today()
    if session.get(Child, child_id) is None:
        raise LookupError(f"no child with id {child_id}")
    midway = None
    if midway_id is not None:
        midway = session.get(MidwayReview, midway_id)
        if midway is None or midway.child_id != child_id:
            raise LookupError(f"no midway review {midway_id} for child {child_id}")
    problems = Problems()
    review = None
    if data.held_on is None:
        problems.add("held_on", "Give the date of the midway review.")
    elif data.held_on > today:
        problems.add("held_on", f"{_fmt(data.held_on)} is in the future.")
    else:
        review = _review_before(session, child_id, data.held_on)
        if review is None:
            problems.add(
                "held_on",
                "There is no review before this date whose decisions a midway review could check.",
            )
    if data.method not in _METHOD_KEYS:
        problems.add("method", "Choose how the midway review was done.")
    if review is not None:
        ids = {d.id for d in review.decisions}
        for decision in review.decisions:
            status = data.progress.get(decision.id, ("", ""))[0]
            if status not in _STATUS_KEYS:
                problems.add(
                    f"progress[{decision.id}]", "Choose done, on track, drifting or not started."
                )
        for decision_id in data.progress:
            if decision_id not in ids:
                problems.add(
                    f"progress[{decision_id}]",
                    f"Not a decision of the review of {_fmt(review.review_date)}.",
                )
    problems.raise_if_any()
    assert review is not None and data.held_on is not None
    if midway is None:
        midway = MidwayReview(child_id=child_id, held_on=data.held_on)
        owner = session.get(Child, child_id)  # held: the list belongs to it
        assert owner is not None
        owner.midway_reviews.append(midway)
    midway.held_on, midway.method, midway.note = data.held_on, data.method, data.note.strip()
    midway.review_id = review.id
    existing = {p.decision_id: p for p in midway.progress}
    rows = []
    for decision in review.decisions:
        status, note = data.progress[decision.id]
        row = existing.get(decision.id) or DecisionProgress(decision_id=decision.id)
        row.status, row.note = status, note.strip()
        rows.append(row)
    midway.progress = rows
    session.flush()
    return midway.id


def load_midway(session: Session, midway_id: int) -> MidwayInput:
    midway = _midway(session, midway_id)
    return MidwayInput(
        held_on=midway.held_on,
        method=midway.method,
        note=midway.note,
        progress={p.decision_id: (p.status, p.note) for p in midway.progress},
    )


def delete_midway(session: Session, midway_id: int) -> None:
    session.delete(_midway(session, midway_id))
    session.flush()


def _midway(session: Session, midway_id: int) -> MidwayReview:
    midway = session.get(MidwayReview, midway_id)
    if midway is None:
        raise LookupError(f"no midway review with id {midway_id}")
    return midway


def list_midways(session: Session, child_id: int) -> list[MidwayView]:
    """The child's midway reviews, newest first, with how many decisions were in each state."""
    rows = session.scalars(
        select(MidwayReview)
        .where(MidwayReview.child_id == child_id)
        .order_by(MidwayReview.held_on.desc(), MidwayReview.id.desc())
    )
    result = []
    for m in rows:
        counts = {key: 0 for key in _STATUS_KEYS}
        for p in m.progress:
            counts[p.status] = counts.get(p.status, 0) + 1
        result.append(MidwayView(m.id, m.held_on, m.method, m.note, m.review_id, counts))
    return result


def drifting_decisions(session: Session, midway_id: int) -> list[tuple[DecisionProgress, str]]:
    """Decisions found drifting, and those not started past their due date: (progress, why)."""
    midway = _midway(session, midway_id)
    found = []
    for p in sorted(midway.progress, key=lambda p: p.decision.position):
        if p.status == DRIFTING:
            found.append((p, "drifting"))
        elif (
            p.status == NOT_STARTED
            and p.decision.due_on is not None
            and p.decision.due_on < midway.held_on
        ):
            found.append((p, "not started, past its date"))
    return found


def escalation_from_midway(session: Session, midway_id: int) -> EscalationInput:
    """An escalation to raise from a midway review: the concern lists the drifting decisions (and
    those not started past their date), themes "Follow-up of review decisions" and "Care plan delay
    (drift and delay)", informal with the social worker, raised on the midway review's date. The
    IRO edits it before `raise_escalation`."""
    midway = _midway(session, midway_id)
    review = session.get(Review, midway.review_id) if midway.review_id is not None else None
    heading = (
        f"At the midway review on {_fmt(midway.held_on)}, decisions of the review of "
        f"{_fmt(review.review_date)} were not progressing:"
        if review is not None
        else f"At the midway review on {_fmt(midway.held_on)}, decisions were not progressing:"
    )
    lines = [heading]
    for progress, why in drifting_decisions(session, midway_id):
        decision = progress.decision
        who = decision.owner_role + (f" ({decision.owner_name})" if decision.owner_name else "")
        due = f", due {_fmt(decision.due_on)}" if decision.due_on else ""
        note = f": {progress.note}" if progress.note else ""
        lines.append(f"- {decision.text} [{who}{due}] {why}{note}")
    known = list(settings.get(session, "escalation_themes"))
    themes = [t for t in DRIFT_THEMES if t in known] or list(DRIFT_THEMES)
    return EscalationInput(
        kind=ESCALATION,
        raised_on=midway.held_on,
        concern="\n".join(lines),
        themes=themes,
        stage="informal_sw",
        midway_review_id=midway.id,
    )


__all__ = [
    "DONE",
    "DRIFTING",
    "DRIFT_THEMES",
    "METHODS",
    "NOT_STARTED",
    "ON_TRACK",
    "PROGRESS_STATUSES",
    "DecisionRow",
    "MidwayChecks",
    "MidwayInput",
    "MidwayView",
    "ValidationError",
    "decisions_for_midway",
    "delete_midway",
    "drifting_decisions",
    "escalation_from_midway",
    "list_midways",
    "load_midway",
    "midway_due",
    "midway_held_since",
    "midway_point",
    "save_midway",
]
