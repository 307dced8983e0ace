"""The IRO's export for the manager: one file, signed by the IRO, encrypted to the manager and
the IRO.

File = age(X25519, recipients: the manager and the IRO) of the sealed text

    IRO-DESKTOP-EXPORT 1\\n
    signer: <IRO key fingerprint>\\n
    signature: <base64 Ed25519 signature over the payload bytes exactly>\\n
    \\n
    <payload: UTF-8 JSON>

The payload is `{"manifest": {...}, "children": [...], "children_held": [...]}` (docs/EXCHANGE.md
has every field). It carries codes, dates and counts only: no case text, no notes, no postcodes;
children's names only when the IRO's setting `export_names` is on. `validate_payload` checks every
field by hand.

Schema 2 (this version) is the IRO's *complete* record for its period: every review, midway
review, escalation raised and case note dated in the period, for every child, is in the file
(`build_payload`'s rules), and `children_held` lists every child in the IRO's store. The manager's
import relies on this to remove what the IRO deleted. Schema 1 (no `children_held`) is still read:
it adds and updates, and removes nothing.
"""

from __future__ import annotations

import base64
import collections
import datetime as dt
import json
import os
import re
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from iro_desktop import __version__, settings
from iro_desktop.db.models import Child, Episode, Escalation, Review
from iro_desktop.interchange import codes903
from iro_desktop.interchange.keys import KeyPair, PublicKey
from iro_desktop.rules.reviews import EpisodeFacts, review_timeliness
from iro_desktop.rules.workdays import add_working_days

ENVELOPE_MAGIC = "IRO-DESKTOP-EXPORT"
ENVELOPE_VERSION = 1
SCHEMA_VERSION = 2
# Schema 2 added `children_held` and the promise that the file is complete for its period (the
# import removes what it no longer holds). Schema 1 files are read and never remove anything.
READABLE_SCHEMAS = (1, 2)
SCHEMA_WITH_REMOVALS = 2
FILE_SUFFIX = ".iroexport"
MAX_FILE_BYTES = 64 * 1024 * 1024


class BundleRefused(Exception):
    """A file that will not be imported; `reason` is a short key, the message says why in words.
    Messages carry no children's data."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# ---- building the payload (IRO side) --------------------------------------------------------


def collection_year_start(day: dt.date) -> dt.date:
    """1 April of the collection year containing `day` (April to March)."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _facts(episodes: Iterable[Episode]) -> list[EpisodeFacts]:
    return [
        e.facts()
        for e in episodes
    ]


def _counted_from(review: Review) -> dt.date:
    dates = [m.held_on for m in review.meetings]
    return max(dates) if dates else review.review_date


def _in_period(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _child_active(child: Child, start: dt.date, end: dt.date) -> bool:
    for e in child.episodes:
        if e.start <= end and (e.end is None or e.end >= start):
            return True
    return (
        any(_in_period(r.review_date, start, end) for r in child.reviews)
        or any(_in_period(m.held_on, start, end) for m in child.midway_reviews)
        or any(_in_period(x.raised_on, start, end) for x in child.escalations)
        or any(_in_period(n.noted_on, start, end) for n in child.case_notes)
    )


def _current_episode(child: Child, end: dt.date) -> Episode | None:
    started = [e for e in child.episodes if e.start <= end]
    return started[-1] if started else None


def _child_record(  # noqa: PLR0917 - one internal caller
    session: Session,
    child: Child,
    start: dt.date,
    end: dt.date,
    names: bool,
    days: tuple[int, int, int],
) -> dict[str, Any]:
    episodes = [e for e in child.episodes if e.start <= end]
    reviews = [r for r in child.reviews if r.review_date <= end]
    timeliness = {
        h.held_on: h for h in review_timeliness(_facts(episodes), [r.review_date for r in reviews])
    }
    current = _current_episode(child, end)
    record: dict[str, Any] = {
        "child_ref": child.child_ref,
        "date_of_birth": child.date_of_birth.isoformat(),
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "uasc": bool(child.uasc),
        "legal_status": current.legal_status if current else None,
        "placement": current.placement if current else None,
        "transferred_out_on": _iso(child.transferred_out_on),
        "episodes": [
            {
                "start": e.start.isoformat(),
                "rne": e.reason_new_episode,
                "legal_status": e.legal_status,
                "cin": e.cin,
                "placement": e.placement,
                "placement_provider": e.placement_provider,
                "end": _iso(e.end),
                "reason_ended": e.reason_ended,
                "reason_place_change": e.reason_place_change,
            }
            for e in episodes
        ],
        "reviews": [],
        "midway_reviews": [],
        "escalations": [],
        "case_notes": [],
    }
    if names:
        record["names"] = {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "preferred_name": child.preferred_name,
        }
    for r in reviews:
        held = timeliness.get(r.review_date)
        base = _counted_from(r)
        circulate_by, complete_by, letter_by = (add_working_days(base, n) for n in days)
        sent = r.letter.sent_on if r.letter is not None else None
        record["reviews"].append(
            {
                "review_date": r.review_date.isoformat(),
                "participation_code": r.participation_code,
                "source": r.source,
                "kind": r.kind,
                "format": r.format,
                "meetings": sorted({m.held_on.isoformat() for m in r.meetings}),
                "seen_alone": r.seen_alone,
                "consultation_child": r.consultation_child,
                "consultation_parents": r.consultation_parents,
                "consultation_carers": r.consultation_carers,
                "advocacy": r.advocacy,
                "independent_visitor": r.independent_visitor,
                "communication_needs_met": r.communication_needs_met,
                "status": r.status,
                "decisions": len(r.decisions),
                "decisions_circulated_on": _iso(r.decisions_circulated_on),
                "record_completed_on": _iso(r.record_completed_on),
                "letter_sent_on": _iso(sent),
                "due_on": _iso(held.due) if held else None,
                "on_time": held.on_time if held else None,
                "circulate_by": circulate_by.isoformat(),
                "complete_by": complete_by.isoformat(),
                "letter_by": letter_by.isoformat(),
            }
        )
    review_dates = {r.id: r.review_date for r in child.reviews}
    for m in child.midway_reviews:
        if _in_period(m.held_on, start, end):
            record["midway_reviews"].append(
                {
                    "id": m.id,
                    "held_on": m.held_on.isoformat(),
                    "method": m.method,
                    "review_date": _iso(review_dates.get(m.review_id)) if m.review_id else None,
                }
            )
    for x in child.escalations:
        # Open at some time in the period; one raised in it always (the import's removals count
        # on that, even if its outcome date were wrongly recorded before it was raised).
        if x.raised_on <= end and (
            x.outcome_on is None or x.outcome_on >= start or x.raised_on >= start
        ):
            record["escalations"].append(_escalation_record(x))
    tally: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for n in child.case_notes:
        if _in_period(n.noted_on, start, end):
            month = n.noted_on.strftime("%Y-%m")
            tally[month][0] += 1
            tally[month][1] += 1 if n.seen_alone else 0
    record["case_notes"] = [
        {"month": k, "notes": v[0], "seen_alone": v[1]} for k, v in sorted(tally.items())
    ]
    return record


def _escalation_record(x: Escalation) -> dict[str, Any]:
    return {
        "id": x.id,
        "kind": x.kind,
        "raised_on": x.raised_on.isoformat(),
        "themes": [str(t) for t in (x.themes or [])],
        "cafcass_referred_on": _iso(x.cafcass_referred_on),
        "outcome": x.outcome or "",
        "outcome_on": _iso(x.outcome_on),
        "from_midway": x.midway_review_id is not None,
        "stages": [
            {
                "stage": s.stage,
                "started_on": s.started_on.isoformat(),
                "response_due_on": s.response_due_on.isoformat(),
                "response_received_on": _iso(s.response_received_on),
            }
            for s in x.stages
        ],
    }


def build_payload(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    iro: PublicKey,
    manager: PublicKey,
    now: dt.datetime | None = None,
) -> tuple[bytes, dict[str, Any]]:
    """The payload bytes (canonical JSON) and its manifest, for the children active in the period.

    Each child comes with their episodes begun and reviews held up to the period's end (a review's
    timeliness depends on the ones before it), the midway reviews and case-note counts of the
    period, and the escalations open at some time in it. Episodes and escalations are as they stand
    at the time of export (an end or outcome after the period is included): the manager's import
    orders exports by their `created_at`.

    The payload also lists `children_held`: the 903 id of every child in the store, active in the
    period or not, so the manager's import can tell a child the IRO deleted (or whose id they
    corrected) from one with nothing in this period."""
    if end < start:
        raise ValueError("the period ends before it starts")
    now = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
    names = bool(settings.get(session, "export_names"))
    days = (
        int(settings.get(session, "decisions_circulated_days")),
        int(settings.get(session, "record_completed_days")),
        int(settings.get(session, "letter_sent_days")),
    )
    children = session.scalars(
        select(Child)
        .order_by(Child.child_ref)
        .options(
            selectinload(Child.episodes),
            selectinload(Child.midway_reviews),
            selectinload(Child.case_notes),
            selectinload(Child.reviews).selectinload(Review.meetings),
            selectinload(Child.reviews).selectinload(Review.decisions),
            selectinload(Child.reviews).selectinload(Review.letter),
            selectinload(Child.escalations).selectinload(Escalation.stages),
        )
    ).all()
    records = [
        _child_record(session, c, start, end, names, days)
        for c in children
        if _child_active(c, start, end)
    ]
    counts = {
        "children": len(records),
        "episodes": sum(len(c["episodes"]) for c in records),
        "reviews": sum(len(c["reviews"]) for c in records),
        "midway_reviews": sum(len(c["midway_reviews"]) for c in records),
        "escalations": sum(len(c["escalations"]) for c in records),
        "case_notes": sum(t["notes"] for c in records for t in c["case_notes"]),
    }
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "export_id": str(uuid.uuid4()),
        "created_at": now.isoformat(),
        "app_version": __version__,
        "iro": {"name": iro.name, "fingerprint": iro.fingerprint},
        "manager_fingerprint": manager.fingerprint,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "includes_names": names,
        "timescales": {
            "decisions_circulated_days": days[0],
            "record_completed_days": days[1],
            "letter_sent_days": days[2],
        },
        "counts": counts,
    }
    held = sorted(c.child_ref for c in children)
    payload = json.dumps(
        {"manifest": manifest, "children": records, "children_held": held},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    return payload, manifest


# ---- sealing and opening ---------------------------------------------------------------------


def seal(payload: bytes, signer: KeyPair, recipients: Iterable[PublicKey]) -> bytes:
    """Sign the payload bytes, then encrypt the signed text to every recipient (X25519: no
    scrypt, so sealing costs milliseconds)."""
    signature = base64.b64encode(signer.sign(payload)).decode("ascii")
    head = (
        f"{ENVELOPE_MAGIC} {ENVELOPE_VERSION}\n"
        f"signer: {signer.public.fingerprint}\nsignature: {signature}\n\n"
    )
    return pyrage.encrypt(head.encode("ascii") + payload, [r.recipient() for r in recipients])


@dataclass(frozen=True, slots=True)
class Opened:
    signer_fingerprint: str
    signature: bytes
    payload: bytes


_SIG_RE = re.compile(r"^[A-Za-z0-9+/]{86}==$")


def open_sealed(data: bytes, identity: pyrage.x25519.Identity) -> Opened:
    """Decrypt with the manager's (or the IRO's own) identity and split the signed text. The
    signature is not checked here: see `verify_signature`."""
    if len(data) > MAX_FILE_BYTES:
        raise BundleRefused("too_large", "The file is larger than any export could be.")
    if not data.startswith(b"age-encryption.org/v1\n"):
        raise BundleRefused("not_export", "This is not an IRO Desktop export file.")
    try:
        text = pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise BundleRefused(
                "not_for_me",
                "This file was not encrypted for this manager's key (it is for someone "
                "else, or its header was damaged).",
            ) from exc
        raise BundleRefused(
            "tampered",
            "This file is damaged or was changed after it was made "
            "(decryption failed its integrity check).",
        ) from exc
    head, sep, payload = text.partition(b"\n\n")
    lines = head.decode("ascii", errors="replace").split("\n")
    if not sep or not lines[0].startswith(ENVELOPE_MAGIC + " "):
        raise BundleRefused("not_export", "This file opens, but is not an IRO Desktop export.")
    version = lines[0][len(ENVELOPE_MAGIC) + 1 :]
    if not version.isdigit():
        raise BundleRefused("not_export", "This file opens, but is not an IRO Desktop export.")
    if int(version) > ENVELOPE_VERSION:
        raise BundleRefused(
            "newer_schema",
            f"This file was made by a newer version of IRO Desktop "
            f"(envelope {version}); install the newer version to import it.",
        )
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    signer, signature = fields.get("signer", ""), fields.get("signature", "")
    if not _SIG_RE.match(signature) or not signer:
        raise BundleRefused("not_export", "This export has no valid signature line.")
    return Opened(signer, base64.b64decode(signature), payload)


def verify_signature(opened: Opened, trusted: dict[str, PublicKey]) -> PublicKey:
    """The trusted signer whose key made this signature over exactly these payload bytes."""
    key = trusted.get(opened.signer_fingerprint)
    if key is None:
        raise BundleRefused(
            "unknown_signer",
            f"This file is signed by a key this service does not "
            f"trust (fingerprint {opened.signer_fingerprint}). Check the fingerprint "
            f"with the IRO, then `manager trust` their key.",
        )
    if not key.verify(opened.signature, opened.payload):
        raise BundleRefused(
            "bad_signature",
            "The signature does not match the contents: the file "
            "was changed after the IRO signed it.",
        )
    return key


def write_export(out: Path, sealed: bytes) -> None:
    """Write atomically beside the target; the bytes are ciphertext: no plain data touches disk."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=FILE_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def export_for_manager(
    session: Session,
    out: Path,
    start: dt.date,
    end: dt.date,
    *,
    keys: KeyPair,
    manager: PublicKey,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Build, seal (to the manager and to this IRO) and write the export; returns the manifest."""
    if manager.role != "manager":
        raise ValueError("the recipient key is not a manager's key")
    iro = keys.public.with_name(str(settings.get(session, "iro_name")) or keys.public.name)
    payload, manifest = build_payload(session, start, end, iro=iro, manager=manager, now=now)
    write_export(out, seal(payload, keys, [manager, keys.public]))
    return manifest


# ---- validating the payload (manager side) ---------------------------------------------------

_CHILD_REF_RE = re.compile(r"^[A-Za-z0-9]{1,10}$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_REVIEW_SOURCES = {"app", "903", "import"}
_REVIEW_KINDS = {"", "initial", "second", "subsequent", "extra"}
_FORMATS = {"", "in_person", "virtual", "mixed"}
_STATUSES = {"draft", "circulated", "completed"}
_CODES_OR_NONE = (*codes903.REVIEW_CODES, "")  # "": a record not completed, its code not chosen
_SERVICE = {"", "discussed", "referred", "has_one", "offered", "declined", "not_needed"}
_ESC_KINDS = {"escalation", "good_practice"}
_OUTCOMES = {"", "resolved", "partly_resolved", "not_resolved"}
_STAGES = {
    "informal_sw",
    "informal_tm",
    "team_manager",
    "service_manager",
    "head_of_service",
    "director",
}
MAX_CHILDREN = 5000
MAX_HELD = 50000
MAX_ITEMS = 1000


class _Checker:
    """Collects every problem with a payload; paths like children[3].reviews[0].review_date."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, what: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(f"{path}: {what}")

    def obj(
        self, value: Any, path: str, required: set[str], optional: set[str] = frozenset()
    ) -> bool:  # type: ignore[assignment]
        if not isinstance(value, dict):
            self.fail(path, "expected an object")
            return False
        missing = required - value.keys()
        extra = value.keys() - required - optional
        for key in sorted(missing):
            self.fail(f"{path}.{key}", "missing")
        for key in sorted(extra):
            self.fail(f"{path}.{key}", "not a field of this schema")
        return not missing and not extra

    def lst(self, value: Any, path: str, limit: int = MAX_ITEMS) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, "expected a list")
            return []
        if len(value) > limit:
            self.fail(path, f"more than {limit} items")
            return []
        return value

    def date(self, value: Any, path: str, *, nullable: bool = False) -> dt.date | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or len(value) != 10:
            self.fail(path, "expected a date YYYY-MM-DD")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.fail(path, "expected a date YYYY-MM-DD")
            return None
        if not dt.date(1900, 1, 1) <= day <= dt.date(2200, 1, 1):
            self.fail(path, "date out of range")
        return day

    def datetime(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or len(value) > 32:
            self.fail(path, "expected a date and time")
            return
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(path, "expected a date and time")

    def code(
        self, value: Any, path: str, allowed: Iterable[str], *, nullable: bool = False
    ) -> None:
        if value is None and nullable:
            return
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, "not an allowed code")

    def text(self, value: Any, path: str, max_len: int) -> None:
        if not isinstance(value, str) or len(value) > max_len:
            self.fail(path, f"expected text of at most {max_len} characters")

    def boolean(self, value: Any, path: str, *, nullable: bool = False) -> None:
        if value is None and nullable:
            return
        if not isinstance(value, bool):
            self.fail(path, "expected true or false")

    def count(self, value: Any, path: str, maximum: int = 10**6) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            self.fail(path, "expected a whole number")


def validate_payload(payload: bytes) -> dict[str, Any]:
    """Parse and check every field; raises BundleRefused('invalid' / 'newer_schema')."""
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleRefused("invalid", "The export's contents are not valid JSON.") from exc
    c = _Checker()
    if not isinstance(data, dict) or not isinstance(data.get("manifest"), dict):
        raise BundleRefused("invalid", "The export has no manifest.")
    version = data["manifest"].get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise BundleRefused("invalid", "The export's manifest has no schema version.")
    if version > SCHEMA_VERSION:
        raise BundleRefused(
            "newer_schema",
            f"This export uses schema {version}, newer than this "
            f"version understands ({SCHEMA_VERSION}); install the newer IRO Desktop.",
        )
    if version not in READABLE_SCHEMAS:
        raise BundleRefused("invalid", "The export's schema version is not valid.")
    top = {"manifest", "children"}
    if version >= SCHEMA_WITH_REMOVALS:
        top.add("children_held")
    c.obj(data, "$", top)
    _check_manifest(c, data["manifest"])
    if "children_held" in top:
        held: set[str] = set()
        for i, ref in enumerate(c.lst(data.get("children_held"), "children_held", MAX_HELD)):
            if not isinstance(ref, str) or not _CHILD_REF_RE.match(ref):
                c.fail(f"children_held[{i}]", "expected a 903 CHILD id")
            elif ref in held:
                c.fail(f"children_held[{i}]", "appears twice")
            else:
                held.add(ref)
    children = c.lst(data.get("children"), "children", MAX_CHILDREN)
    seen: set[str] = set()
    ids: dict[str, set[Any]] = {"midway_reviews": set(), "escalations": set()}
    for i, child in enumerate(children):
        _check_child(c, child, f"children[{i}]")
        ref = child.get("child_ref") if isinstance(child, dict) else None
        if isinstance(ref, str):
            if ref in seen:
                c.fail(f"children[{i}].child_ref", "appears twice")
            seen.add(ref)
        for kind, known in ids.items():  # ids in the IRO's store: one record each
            items = child.get(kind) if isinstance(child, dict) else None
            for j, item in enumerate(items if isinstance(items, list) else []):
                item_id = item.get("id") if isinstance(item, dict) else None
                if isinstance(item_id, int):
                    if item_id in known:
                        c.fail(f"children[{i}].{kind}[{j}].id", "appears twice")
                    known.add(item_id)
    if not c.problems:
        _check_counts(c, data)
    if c.problems:
        more = "" if len(c.problems) < 50 else " (and more)"
        raise BundleRefused(
            "invalid", "The export does not match its schema: " + "; ".join(c.problems[:8]) + more
        )
    return data


def _check_manifest(c: _Checker, m: Any) -> None:
    if not c.obj(
        m,
        "manifest",
        {
            "schema_version",
            "export_id",
            "created_at",
            "app_version",
            "iro",
            "manager_fingerprint",
            "period",
            "includes_names",
            "timescales",
            "counts",
        },
    ):
        return
    if not isinstance(m["export_id"], str) or not _UUID_RE.match(m["export_id"]):
        c.fail("manifest.export_id", "expected a UUID")
    c.datetime(m["created_at"], "manifest.created_at")
    c.text(m["app_version"], "manifest.app_version", 40)
    if c.obj(m["iro"], "manifest.iro", {"name", "fingerprint"}):
        c.text(m["iro"]["name"], "manifest.iro.name", 120)
        c.text(m["iro"]["fingerprint"], "manifest.iro.fingerprint", 19)
    c.text(m["manager_fingerprint"], "manifest.manager_fingerprint", 19)
    if c.obj(m["period"], "manifest.period", {"from", "to"}):
        start = c.date(m["period"]["from"], "manifest.period.from")
        end = c.date(m["period"]["to"], "manifest.period.to")
        if start and end and end < start:
            c.fail("manifest.period", "ends before it starts")
    c.boolean(m["includes_names"], "manifest.includes_names")
    if c.obj(
        m["timescales"],
        "manifest.timescales",
        {"decisions_circulated_days", "record_completed_days", "letter_sent_days"},
    ):
        for k, v in m["timescales"].items():
            c.count(v, f"manifest.timescales.{k}", 60)
    if c.obj(
        m["counts"],
        "manifest.counts",
        {"children", "episodes", "reviews", "midway_reviews", "escalations", "case_notes"},
    ):
        for k, v in m["counts"].items():
            c.count(v, f"manifest.counts.{k}")


def _check_child(c: _Checker, ch: Any, p: str) -> None:
    if not c.obj(
        ch,
        p,
        {
            "child_ref",
            "date_of_birth",
            "sex",
            "ethnicity",
            "uasc",
            "legal_status",
            "placement",
            "transferred_out_on",
            "episodes",
            "reviews",
            "midway_reviews",
            "escalations",
            "case_notes",
        },
        {"names"},
    ):
        return
    if not isinstance(ch["child_ref"], str) or not _CHILD_REF_RE.match(ch["child_ref"]):
        c.fail(f"{p}.child_ref", "expected a 903 CHILD id (1-10 letters and digits)")
    c.date(ch["date_of_birth"], f"{p}.date_of_birth")
    c.code(ch["sex"], f"{p}.sex", codes903.SEX)
    c.code(ch["ethnicity"], f"{p}.ethnicity", set(codes903.ETHNICITY) | {""})
    c.boolean(ch["uasc"], f"{p}.uasc")
    c.code(ch["legal_status"], f"{p}.legal_status", codes903.LEGAL_STATUS, nullable=True)
    c.code(ch["placement"], f"{p}.placement", codes903.PLACEMENT, nullable=True)
    c.date(ch["transferred_out_on"], f"{p}.transferred_out_on", nullable=True)
    if "names" in ch and c.obj(
        ch["names"], f"{p}.names", {"first_name", "last_name", "preferred_name"}
    ):
        for k, v in ch["names"].items():
            c.text(v, f"{p}.names.{k}", 80)
    starts: set[Any] = set()
    for i, e in enumerate(c.lst(ch["episodes"], f"{p}.episodes")):
        q = f"{p}.episodes[{i}]"
        if not c.obj(
            e,
            q,
            {
                "start",
                "rne",
                "legal_status",
                "cin",
                "placement",
                "placement_provider",
                "end",
                "reason_ended",
                "reason_place_change",
            },
        ):
            continue
        start = c.date(e["start"], f"{q}.start")
        end = c.date(e["end"], f"{q}.end", nullable=True)
        if start and end and end < start:
            c.fail(f"{q}.end", "before the episode's start")
        if start in starts:
            c.fail(f"{q}.start", "two episodes start on the same day")
        starts.add(start)
        c.code(e["rne"], f"{q}.rne", codes903.REASON_NEW_EPISODE)
        c.code(e["legal_status"], f"{q}.legal_status", codes903.LEGAL_STATUS)
        c.code(e["cin"], f"{q}.cin", set(codes903.CIN) | {""})
        c.code(e["placement"], f"{q}.placement", codes903.PLACEMENT)
        c.code(
            e["placement_provider"], f"{q}.placement_provider", set(codes903.PLACE_PROVIDER) | {""}
        )
        c.code(e["reason_ended"], f"{q}.reason_ended", set(codes903.REASON_ENDED) | {""})
        c.code(
            e["reason_place_change"],
            f"{q}.reason_place_change",
            set(codes903.REASON_PLACE_CHANGE) | {""},
        )
    dates: set[Any] = set()
    for i, r in enumerate(c.lst(ch["reviews"], f"{p}.reviews")):
        q = f"{p}.reviews[{i}]"
        if not c.obj(
            r,
            q,
            {
                "review_date",
                "participation_code",
                "source",
                "kind",
                "format",
                "meetings",
                "seen_alone",
                "consultation_child",
                "consultation_parents",
                "consultation_carers",
                "advocacy",
                "independent_visitor",
                "communication_needs_met",
                "status",
                "decisions",
                "decisions_circulated_on",
                "record_completed_on",
                "letter_sent_on",
                "due_on",
                "on_time",
                "circulate_by",
                "complete_by",
                "letter_by",
            },
        ):
            continue
        day = c.date(r["review_date"], f"{q}.review_date")
        if day in dates:
            c.fail(f"{q}.review_date", "two reviews on the same day")
        dates.add(day)
        # A draft (or a record whose decisions are circulated) may not have its code yet: the
        # IRO saves it before choosing (""). A completed record always carries a 903 code.
        codes = codes903.REVIEW_CODES if r["status"] == "completed" else _CODES_OR_NONE
        c.code(r["participation_code"], f"{q}.participation_code", codes)
        c.code(r["source"], f"{q}.source", _REVIEW_SOURCES)
        c.code(r["kind"], f"{q}.kind", _REVIEW_KINDS)
        c.code(r["format"], f"{q}.format", _FORMATS)
        for j, m in enumerate(c.lst(r["meetings"], f"{q}.meetings", 20)):
            c.date(m, f"{q}.meetings[{j}]")
        for k in (
            "seen_alone",
            "consultation_child",
            "consultation_parents",
            "consultation_carers",
            "communication_needs_met",
            "on_time",
        ):
            c.boolean(r[k], f"{q}.{k}", nullable=True)
        c.code(r["advocacy"], f"{q}.advocacy", _SERVICE)
        c.code(r["independent_visitor"], f"{q}.independent_visitor", _SERVICE)
        c.code(r["status"], f"{q}.status", _STATUSES)
        c.count(r["decisions"], f"{q}.decisions", 500)
        for k in ("decisions_circulated_on", "record_completed_on", "letter_sent_on", "due_on"):
            c.date(r[k], f"{q}.{k}", nullable=True)
        for k in ("circulate_by", "complete_by", "letter_by"):
            c.date(r[k], f"{q}.{k}")
    for i, m in enumerate(c.lst(ch["midway_reviews"], f"{p}.midway_reviews")):
        q = f"{p}.midway_reviews[{i}]"
        if c.obj(m, q, {"id", "held_on", "method", "review_date"}):
            c.count(m["id"], f"{q}.id", 2**53)
            c.date(m["held_on"], f"{q}.held_on")
            c.text(m["method"], f"{q}.method", 40)
            c.date(m["review_date"], f"{q}.review_date", nullable=True)
    for i, x in enumerate(c.lst(ch["escalations"], f"{p}.escalations")):
        q = f"{p}.escalations[{i}]"
        if not c.obj(
            x,
            q,
            {
                "id",
                "kind",
                "raised_on",
                "themes",
                "cafcass_referred_on",
                "outcome",
                "outcome_on",
                "from_midway",
                "stages",
            },
        ):
            continue
        c.count(x["id"], f"{q}.id", 2**53)
        c.code(x["kind"], f"{q}.kind", _ESC_KINDS)
        c.date(x["raised_on"], f"{q}.raised_on")
        for j, t in enumerate(c.lst(x["themes"], f"{q}.themes", 30)):
            c.text(t, f"{q}.themes[{j}]", 120)
        c.date(x["cafcass_referred_on"], f"{q}.cafcass_referred_on", nullable=True)
        c.code(x["outcome"], f"{q}.outcome", _OUTCOMES)
        c.date(x["outcome_on"], f"{q}.outcome_on", nullable=True)
        c.boolean(x["from_midway"], f"{q}.from_midway")
        for j, s in enumerate(c.lst(x["stages"], f"{q}.stages", 20)):
            sq = f"{q}.stages[{j}]"
            if c.obj(s, sq, {"stage", "started_on", "response_due_on", "response_received_on"}):
                c.code(s["stage"], f"{sq}.stage", _STAGES)
                c.date(s["started_on"], f"{sq}.started_on")
                c.date(s["response_due_on"], f"{sq}.response_due_on")
                c.date(s["response_received_on"], f"{sq}.response_received_on", nullable=True)
    months: set[str] = set()
    for i, t in enumerate(c.lst(ch["case_notes"], f"{p}.case_notes")):
        q = f"{p}.case_notes[{i}]"
        if c.obj(t, q, {"month", "notes", "seen_alone"}):
            if (
                not isinstance(t["month"], str)
                or not _MONTH_RE.match(t["month"])
                or t["month"] in months
            ):
                c.fail(f"{q}.month", "expected a distinct month YYYY-MM")
            else:
                months.add(t["month"])
            c.count(t["notes"], f"{q}.notes", 10000)
            c.count(t["seen_alone"], f"{q}.seen_alone", 10000)


def _check_counts(c: _Checker, data: dict[str, Any]) -> None:
    children = data["children"]
    actual = {
        "children": len(children),
        "episodes": sum(len(ch["episodes"]) for ch in children),
        "reviews": sum(len(ch["reviews"]) for ch in children),
        "midway_reviews": sum(len(ch["midway_reviews"]) for ch in children),
        "escalations": sum(len(ch["escalations"]) for ch in children),
        "case_notes": sum(t["notes"] for ch in children for t in ch["case_notes"]),
    }
    for key, value in actual.items():
        if data["manifest"]["counts"][key] != value:
            c.fail(f"manifest.counts.{key}", "does not match the records")
    if not data["manifest"]["includes_names"] and any("names" in ch for ch in children):
        c.fail("children", "names present although the manifest says none")


# ---- the IRO's keys and their manager's key, for the CLI and the dialogs ----------------------


def manager_key_of(session: Session) -> PublicKey | None:
    """The manager's public key the IRO imported, or None."""
    from iro_desktop.interchange.keys import parse_public_key

    text = str(settings.get(session, "manager_public_key") or "")
    return parse_public_key(text) if text else None


def set_manager_key(session: Session, text: str) -> PublicKey:
    """Check and store the manager's public key (the caller's transaction commits it)."""
    from iro_desktop.interchange.keys import ROLE_MANAGER, KeyFormatError, parse_public_key

    key = parse_public_key(text)
    if key.role != ROLE_MANAGER:
        raise KeyFormatError("This is an IRO's public key, not a manager's.")
    settings.put(session, "manager_public_key", key.armored())
    return key


def iro_public_key(session: Session, passphrase: str) -> PublicKey:
    """This install's public key under the IRO's current name, making the keys on first use
    (protected by the store passphrase)."""
    from iro_desktop.interchange.keys import ROLE_IRO, ensure_keys

    name = str(settings.get(session, "iro_name")) or "IRO"
    return ensure_keys(ROLE_IRO, name, passphrase).with_name(name)
