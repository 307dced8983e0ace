"""The IRO manager's annual report: the tables the seeds' annual reports contain, as a
JSON-ready dict.

Review, participation, escalation, record and letter figures come from `reports.figures.iro_figures`
(the same keys and definitions as each IRO's `stats`), over the whole service database and, under
`by_iro`, over the children each IRO sent (their allocation). Children looked after are counted from
the episodes the database holds. Definitions:

- *looked after in the period*: an episode open at some time in it; *at the end*: open on `end`;
- *started*: a period of care began in it (an episode with RNE S); *ceased*: an episode ended in it
  with a reason other than X1 (care continuing);
- age bands (DfE): under 1, 1-4, 5-9, 10-15, 16 and over, at the end of the period (or the day
  care ceased); legal status and placement from the episode open at the end;
- participation by age: reviews of children aged 4 and over on the review date, and how many took
  part (PN1, PN2, PN3, PN5, PN6), by age in years and by band; a draft saved before the IRO chose
  its code is left out of these (it is not known whether the child took part) and counted as
  `not_recorded`;
- caseload: children each IRO held at the end of the period (the service's current allocation, as
  of each IRO's latest export), against the IRO Handbook's 50-70;
- decisions circulated, records completed and letters sent on time are shares of the reviews whose
  deadline had come by the report date (`today`, the day the report is made) or that were done:
  one still within its deadline and not done is *pending* (`decisions_pending`, `records_pending`,
  `letters_pending`), counted apart and left out of the share, as in each IRO's `stats`. A year
  whose deadlines have all passed (one fully in the past) has nothing pending.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iro_desktop.db.models import (
    CaseNoteTally,
    Child,
    ChildAllocation,
    Episode,
    ImportLog,
    MidwayReview,
    Review,
    TrustedIro,
)
from iro_desktop.interchange import codes903
from iro_desktop.reports import figures as iro_figures_module
from iro_desktop.reports.figures import ON_TIME_OUT_OF, iro_figures
from iro_desktop.rules.participation import PARTICIPATED, PARTICIPATION_CODES, age_on

SCHEMA = "iro-desktop-annual-report/1"
AGE_BANDS = ("under 1", "1-4", "5-9", "10-15", "16 and over")
PARTICIPATION_BANDS = ("4-9", "10-15", "16 and over")
CASELOAD_GUIDANCE = (50, 70)


def age_band(age: int) -> str:
    if age < 1:
        return "under 1"
    if age <= 4:
        return "1-4"
    if age <= 9:
        return "5-9"
    if age <= 15:
        return "10-15"
    return "16 and over"


def participation_band(age: int) -> str:
    return "4-9" if age <= 9 else "10-15" if age <= 15 else "16 and over"


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day.strftime("%Y-%m"))
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _table(
    counter: Counter[str],
    labels: dict[str, str] | None = None,
    order: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    total = sum(counter.values())
    keys = list(order) if order else sorted(counter)
    keys += [k for k in sorted(counter) if k not in keys]
    return [
        {
            "code": k,
            "label": (labels or {}).get(k, k),
            "children": counter.get(k, 0),
            "percent": _pct(counter.get(k, 0), total),
        }
        for k in keys
    ]


class _Rows:
    """The rows every section needs, read once and filtered per IRO in memory."""

    def __init__(self, session: Session, start: dt.date, end: dt.date) -> None:
        self.episodes = session.execute(
            select(Episode, Child.date_of_birth, Child.sex, Child.ethnicity)
            .join(Child, Child.id == Episode.child_id)
            .where(Episode.start <= end)
        ).all()
        self.reviews = session.execute(
            select(
                Review.child_id,
                Review.review_date,
                Review.participation_code,
                Review.advocacy,
                Review.consultation_child,
                Review.seen_alone,
                Child.date_of_birth,
            )
            .join(Child, Child.id == Review.child_id)
            .where(Review.review_date >= start, Review.review_date <= end)
        ).all()
        self.midways = session.execute(
            select(MidwayReview.child_id, MidwayReview.held_on).where(
                MidwayReview.held_on >= start, MidwayReview.held_on <= end
            )
        ).all()


def children_looked_after(
    session: Session,
    start: dt.date,
    end: dt.date,
    child_ids: set[int] | None = None,
    rows: _Rows | None = None,
) -> dict[str, Any]:
    rows = rows or _Rows(session, start, end)
    by_child: dict[int, list[Any]] = defaultdict(list)
    facts: dict[int, tuple[dt.date, str, str]] = {}
    for episode, dob, sex, ethnicity in rows.episodes:
        if child_ids is not None and episode.child_id not in child_ids:
            continue
        by_child[episode.child_id].append(episode)
        facts[episode.child_id] = (dob, sex, ethnicity)
    in_period: set[int] = set()
    at_end: dict[int, Any] = {}
    started: set[int] = set()
    ceased: dict[int, dt.date] = {}
    for child_id, episodes in by_child.items():
        for e in episodes:
            if e.end is None or e.end >= start:
                in_period.add(child_id)
            if e.end is None or e.end > end:
                at_end[child_id] = e
            if e.reason_new_episode == "S" and start <= e.start <= end:
                started.add(child_id)
            if e.end is not None and start <= e.end <= end and e.reason_ended not in ("", "X1"):
                ceased[child_id] = max(e.end, ceased.get(child_id, e.end))
    bands: Counter[str] = Counter()
    sexes: Counter[str] = Counter()
    ethnic: Counter[str] = Counter()
    legal: Counter[str] = Counter()
    place: Counter[str] = Counter()
    for child_id, episode in at_end.items():
        dob, sex, ethnicity = facts[child_id]
        bands[age_band(age_on(dob, end))] += 1
        sexes[sex] += 1
        ethnic[ethnicity or "NOBT"] += 1
        legal[episode.legal_status] += 1
        place[episode.placement] += 1
    started_bands = Counter(age_band(age_on(facts[c][0], end)) for c in started)
    ceased_bands = Counter(age_band(age_on(facts[c][0], day)) for c, day in ceased.items())
    return {
        "children_looked_after_in_period": len(in_period),
        "children_looked_after_at_end": len(at_end),
        "children_started": len(started),
        "children_ceased": len(ceased),
        "by_age_band": _table(bands, order=AGE_BANDS),
        "started_by_age_band": _table(started_bands, order=AGE_BANDS),
        "ceased_by_age_band": _table(ceased_bands, order=AGE_BANDS),
        "by_sex": _table(sexes, codes903.SEX, ("F", "M", "U")),
        "by_ethnicity": _table(ethnic, codes903.ETHNICITY),
        "by_legal_status": _table(legal, codes903.LEGAL_STATUS),
        "by_placement": _table(place, codes903.PLACEMENT),
    }


def _review_extras(rows: _Rows, child_ids: set[int] | None) -> dict[str, Any]:
    # [reviews with a code, took part, no code yet] by age and by band
    by_age: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_band: dict[str, list[int]] = {b: [0, 0, 0] for b in PARTICIPATION_BANDS}
    advocacy = consultation = seen_alone = 0
    seen_children: set[int] = set()
    for child_id, day, code, adv, consulted, alone, dob in rows.reviews:
        if child_ids is not None and child_id not in child_ids:
            continue
        age = age_on(dob, day)
        if age >= 4:
            band = by_band[participation_band(age)]
            if code not in PARTICIPATION_CODES:  # a draft with no code: not "did not take part"
                by_age[age][2] += 1
                band[2] += 1
            else:
                took_part = code in PARTICIPATED
                by_age[age][0] += 1
                by_age[age][1] += took_part
                band[0] += 1
                band[1] += took_part
        advocacy += adv == "referred"
        consultation += consulted is True
        if alone:
            seen_alone += 1
            seen_children.add(child_id)
    aged4 = sum(v[0] for v in by_band.values())
    took = sum(v[1] for v in by_band.values())
    return {
        # `reviews` are those with a participation code (the share's "out of"); `not_recorded`
        # the drafts without one yet, left out of the share.
        "participation_aged_4_plus": {
            "reviews": aged4,
            "participated": took,
            "percent": _pct(took, aged4),
            "not_recorded": sum(v[2] for v in by_band.values()),
        },
        "participation_by_age": [
            {"age": age, "reviews": v[0], "participated": v[1], "percent": _pct(v[1], v[0]),
             "not_recorded": v[2]}
            for age, v in sorted(by_age.items())
        ],
        "participation_by_age_band": [
            {"band": b, "reviews": v[0], "participated": v[1], "percent": _pct(v[1], v[0]),
             "not_recorded": v[2]}
            for b, v in by_band.items()
        ],
        "advocacy_referrals": advocacy,
        "consultation_returned_by_child": consultation,
        "reviews_child_seen_alone": seen_alone,
        "children_seen_alone_at_review": len(seen_children),
    }


def _midway_by_month(
    rows: _Rows, start: dt.date, end: dt.date, child_ids: set[int] | None
) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    for child_id, day in rows.midways:
        if child_ids is None or child_id in child_ids:
            counts[day.strftime("%Y-%m")] += 1
    return [{"month": m, "midway_reviews": counts.get(m, 0)} for m in _months(start, end)]


def _percentages(f: dict[str, Any]) -> dict[str, float | None]:
    return {
        "reviews_on_time": _pct(f["reviews_on_time"], f["reviews_held"]),
        "children_all_reviews_on_time": _pct(
            f["children_all_reviews_on_time"], f["children_reviewed"]
        ),
        # Out of the reviews done or past their deadline: the pending ones are not late yet.
        **{key: _pct(f[key], f[out_of]) for key, out_of in ON_TIME_OUT_OF.items()},
        "participation": {
            code: _pct(n, f["reviews_held"]) for code, n in f["participation"].items()
        },
        "participation_not_recorded": _pct(f["participation_not_recorded"], f["reviews_held"]),
    }


def _section(
    session: Session,
    start: dt.date,
    end: dt.date,
    child_ids: set[int] | None,
    rows: _Rows,
    *,
    today: dt.date,
) -> dict[str, Any]:
    figures = (
        iro_figures(session, start, end, child_ids=child_ids, today=today)
        if child_ids is not None
        else iro_figures(session, start, end, today=today)
    )
    figures["percent"] = _percentages(figures)
    figures.update(_review_extras(rows, child_ids))
    figures["midway_reviews_by_month"] = _midway_by_month(rows, start, end, child_ids)
    figures["children"] = children_looked_after(session, start, end, child_ids, rows)
    return figures


def annual_report(
    session: Session, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> dict[str, Any]:
    """The whole service's report for `start`..`end`, with each IRO's own figures under `by_iro`.

    `today` (the report date, today by default) decides which local deadlines are still to come."""
    if end < start:
        raise ValueError("the period ends before it starts")
    today = today if today is not None else iro_figures_module.current_date()
    report = {
        "schema": SCHEMA,
        "generated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat(),
    }
    rows = _Rows(session, start, end)
    report.update(_section(session, start, end, None, rows, today=today))
    allocated: dict[int, set[int]] = defaultdict(set)
    for child_id, iro_id in session.execute(
        select(ChildAllocation.child_id, ChildAllocation.trusted_iro_id)
    ):
        allocated[iro_id].add(child_id)
    at_end_ids = _looked_after_at_end(session, end)
    holding: Counter[int] = Counter()
    for child_id, iro_id in session.execute(
        select(Child.id, Child.current_iro_id).where(Child.current_iro_id.is_not(None))
    ):
        if child_id in at_end_ids:
            holding[iro_id] += 1
    notes = dict(
        session.execute(
            select(CaseNoteTally.trusted_iro_id, func.sum(CaseNoteTally.notes))
            .where(CaseNoteTally.month >= start.replace(day=1), CaseNoteTally.month <= end)
            .group_by(CaseNoteTally.trusted_iro_id)
        ).all()
    )
    by_iro = []
    low, high = CASELOAD_GUIDANCE
    for iro in session.scalars(select(TrustedIro).order_by(TrustedIro.name)):
        last = session.scalar(
            select(func.max(ImportLog.exported_at)).where(ImportLog.trusted_iro_id == iro.id)
        )
        ids = allocated.get(iro.id, set())
        caseload = holding.get(iro.id, 0)
        entry = {
            "iro": iro.name,
            "fingerprint": iro.fingerprint,
            "last_export_at": last.isoformat() if last else None,
            "caseload_at_end": caseload,
            "caseload_guidance": "below"
            if caseload < low
            else "above"
            if caseload > high
            else "within",
            "case_notes": int(notes.get(iro.id, 0) or 0),
        }
        entry.update(_section(session, start, end, ids, rows, today=today))
        by_iro.append(entry)
    caseloads = [e["caseload_at_end"] for e in by_iro]
    report["caseloads"] = {
        "guidance": {"from": low, "to": high},
        "per_iro": [
            {
                "iro": e["iro"],
                "children": e["caseload_at_end"],
                "against_guidance": e["caseload_guidance"],
            }
            for e in by_iro
        ],
        "average": round(sum(caseloads) / len(caseloads), 1) if caseloads else None,
        "unallocated_at_end": len(at_end_ids) - sum(holding.values()),
    }
    report["case_notes"] = int(sum(notes.values()) or 0)
    report["by_iro"] = by_iro
    return report


def _looked_after_at_end(session: Session, end: dt.date) -> set[int]:
    return set(
        session.scalars(
            select(Episode.child_id).where(
                Episode.start <= end, (Episode.end.is_(None)) | (Episode.end > end)
            )
        )
    )
