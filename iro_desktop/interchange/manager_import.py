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
  (reported as superseded); an older one is refused (`older_export`);
- another IRO's record of the same review with a different participation code is a conflict: the
  whole file is refused, listing the conflicts, unless the manager asks to keep the existing
  records (`keep_existing=True`), when the file applies and the conflicts are reported;
- a child another IRO now holds is followed: `child.current_iro_id` moves, `child_allocation`
  keeps the history.

Deletions (schema 2 files, `_remove_missing`): an export is the IRO's complete record for its
period, so in the same transaction the import removes that IRO's own records dated in the period
which the file no longer holds (reviews they chair, midway reviews, escalations raised, case-note
months), and everything of that IRO's for a child no longer in their store (`children_held`).
Another IRO's records are never touched. An IRO's exports apply in the order they were made: one
older than an export already imported from the same IRO is refused (`older_export`), so it cannot
bring back what was deleted since. Schema 1 files add and update only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, select
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
    SCHEMA_WITH_REMOVALS,
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
    # What this file removed because the IRO's export no longer holds it ("K2 review 2025-05-29",
    # "K2 no longer held by this IRO"...); 903 ids and dates only. Counts are in `changes`
    # (`removed` = records, plus `children_released` and `children_removed`).
    removed: list[str] = field(default_factory=list)
    # False for a schema-1 file (an older IRO Desktop): it cannot say what was deleted.
    removals_checked: bool = True

    @property
    def removed_count(self) -> int:
        """Records removed (reviews, midway reviews, escalations, letters, case-note months,
        episodes); children are counted apart in `changes`."""
        return int(self.changes.get("removed", 0))

    def removal_summary(self) -> str:
        """'removed: 1 review, 1 midway review (no longer in the IRO's export)' and the children
        no longer held, or '' when nothing was removed."""
        parts = []
        for key, one, many in REMOVAL_KINDS:
            n = self.changes.get(key, 0)
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        text = "removed: " + ", ".join(parts) + " (no longer in the IRO's export)" if parts else ""
        released = self.changes.get("children_released", 0)
        gone = self.changes.get("children_removed", 0)
        if released:
            text += ("; " if text else "") + (
                f"{released} child(ren) no longer held by this IRO"
                + (f", {gone} of them removed from the service" if gone else "")
            )
        return text

    def line(self) -> str:
        name = Path(self.path).name
        if self.status == APPLIED:
            c = self.counts
            removed = (
                f"{self.removed_count} removed"
                if self.removals_checked
                else "removals not checked: a schema 1 file from an older IRO Desktop"
            )
            extra = ""
            if self.superseded:
                extra += f"; {len(self.superseded)} review(s) superseded by this newer export"
            if self.removal_summary():
                extra += "; " + self.removal_summary()
            if self.conflicts:
                extra += f"; {len(self.conflicts)} conflict(s) kept as existing: " + ", ".join(
                    self.conflicts[:5]
                )
            return (
                f"{name}: applied ({self.iro}, {self.period[0]} to {self.period[1]}: "  # type: ignore[index]
                f"{c.get('children', 0)} children, {c.get('reviews', 0)} reviews, "
                f"{self.changes.get('reviews_added', 0)} new, {removed}){extra}"
            )
        if self.status == ALREADY:
            return f"{name}: already imported ({self.message})"
        return f"{name}: refused: {self.message}"


# (changes key, singular, plural): the kinds of record a file can remove, in the result line.
REMOVAL_KINDS = (
    ("reviews_removed", "review", "reviews"),
    ("letters_removed", "letter", "letters"),
    ("midway_removed", "midway review", "midway reviews"),
    ("escalations_removed", "escalation", "escalations"),
    ("case_note_months_removed", "month of case notes", "months of case notes"),
    ("episodes_removed", "episode", "episodes"),
)


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
    """Import each file in its own transaction; a refused file changes nothing. Each IRO's files
    are applied in the order they were made (`import_order`), whatever the order given."""
    outcomes = []
    for path in import_order(paths, manager):
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


def _made(path: Path, manager: KeyPair) -> tuple[str, dt.datetime] | None:
    """(signer, created_at) of an export, for ordering only: None when it does not open (the
    import proper then says why)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        opened = open_sealed(path.read_bytes(), manager.age_identity)
        manifest = json.loads(opened.payload.decode("utf-8"))["manifest"]
        made = dt.datetime.fromisoformat(manifest["created_at"]).replace(tzinfo=None)
        return opened.signer_fingerprint, made
    except (OSError, BundleRefused, ValueError, KeyError, TypeError):
        return None


def import_order(paths: Iterable[Path | str], manager: KeyPair) -> list[Path]:
    """The files in the order to import them: each IRO's exports oldest first (an IRO's exports
    must apply in the order they were made), in the places their files were given; files of
    other IROs and files that do not open stay where they are. Opens each file once (cheap:
    X25519, no scrypt). The manager window can call it before importing file by file."""
    given = [Path(p) for p in paths]
    if len(given) < 2:
        return given
    made = [_made(p, manager) for p in given]
    slots: dict[str, list[int]] = {}
    for i, key in enumerate(made):
        if key is not None:
            slots.setdefault(key[0], []).append(i)
    ordered = list(given)
    for places in slots.values():
        by_time = sorted(places, key=lambda i: made[i][1])  # type: ignore[index]
        for place, i in zip(places, by_time, strict=True):
            ordered[place] = given[i]
    return ordered


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
    newest = session.execute(
        select(ImportLog.exported_at, ImportLog.period_from, ImportLog.period_to)
        .where(ImportLog.trusted_iro_id == iro_row.id)
        .order_by(ImportLog.exported_at.desc())
        .limit(1)
    ).first()
    if newest is not None and as_of < newest.exported_at:
        raise BundleRefused(
            "older_export",
            f"This export was made on {as_of:%Y-%m-%d at %H:%M}, before the export from "
            f"{iro_row.name} made on {newest.exported_at:%Y-%m-%d at %H:%M} "
            f"({newest.period_from.isoformat()} to {newest.period_to.isoformat()}), which is "
            "already imported. An IRO's newest export is their current record, so an older one "
            "is not applied (it could bring back records they have deleted since). Nothing was "
            "changed. If it covers a period the newer export does not, ask the IRO for a new "
            "export of that period.",
        )
    changes = _apply(session, payload["children"], iro_row, as_of, outcome, keep_existing)
    outcome.changes = changes
    outcome.removals_checked = manifest["schema_version"] >= SCHEMA_WITH_REMOVALS
    if outcome.removals_checked:
        _remove_missing(
            session,
            payload,
            iro_row,
            as_of,
            (dt.date.fromisoformat(outcome.period[0]), dt.date.fromisoformat(outcome.period[1])),
            outcome,
        )
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
                "removed": outcome.removed,
                "removals_checked": outcome.removals_checked,
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
            *(key for key, _one, _many in REMOVAL_KINDS),
            "removed",
            "children_released",
            "children_removed",
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
                        f"{_code_text(row.participation_code)}->"
                        f"{_code_text(values['participation_code'])}"
                    )
                if sent is None and row.letter is not None and row.letter.sent_on is not None:
                    # The IRO deleted the letter (or its sent date): the review stays.
                    changes["letters_removed"] += 1
                    changes["removed"] += 1
                    outcome.removed.append(f"{child.child_ref} letter of review {day.isoformat()}")
                _set_review(row, values, meetings, sent)  # type: ignore[arg-type]
                row.exchange_as_of = as_of
                changes["reviews_updated"] += 1
            else:
                changes["reviews_unchanged"] += 1  # an older export: the newer record stands
            continue
        if row.participation_code != values["participation_code"] and (
            row.participation_code and values["participation_code"]
        ):
            conflicts.append(
                f"{child.child_ref} {day.isoformat()} "
                f"(held: {row.participation_code}, this file: {values['participation_code']})"
            )
        else:
            # Another IRO's copy (e.g. from a 903 import), or one of the two is a draft whose
            # code is not chosen yet (""): not a disagreement, and the record held stands.
            changes["reviews_unchanged"] += 1


def _code_text(code: str) -> str:
    """A participation code for a message; a draft's missing code ("") as words."""
    return code or "no code yet"


# ---- removals (schema 2 files) ----------------------------------------------------------------


def _chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _delete_rows(session: Session, model: Any, ids: list[int], *options: Any) -> None:
    """Delete through the ORM, so each model's cascades (meetings, letter, stages...) apply."""
    for chunk in _chunks(sorted(ids)):
        for row in session.scalars(select(model).where(model.id.in_(chunk)).options(*options)):
            session.delete(row)
    session.flush()


def _remove_missing(  # noqa: PLR0917 - one internal caller
    session: Session,
    payload: dict[str, Any],
    iro: TrustedIro,
    as_of: dt.datetime,
    period: tuple[dt.date, dt.date],
    outcome: FileOutcome,
) -> None:
    """Remove this IRO's records the file no longer holds, inside its scope; never another's.

    Scope (what a schema-2 export is the complete truth for, `bundle.build_payload`):
    - the IRO's own records dated in the period: reviews they chair (by review date), midway
      reviews (held on), escalations (raised on), case-note months (the month's first day);
    - every record of theirs, whatever its date, and their allocation, for a child no longer in
      their store (not in `children_held`); a child then held by no IRO and with no records left
      is removed, episodes and all;
    - episodes begun by the period's end of a child in the file whose facts this file set and
      whom no other IRO has sent (episodes are the child's shared facts otherwise).
    Records dated outside the period, and later than it, are left alone: an earlier-period export
    never removes later records."""
    start, end = period
    changes = outcome.changes
    records = payload["children"]
    in_file = {rec["child_ref"] for rec in records}
    held = set(payload["children_held"]) | in_file
    removed: list[str] = []

    def doomed(ref: str, day: dt.date, kept: bool) -> bool:
        return ref not in held or (start <= day <= end and not kept)

    # Reviews this IRO chairs.
    kept_reviews = {(rec["child_ref"], r["review_date"]) for rec in records for r in rec["reviews"]}
    ids = []
    for review_id, ref, day in session.execute(
        select(Review.id, Child.child_ref, Review.review_date)
        .join(Child, Child.id == Review.child_id)
        .where(Review.chaired_by_iro_id == iro.id)
    ):
        if doomed(ref, day, (ref, day.isoformat()) in kept_reviews):
            ids.append(review_id)
            removed.append(f"{ref} review {day.isoformat()}")
    _delete_rows(
        session,
        Review,
        ids,
        selectinload(Review.meetings),
        selectinload(Review.participants),
        selectinload(Review.decisions),
        selectinload(Review.letter),
    )
    changes["reviews_removed"] += len(ids)

    # Midway reviews and escalations: this IRO's, by their id in the IRO's store.
    for model, day_column, label, key in (
        (MidwayReview, MidwayReview.held_on, "midway review", "midway_removed"),
        (Escalation, Escalation.raised_on, "escalation raised", "escalations_removed"),
    ):
        kind = "midway_reviews" if model is MidwayReview else "escalations"
        kept_keys = {f"{iro.fingerprint}:{m['id']}" for rec in records for m in rec[kind]}
        ids = []
        for row_id, ref, day, exchange_key in session.execute(
            select(model.id, Child.child_ref, day_column, model.exchange_key)
            .join(Child, Child.id == model.child_id)
            .where(model.iro_id == iro.id)
        ):
            if doomed(ref, day, exchange_key in kept_keys):
                ids.append(row_id)
                removed.append(f"{ref} {label} {day.isoformat()}")
        options = (
            (selectinload(MidwayReview.progress),)
            if model is MidwayReview
            else (selectinload(Escalation.stages),)
        )
        _delete_rows(session, model, ids, *options)
        changes[key] += len(ids)

    # Case-note months (a month whose first day is in the period; the file counts it from then).
    kept_months = {(rec["child_ref"], t["month"]) for rec in records for t in rec["case_notes"]}
    ids = []
    for tally_id, ref, month in session.execute(
        select(CaseNoteTally.id, Child.child_ref, CaseNoteTally.month)
        .join(Child, Child.id == CaseNoteTally.child_id)
        .where(CaseNoteTally.trusted_iro_id == iro.id)
    ):
        if doomed(ref, month, (ref, month.strftime("%Y-%m")) in kept_months):
            ids.append(tally_id)
            removed.append(f"{ref} case notes {month:%Y-%m}")
    _delete_rows(session, CaseNoteTally, ids)
    changes["case_note_months_removed"] += len(ids)

    # Episodes, only where the child's facts are this IRO's alone and this file set them.
    others = {
        child_id
        for child_id, iro_id in session.execute(
            select(ChildAllocation.child_id, ChildAllocation.trusted_iro_id)
            .join(Child, Child.id == ChildAllocation.child_id)
            .where(Child.exchange_as_of == as_of)
        )
        if iro_id != iro.id
    }
    kept_starts = {(rec["child_ref"], e["start"]) for rec in records for e in rec["episodes"]}
    ids = []
    for episode_id, child_id, ref, day in session.execute(
        select(Episode.id, Child.id, Child.child_ref, Episode.start)
        .join(Child, Child.id == Episode.child_id)
        .where(Child.exchange_as_of == as_of, Episode.start <= end)
    ):
        if ref in in_file and child_id not in others and (ref, day.isoformat()) not in kept_starts:
            ids.append(episode_id)
            removed.append(f"{ref} episode from {day.isoformat()}")
    _delete_rows(session, Episode, ids)
    changes["episodes_removed"] += len(ids)

    # Children no longer in this IRO's store: their allocation goes; a child held by no IRO
    # and with nothing left is removed from the service.
    released = [
        (allocation, ref)
        for allocation, ref in session.execute(
            select(ChildAllocation, Child.child_ref)
            .join(Child, Child.id == ChildAllocation.child_id)
            .where(ChildAllocation.trusted_iro_id == iro.id)
        ).all()
        if ref not in held
    ]
    for allocation, ref in sorted(released, key=lambda pair: pair[1]):
        child_id = allocation.child_id
        session.delete(allocation)
        session.flush()
        changes["children_released"] += 1
        removed.append(f"{ref} no longer held by this IRO")
        left = session.scalars(
            select(ChildAllocation).where(ChildAllocation.child_id == child_id)
        ).all()
        child = session.get(Child, child_id)
        assert child is not None
        holding = [a for a in left if a.transferred_out_on is None]
        current = max(holding, key=lambda a: a.last_seen_at).trusted_iro_id if holding else None
        if child.current_iro_id != current:
            child.current_iro_id = current
            changes["children_moved"] += 1 if current is not None else 0
        records_left = sum(
            session.scalar(select(func.count()).select_from(model).where(column == child_id)) or 0
            for model, column in (
                (Review, Review.child_id),
                (MidwayReview, MidwayReview.child_id),
                (Escalation, Escalation.child_id),
                (CaseNoteTally, CaseNoteTally.child_id),
            )
        )
        if not left and not records_left:
            session.delete(child)
            session.flush()
            changes["children_removed"] += 1
            removed.append(f"{ref} removed from the service (no IRO holds them)")
    session.flush()
    changes["removed"] += sum(
        changes[key] for key, _one, _many in REMOVAL_KINDS if key != "letters_removed"
    )
    outcome.removed.extend(removed)
