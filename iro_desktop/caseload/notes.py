"""Case notes, the IRO's footprint between reviews, and when the IRO last saw each child.

When the child was last seen: the latest of (a) a note of a visit to the child, (b) any note where
the IRO saw the child alone (pre-meeting, consultation...), (c) a review the IRO recorded as having
seen the child alone beforehand, and (d) a meeting of a review held in person or mixed that the
child is recorded as attending. A virtual meeting, a 903 line (no format known) and a call do not
count: the guide asks that the IRO *sees* the child."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iro_desktop import settings
from iro_desktop.caseload.validation import Problems, ValidationError
from iro_desktop.db.models import (
    CaseNote,
    Child,
    Review,
    ReviewMeeting,
    ReviewParticipant,
    review_meeting_attendance,
)
from iro_desktop.rules.reviews import current_period

NOTE_KINDS: list[tuple[str, str]] = [
    ("visit", "Visit to the child"),
    ("call", "Call"),
    ("pre_meeting", "Pre-meeting"),
    ("consultation", "Consultation"),
    ("contact_social_worker", "Contact with the social worker"),
    ("contact_carer", "Contact with the carer"),
    ("contact_parent", "Contact with a parent"),
    ("contact_guardian", "Contact with the Children's Guardian"),
    ("panel", "Panel"),
    ("other", "Other"),
]
VISIT = "visit"
# Kinds of note at which the IRO may have seen the child alone.
SEEN_ALONE_KINDS = frozenset({"visit", "pre_meeting", "consultation", "other"})
_KIND_KEYS = {k for k, _ in NOTE_KINDS}
_IN_PERSON = ("in_person", "mixed")


@dataclass
class NoteInput:
    noted_on: dt.date | None
    kind: str  # NOTE_KINDS
    seen_alone: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class NoteView:
    note_id: int
    noted_on: dt.date
    kind: str
    kind_label: str
    seen_alone: bool
    text: str


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def check_note(data: NoteInput, today: dt.date) -> Problems:
    problems = Problems()
    if data.noted_on is None:
        problems.add("noted_on", "Give the date.")
    elif data.noted_on > today:
        problems.add("noted_on", f"{_fmt(data.noted_on)} is in the future.")
    if data.kind not in _KIND_KEYS:
        problems.add("kind", "Choose the type of note.")
    elif data.seen_alone and data.kind not in SEEN_ALONE_KINDS:
        problems.add(
            "seen_alone",
            "The child is seen alone at a visit, pre-meeting or consultation, "
            "not at this type of contact.",
        )
    if not data.text.strip():
        problems.add("text", "Write what happened.")
    return problems


def save_note(
    session: Session,
    child_id: int,
    data: NoteInput,
    note_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> int:
    """Add (or, with `note_id`, correct) a case note; returns its id."""
    today = today or dt.date.today()
    if session.get(Child, child_id) is None:
        raise LookupError(f"no child with id {child_id}")
    note = None
    if note_id is not None:
        note = session.get(CaseNote, note_id)
        if note is None or note.child_id != child_id:
            raise LookupError(f"no note {note_id} for child {child_id}")
    check_note(data, today).raise_if_any()
    if note is None:
        note = CaseNote(child_id=child_id, noted_on=data.noted_on, kind=data.kind)
        owner = session.get(Child, child_id)  # held: the list belongs to it
        assert owner is not None
        owner.case_notes.append(note)
    note.noted_on, note.kind = data.noted_on, data.kind  # type: ignore[assignment]
    note.seen_alone, note.text = bool(data.seen_alone), data.text.strip()
    session.flush()
    return note.id


def load_note(session: Session, note_id: int) -> NoteInput:
    note = session.get(CaseNote, note_id)
    if note is None:
        raise LookupError(f"no note with id {note_id}")
    return NoteInput(
        noted_on=note.noted_on, kind=note.kind, seen_alone=note.seen_alone, text=note.text
    )


def delete_note(session: Session, note_id: int) -> None:
    note = session.get(CaseNote, note_id)
    if note is not None:
        session.delete(note)
        session.flush()


def list_notes(session: Session, child_id: int) -> list[NoteView]:
    """The child's notes, newest first."""
    labels = dict(NOTE_KINDS)
    rows = session.scalars(
        select(CaseNote)
        .where(CaseNote.child_id == child_id)
        .order_by(CaseNote.noted_on.desc(), CaseNote.id.desc())
    )
    return [
        NoteView(n.id, n.noted_on, n.kind, labels.get(n.kind, n.kind), n.seen_alone, n.text)
        for n in rows
    ]


def last_seen_by_child(
    session: Session, child_ids: Collection[int] | None = None
) -> dict[int, dt.date]:
    """When the IRO last saw each child (children never seen are absent); three queries."""
    seen: dict[int, dt.date] = {}

    def keep(rows: object) -> None:
        for child_id, day in rows:  # type: ignore[attr-defined]
            if day is not None and (child_id not in seen or day > seen[child_id]):
                seen[child_id] = day

    notes = (
        select(CaseNote.child_id, func.max(CaseNote.noted_on))
        .where((CaseNote.kind == VISIT) | CaseNote.seen_alone.is_(True))
        .group_by(CaseNote.child_id)
    )
    alone = (
        select(Review.child_id, func.max(Review.review_date))
        .where(Review.seen_alone.is_(True))
        .group_by(Review.child_id)
    )
    attended = (
        select(Review.child_id, func.max(ReviewMeeting.held_on))
        .join(ReviewParticipant, ReviewParticipant.review_id == Review.id)
        .join(
            review_meeting_attendance,
            review_meeting_attendance.c.participant_id == ReviewParticipant.id,
        )
        .join(ReviewMeeting, ReviewMeeting.id == review_meeting_attendance.c.meeting_id)
        .where(ReviewParticipant.role == "child", ReviewMeeting.format.in_(_IN_PERSON))
        .group_by(Review.child_id)
    )
    if child_ids is not None:
        ids = list(child_ids)
        notes = notes.where(CaseNote.child_id.in_(ids))
        alone = alone.where(Review.child_id.in_(ids))
        attended = attended.where(Review.child_id.in_(ids))
    for query in (notes, alone, attended):
        keep(session.execute(query))
    return seen


def last_seen(session: Session, child_id: int) -> dt.date | None:
    """When the IRO last saw the child (see the module's docstring for what counts)."""
    return last_seen_by_child(session, [child_id]).get(child_id)


def seen_due(
    session: Session, last: dt.date | None, since: dt.date, *, months: int | None = None
) -> dt.date:
    """When the IRO should next see the child: `not_seen_months` after the last time seen (or, never
    seen, after `since`, usually the start of the period of care)."""
    if months is None:
        months = int(settings.get(session, "not_seen_months"))
    return (last or since) + relativedelta(months=months)


def not_seen(session: Session, child_id: int, today: dt.date) -> bool:
    """True when the child, looked after, has not been seen for `not_seen_months` (never seen:
    counted from the start of the current period of care), as My week flags it."""
    child = session.get(Child, child_id)
    if child is None:
        raise LookupError(f"no child with id {child_id}")
    period = current_period(e.facts() for e in child.episodes)
    if period is None or not period.is_open or period.short_breaks_only:
        return False
    return today > seen_due(session, last_seen(session, child_id), period.start)


__all__ = [
    "NOTE_KINDS",
    "SEEN_ALONE_KINDS",
    "NoteInput",
    "NoteView",
    "ValidationError",
    "delete_note",
    "last_seen",
    "last_seen_by_child",
    "list_notes",
    "load_note",
    "not_seen",
    "save_note",
    "seen_due",
]
