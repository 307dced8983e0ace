"""Add, edit and close a child, record a move or a new period of care: Qt-free use cases."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iro_desktop.caseload.validation import Problems, ValidationError
from iro_desktop.db.models import Child, Episode, SiblingGroup
from iro_desktop.interchange import codes903
from iro_desktop.rules.participation import age_on
from iro_desktop.rules.reviews import CONTINUING_REC

CHILD_REF_RE = re.compile(r"^[A-Za-z0-9]{1,10}$")
UPN_RE = re.compile(r"^([A-Z][0-9]{11}[0-9A-Z]|UN[1-5])$")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_MAX = 80
LEAVING_AGE = 18


def _choices(table: dict[str, str], *, leave_out: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(code, codes903.label(table, code)) for code in table if code not in leave_out]


# (code, label) lists for the forms' combo boxes; labels read "C2 Full care order".
CHOICES: dict[str, list[tuple[str, str]]] = {
    "sex": [(code, text) for code, text in codes903.SEX.items()],
    "ethnicity": _choices(codes903.ETHNICITY),
    "legal_status": _choices(codes903.LEGAL_STATUS),
    "placement": _choices(codes903.PLACEMENT),
    "placement_provider": _choices(codes903.PLACE_PROVIDER),
    "cin": _choices(codes903.CIN),
    "reason_new_episode": _choices(codes903.REASON_NEW_EPISODE),
    # Closing a child ends care: X1 (a new episode the same day) is not a reason to leave.
    "reason_ended": _choices(codes903.REASON_ENDED, leave_out=(CONTINUING_REC,)),
    "reason_place_change": _choices(codes903.REASON_PLACE_CHANGE),
}


@dataclass
class ChildInput:
    """What the child form holds. The episode fields are used when a child is added (the first
    episode) and shown from the current episode on edit; moves go through
    `record_placement_change`, so `update_child` leaves episodes alone."""

    child_ref: str = ""  # the council's 903 CHILD identifier
    first_name: str = ""
    last_name: str = ""
    preferred_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str = "U"
    ethnicity: str = ""
    upn: str = ""
    uasc: bool = False
    interests: str = ""
    communication_needs: str = ""
    language: str = "English"
    interpreter_needed: bool = False
    social_worker_name: str = ""
    social_worker_team: str = ""
    social_worker_phone: str = ""
    social_worker_email: str = ""
    carer_name: str = ""
    carer_phone: str = ""
    # Brothers and sisters: the ids of the other children in the group (the group becomes exactly
    # this child and these), and/or the group's name (joins a group of that name, or starts one).
    siblings: list[int] = field(default_factory=list)
    sibling_group_name: str = ""
    # The first episode, for a new child.
    looked_after_since: dt.date | None = None
    legal_status: str = ""
    placement: str = ""
    placement_postcode: str = ""
    home_postcode: str = ""
    placement_provider: str = ""
    cin: str = ""


_CHILD_COLUMNS = (
    "child_ref",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "upn",
    "uasc",
    "interests",
    "communication_needs",
    "language",
    "interpreter_needed",
    "social_worker_name",
    "social_worker_team",
    "social_worker_phone",
    "social_worker_email",
    "carer_name",
    "carer_phone",
)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def normalise(data: ChildInput) -> ChildInput:
    """Trim spaces; codes, UPNs and postcodes in capitals (a copy: the input is untouched)."""
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip()
    for key in (
        "child_ref",
        "sex",
        "ethnicity",
        "upn",
        "legal_status",
        "placement",
        "placement_postcode",
        "home_postcode",
        "placement_provider",
        "cin",
    ):
        values[key] = values[key].upper()
    for key in ("placement_postcode", "home_postcode"):
        values[key] = _tidy_postcode(values[key])
    values["siblings"] = list(dict.fromkeys(data.siblings))
    return ChildInput(**values)


def _tidy_postcode(text: str) -> str:
    """'zz11zz' -> 'ZZ1 1ZZ': the inward code is always the last three characters."""
    compact = text.replace(" ", "").upper()
    if len(compact) >= 5:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def _check_code(
    problems: Problems, key: str, value: str, table: dict[str, str], what: str, *, required: bool
) -> None:
    if not value:
        if required:
            problems.add(key, f"Choose the {what}.")
    elif value not in table:
        problems.add(key, f"{value!r} is not a {what} code.")


def _check_postcode(problems: Problems, key: str, value: str) -> None:
    if value and not POSTCODE_RE.match(value):
        problems.add(key, f"{value!r} does not look like a UK postcode (for example ZZ1 1ZZ).")


def _check_child_fields(
    session: Session, data: ChildInput, problems: Problems, *, child_id: int | None, today: dt.date
) -> None:
    if not data.child_ref:
        problems.add("child_ref", "Give the council's identifier for the child (903 CHILD).")
    elif not CHILD_REF_RE.match(data.child_ref):
        problems.add("child_ref", "The child identifier is 1 to 10 letters or digits, no spaces.")
    else:
        clash = session.scalar(
            select(Child.id).where(
                func.upper(Child.child_ref) == data.child_ref, Child.id != (child_id or 0)
            )
        )
        if clash is not None:
            problems.add("child_ref", f"Another child already has the identifier {data.child_ref}.")
    if not data.first_name:
        problems.add("first_name", "Give the child's first name.")
    if not data.last_name:
        problems.add("last_name", "Give the child's last name.")
    for key in ("first_name", "last_name", "preferred_name"):
        if len(getattr(data, key)) > NAME_MAX:
            problems.add(key, f"A name can be at most {NAME_MAX} characters.")
    if data.date_of_birth is None:
        problems.add("date_of_birth", "Give the child's date of birth.")
    elif data.date_of_birth > today:
        problems.add("date_of_birth", "Date of birth cannot be in the future.")
    elif (today - data.date_of_birth).days > 30 * 366:
        problems.add(
            "date_of_birth", "That date of birth is more than 30 years ago: check the year."
        )
    if data.sex not in codes903.SEX:
        problems.add("sex", "Sex is M (male), F (female) or U (unknown).")
    _check_code(
        problems, "ethnicity", data.ethnicity, codes903.ETHNICITY, "903 ethnicity", required=False
    )
    if data.upn and not UPN_RE.match(data.upn):
        problems.add(
            "upn", "A UPN is 13 characters: a letter then 12 digits (the last may be a letter)."
        )
    for key in ("social_worker_phone", "carer_phone"):
        value = getattr(data, key)
        if value and not PHONE_RE.match(value):
            problems.add(
                key, "A phone number is digits and spaces (7 to 20), for example 01632 960123."
            )
    if data.social_worker_email and not EMAIL_RE.match(data.social_worker_email):
        problems.add(
            "social_worker_email", "That email address is not complete (name@council.gov.uk)."
        )
    for index, sibling_id in enumerate(data.siblings):
        if sibling_id == child_id:
            problems.add(f"siblings[{index}]", "A child cannot be their own brother or sister.")
        elif session.get(Child, sibling_id) is None:
            problems.add(f"siblings[{index}]", "That brother or sister is not on the caseload.")
    if len(data.sibling_group_name) > 120:
        problems.add("sibling_group_name", "The group's name can be at most 120 characters.")


def _check_start(
    problems: Problems,
    key: str,
    *,
    start: dt.date | None,
    dob: dt.date | None,
    today: dt.date,
    what: str,
) -> None:
    if start is None:
        problems.add(key, f"Give the date {what}.")
        return
    if start > today:
        problems.add(key, f"The date {what} cannot be in the future.")
    elif dob is not None and start < dob:
        problems.add(key, f"The date {what} is before the child's date of birth.")
    elif dob is not None and age_on(dob, start) >= LEAVING_AGE:
        problems.add(key, "A child in care must be under 18 on the day they became looked after.")


def _check_first_episode(data: ChildInput, problems: Problems, today: dt.date) -> None:
    _check_start(
        problems,
        "looked_after_since",
        start=data.looked_after_since,
        dob=data.date_of_birth,
        today=today,
        what="the child became looked after",
    )
    _check_code(
        problems,
        "legal_status",
        data.legal_status,
        codes903.LEGAL_STATUS,
        "legal status",
        required=True,
    )
    _check_code(
        problems, "placement", data.placement, codes903.PLACEMENT, "placement type", required=True
    )
    _check_code(
        problems,
        "placement_provider",
        data.placement_provider,
        codes903.PLACE_PROVIDER,
        "placement provider",
        required=False,
    )
    _check_code(problems, "cin", data.cin, codes903.CIN, "category of need", required=False)
    _check_postcode(problems, "placement_postcode", data.placement_postcode)
    _check_postcode(problems, "home_postcode", data.home_postcode)


def _apply(child: Child, data: ChildInput) -> None:
    for key in _CHILD_COLUMNS:
        setattr(child, key, getattr(data, key))


def _set_siblings(session: Session, child: Child, data: ChildInput) -> None:
    """Make the child's sibling group exactly the child and `data.siblings` (see ChildInput)."""
    old_group = child.sibling_group
    members = [child] + [session.get_one(Child, i) for i in data.siblings]
    touched = {m.sibling_group for m in members if m.sibling_group is not None}
    group: SiblingGroup | None = None
    if data.siblings:
        group = old_group or next((m.sibling_group for m in members if m.sibling_group), None)
    elif data.sibling_group_name:
        group = session.scalars(
            select(SiblingGroup).where(
                func.lower(SiblingGroup.name) == data.sibling_group_name.lower()
            )
        ).first()
    if group is None and (data.siblings or data.sibling_group_name):
        group = SiblingGroup(
            name=data.sibling_group_name or f"{data.last_name} brothers and sisters"
        )
        session.add(group)
    if group is not None and data.sibling_group_name:
        group.name = data.sibling_group_name
    if group is not None and data.siblings:
        for former in list(group.children):
            if former not in members:
                former.sibling_group = None
    for member in members if data.siblings else [child]:
        member.sibling_group = group
    session.flush()
    # A group of one left behind (or emptied) is no group at all.
    for candidate in sorted(touched | ({group} if group else set()), key=lambda g: g.id or 0):
        remaining = list(candidate.children)
        if not remaining:
            session.delete(candidate)
        elif len(remaining) == 1 and candidate is not group:
            remaining[0].sibling_group = None
            session.delete(candidate)
    session.flush()


def add_child(session: Session, data: ChildInput, *, today: dt.date | None = None) -> int:
    """Add a child in care with their first episode (RNE S); returns the new child's id."""
    today = _today(today)
    data = normalise(data)
    problems = Problems()
    _check_child_fields(session, data, problems, child_id=None, today=today)
    _check_first_episode(data, problems, today)
    problems.raise_if_any()
    assert data.looked_after_since is not None and data.date_of_birth is not None
    child = Child(child_ref=data.child_ref, date_of_birth=data.date_of_birth)
    _apply(child, data)
    child.episodes.append(
        Episode(
            start=data.looked_after_since,
            reason_new_episode="S",
            legal_status=data.legal_status,
            placement=data.placement,
            placement_postcode=data.placement_postcode,
            home_postcode=data.home_postcode,
            placement_provider=data.placement_provider,
            cin=data.cin,
        )
    )
    session.add(child)
    session.flush()
    _set_siblings(session, child, data)
    return child.id


def _child_or_error(session: Session, child_id: int) -> Child:
    child = session.get(Child, child_id)
    if child is None:
        raise ValidationError({"child_id": "This child is no longer on the caseload."})
    return child


def update_child(
    session: Session, child_id: int, data: ChildInput, *, today: dt.date | None = None
) -> None:
    """Save the form's changes to a child's details and sibling group (episodes are untouched)."""
    today = _today(today)
    child = _child_or_error(session, child_id)
    data = normalise(data)
    problems = Problems()
    _check_child_fields(session, data, problems, child_id=child_id, today=today)
    if data.date_of_birth is not None and child.episodes:
        first_start = min(e.start for e in child.episodes)
        if data.date_of_birth > first_start:
            problems.add(
                "date_of_birth",
                f"The child came into care on {_fmt(first_start)}, before this date of birth.",
            )
    problems.raise_if_any()
    _apply(child, data)
    session.flush()
    _set_siblings(session, child, data)


def load_child(session: Session, child_id: int) -> ChildInput:
    """The child as the form shows them, with the current episode's legal status and placement."""
    child = _child_or_error(session, child_id)
    values = {key: getattr(child, key) for key in _CHILD_COLUMNS}
    current = child.episodes[-1] if child.episodes else None
    period_start = _current_period_start(child)
    group = child.sibling_group
    return ChildInput(
        **values,
        siblings=sorted(c.id for c in group.children if c.id != child.id) if group else [],
        sibling_group_name=group.name if group else "",
        looked_after_since=period_start,
        legal_status=current.legal_status if current else "",
        placement=current.placement if current else "",
        placement_postcode=current.placement_postcode if current else "",
        home_postcode=current.home_postcode if current else "",
        placement_provider=current.placement_provider if current else "",
        cin=current.cin if current else "",
    )


def _current_period_start(child: Child) -> dt.date | None:
    start = None
    previous: Episode | None = None
    for episode in child.episodes:
        if (
            start is None
            or episode.reason_new_episode == "S"
            or (
                previous is not None
                and previous.end is not None
                and previous.reason_ended not in ("", CONTINUING_REC)
            )
        ):
            start = episode.start
        previous = episode
    return start


def _open_episode(child: Child) -> Episode | None:
    if not child.episodes:
        return None
    last = child.episodes[-1]
    return last if last.end is None else None


def is_looked_after(session: Session, child_id: int) -> bool:
    return _open_episode(_child_or_error(session, child_id)) is not None


def close_child(
    session: Session,
    child_id: int,
    left_on: dt.date | None,
    reason_ended: str,
    *,
    today: dt.date | None = None,
) -> None:
    """The child left care: end the open episode on `left_on` with a 903 reason (not X1)."""
    today = _today(today)
    child = _child_or_error(session, child_id)
    reason = (reason_ended or "").strip().upper()
    episode = _open_episode(child)
    problems = Problems()
    if episode is None:
        problems.add("left_on", "This child is not in care now, so there is nothing to close.")
        problems.raise_if_any()
    assert episode is not None
    if left_on is None:
        problems.add("left_on", "Give the date the child left care.")
    elif left_on > today:
        problems.add("left_on", "The date the child left care cannot be in the future.")
    elif left_on < episode.start:
        problems.add(
            "left_on",
            f"The child's current episode started on {_fmt(episode.start)}: "
            "they cannot have left care before that.",
        )
    if not reason:
        problems.add("reason_ended", "Choose why the child left care.")
    elif reason == CONTINUING_REC:
        problems.add(
            "reason_ended",
            "X1 means a new episode starts the same day: the child is "
            "still in care. Choose why they left care.",
        )
    elif reason not in codes903.REASON_ENDED:
        problems.add("reason_ended", f"{reason!r} is not a 903 reason for leaving care.")
    elif reason == "E17" and left_on is not None and age_on(child.date_of_birth, left_on) < 18:
        problems.add(
            "reason_ended",
            "E17 (staying put at 18) is for a young person who is 18 on the day care ended.",
        )
    problems.raise_if_any()
    episode.end = left_on
    episode.reason_ended = reason
    session.flush()


def reason_new_episode(
    *, legal_status_changed: bool, placement_changed: bool, carer_changed: bool
) -> str | None:
    """The 903 RNE for a change within a period of care; None when nothing changed."""
    if placement_changed:
        if carer_changed:
            return "B" if legal_status_changed else "P"
        return "U" if legal_status_changed else "T"
    if legal_status_changed:
        return "L"
    return None


def record_placement_change(
    session: Session,
    child_id: int,
    on: dt.date | None,
    *,
    placement: str | None = None,
    placement_postcode: str | None = None,
    legal_status: str | None = None,
    placement_provider: str | None = None,
    carer_changed: bool = True,
    reason_place_change: str = "",
    carer_name: str | None = None,
    carer_phone: str | None = None,
    urn: str | None = None,
    today: dt.date | None = None,
) -> int:
    """A move or a new legal status: end the open episode with X1 on `on` and start the next one
    with the RNE that says what changed. Arguments left as None keep their current value.
    Returns the new episode's id."""
    today = _today(today)
    child = _child_or_error(session, child_id)
    current = _open_episode(child)
    problems = Problems()
    if current is None:
        problems.add("on", "This child is not in care now: start a new period of care instead.")
        problems.raise_if_any()
    assert current is not None
    new_place = (placement if placement is not None else current.placement).strip().upper()
    new_postcode = (
        _tidy_postcode(placement_postcode)
        if placement_postcode is not None
        else current.placement_postcode
    )
    new_status = (
        (legal_status if legal_status is not None else current.legal_status).strip().upper()
    )
    new_provider = (
        (placement_provider if placement_provider is not None else current.placement_provider)
        .strip()
        .upper()
    )
    new_urn = (urn if urn is not None else current.urn).strip().upper()
    place_reason = reason_place_change.strip().upper()
    if on is None:
        problems.add("on", "Give the date of the change.")
    elif on > today:
        problems.add("on", "The date of the change cannot be in the future.")
    elif on <= current.start:
        problems.add(
            "on",
            f"The current episode started on {_fmt(current.start)}: a change must "
            "come after that (correct the episode instead).",
        )
    _check_code(
        problems, "placement", new_place, codes903.PLACEMENT, "placement type", required=True
    )
    _check_code(
        problems, "legal_status", new_status, codes903.LEGAL_STATUS, "legal status", required=True
    )
    _check_code(
        problems,
        "placement_provider",
        new_provider,
        codes903.PLACE_PROVIDER,
        "placement provider",
        required=False,
    )
    _check_code(
        problems,
        "reason_place_change",
        place_reason,
        codes903.REASON_PLACE_CHANGE,
        "reason for the placement change",
        required=False,
    )
    _check_postcode(problems, "placement_postcode", new_postcode)
    for key, value in (("carer_phone", carer_phone),):
        if value and not PHONE_RE.match(value.strip()):
            problems.add(key, "A phone number is digits and spaces (7 to 20).")
    placement_changed = (
        new_place != current.placement
        or new_postcode != current.placement_postcode
        or new_provider != current.placement_provider
        or new_urn != current.urn
        or (carer_changed and carer_name is not None and carer_name.strip() != child.carer_name)
    )
    rne = reason_new_episode(
        legal_status_changed=new_status != current.legal_status,
        placement_changed=placement_changed,
        carer_changed=carer_changed,
    )
    if rne is None and not problems:
        problems.add("placement", "Nothing has changed: give the new placement or legal status.")
    problems.raise_if_any()
    assert on is not None and rne is not None
    current.end = on
    current.reason_ended = CONTINUING_REC
    if placement_changed:
        current.reason_place_change = place_reason
    episode = Episode(
        start=on,
        reason_new_episode=rne,
        legal_status=new_status,
        cin=current.cin,
        placement=new_place,
        placement_provider=new_provider,
        home_postcode=current.home_postcode,
        placement_postcode=new_postcode,
        urn=new_urn,
    )
    child.episodes.append(episode)
    if carer_name is not None:
        child.carer_name = carer_name.strip()
    if carer_phone is not None:
        child.carer_phone = carer_phone.strip()
    session.flush()
    return episode.id


def start_new_period(
    session: Session,
    child_id: int,
    on: dt.date | None,
    *,
    legal_status: str,
    placement: str,
    placement_postcode: str = "",
    placement_provider: str = "",
    cin: str = "",
    home_postcode: str = "",
    today: dt.date | None = None,
) -> int:
    """The child became looked after again: a new episode with RNE S (the review cycle restarts
    at the initial review). Returns the new episode's id."""
    today = _today(today)
    child = _child_or_error(session, child_id)
    problems = Problems()
    if _open_episode(child) is not None:
        problems.add("on", "This child is still in care: record a move or close the child first.")
        problems.raise_if_any()
    status = legal_status.strip().upper()
    place = placement.strip().upper()
    provider = placement_provider.strip().upper()
    need = cin.strip().upper()
    postcode = _tidy_postcode(placement_postcode)
    home = _tidy_postcode(home_postcode)
    _check_start(problems, "on", start=on, dob=child.date_of_birth, today=today,
                 what="the child became looked after")
    last_end = max((e.end for e in child.episodes if e.end is not None), default=None)
    if on is not None and last_end is not None and on <= last_end and "on" not in problems.errors:
        problems.add(
            "on",
            f"The child's last period of care ended on {_fmt(last_end)}: a new one "
            "must start after that.",
        )
    _check_code(
        problems, "legal_status", status, codes903.LEGAL_STATUS, "legal status", required=True
    )
    _check_code(problems, "placement", place, codes903.PLACEMENT, "placement type", required=True)
    _check_code(
        problems,
        "placement_provider",
        provider,
        codes903.PLACE_PROVIDER,
        "placement provider",
        required=False,
    )
    _check_code(problems, "cin", need, codes903.CIN, "category of need", required=False)
    _check_postcode(problems, "placement_postcode", postcode)
    _check_postcode(problems, "home_postcode", home)
    problems.raise_if_any()
    assert on is not None
    episode = Episode(
        start=on,
        reason_new_episode="S",
        legal_status=status,
        cin=need,
        placement=place,
        placement_provider=provider,
        home_postcode=home,
        placement_postcode=postcode,
    )
    child.episodes.append(episode)
    session.flush()
    return episode.id


def sibling_choices(session: Session, child_id: int | None = None) -> list[tuple[int, str]]:
    """Children who could be this child's brothers and sisters: (id, "Name (CHILD)"), by name."""
    rows = session.execute(
        select(Child.id, Child.first_name, Child.preferred_name, Child.last_name, Child.child_ref)
        .where(Child.id != (child_id or 0), Child.transferred_out_on.is_(None))
        .order_by(Child.last_name, Child.first_name)
    )
    return [
        (row.id, f"{(row.preferred_name or row.first_name)} {row.last_name} ({row.child_ref})")
        for row in rows
    ]
