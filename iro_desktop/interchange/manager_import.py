"""The manager's import: check, open, validate and apply IROs' export files, each all or nothing.

Order of checks for one file (the first failure refuses it, and nothing is written):
1. the same file (SHA-256) or the same export id was applied before -> "already imported";
2. decrypt with the manager's age identity (not for this manager / damaged -> refused);
3. the signer's key is trusted and the Ed25519 signature covers exactly the payload bytes;
4. the payload parses and every field is checked (`bundle.validate_payload`); a newer schema is
   refused; the manifest names the signer and this manager;
5. apply in one transaction, then write the import log row.

Matching (so overlapping exports and repeated files add nothing twice): children by 903 CHILD id;
episodes by (child, start); reviews by (child, review date); midway reviews and escalations by the
IRO's key fingerprint and their id in the IRO's store; case-note counts by (child, IRO, month).

Rules when records differ (see docs/EXCHANGE.md):
- a child's facts and episodes come from the newest export (by its `created_at`) that holds them;
- a review is chaired by the IRO who first sent it; a newer export from that IRO supersedes it
  (reported as superseded); an older one changes nothing;
- another IRO's record of the same review with a different participation code is a conflict: the
  whole file is refused, listing the conflicts, unless the manager asks to keep the existing
  records (`keep_existing=True`), when the file applies and the conflicts are reported;
- a child another IRO now holds is followed: `child.current_iro_id` moves, `child_allocation`
  keeps the history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from iro_desktop.db.models import (
    CaseNoteTally,
    Child,
    ChildAllocation,
    Episode,
    Escalation,
    EscalationStage,
    ImportLog,
    Letter,
    MidwayReview,
    Review,
    ReviewMeeting,
    TrustedIro,
)
from iro_desktop.db.service import trusted_keys
from iro_desktop.db.store import Store
from iro_desktop.interchange.bundle import (
    MAX_FILE_BYTES,
    BundleRefused,
    open_sealed,
    validate_payload,
    verify_signature,
)
from iro_desktop.interchange.keys import KeyPair

log = logging.getLogger(__name__)

APPLIED, ALREADY, REFUSED = "applied", "already imported", "refused"

# The fields of a review the exchange carries, compared to tell a changed record from a repeat.
REVIEW_FIELDS = (
    "participation_code",
    "kind",
    "format",
    "seen_alone",
    "consultation_child",
    "consultation_parents",
    "consultation_carers",
    "advocacy",
    "independent_visitor",
    "communication_needs_met",
    "status",
    "decisions_circulated_on",
    "record_completed_on",
)


@dataclass
class FileOutcome:
    """What happened to one file; messages name children by 903 id only, never by name."""

    path: str
    status: str
    reason: str = ""
    message: str = ""
    iro: str = ""
    export_id: str = ""
    period: tuple[str, str] | None = None
    counts: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)

    def line(self) -> str:
        name = Path(self.path).name
        if self.status == APPLIED:
            c = self.counts
            extra = ""
            if self.superseded:
                extra += f"; {len(self.superseded)} review(s) superseded by this newer export"
            if self.conflicts:
                extra += f"; {len(self.conflicts)} conflict(s) kept as existing: " + ", ".join(
                    self.conflicts[:5]
                )
            return (
                f"{name}: applied ({self.iro}, {self.period[0]} to {self.period[1]}: "  # type: ignore[index]
                f"{c.get('children', 0)} children, {c.get('reviews', 0)} reviews, "
                f"{self.changes.get('reviews_added', 0)} new){extra}"
            )
        if self.status == ALREADY:
            return f"{name}: already imported ({self.message})"
        return f"{name}: refused: {self.message}"


class _Conflicts(Exception):
    def __init__(self, conflicts: list[str]) -> None:
        super().__init__("conflicts")
        self.conflicts = conflicts


class _Bulk:
    """New rows collected while a file is applied, then written with a few multi-row INSERTs
    (the ORM's unit of work costs too much per row for a 1,400-child import)."""

    def __init__(self) -> None:
        self.episodes: list[dict[str, Any]] = []
        self.reviews: list[tuple[dict[str, Any], list[dt.date], dt.date | None]] = []
        self.midways: list[
            tuple[dict[str, Any], Any]
        ] = []  # (row, Review | (child_id, date) | None)
        self.escalations: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        self.tallies: list[dict[str, Any]] = []
        self.allocations: list[dict[str, Any]] = []

    def write(self, session: Session) -> None:
        if self.episodes:
            session.execute(insert(Episode.__table__), self.episodes)
        review_ids: dict[tuple[int, dt.date], int] = {}
        if self.reviews:
            ids = session.scalars(
                insert(Review.__table__).returning(
                    Review.__table__.c.id, sort_by_parameter_order=True
                ),
                [row for row, _m, _s in self.reviews],
            ).all()
            meetings, letters = [], []
            for review_id, (row, held, sent) in zip(ids, self.reviews, strict=True):
                review_ids[(row["child_id"], row["review_date"])] = review_id
                meetings.extend({"review_id": review_id, "held_on": day} for day in held)
                if sent is not None:
                    letters.append({"review_id": review_id, "sent_on": sent, "sections": []})
            if meetings:
                session.execute(insert(ReviewMeeting.__table__), meetings)
            if letters:
                session.execute(insert(Letter.__table__), letters)
        if self.midways:
            rows = []
            for row, linked in self.midways:
                if isinstance(linked, Review):
                    row["review_id"] = linked.id
                elif isinstance(linked, tuple):
                    row["review_id"] = review_ids.get(linked)
                else:
                    row["review_id"] = None
                rows.append(row)
            session.execute(insert(MidwayReview.__table__), rows)
        if self.escalations:
            ids = session.scalars(
                insert(Escalation.__table__).returning(
                    Escalation.__table__.c.id, sort_by_parameter_order=True
                ),
                [row for row, _stages in self.escalations],
            ).all()
            stages = [
                dict(stage, escalation_id=escalation_id)
                for escalation_id, (_row, rows) in zip(ids, self.escalations, strict=True)
                for stage in rows
            ]
            if stages:
                session.execute(insert(EscalationStage.__table__), stages)
        if self.tallies:
            session.execute(insert(CaseNoteTally.__table__), self.tallies)
        if self.allocations:
            session.execute(insert(ChildAllocation.__table__), self.allocations)


def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_files(
    store: Store, paths: Iterable[Path], manager: KeyPair, *, keep_existing: bool = False
) -> list[FileOutcome]:
    """Import each file in its own transaction; a refused file changes nothing."""
    outcomes = []
    for given in paths:
        path = Path(given)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise BundleRefused("too_large", "The file is larger than any export could be.")
            data = path.read_bytes()
        except OSError as exc:
            outcomes.append(
                FileOutcome(
                    str(path),
                    REFUSED,
                    "unreadable",
                    f"cannot read the file ({exc.strerror or 'error'})",
                )
            )
            continue
        except BundleRefused as exc:
            outcomes.append(FileOutcome(str(path), REFUSED, exc.reason, str(exc)))
            continue
        outcomes.append(
            import_bytes(store, data, manager, name=str(path), keep_existing=keep_existing)
        )
    return outcomes


def import_bytes(
    store: Store,
    data: bytes,
    manager: KeyPair,
    *,
    name: str = "export",
    keep_existing: bool = False,
) -> FileOutcome:
    outcome = FileOutcome(name, REFUSED)
    try:
        with store.transaction() as session, session.no_autoflush:
            _import(session, data, manager, outcome, keep_existing)
    except BundleRefused as exc:
        outcome.status, outcome.reason, outcome.message = REFUSED, exc.reason, str(exc)
    except IntegrityError as exc:
        # Validation should make this impossible; if two records still clash, refuse the file.
        outcome.status, outcome.reason = REFUSED, "invalid"
        outcome.message = (
            "The file's records clash with each other or with the database "
            f"({type(exc.orig).__name__}); nothing was changed."
        )
    except _Conflicts as exc:
        outcome.status, outcome.reason = REFUSED, "conflict"
        outcome.conflicts = exc.conflicts
        outcome.message = (
            f"{len(exc.conflicts)} review(s) conflict with another IRO's record of the "
            f"same review: "
            + ", ".join(exc.conflicts[:10])
            + ". Nothing was changed; check with the IROs, then import again with "
            "--keep-existing to keep the records already held."
        )
    log.info("import %s: %s %s", outcome.export_id or "-", outcome.status, outcome.reason)
    return outcome


def _import(
    session: Session, data: bytes, manager: KeyPair, outcome: FileOutcome, keep_existing: bool
) -> None:
    digest = file_sha256(data)
    done = session.scalar(select(ImportLog).where(ImportLog.file_sha256 == digest))
    if done is not None:
        outcome.status, outcome.export_id = ALREADY, done.export_id
        outcome.message = f"export {done.export_id}, applied {done.applied_at:%Y-%m-%d %H:%M}"
        return
    opened = open_sealed(data, manager.age_identity)
    trusted = trusted_keys(session)
    key = verify_signature(opened, {fp: k for fp, (_row, k) in trusted.items()})
    iro_row = trusted[key.fingerprint][0]
    payload = validate_payload(opened.payload)
    manifest = payload["manifest"]
    if manifest["iro"]["fingerprint"] != key.fingerprint:
        raise BundleRefused(
            "invalid", "The manifest names a different IRO key from the one that signed it."
        )
    if manifest["manager_fingerprint"] != manager.public.fingerprint:
        raise BundleRefused(
            "not_for_me",
            "This export was made for another manager's key "
            f"({manifest['manager_fingerprint']}), then re-encrypted: refused.",
        )
    outcome.iro = iro_row.name
    outcome.export_id = manifest["export_id"]
    outcome.period = (manifest["period"]["from"], manifest["period"]["to"])
    outcome.counts = dict(manifest["counts"])
    earlier = session.scalar(select(ImportLog).where(ImportLog.export_id == manifest["export_id"]))
    if earlier is not None:
        outcome.status = ALREADY
        outcome.message = f"export {earlier.export_id}, applied {earlier.applied_at:%Y-%m-%d %H:%M}"
        return
    as_of = dt.datetime.fromisoformat(manifest["created_at"]).replace(tzinfo=None)
    changes = _apply(session, payload["children"], iro_row, as_of, outcome, keep_existing)
    outcome.changes = changes
    session.add(
        ImportLog(
            file_sha256=digest,
            export_id=manifest["export_id"],
            trusted_iro_id=iro_row.id,
            period_from=dt.date.fromisoformat(manifest["period"]["from"]),
            period_to=dt.date.fromisoformat(manifest["period"]["to"]),
            exported_at=as_of,
            schema_version=manifest["schema_version"],
            counts=manifest["counts"],
            outcome={
                "changes": changes,
                "superseded": outcome.superseded,
                "conflicts_kept": outcome.conflicts,
            },
            applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        )
    )
    session.flush()
    outcome.status = APPLIED


def _apply(  # noqa: PLR0917 - one internal caller
    session: Session,
    records: list[dict[str, Any]],
    iro: TrustedIro,
    as_of: dt.datetime,
    outcome: FileOutcome,
    keep_existing: bool,
) -> dict[str, int]:
    changes = dict.fromkeys(
        (
            "children_added",
            "children_updated",
            "episodes_added",
            "episodes_updated",
            "reviews_added",
            "reviews_updated",
            "reviews_unchanged",
            "midway_added",
            "escalations_added",
            "escalations_updated",
            "children_moved",
        ),
        0,
    )
    refs = [r["child_ref"] for r in records]
    existing: dict[str, Child] = {}
    for chunk in range(0, len(refs), 500):
        for child in session.scalars(
            select(Child)
            .where(Child.child_ref.in_(refs[chunk : chunk + 500]))
            .options(
                selectinload(Child.episodes),
                selectinload(Child.reviews).selectinload(Review.meetings),
                selectinload(Child.reviews).selectinload(Review.letter),
            )
        ):
            existing[child.child_ref] = child
    keys = [f"{iro.fingerprint}:{m['id']}" for r in records for m in r["midway_reviews"]]
    midways = {m.exchange_key: m for m in _by_keys(session, MidwayReview, keys)}
    keys = [f"{iro.fingerprint}:{x['id']}" for r in records for x in r["escalations"]]
    escalations = {
        x.exchange_key: x
        for x in _by_keys(session, Escalation, keys, selectinload(Escalation.stages))
    }
    child_ids = [c.id for c in existing.values()]
    allocations: dict[int, list[ChildAllocation]] = {}
    tallies: dict[tuple[int, dt.date], CaseNoteTally] = {}
    for chunk in range(0, len(child_ids), 500):
        ids = child_ids[chunk : chunk + 500]
        for a in session.scalars(select(ChildAllocation).where(ChildAllocation.child_id.in_(ids))):
            allocations.setdefault(a.child_id, []).append(a)
        for t in session.scalars(
            select(CaseNoteTally).where(
                CaseNoteTally.child_id.in_(ids), CaseNoteTally.trusted_iro_id == iro.id
            )
        ):
            tallies[(t.child_id, t.month)] = t
    conflicts: list[str] = []
    # New children first, in one INSERT (their ids are needed below), then loaded with their
    # (empty) collections so nothing is lazily loaded afterwards.
    new_refs = {rec["child_ref"] for rec in records if rec["child_ref"] not in existing}
    if new_refs:
        table = Child.__table__
        ids = session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [
                {"child_ref": rec["child_ref"], "date_of_birth": _d(rec["date_of_birth"])}
                for rec in records
                if rec["child_ref"] in new_refs
            ],
        ).all()
        for chunk in range(0, len(ids), 500):
            for child in session.scalars(
                select(Child)
                .where(Child.id.in_(ids[chunk : chunk + 500]))
                .options(selectinload(Child.episodes), selectinload(Child.reviews))
            ):
                existing[child.child_ref] = child
    bulk = _Bulk()
    midway_links: list[tuple[MidwayReview, Any]] = []
    for rec in records:
        child = existing[rec["child_ref"]]
        if rec["child_ref"] in new_refs:
            changes["children_added"] += 1
            facts_newer = True
            allocs: list[ChildAllocation] = []
        else:
            facts_newer = child.exchange_as_of is None or as_of >= child.exchange_as_of
            allocs = allocations.get(child.id, [])
            if facts_newer:
                changes["children_updated"] += 1
        if facts_newer:
            child.date_of_birth = _d(rec["date_of_birth"])  # type: ignore[assignment]
            child.sex, child.ethnicity, child.uasc = rec["sex"], rec["ethnicity"], rec["uasc"]
            names = rec.get("names") or {}
            child.first_name = names.get("first_name", "")
            child.last_name = names.get("last_name", "")
            child.preferred_name = names.get("preferred_name", "")
            child.exchange_as_of = as_of
        mine: Any = next((a for a in allocs if a.trusted_iro_id == iro.id), None)
        iro_newer = mine is None or as_of >= mine.last_seen_at
        if mine is None:
            row = {
                "child_id": child.id,
                "trusted_iro_id": iro.id,
                "first_seen_at": as_of,
                "last_seen_at": as_of,
                "transferred_out_on": _d(rec["transferred_out_on"]),
            }
            bulk.allocations.append(row)
            mine = SimpleNamespace(**row)
            allocs = [*allocs, mine]
        else:
            mine.first_seen_at = min(mine.first_seen_at, as_of)
            if iro_newer:
                mine.last_seen_at = as_of
                mine.transferred_out_on = _d(rec["transferred_out_on"])
        holding = [a for a in allocs if a.transferred_out_on is None]
        current = max(holding, key=lambda a: a.last_seen_at).trusted_iro_id if holding else None
        if child.current_iro_id is not None and current != child.current_iro_id:
            changes["children_moved"] += 1
        child.current_iro_id = current
        _apply_episodes(child, rec["episodes"], facts_newer, changes, bulk)
        _apply_reviews(child, rec["reviews"], iro, as_of, outcome, conflicts, changes, bulk)
        reviews_by_date: dict[dt.date, Any] = {r.review_date: r for r in child.reviews}
        reviews_by_date.update(
            {
                row["review_date"]: (child.id, row["review_date"])
                for row, _m, _s in bulk.reviews
                if row["child_id"] == child.id
            }
        )
        for m in rec["midway_reviews"]:
            key = f"{iro.fingerprint}:{m['id']}"
            linked = reviews_by_date.get(_d(m["review_date"])) if m["review_date"] else None  # type: ignore[arg-type]
            row = midways.get(key)
            if row is None:
                bulk.midways.append(
                    (
                        {
                            "child_id": child.id,
                            "iro_id": iro.id,
                            "exchange_key": key,
                            "held_on": _d(m["held_on"]),
                            "method": m["method"],
                            "note": "",
                        },
                        linked,
                    )
                )
                changes["midway_added"] += 1
            elif iro_newer:
                row.held_on, row.method = _d(m["held_on"]), m["method"]  # type: ignore[assignment]
                row.child_id = child.id
                midway_links.append((row, linked))
        for x in rec["escalations"]:
            key = f"{iro.fingerprint}:{x['id']}"
            values = {
                "child_id": child.id,
                "kind": x["kind"],
                "raised_on": _d(x["raised_on"]),
                "themes": list(x["themes"]),
                "cafcass_referred_on": _d(x["cafcass_referred_on"]),
                "outcome": x["outcome"],
                "outcome_on": _d(x["outcome_on"]),
            }
            stages = [
                {
                    "position": i,
                    "stage": s["stage"],
                    "started_on": _d(s["started_on"]),
                    "response_due_on": _d(s["response_due_on"]),
                    "response_received_on": _d(s["response_received_on"]),
                    "response": "",
                }
                for i, s in enumerate(x["stages"])
            ]
            row = escalations.get(key)
            if row is None:
                bulk.escalations.append(
                    (
                        {
                            **values,
                            "iro_id": iro.id,
                            "exchange_key": key,
                            "concern": "",
                            "midway_review_id": None,
                        },
                        stages,
                    )
                )
                changes["escalations_added"] += 1
            elif iro_newer:
                changes["escalations_updated"] += 1
                for k, v in values.items():
                    setattr(row, k, v)
                row.stages = [EscalationStage(**stage) for stage in stages]
        for t in rec["case_notes"]:
            month = dt.date.fromisoformat(t["month"] + "-01")
            tally = tallies.get((child.id, month))
            if tally is None:
                bulk.tallies.append(
                    {
                        "child_id": child.id,
                        "trusted_iro_id": iro.id,
                        "month": month,
                        "notes": t["notes"],
                        "seen_alone": t["seen_alone"],
                    }
                )
            elif iro_newer:
                tally.notes, tally.seen_alone = t["notes"], t["seen_alone"]
    if conflicts and not keep_existing:
        raise _Conflicts(conflicts)
    outcome.conflicts = conflicts
    session.flush()
    bulk.write(session)
    review_ids = (
        dict(
            session.execute(
                select(Review.review_date, Review.id).where(
                    Review.child_id.in_({m.child_id for m, _ in midway_links})
                )
            ).all()
        )
        if midway_links
        else {}
    )
    for midway, linked in midway_links:
        if isinstance(linked, Review):
            midway.review_id = linked.id
        elif isinstance(linked, tuple):
            midway.review_id = review_ids.get(linked[1])
        else:
            midway.review_id = None
    session.flush()
    return changes


def _by_keys(session: Session, model: Any, keys: list[str], *options: Any) -> list[Any]:
    found: list[Any] = []
    for chunk in range(0, len(keys), 500):
        part = keys[chunk : chunk + 500]
        if part:
            found.extend(
                session.scalars(select(model).where(model.exchange_key.in_(part)).options(*options))
            )
    return found


def _apply_episodes(
    child: Child,
    episodes: list[dict[str, Any]],
    facts_newer: bool,
    changes: dict[str, int],
    bulk: _Bulk,
) -> None:
    by_start = {e.start: e for e in child.episodes}
    for e in episodes:
        start = _d(e["start"])
        values = dict(
            reason_new_episode=e["rne"],
            legal_status=e["legal_status"],
            cin=e["cin"],
            placement=e["placement"],
            placement_provider=e["placement_provider"],
            end=_d(e["end"]),
            reason_ended=e["reason_ended"],
            reason_place_change=e["reason_place_change"],
        )
        row = by_start.get(start)  # type: ignore[arg-type]
        if row is None:
            bulk.episodes.append(
                {
                    "child_id": child.id,
                    "start": start,
                    "home_postcode": "",
                    "placement_postcode": "",
                    "urn": "",
                    **values,
                }
            )
            changes["episodes_added"] += 1
        elif facts_newer and any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changes["episodes_updated"] += 1


def _review_values(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "participation_code": r["participation_code"],
        "kind": r["kind"],
        "format": r["format"],
        "seen_alone": r["seen_alone"],
        "consultation_child": r["consultation_child"],
        "consultation_parents": r["consultation_parents"],
        "consultation_carers": r["consultation_carers"],
        "advocacy": r["advocacy"],
        "independent_visitor": r["independent_visitor"],
        "communication_needs_met": r["communication_needs_met"],
        "status": r["status"],
        "decisions_circulated_on": _d(r["decisions_circulated_on"]),
        "record_completed_on": _d(r["record_completed_on"]),
    }


def _same_review(
    row: Review, values: dict[str, Any], meetings: list[dt.date], sent: dt.date | None
) -> bool:
    held = sorted({m.held_on for m in row.meetings})
    letter = row.letter.sent_on if row.letter is not None else None
    return (
        all(getattr(row, k) == v for k, v in values.items()) and held == meetings and letter == sent
    )


def _set_review(
    row: Review, values: dict[str, Any], meetings: list[dt.date], sent: dt.date | None
) -> None:
    for k, v in values.items():
        setattr(row, k, v)
    if sorted({m.held_on for m in row.meetings}) != meetings:
        row.meetings = [ReviewMeeting(held_on=day) for day in meetings]
    if sent is None:
        row.letter = None
    elif row.letter is None:
        row.letter = Letter(sent_on=sent, sections=[])
    else:
        row.letter.sent_on = sent


def _apply_reviews(  # noqa: PLR0917 - one internal caller
    child: Child,
    reviews: list[dict[str, Any]],
    iro: TrustedIro,
    as_of: dt.datetime,
    outcome: FileOutcome,
    conflicts: list[str],
    changes: dict[str, int],
    bulk: _Bulk,
) -> None:
    by_date = {r.review_date: r for r in child.reviews}
    for r in reviews:
        day = _d(r["review_date"])
        assert day is not None
        values = _review_values(r)
        meetings = sorted({_d(m) for m in r["meetings"]})  # type: ignore[type-var]
        sent = _d(r["letter_sent_on"])
        row = by_date.get(day)
        if row is None:
            # "903" stays "903" (the IRO's figures count such reviews apart); others: "import".
            source = "903" if r["source"] == "903" else "import"
            bulk.reviews.append(
                (
                    {
                        "child_id": child.id,
                        "review_date": day,
                        "source": source,
                        "chaired_by_iro_id": iro.id,
                        "exchange_as_of": as_of,
                        **values,
                    },
                    meetings,
                    sent,
                )
            )  # type: ignore[arg-type]
            changes["reviews_added"] += 1
            continue
        if _same_review(row, values, meetings, sent):  # type: ignore[arg-type]
            changes["reviews_unchanged"] += 1
            continue
        if row.chaired_by_iro_id == iro.id:
            if row.exchange_as_of is None or as_of > row.exchange_as_of:
                if row.participation_code != values["participation_code"]:
                    outcome.superseded.append(
                        f"{child.child_ref} {day.isoformat()} "
                        f"{row.participation_code}->{values['participation_code']}"
                    )
                _set_review(row, values, meetings, sent)  # type: ignore[arg-type]
                row.exchange_as_of = as_of
                changes["reviews_updated"] += 1
            else:
                changes["reviews_unchanged"] += 1  # an older export: the newer record stands
            continue
        if row.participation_code != values["participation_code"]:
            conflicts.append(
                f"{child.child_ref} {day.isoformat()} "
                f"(held: {row.participation_code}, this file: {values['participation_code']})"
            )
        else:
            changes["reviews_unchanged"] += 1  # another IRO's copy (e.g. from a 903 import)
