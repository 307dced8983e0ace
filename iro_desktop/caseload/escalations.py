"""Alerts and escalations through the dispute resolution process (and good-practice alerts): the
stage ladder, a response due at each stage, responses, moving up, Cafcass, and the outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop import settings
from iro_desktop.caseload.validation import Problems, ValidationError
from iro_desktop.db.models import Child, Escalation, EscalationStage, MidwayReview
from iro_desktop.rules.workdays import add_working_days

# The ladder, lowest first: two informal rungs, then the formal management stages.
STAGES: list[tuple[str, str]] = [
    ("informal_sw", "Informal: with the social worker"),
    ("informal_tm", "Informal: with the team manager"),
    ("team_manager", "Formal: team manager"),
    ("service_manager", "Formal: service manager"),
    ("head_of_service", "Formal: head of service"),
    ("director", "Formal: director"),
]
STAGE_ORDER: dict[str, int] = {key: rank for rank, (key, _label) in enumerate(STAGES)}
INFORMAL_STAGES = frozenset({"informal_sw", "informal_tm"})
FORMAL_STAGES = frozenset(STAGE_ORDER) - INFORMAL_STAGES

ESCALATION, GOOD_PRACTICE = "escalation", "good_practice"
ESCALATION_KINDS: list[tuple[str, str]] = [
    (ESCALATION, "Alert or escalation"),
    (GOOD_PRACTICE, "Good-practice alert"),
]
OUTCOMES: list[tuple[str, str]] = [
    ("resolved", "Resolved"),
    ("partly_resolved", "Partly resolved"),
    ("not_resolved", "Not resolved"),
]
_OUTCOME_KEYS = {k for k, _ in OUTCOMES}
_KIND_KEYS = {k for k, _ in ESCALATION_KINDS}


@dataclass
class EscalationInput:
    """What the IRO raises: the concern, its themes, and the first rung it goes to."""

    kind: str = ESCALATION  # ESCALATION_KINDS
    raised_on: dt.date | None = None
    concern: str = ""
    themes: list[str] = field(default_factory=list)  # from the setting `escalation_themes`
    stage: str = "informal_sw"  # STAGES
    midway_review_id: int | None = None


@dataclass(frozen=True, slots=True)
class StageView:
    stage_id: int
    stage: str
    label: str
    started_on: dt.date
    response_due_on: dt.date
    response_received_on: dt.date | None
    response: str

    def overdue(self, today: dt.date) -> bool:
        return self.response_received_on is None and today > self.response_due_on


@dataclass(frozen=True, slots=True)
class EscalationView:
    """An escalation as the view shows it; `current` is the stage it is at now."""

    escalation_id: int
    child_id: int
    kind: str
    raised_on: dt.date
    concern: str
    themes: tuple[str, ...]
    stages: tuple[StageView, ...]
    cafcass_referred_on: dt.date | None
    outcome: str
    outcome_on: dt.date | None
    midway_review_id: int | None

    @property
    def current(self) -> StageView | None:
        return self.stages[-1] if self.stages else None

    @property
    def highest_stage(self) -> str:
        return max((s.stage for s in self.stages), key=STAGE_ORDER.__getitem__, default="")

    @property
    def closed(self) -> bool:
        return bool(self.outcome)

    @property
    def waiting_for_response(self) -> bool:
        """Open, an escalation (not good practice), and the current stage has had no response."""
        current = self.current
        return (
            not self.closed
            and self.kind == ESCALATION
            and current is not None
            and current.response_received_on is None
        )

    @property
    def response_due(self) -> dt.date | None:
        return self.current.response_due_on if self.waiting_for_response and self.current else None

    def next_stages(self) -> list[tuple[str, str]]:
        """The rungs it can move up to (any higher rung: a rung may be skipped)."""
        rank = STAGE_ORDER.get(self.current.stage, -1) if self.current else -1
        return [(k, v) for k, v in STAGES if STAGE_ORDER[k] > rank]


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def response_due_on(session: Session, started_on: dt.date) -> dt.date:
    """A stage's response is due `escalation_response_days` working days after it started."""
    return add_working_days(started_on, int(settings.get(session, "escalation_response_days")))


def theme_choices(session: Session) -> list[str]:
    return list(settings.get(session, "escalation_themes"))


def _escalation(session: Session, escalation_id: int) -> Escalation:
    row = session.get(Escalation, escalation_id)
    if row is None:
        raise LookupError(f"no escalation with id {escalation_id}")
    return row


def check_escalation(
    session: Session,
    child_id: int,
    data: EscalationInput,
    today: dt.date,
    escalation: Escalation | None = None,
) -> Problems:
    problems = Problems()
    if session.get(Child, child_id) is None:
        raise LookupError(f"no child with id {child_id}")
    if data.kind not in _KIND_KEYS:
        problems.add("kind", "Choose an alert or escalation, or a good-practice alert.")
    if data.raised_on is None:
        problems.add("raised_on", "Give the date it was raised.")
    elif data.raised_on > today:
        problems.add("raised_on", f"{_fmt(data.raised_on)} is in the future.")
    if not data.concern.strip():
        problems.add(
            "concern",
            "Describe the concern."
            if data.kind != GOOD_PRACTICE
            else "Describe the good practice.",
        )
    if data.kind == ESCALATION and not data.themes:
        problems.add("themes", "Choose at least one theme.")
    known = set(theme_choices(session)) | set(escalation.themes if escalation else [])
    unknown = [t for t in data.themes if t not in known]
    if unknown:
        problems.add("themes", "Not in the list of themes: " + ", ".join(unknown) + ".")
    if data.stage not in STAGE_ORDER:
        problems.add("stage", "Choose the stage it is raised at.")
    if data.midway_review_id is not None:
        midway = session.get(MidwayReview, data.midway_review_id)
        if midway is None or midway.child_id != child_id:
            problems.add("midway_review_id", "That midway review is not this child's.")
    if escalation is not None and data.raised_on is not None:
        later = [s.started_on for s in escalation.stages[1:]]
        later += [s.response_received_on for s in escalation.stages]
        later += [escalation.cafcass_referred_on, escalation.outcome_on]
        if any(day is not None and day < data.raised_on for day in later):
            problems.add(
                "raised_on",
                "A later stage, response, referral or outcome is dated before "
                f"{_fmt(data.raised_on)}.",
            )
    return problems


def raise_escalation(
    session: Session, child_id: int, data: EscalationInput, *, today: dt.date | None = None
) -> int:
    """Record a new alert or escalation at its first stage (which starts on the raised date, with
    a response due `escalation_response_days` working days later); returns its id."""
    today = today or dt.date.today()
    check_escalation(session, child_id, data, today).raise_if_any()
    assert data.raised_on is not None
    escalation = Escalation(
        child_id=child_id,
        kind=data.kind,
        raised_on=data.raised_on,
        concern=data.concern.strip(),
        themes=list(dict.fromkeys(data.themes)),
        midway_review_id=data.midway_review_id,
    )
    escalation.stages.append(
        EscalationStage(
            position=0,
            stage=data.stage,
            started_on=data.raised_on,
            response_due_on=response_due_on(session, data.raised_on),
        )
    )
    owner = session.get(Child, child_id)  # held: the list belongs to it
    assert owner is not None
    owner.escalations.append(escalation)
    session.flush()
    return escalation.id


def edit_escalation(
    session: Session, escalation_id: int, data: EscalationInput, *, today: dt.date | None = None
) -> None:
    """Correct the raised date, concern, themes or kind (the stages are changed by their own calls;
    `data.stage` is ignored)."""
    today = today or dt.date.today()
    escalation = _escalation(session, escalation_id)
    data_for_check = EscalationInput(
        kind=data.kind,
        raised_on=data.raised_on,
        concern=data.concern,
        themes=data.themes,
        stage=escalation.stages[0].stage,
        midway_review_id=data.midway_review_id,
    )
    check_escalation(session, escalation.child_id, data_for_check, today, escalation).raise_if_any()
    assert data.raised_on is not None
    escalation.kind, escalation.concern = data.kind, data.concern.strip()
    escalation.themes = list(dict.fromkeys(data.themes))
    escalation.midway_review_id = data.midway_review_id
    if escalation.raised_on != data.raised_on:
        escalation.raised_on = data.raised_on
        first = escalation.stages[0]
        first.started_on = data.raised_on
        first.response_due_on = response_due_on(session, data.raised_on)
    session.flush()


def _open_current(
    escalation: Escalation, problems: Problems, field_name: str
) -> EscalationStage | None:
    if escalation.outcome:
        problems.add(
            field_name,
            f"This was closed on {_fmt(escalation.outcome_on)}."
            if escalation.outcome_on
            else "This is closed.",
        )
    return escalation.stages[-1] if escalation.stages else None


def record_response(
    session: Session,
    escalation_id: int,
    received_on: dt.date | None,
    text: str,
    *,
    today: dt.date | None = None,
) -> None:
    """The response to the current stage (recording again corrects it). Field keys on error:
    `received_on`, `text`."""
    today = today or dt.date.today()
    escalation = _escalation(session, escalation_id)
    problems = Problems()
    current = _open_current(escalation, problems, "received_on")
    if received_on is None:
        problems.add("received_on", "Give the date the response came.")
    elif received_on < escalation.raised_on:
        problems.add(
            "received_on",
            f"{_fmt(received_on)} is before it was raised ({_fmt(escalation.raised_on)}).",
        )
    elif current is not None and received_on < current.started_on:
        problems.add(
            "received_on",
            f"{_fmt(received_on)} is before this stage started ({_fmt(current.started_on)}).",
        )
    elif received_on > today:
        problems.add("received_on", f"{_fmt(received_on)} is in the future.")
    if not text.strip():
        problems.add("text", "Note what the response said.")
    problems.raise_if_any()
    assert current is not None
    current.response_received_on = received_on
    current.response = text.strip()
    session.flush()


def move_up(
    session: Session,
    escalation_id: int,
    stage: str,
    started_on: dt.date | None,
    *,
    today: dt.date | None = None,
) -> None:
    """Take it to a higher rung from `started_on` (a new response is due from then). Moving down or
    staying level is refused. Field keys on error: `stage`, `started_on`."""
    today = today or dt.date.today()
    escalation = _escalation(session, escalation_id)
    problems = Problems()
    current = _open_current(escalation, problems, "stage")
    if escalation.kind == GOOD_PRACTICE:
        problems.add("stage", "A good-practice alert does not go up the ladder.")
    if stage not in STAGE_ORDER:
        problems.add("stage", "Choose a stage.")
    elif current is not None and STAGE_ORDER[stage] <= STAGE_ORDER[current.stage]:
        problems.add(
            "stage",
            f'It is already at "{dict(STAGES)[current.stage]}": it can only move up the ladder.',
        )
    if started_on is None:
        problems.add("started_on", "Give the date this stage started.")
    elif current is not None and started_on < current.started_on:
        problems.add(
            "started_on",
            f"{_fmt(started_on)} is before the current stage started ({_fmt(current.started_on)}).",
        )
    elif started_on > today:
        problems.add("started_on", f"{_fmt(started_on)} is in the future.")
    problems.raise_if_any()
    assert started_on is not None
    escalation.stages.append(
        EscalationStage(
            position=len(escalation.stages),
            stage=stage,
            started_on=started_on,
            response_due_on=response_due_on(session, started_on),
        )
    )
    session.flush()


def refer_to_cafcass(
    session: Session, escalation_id: int, on: dt.date | None, *, today: dt.date | None = None
) -> None:
    """Record a referral to Cafcass (possible at any stage). Field key on error: `on`."""
    today = today or dt.date.today()
    escalation = _escalation(session, escalation_id)
    problems = Problems()
    _open_current(escalation, problems, "on")
    if escalation.kind == GOOD_PRACTICE:
        problems.add("on", "A good-practice alert is not referred to Cafcass.")
    if escalation.cafcass_referred_on is not None:
        problems.add(
            "on", f"Already referred to Cafcass on {_fmt(escalation.cafcass_referred_on)}."
        )
    if on is None:
        problems.add("on", "Give the date of the referral.")
    elif on < escalation.raised_on:
        problems.add("on", f"{_fmt(on)} is before it was raised ({_fmt(escalation.raised_on)}).")
    elif on > today:
        problems.add("on", f"{_fmt(on)} is in the future.")
    problems.raise_if_any()
    escalation.cafcass_referred_on = on
    session.flush()


def close_escalation(
    session: Session,
    escalation_id: int,
    outcome: str,
    on: dt.date | None,
    *,
    today: dt.date | None = None,
) -> None:
    """Close it as resolved, partly resolved or not resolved.

    Field keys on error: `outcome`, `on`."""
    today = today or dt.date.today()
    escalation = _escalation(session, escalation_id)
    problems = Problems()
    if escalation.outcome:
        problems.add(
            "outcome",
            f"Already closed ({dict(OUTCOMES).get(escalation.outcome, escalation.outcome)}"
            + (f", {_fmt(escalation.outcome_on)})." if escalation.outcome_on else ")."),
        )
    if outcome not in _OUTCOME_KEYS:
        problems.add("outcome", "Choose resolved, partly resolved or not resolved.")
    latest = max([escalation.raised_on] + [s.started_on for s in escalation.stages])
    if on is None:
        problems.add("on", "Give the date it was closed.")
    elif on < latest:
        problems.add("on", f"{_fmt(on)} is before the last stage started ({_fmt(latest)}).")
    elif on > today:
        problems.add("on", f"{_fmt(on)} is in the future.")
    problems.raise_if_any()
    escalation.outcome, escalation.outcome_on = outcome, on
    session.flush()


def reopen_escalation(session: Session, escalation_id: int) -> None:
    """Undo a closing recorded by mistake."""
    escalation = _escalation(session, escalation_id)
    escalation.outcome, escalation.outcome_on = "", None
    session.flush()


def delete_escalation(session: Session, escalation_id: int) -> None:
    session.delete(_escalation(session, escalation_id))
    session.flush()


def view(escalation: Escalation) -> EscalationView:
    labels = dict(STAGES)
    return EscalationView(
        escalation_id=escalation.id,
        child_id=escalation.child_id,
        kind=escalation.kind,
        raised_on=escalation.raised_on,
        concern=escalation.concern,
        themes=tuple(escalation.themes or ()),
        stages=tuple(
            StageView(
                stage_id=s.id,
                stage=s.stage,
                label=labels.get(s.stage, s.stage),
                started_on=s.started_on,
                response_due_on=s.response_due_on,
                response_received_on=s.response_received_on,
                response=s.response,
            )
            for s in escalation.stages
        ),
        cafcass_referred_on=escalation.cafcass_referred_on,
        outcome=escalation.outcome,
        outcome_on=escalation.outcome_on,
        midway_review_id=escalation.midway_review_id,
    )


def load_escalation(session: Session, escalation_id: int) -> EscalationView:
    return view(_escalation(session, escalation_id))


def list_escalations(session: Session, child_id: int) -> list[EscalationView]:
    """The child's alerts and escalations, newest first."""
    rows = session.scalars(
        select(Escalation)
        .where(Escalation.child_id == child_id)
        .order_by(Escalation.raised_on.desc(), Escalation.id.desc())
    ).all()
    return [view(r) for r in rows]


__all__ = [
    "ESCALATION",
    "ESCALATION_KINDS",
    "FORMAL_STAGES",
    "GOOD_PRACTICE",
    "INFORMAL_STAGES",
    "OUTCOMES",
    "STAGES",
    "STAGE_ORDER",
    "EscalationInput",
    "EscalationView",
    "StageView",
    "ValidationError",
    "close_escalation",
    "delete_escalation",
    "edit_escalation",
    "list_escalations",
    "load_escalation",
    "move_up",
    "raise_escalation",
    "record_response",
    "refer_to_cafcass",
    "reopen_escalation",
    "response_due_on",
    "theme_choices",
]
