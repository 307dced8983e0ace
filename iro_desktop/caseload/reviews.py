"""Recording a looked-after child review: meetings, people, participation, the record, decisions,
and the local deadlines for circulating decisions, completing the record and sending the letter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop import settings
from iro_desktop.caseload.validation import Problems, ValidationError
from iro_desktop.db.models import Child, Decision, Episode, Review, ReviewMeeting, ReviewParticipant
from iro_desktop.rules.participation import PARTICIPATION_CODES, age_on, allowed_codes, code_problem
from iro_desktop.rules.reviews import EpisodeFacts, due_after, periods_of_care, reviews_in_period
from iro_desktop.rules.workdays import add_working_days

# --- choices (key, label): keys are stored, labels are shown ---------------------------------

REVIEW_KINDS: list[tuple[str, str]] = [
    ("initial", "Initial review"),
    ("second", "Second review"),
    ("subsequent", "Subsequent review"),
    ("extra", "Extra review (brought forward)"),
]
EXTRA = "extra"
STATUTORY_KINDS = ("initial", "second", "subsequent")

MEETING_FORMATS: list[tuple[str, str]] = [
    ("in_person", "In person"),
    ("virtual", "Virtual (online or phone)"),
    ("mixed", "Mixed (some in the room, some online)"),
]
IN_PERSON_FORMATS = frozenset({"in_person", "mixed"})

PARTICIPANT_ROLES: list[tuple[str, str]] = [
    ("child", "The child"),
    ("parent", "Parent"),
    ("carer", "Carer"),
    ("social_worker", "Social worker"),
    ("team_manager", "Team manager"),
    ("personal_adviser", "Personal adviser"),
    ("advocate", "Advocate"),
    ("independent_visitor", "Independent visitor"),
    ("teacher", "Teacher or designated teacher"),
    ("health", "Health professional"),
    ("guardian", "Children's Guardian"),
    ("relative", "Other family member"),
    ("interpreter", "Interpreter"),
    ("other", "Other"),
]
CHILD_ROLE = "child"

# Advocacy and independent visitor: what happened this review ("" = not recorded).
SERVICE_OPTIONS: list[tuple[str, str]] = [
    ("", "Not recorded"),
    ("discussed", "Discussed"),
    ("referred", "Referred"),
    ("has_one", "Has one"),
    ("declined", "Declined"),
]

# The IRO's record of the review under the usual headings. Leaving care only from 16.
RECORD_HEADINGS: list[tuple[str, str]] = [
    ("plan_permanence", "Plan and permanence"),
    ("where_child_lives", "Where the child lives"),
    ("health", "Health"),
    ("education", "Education"),
    ("family_time", "Family time"),
    ("identity", "Identity"),
    ("emotional_wellbeing", "Emotional well-being"),
    ("leaving_care", "Leaving care (16 and over)"),
]
LEAVING_CARE_HEADING = "leaving_care"
LEAVING_CARE_AGE = 16

# Suggestions for a decision's owner (free text is allowed: "Virtual School", "CAMHS"...).
DECISION_OWNER_ROLES: list[str] = [
    "Social worker",
    "Team manager",
    "Carer",
    "Parent",
    "The child",
    "IRO",
    "Personal adviser",
    "Designated teacher",
    "Virtual School",
    "Health",
    "Supervising social worker",
    "Other",
]

# A draft may be incomplete (no participation code yet...); see `still_to_do`.
REVIEW_STATUSES: list[tuple[str, str]] = [
    ("draft", "Draft"),
    ("circulated", "Decisions circulated"),
    ("completed", "Record completed"),
]

# Deadline states: done on time, done late, not done and past due, not done and not yet due.
MET, LATE, OVERDUE, PENDING = "met", "late", "overdue", "pending"

_KIND_KEYS = {k for k, _ in REVIEW_KINDS}
_FORMAT_KEYS = {k for k, _ in MEETING_FORMATS}
_ROLE_KEYS = {k for k, _ in PARTICIPANT_ROLES}
_SERVICE_KEYS = {k for k, _ in SERVICE_OPTIONS}
_HEADING_KEYS = {k for k, _ in RECORD_HEADINGS}


def label(choices: Sequence[tuple[str, str]], key: str) -> str:
    """The label of `key` in a (key, label) list; the key itself when unknown."""
    return dict(choices).get(key, key)


# --- inputs -----------------------------------------------------------------------------------


@dataclass
class MeetingInput:
    """One meeting of the review; the first one's date is the review's date."""

    held_on: dt.date | None
    format: str = "in_person"  # MEETING_FORMATS
    venue: str = ""
    note: str = ""
    id: int | None = None  # set by load_review; keeps the meeting row when edited


@dataclass
class ParticipantInput:
    """Someone invited to the review; `meetings_attended` holds indexes into `ReviewInput.meetings`.

    `attended` is True when they came to any meeting (it is set from `meetings_attended` when that
    is given; a one-meeting review may set `attended=True` alone)."""

    name: str
    role: str  # PARTICIPANT_ROLES
    invited: bool = True
    attended: bool = False
    meetings_attended: list[int] = field(default_factory=list)
    id: int | None = None


@dataclass
class DecisionInput:
    """A decision of the review: what, who (role and name), by when, and whether it is starred."""

    text: str
    owner_role: str
    owner_name: str = ""
    due_on: dt.date | None = None
    key_decision: bool = False
    id: int | None = None  # set by load_review; keeps midway progress linked when edited


@dataclass
class ReviewInput:
    """Everything the review form edits; `kind` is "" (work it out), a statutory kind or "extra"."""

    meetings: list[MeetingInput]
    kind: str = ""
    extra_reason: str = ""
    participation_code: str = ""  # PN0..PN7; "" becomes PN0 for a child under 4
    participants: list[ParticipantInput] = field(default_factory=list)
    seen_alone: bool | None = None
    consultation_child: bool | None = None
    consultation_parents: bool | None = None
    consultation_carers: bool | None = None
    advocacy: str = ""  # SERVICE_OPTIONS
    independent_visitor: str = ""  # SERVICE_OPTIONS
    communication_needs_met: bool | None = None
    record: dict[str, str] = field(default_factory=dict)  # RECORD_HEADINGS keys
    decisions: list[DecisionInput] = field(default_factory=list)

    @property
    def review_date(self) -> dt.date | None:
        return self.meetings[0].held_on if self.meetings else None


# --- outputs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """One local deadline: when it falls, when it was done, and how it stands."""

    due: dt.date
    done_on: dt.date | None
    state: str  # MET | LATE | OVERDUE | PENDING

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def late(self) -> bool:
        return self.state in (LATE, OVERDUE)

    def days_late(self, today: dt.date) -> int:
        """Calendar days past the deadline (0 when on time or not yet due)."""
        end = self.done_on or today
        return max(0, (end - self.due).days)


@dataclass(frozen=True, slots=True)
class ReviewDeadlines:
    """Decisions circulated, record completed and letter sent, counted in working days from the
    last meeting of the review (the review date when there was one meeting)."""

    review_id: int
    review_date: dt.date
    counted_from: dt.date
    circulate: Deadline
    complete: Deadline
    letter: Deadline

    @property
    def circulate_by(self) -> dt.date:
        return self.circulate.due

    @property
    def complete_by(self) -> dt.date:
        return self.complete.due

    @property
    def letter_by(self) -> dt.date:
        return self.letter.due


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """One line of the child's reviews tab."""

    review_id: int
    review_date: dt.date
    kind: str
    source: str  # app | 903 | import
    participation_code: str
    status: str
    meetings: int
    decisions: int
    decisions_circulated_on: dt.date | None
    record_completed_on: dt.date | None
    deadlines: ReviewDeadlines


# --- rules over the database ------------------------------------------------------------------


def deadline_state(due: dt.date, done_on: dt.date | None, today: dt.date) -> str:
    if done_on is not None:
        return MET if done_on <= due else LATE
    return OVERDUE if today > due else PENDING


def deadline_days(session: Session) -> tuple[int, int, int]:
    """The settings (decisions circulated, record completed, letter sent), in working days."""
    return (
        int(settings.get(session, "decisions_circulated_days")),
        int(settings.get(session, "record_completed_days")),
        int(settings.get(session, "letter_sent_days")),
    )


def deadlines_from(
    counted_from: dt.date, days: tuple[int, int, int]
) -> tuple[dt.date, dt.date, dt.date]:
    """(circulate by, complete by, letter by): `days` working days after `counted_from`."""
    return tuple(add_working_days(counted_from, n) for n in days)  # type: ignore[return-value]


def deadline_dates(session: Session, counted_from: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(circulate by, complete by, letter by) from the settings, in working days."""
    return deadlines_from(counted_from, deadline_days(session))


def _episode_facts(session: Session, child_id: int) -> list[EpisodeFacts]:
    rows = session.scalars(
        select(Episode).where(Episode.child_id == child_id).order_by(Episode.start)
    )
    return [
        e.facts()
        for e in rows
    ]


def _other_review_dates(session: Session, child_id: int, review_id: int | None) -> list[dt.date]:
    query = select(Review.review_date).where(Review.child_id == child_id)
    if review_id is not None:
        query = query.where(Review.id != review_id)
    return list(session.scalars(query))


def _child(session: Session, child_id: int) -> Child:
    child = session.get(Child, child_id)
    if child is None:
        raise LookupError(f"no child with id {child_id}")
    return child


def _review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise LookupError(f"no review with id {review_id}")
    return review


def statutory_kind(
    session: Session, child_id: int, review_date: dt.date, review_id: int | None = None
) -> str:
    """initial / second / subsequent for a review on `review_date`, from the reviews held before it
    in the same period of care ("" when the date is outside every period of care)."""
    facts = _episode_facts(session, child_id)
    others = _other_review_dates(session, child_id, review_id)
    for period in periods_of_care(facts):
        if review_date >= period.start and (period.end is None or review_date <= period.end):
            # The clock starts when full-time care began (not at a first short break).
            clock_start = period.review_clock_start or period.start
            before = [d for d in reviews_in_period(period, others) if d < review_date]
            kind, _due = due_after(clock_start, before)
            return str(kind)
    return ""


def allowed_codes_for(session: Session, child_id: int, review_date: dt.date) -> list[str]:
    """["PN0"] when the child is under 4 on the review date, else PN1..PN7."""
    return allowed_codes(_child(session, child_id).date_of_birth, review_date)


def record_headings_for(
    session: Session, child_id: int, review_date: dt.date
) -> list[tuple[str, str]]:
    """RECORD_HEADINGS for this child on this date: leaving care only at 16 and over."""
    if age_on(_child(session, child_id).date_of_birth, review_date) >= LEAVING_CARE_AGE:
        return list(RECORD_HEADINGS)
    return [h for h in RECORD_HEADINGS if h[0] != LEAVING_CARE_HEADING]


def new_review_input(session: Session, child_id: int, today: dt.date) -> ReviewInput:
    """A review form for a review held today: one meeting in person, the statutory kind, PN0 for a
    child under 4, the child, carer, social worker and a parent invited, empty record headings."""
    child = _child(session, child_id)
    codes = allowed_codes(child.date_of_birth, today)
    participants = [
        ParticipantInput(name=child.display_name, role="child"),
        ParticipantInput(name=child.carer_name, role="carer"),
        ParticipantInput(name=child.social_worker_name, role="social_worker"),
        ParticipantInput(name="", role="parent"),
    ]
    return ReviewInput(
        meetings=[MeetingInput(held_on=today, format="in_person")],
        kind=statutory_kind(session, child_id, today),
        participation_code="PN0" if codes == ["PN0"] else "",
        participants=participants,
        record={key: "" for key, _ in record_headings_for(session, child_id, today)},
    )


# --- validation -------------------------------------------------------------------------------
#
# An IRO records a review in stages: notes in the meeting, the rest later. So the checks come in
# two sorts. What is *impossible* (a meeting in the future, a decision due before the review, PN0
# for a 10-year-old) is refused whenever the review is saved, even as a draft. What is only
# *incomplete* (no participation code chosen yet, a decision with no one to do it) may be saved
# in a draft, and is required by the status that needs it: the decisions must say what and who
# before they are circulated; everything must be there before the record is completed.

DRAFT, CIRCULATED, COMPLETED = "draft", "circulated", "completed"
_STATUS_ORDER = {DRAFT: 0, CIRCULATED: 1, COMPLETED: 2}


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def blank_decision(decision: DecisionInput) -> bool:
    """A decision row with nothing in it (an Add pressed by mistake): not saved, not checked."""
    return not (
        decision.text.strip()
        or decision.owner_role.strip()
        or decision.owner_name.strip()
        or decision.due_on is not None
    )


def blank_participant(person: ParticipantInput) -> bool:
    """A person row with nothing in it: not saved, not checked."""
    return not (
        person.name.strip() or person.role.strip() or person.attended or person.meetings_attended
    )


class _Findings:
    """Problems found in one pass: `impossible` ones, and `incomplete` ones with the status that
    first needs them (circulated or completed)."""

    def __init__(self) -> None:
        self.impossible = Problems()
        self.incomplete: dict[str, tuple[str, str]] = {}

    def missing(self, key: str, message: str, needed_by: str = COMPLETED) -> None:
        self.incomplete.setdefault(key, (message, needed_by))

    def at(self, status: str) -> Problems:
        """What stops the review being saved at `status` (draft, circulated or completed)."""
        level = _STATUS_ORDER[status]
        problems = Problems()
        for key, message in self.impossible.errors.items():
            problems.add(key, message)
        for key, (message, needed_by) in self.incomplete.items():
            if _STATUS_ORDER[needed_by] <= level:
                problems.add(key, message)
        return problems


def _find_problems(
    session: Session, child_id: int, data: ReviewInput, review_id: int | None, today: dt.date
) -> _Findings:
    child = _child(session, child_id)
    found = _Findings()
    problems = found.impossible
    if not data.meetings:
        problems.add("meetings", "Add the date of the review meeting.")
    previous: dt.date | None = None
    for index, meeting in enumerate(data.meetings):
        key = f"meetings[{index}]"
        if meeting.held_on is None:
            # Even a draft is filed under its date (the first meeting's).
            problems.add(f"{key}.held_on", "Give the date of this meeting.")
        else:
            if meeting.held_on > today:
                problems.add(
                    f"{key}.held_on",
                    f"{_fmt(meeting.held_on)} is in the future: record a "
                    "meeting once it has been held.",
                )
            elif previous is not None and meeting.held_on < previous:
                problems.add(
                    f"{key}.held_on",
                    f"This meeting ({_fmt(meeting.held_on)}) is before the one "
                    f"above it ({_fmt(previous)}): list the meetings in the order they were held.",
                )
            previous = meeting.held_on if previous is None else max(previous, meeting.held_on)
        if not meeting.format:
            found.missing(f"{key}.format", "Choose in person, virtual or mixed.")
        elif meeting.format not in _FORMAT_KEYS:
            problems.add(f"{key}.format", "Choose in person, virtual or mixed.")
    review_date = data.review_date
    if review_date is not None:
        facts = _episode_facts(session, child_id)
        periods = periods_of_care(facts)
        inside = [
            p for p in periods if p.start <= review_date and (p.end is None or review_date <= p.end)
        ]
        if not periods:
            problems.add(
                "meetings[0].held_on",
                "The child has no period of care recorded, so a review "
                "cannot be dated yet: add when they became looked after.",
            )
        elif review_date < periods[0].start:
            problems.add(
                "meetings[0].held_on",
                f"The review is dated {_fmt(review_date)}, before the "
                f"child became looked after on {_fmt(periods[0].start)}.",
            )
        elif not inside:
            problems.add(
                "meetings[0].held_on",
                f"On {_fmt(review_date)} the child was not looked "
                "after (it falls between two periods of care).",
            )
        if review_date in _other_review_dates(session, child_id, review_id):
            problems.add(
                "meetings[0].held_on", f"This child already has a review on {_fmt(review_date)}."
            )
        later = [d for d in _other_review_dates(session, child_id, review_id) if d > review_date]
        if later and previous is not None and previous >= min(later):
            problems.add(
                f"meetings[{len(data.meetings) - 1}].held_on",
                "The last meeting of this series "
                f"is on or after the next review ({_fmt(min(later))}).",
            )
        code = data.participation_code or (
            "PN0" if allowed_codes(child.date_of_birth, review_date) == ["PN0"] else ""
        )
        if not code:
            found.missing("participation_code", "Choose how the child took part (PN1 to PN7).")
        else:
            wrong = code_problem(code, child.date_of_birth, review_date)
            if wrong:  # the code cannot be right for the child's age: never saved
                problems.add("participation_code", wrong)
            else:
                _check_child_attendance(data, code, found)
        if (
            age_on(child.date_of_birth, review_date) < LEAVING_CARE_AGE
            and data.record.get(LEAVING_CARE_HEADING, "").strip()
        ):
            problems.add(
                f"record.{LEAVING_CARE_HEADING}",
                "Leaving care is recorded from 16; the child was younger on the review date.",
            )
    if data.kind and data.kind not in _KIND_KEYS:
        problems.add("kind", "Choose initial, second, subsequent or extra review.")
    if data.kind == EXTRA and not data.extra_reason.strip():
        found.missing("extra_reason", "Say why this extra review was brought forward.")
    if (
        data.kind == EXTRA
        and review_date is not None
        and statutory_kind(session, child_id, review_date, review_id) == "initial"
    ):
        problems.add(
            "kind",
            "The first review of a period of care is the initial review; an extra "
            "review comes after it.",
        )
    for name in ("advocacy", "independent_visitor"):
        if getattr(data, name) not in _SERVICE_KEYS:
            problems.add(name, "Choose discussed, referred, has one or declined.")
    for key in data.record:
        if key not in _HEADING_KEYS:
            problems.add(f"record.{key}", "Not one of the record headings.")
    for index, person in enumerate(data.participants):
        if blank_participant(person):
            continue
        key = f"participants[{index}]"
        if person.role not in _ROLE_KEYS:
            found.missing(f"{key}.role", "Choose this person's role.")
        if (
            person.role != CHILD_ROLE
            and not person.name.strip()
            and (person.attended or person.meetings_attended)
        ):
            found.missing(f"{key}.name", "Give the name of someone who attended.")
        for number in person.meetings_attended:
            if not 0 <= number < len(data.meetings):
                problems.add(f"{key}.meetings_attended", "Tick only meetings of this review.")
    for index, decision in enumerate(data.decisions):
        if blank_decision(decision):
            continue
        key = f"decisions[{index}]"
        if not decision.text.strip():
            found.missing(f"{key}.text", "Write what was decided.", CIRCULATED)
        if not decision.owner_role.strip():
            found.missing(f"{key}.owner_role", "Say who will do this (their role).", CIRCULATED)
        if (
            decision.due_on is not None
            and review_date is not None
            and decision.due_on < review_date
        ):
            problems.add(
                f"{key}.due_on",
                f"Due {_fmt(decision.due_on)}, before the review ({_fmt(review_date)}).",
            )
    return found


def check_review(
    session: Session,
    child_id: int,
    data: ReviewInput,
    review_id: int | None,
    today: dt.date,
    *,
    status: str = COMPLETED,
) -> Problems:
    """Every problem that stops `data` being saved at `status` (nothing is changed).

    `status` is "draft" (only what is impossible), "circulated" (also: each decision says what
    and who) or "completed" (everything the record needs: the participation code, ...)."""
    return _find_problems(session, child_id, data, review_id, today).at(status)


def still_to_do(
    session: Session,
    child_id: int,
    data: ReviewInput,
    review_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> dict[str, str]:
    """What a draft still needs before its record can be completed, by field key (in the order
    the form shows them); impossible values are not included (a draft with those is not saved)."""
    found = _find_problems(session, child_id, data, review_id, today or dt.date.today())
    return {key: message for key, (message, _status) in found.incomplete.items()}


def _row_number(key: str) -> int:
    return int(key[key.index("[") + 1 : key.index("]")]) + 1


# The words of the "Still to do" note, by field key (list items add their number).
_TO_DO_WORDS = {
    "participation_code": "participation code",
    "extra_reason": "why this extra review was brought forward",
    "format": "format of meeting {n}",
    "role": "role of person {n}",
    "name": "name of person {n}",
    "text": "what was decided (decision {n})",
    "owner_role": "who will do decision {n}",
}


def to_do_words(keys: Sequence[str]) -> list[str]:
    """Short words for each field still to do ("participation code", "who will do decision 2"),
    for a calm note rather than a list of errors."""
    words: list[str] = []
    for key in keys:
        attribute = key.rsplit(".", 1)[-1]
        template = _TO_DO_WORDS.get(attribute, attribute.replace("_", " "))
        phrase = template.format(n=_row_number(key)) if "[" in key else template
        if phrase not in words:
            words.append(phrase)
    return words


def review_to_do(session: Session, review_id: int, *, today: dt.date | None = None) -> list[str]:
    """The saved review's "Still to do" words: empty once its record is completed or when nothing
    is missing."""
    review = _review(session, review_id)
    if review.record_completed_on is not None:
        return []
    data = load_review(session, review_id)
    gaps = still_to_do(session, review.child_id, data, review_id, today=today)
    return to_do_words(list(gaps))


def _check_child_attendance(data: ReviewInput, code: str, found: _Findings) -> None:
    """The child ticked as attending must agree with the code (PN1-4 attend, PN5-7 do not).

    In a draft one of the two may not be filled in yet, so this is needed by completion."""
    children = [p for p in data.participants if p.role == CHILD_ROLE]
    if code == "PN0" or not children:
        return
    came = any(p.attended or p.meetings_attended for p in children)
    if code in ("PN1", "PN2", "PN3", "PN4") and not came:
        found.missing(
            "participation_code",
            f"{code} means the child attended, but the child is not ticked as attending.",
        )
    if code in ("PN5", "PN6", "PN7") and came:
        found.missing(
            "participation_code",
            f"{code} means the child did not attend, but the child is ticked as attending.",
        )


# --- saving -----------------------------------------------------------------------------------


def save_review(
    session: Session,
    child_id: int,
    data: ReviewInput,
    review_id: int | None = None,
    *,
    today: dt.date | None = None,
) -> int:
    """Create (or, with `review_id`, replace the contents of) a review; returns its id.

    Saves a draft as it stands: what is impossible is refused, what is only missing is kept for
    later (see `still_to_do`). A review whose decisions were circulated or whose record was
    completed keeps what that status needs (`check_review` at its status), so undo the status
    first (`mark_record_completed(..., None)`) to take something out. On a problem raises
    ValidationError with every problem; nothing is changed then. Decision and person rows with
    nothing in them are not saved. Decisions and meetings given with their `id` keep their rows
    (midway progress stays linked); those left out are deleted. The caller's transaction
    commits."""
    today = today or dt.date.today()
    review = _review(session, review_id) if review_id is not None else None
    if review is not None and review.child_id != child_id:
        raise LookupError(f"review {review_id} is not child {child_id}'s")
    status = review.status if review is not None and review.status in _STATUS_ORDER else DRAFT
    problems = check_review(session, child_id, data, review_id, today, status=status)
    if review is not None and data.review_date is not None:
        for what, day in (
            ("the decisions were circulated", review.decisions_circulated_on),
            ("the record was completed", review.record_completed_on),
        ):
            if day is not None and day < data.review_date:
                problems.add(
                    "meetings[0].held_on",
                    f"The review cannot be dated after the day {what} ({_fmt(day)}).",
                )
    problems.raise_if_any()
    child = _child(session, child_id)
    review_date = data.review_date
    assert review_date is not None
    if review is None:
        review = Review(
            child_id=child_id, review_date=review_date, participation_code="", source="app"
        )
        child.reviews.append(review)  # keeps a loaded child's list current
    # Under 4 the code can only be PN0; from 4 a draft may wait for the IRO's choice ("").
    under_four = allowed_codes(child.date_of_birth, review_date) == ["PN0"]
    code = data.participation_code or ("PN0" if under_four else "")
    formats = {m.format for m in data.meetings}
    review.review_date = review_date
    review.participation_code = code
    review.kind = (
        EXTRA if data.kind == EXTRA else statutory_kind(session, child_id, review_date, review_id)
    )
    review.extra_reason = data.extra_reason.strip() if data.kind == EXTRA else ""
    review.format = formats.pop() if len(formats) == 1 else "mixed"
    review.venue = data.meetings[0].venue.strip()
    review.seen_alone = data.seen_alone
    review.consultation_child = data.consultation_child
    review.consultation_parents = data.consultation_parents
    review.consultation_carers = data.consultation_carers
    review.advocacy = data.advocacy
    review.independent_visitor = data.independent_visitor
    review.communication_needs_met = data.communication_needs_met
    keep_leaving = age_on(child.date_of_birth, review_date) >= LEAVING_CARE_AGE
    review.record = {
        k: v
        for k, v in data.record.items()
        if k in _HEADING_KEYS and (keep_leaving or k != LEAVING_CARE_HEADING)
    }

    meetings = _replace_rows(review.meetings, data.meetings, ReviewMeeting)
    for row, given in zip(meetings, data.meetings, strict=True):
        row.held_on, row.format, row.venue, row.note = (
            given.held_on,
            given.format,
            given.venue.strip(),
            given.note,
        )
    review.meetings = meetings

    given_people = [p for p in data.participants if not blank_participant(p)]
    people = _replace_rows(review.participants, given_people, ReviewParticipant)
    for row, given in zip(people, given_people, strict=True):
        attended_at = sorted(set(given.meetings_attended))
        if given.attended and not attended_at and len(meetings) == 1:
            attended_at = [0]
        row.name, row.role, row.invited = given.name.strip(), given.role, given.invited
        row.attended = bool(given.attended or attended_at)
        row.meetings_attended = [meetings[i] for i in attended_at]
    review.participants = people

    given_decisions = [d for d in data.decisions if not blank_decision(d)]
    decisions = _replace_rows(review.decisions, given_decisions, Decision)
    for position, (row, given) in enumerate(zip(decisions, given_decisions, strict=True)):
        row.position, row.text = position, given.text.strip()
        row.owner_role, row.owner_name = given.owner_role.strip(), given.owner_name.strip()
        row.due_on, row.key_decision = given.due_on, given.key_decision
    review.decisions = decisions
    _refresh_status(review)
    session.flush()
    return review.id


def _replace_rows(existing: Sequence[object], given: Sequence[object], cls: type) -> list:  # type: ignore[type-arg]
    """Rows for `given` in order: an existing row when the input carries its id, else a new one."""
    by_id = {row.id: row for row in existing}  # type: ignore[attr-defined]
    rows = []
    for item in given:
        item_id = getattr(item, "id", None)
        row = by_id.pop(item_id, None) if item_id is not None else None
        rows.append(row if row is not None else cls())
    return rows


def _refresh_status(review: Review) -> None:
    if review.record_completed_on is not None:
        review.status = COMPLETED
    elif review.decisions_circulated_on is not None:
        review.status = CIRCULATED
    else:
        review.status = DRAFT


def _missing_for(session: Session, review: Review, status: str, today: dt.date) -> Problems:
    """What the saved review still lacks for `status`, keyed as `load_review` numbers the rows
    (what was impossible was refused when it was saved)."""
    found = _find_problems(
        session, review.child_id, load_review(session, review.id), review.id, today
    )
    problems = Problems()
    for key, (message, needed_by) in found.incomplete.items():
        if _STATUS_ORDER[needed_by] <= _STATUS_ORDER[status]:
            problems.add(key, message)
    return problems


def load_review(session: Session, review_id: int) -> ReviewInput:
    """The saved review as the form edits it. A review imported from a 903 line (no meetings) comes
    back with one meeting on its date and no format."""
    review = _review(session, review_id)
    meetings = [
        MeetingInput(held_on=m.held_on, format=m.format, venue=m.venue, note=m.note, id=m.id)
        for m in review.meetings
    ]
    if not meetings:
        meetings = [
            MeetingInput(held_on=review.review_date, format=review.format or "", venue=review.venue)
        ]
    index = {m.id: i for i, m in enumerate(review.meetings)}
    participants = [
        ParticipantInput(
            name=p.name,
            role=p.role,
            invited=p.invited,
            attended=p.attended,
            meetings_attended=sorted(index[m.id] for m in p.meetings_attended if m.id in index),
            id=p.id,
        )
        for p in review.participants
    ]
    decisions = [
        DecisionInput(
            text=d.text,
            owner_role=d.owner_role,
            owner_name=d.owner_name,
            due_on=d.due_on,
            key_decision=d.key_decision,
            id=d.id,
        )
        for d in review.decisions
    ]
    return ReviewInput(
        meetings=meetings,
        kind=review.kind,
        extra_reason=review.extra_reason,
        participation_code=review.participation_code,
        participants=participants,
        seen_alone=review.seen_alone,
        consultation_child=review.consultation_child,
        consultation_parents=review.consultation_parents,
        consultation_carers=review.consultation_carers,
        advocacy=review.advocacy,
        independent_visitor=review.independent_visitor,
        communication_needs_met=review.communication_needs_met,
        record=dict(review.record or {}),
        decisions=decisions,
    )


def delete_review(session: Session, review_id: int) -> None:
    """Remove a review with its meetings, people, decisions (and midway progress) and letter."""
    session.delete(_review(session, review_id))
    session.flush()


def _check_status_date(
    review: Review, field_name: str, on: dt.date | None, today: dt.date
) -> Problems:
    problems = Problems()
    if on is None:
        return problems
    if on < review.review_date:
        problems.add(field_name, f"{_fmt(on)} is before the review ({_fmt(review.review_date)}).")
    elif on > today:
        problems.add(field_name, f"{_fmt(on)} is in the future.")
    return problems


def mark_decisions_circulated(
    session: Session, review_id: int, on: dt.date | None, *, today: dt.date | None = None
) -> None:
    """Record the date the decisions went out (None undoes it while the record is not completed).
    Each decision must say what was decided and who will do it. Field keys on error:
    `decisions_circulated_on`, or the decision's (`decisions[1].owner_role`)."""
    today = today or dt.date.today()
    review = _review(session, review_id)
    problems = _check_status_date(review, "decisions_circulated_on", on, today)
    if on is not None:
        for key, message in _missing_for(session, review, CIRCULATED, today).errors.items():
            problems.add(key, message)
    if on is None and review.record_completed_on is not None:
        problems.add("decisions_circulated_on", "The record is completed: undo that first.")
    if (
        on is not None
        and review.record_completed_on is not None
        and on > review.record_completed_on
    ):
        problems.add(
            "decisions_circulated_on",
            "The decisions went out with the completed record "
            f"({_fmt(review.record_completed_on)}) at the latest.",
        )
    problems.raise_if_any()
    review.decisions_circulated_on = on
    _refresh_status(review)
    session.flush()


def mark_record_completed(
    session: Session, review_id: int, on: dt.date | None, *, today: dt.date | None = None
) -> None:
    """Record the date the full record was completed (None undoes it). A record completed before
    the decisions were marked circulated circulates them the same day (the record contains them).
    A completed record has everything the review needs (`still_to_do` is empty): the
    participation code, ... Field keys on error: `record_completed_on`, or the missing field's
    (`participation_code`)."""
    today = today or dt.date.today()
    review = _review(session, review_id)
    problems = _check_status_date(review, "record_completed_on", on, today)
    if on is not None:
        for key, message in _missing_for(session, review, COMPLETED, today).errors.items():
            problems.add(key, message)
    circulated = review.decisions_circulated_on
    if on is not None and circulated is not None and on < circulated:
        problems.add(
            "record_completed_on",
            f"{_fmt(on)} is before the decisions were circulated ({_fmt(circulated)}).",
        )
    problems.raise_if_any()
    review.record_completed_on = on
    if on is not None and circulated is None:
        review.decisions_circulated_on = on
    _refresh_status(review)
    session.flush()


def counted_from(review: Review) -> dt.date:
    """Local deadlines run from the last meeting of the series (decisions follow it)."""
    dates = [m.held_on for m in review.meetings]
    return max(dates) if dates else review.review_date


def review_deadlines(
    session: Session, review_id: int, *, today: dt.date | None = None
) -> ReviewDeadlines:
    """The three local deadlines of a review and whether each was met, is late, or is pending."""
    today = today or dt.date.today()
    review = _review(session, review_id)
    start = counted_from(review)
    circulate_by, complete_by, letter_by = deadline_dates(session, start)
    sent = review.letter.sent_on if review.letter is not None else None
    return ReviewDeadlines(
        review_id=review.id,
        review_date=review.review_date,
        counted_from=start,
        circulate=Deadline(
            circulate_by,
            review.decisions_circulated_on,
            deadline_state(circulate_by, review.decisions_circulated_on, today),
        ),
        complete=Deadline(
            complete_by,
            review.record_completed_on,
            deadline_state(complete_by, review.record_completed_on, today),
        ),
        letter=Deadline(letter_by, sent, deadline_state(letter_by, sent, today)),
    )


def list_reviews(
    session: Session, child_id: int, *, today: dt.date | None = None
) -> list[ReviewSummary]:
    """The child's reviews, newest first, with their deadlines."""
    today = today or dt.date.today()
    reviews = session.scalars(
        select(Review).where(Review.child_id == child_id).order_by(Review.review_date.desc())
    ).all()
    return [
        ReviewSummary(
            review_id=r.id,
            review_date=r.review_date,
            kind=r.kind,
            source=r.source,
            participation_code=r.participation_code,
            status=r.status,
            meetings=len(r.meetings),
            decisions=len(r.decisions),
            decisions_circulated_on=r.decisions_circulated_on,
            record_completed_on=r.record_completed_on,
            deadlines=review_deadlines(session, r.id, today=today),
        )
        for r in reviews
    ]


__all__ = [
    "CHILD_ROLE",
    "CIRCULATED",
    "COMPLETED",
    "DECISION_OWNER_ROLES",
    "DRAFT",
    "EXTRA",
    "IN_PERSON_FORMATS",
    "LATE",
    "LEAVING_CARE_AGE",
    "LEAVING_CARE_HEADING",
    "MEETING_FORMATS",
    "MET",
    "OVERDUE",
    "PARTICIPANT_ROLES",
    "PARTICIPATION_CODES",
    "PENDING",
    "RECORD_HEADINGS",
    "REVIEW_KINDS",
    "REVIEW_STATUSES",
    "SERVICE_OPTIONS",
    "Deadline",
    "DecisionInput",
    "MeetingInput",
    "ParticipantInput",
    "ReviewDeadlines",
    "ReviewInput",
    "ReviewSummary",
    "ValidationError",
    "allowed_codes_for",
    "blank_decision",
    "blank_participant",
    "check_review",
    "counted_from",
    "deadline_dates",
    "deadline_days",
    "deadline_state",
    "deadlines_from",
    "delete_review",
    "label",
    "list_reviews",
    "load_review",
    "mark_decisions_circulated",
    "mark_record_completed",
    "new_review_input",
    "record_headings_for",
    "review_deadlines",
    "review_to_do",
    "save_review",
    "statutory_kind",
    "still_to_do",
    "to_do_words",
]
