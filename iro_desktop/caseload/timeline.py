"""A child's timeline: reviews (and their later meetings, circulation and completion), midway
reviews, case notes, escalations (raised, each stage, responses, Cafcass, outcome) and letters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from iro_desktop.caseload.escalations import OUTCOMES, STAGES
from iro_desktop.caseload.midway import METHODS, PROGRESS_STATUSES
from iro_desktop.caseload.notes import NOTE_KINDS
from iro_desktop.caseload.reviews import REVIEW_KINDS
from iro_desktop.db.models import CaseNote, Episode, Escalation, MidwayReview, Review
from iro_desktop.rules.reviews import review_timeliness

# Entry kinds (what happened); `tab` says which child-record tab shows it.
REVIEW, REVIEW_MEETING, DECISIONS_CIRCULATED, RECORD_COMPLETED = (
    "review",
    "review_meeting",
    "decisions_circulated",
    "record_completed",
)
MIDWAY, NOTE, LETTER_SENT = "midway", "note", "letter_sent"
ESCALATION_RAISED, ESCALATION_STAGE, ESCALATION_RESPONSE, CAFCASS, ESCALATION_CLOSED = (
    "escalation_raised",
    "escalation_stage",
    "escalation_response",
    "cafcass",
    "escalation_closed",
)

_SUMMARY_LENGTH = 160


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    on: dt.date
    kind: str
    title: str  # what happened, whole and plain: "Review record completed", never kind + title
    text: str
    tab: str  # reviews | midway | notes | escalations | letters
    item_id: int  # the review, midway review, note or escalation


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SUMMARY_LENGTH else flat[: _SUMMARY_LENGTH - 1] + "…"


def timeline(session: Session, child_id: int, *, newest_first: bool = False) -> list[TimelineEntry]:
    """Everything that happened for the child in date order (oldest first unless `newest_first`)."""
    entries: list[tuple[dt.date, int, int, TimelineEntry]] = []
    order = 0

    def add(on: dt.date, kind: str, title: str, text: str, *, tab: str, item_id: int) -> None:
        nonlocal order
        order += 1
        entries.append((on, order, item_id, TimelineEntry(on, kind, title, text, tab, item_id)))

    kinds, methods = dict(REVIEW_KINDS), dict(METHODS)
    note_kinds, stages, outcomes = dict(NOTE_KINDS), dict(STAGES), dict(OUTCOMES)
    statuses = dict(PROGRESS_STATUSES)

    reviews = session.scalars(
        select(Review)
        .where(Review.child_id == child_id)
        .options(
            selectinload(Review.meetings),
            selectinload(Review.decisions),
            selectinload(Review.letter),
        )
    ).all()
    episodes = session.scalars(select(Episode).where(Episode.child_id == child_id)).all()
    timeliness = {
        h.held_on: h
        for h in review_timeliness(
[e.facts() for e in episodes],
            [r.review_date for r in reviews],
        )
    }
    for r in reviews:
        held = timeliness.get(r.review_date)
        kind = r.kind or (str(held.kind) if held else "")
        title = kinds.get(kind, "Review")
        parts = [f"participation {r.participation_code}"] if r.participation_code else []
        if held is not None and not held.on_time:
            parts.append(f"late: due {_fmt(held.due)}")
        if len(r.meetings) > 1:
            parts.append(f"{len(r.meetings)} meetings")
        if r.decisions:
            parts.append(f"{len(r.decisions)} decisions")
        if r.source == "903":
            parts.append("from a 903 file")
        add(r.review_date, REVIEW, title, ", ".join(parts), tab="reviews", item_id=r.id)
        for number, meeting in enumerate(r.meetings[1:], start=2):
            add(
                meeting.held_on,
                REVIEW_MEETING,
                f"Review meeting {number} of {len(r.meetings)}",
                f"Part of the review of {_fmt(r.review_date)}",
                tab="reviews",
                item_id=r.id,
            )
        if r.decisions_circulated_on:
            add(
                r.decisions_circulated_on,
                DECISIONS_CIRCULATED,
                "Decisions circulated",
                f"Review of {_fmt(r.review_date)}",
                tab="reviews",
                item_id=r.id,
            )
        if r.record_completed_on:
            add(
                r.record_completed_on,
                RECORD_COMPLETED,
                "Review record completed",
                f"Review of {_fmt(r.review_date)}",
                tab="reviews",
                item_id=r.id,
            )
        if r.letter is not None and r.letter.sent_on:
            add(
                r.letter.sent_on,
                LETTER_SENT,
                "Letter sent to the child",
                f"After the review of {_fmt(r.review_date)}",
                tab="letters",
                item_id=r.id,
            )

    for m in session.scalars(
        select(MidwayReview)
        .where(MidwayReview.child_id == child_id)
        .options(selectinload(MidwayReview.progress))
    ):
        counts: dict[str, int] = {}
        for p in m.progress:
            counts[p.status] = counts.get(p.status, 0) + 1
        found = ", ".join(f"{n} {statuses.get(k, k).lower()}" for k, n in counts.items())
        add(
            m.held_on,
            MIDWAY,
            f"Midway review ({methods.get(m.method, m.method).lower()})",
            found or _short(m.note),
            tab="midway",
            item_id=m.id,
        )

    for n in session.scalars(select(CaseNote).where(CaseNote.child_id == child_id)):
        title = f"Case note: {note_kinds.get(n.kind, n.kind)}" + (
            " (seen alone)" if n.seen_alone else "")
        add(n.noted_on, NOTE, title, _short(n.text), tab="notes", item_id=n.id)

    for e in session.scalars(
        select(Escalation)
        .where(Escalation.child_id == child_id)
        .options(selectinload(Escalation.stages))
    ):
        good = e.kind == "good_practice"
        noun = "Good-practice alert" if good else "Escalation"
        add(
            e.raised_on,
            ESCALATION_RAISED,
            "Good-practice alert" if good else "Escalation raised",
            "; ".join(e.themes or []) or _short(e.concern),
            tab="escalations",
            item_id=e.id,
        )
        for index, s in enumerate(e.stages):
            if index:
                add(
                    s.started_on,
                    ESCALATION_STAGE,
                    f"{noun} moved up ({stages.get(s.stage, s.stage)})",
                    f"Response due {_fmt(s.response_due_on)}",
                    tab="escalations",
                    item_id=e.id,
                )
            if s.response_received_on:
                add(
                    s.response_received_on,
                    ESCALATION_RESPONSE,
                    "Response to the good-practice alert" if good
                    else f"Escalation response received ({stages.get(s.stage, s.stage)})",
                    _short(s.response),
                    tab="escalations",
                    item_id=e.id,
                )
        if e.cafcass_referred_on:
            add(
                e.cafcass_referred_on,
                CAFCASS,
                "Referred to Cafcass",
                "",
                tab="escalations",
                item_id=e.id,
            )
        if e.outcome and e.outcome_on:
            add(
                e.outcome_on,
                ESCALATION_CLOSED,
                f"{noun} closed: {outcomes.get(e.outcome, e.outcome)}",
                "",
                tab="escalations",
                item_id=e.id,
            )

    entries.sort(key=lambda t: (t[0], t[1]), reverse=newest_first)
    return [t[3] for t in entries]


__all__ = ["TimelineEntry", "timeline"]
