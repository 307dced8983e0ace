"""Every refused file is refused with a clear reason and leaves the service database unchanged."""

from __future__ import annotations

import copy

import pytest

from iro_desktop.db.service import trust_iro
from iro_desktop.interchange import bundle, keys
from iro_desktop.interchange.manager_import import APPLIED, REFUSED, import_bytes
from tests.manager.conftest import trust_all
from tests.manager.helpers import open_payload, reseal, snapshot


@pytest.fixture
def loaded(service, demo_iros, manager_keys):
    """The service with IRO A trusted and imported, IRO B trusted; the state to compare against."""
    trust_all(service, demo_iros[:2])
    assert import_bytes(service, demo_iros[0].export, manager_keys).status == APPLIED
    return service


def _refused(service, data, manager_keys, reason, words):
    before = snapshot(service)
    outcome = import_bytes(service, data, manager_keys)
    assert outcome.status == REFUSED
    assert outcome.reason == reason, outcome.message
    assert words in outcome.message
    assert snapshot(service) == before
    return outcome


def test_tampered_ciphertext(loaded, demo_iros, manager_keys):
    data = bytearray(demo_iros[1].export)
    data[len(data) // 2] ^= 0x01
    _refused(loaded, bytes(data), manager_keys, "tampered", "changed after it was made")


def test_truncated_file(loaded, demo_iros, manager_keys):
    _refused(loaded, demo_iros[1].export[:-100], manager_keys, "tampered", "damaged")


def test_not_an_export(loaded, manager_keys):
    _refused(loaded, b"CHILD,SEX,DOB\n", manager_keys, "not_export", "not an IRO Desktop export")


def test_unknown_signer(loaded, demo_iros, manager_keys):
    # IRO C's file is genuine, but C's key was never trusted.
    outcome = _refused(
        loaded, demo_iros[2].export, manager_keys, "unknown_signer", "does not trust"
    )
    assert demo_iros[2].keys.public.fingerprint in outcome.message


def test_encrypted_for_someone_else(loaded, demo_iros, manager_keys):
    other = keys.generate(keys.ROLE_MANAGER, "Another council")
    payload = open_payload(demo_iros[1].export, manager_keys)
    data = reseal(payload, demo_iros[1].keys, other.public)
    _refused(loaded, data, manager_keys, "not_for_me", "not encrypted for this manager")


def test_made_for_another_manager_then_reencrypted(loaded, demo_iros, manager_keys):
    # A file signed for another manager, forwarded to us (re-encrypted): the manifest says so.
    payload = open_payload(demo_iros[1].export, manager_keys)
    payload["manifest"]["manager_fingerprint"] = "AAAA-BBBB-CCCC-DDDD"
    data = reseal(payload, demo_iros[1].keys, manager_keys.public)
    _refused(loaded, data, manager_keys, "not_for_me", "another manager")


def test_signature_over_different_bytes(loaded, demo_iros, manager_keys):
    # Anyone can encrypt to the manager's public key; only the IRO can sign. Change one code
    # after signing and re-encrypt: the signature no longer covers the payload.
    opened = bundle.open_sealed(demo_iros[1].export, manager_keys.age_identity)
    forged = opened.payload.replace(b'"participation_code":"PN1"', b'"participation_code":"PN7"', 1)
    assert forged != opened.payload
    head = (
        f"{bundle.ENVELOPE_MAGIC} 1\nsigner: {opened.signer_fingerprint}\n"
        f"signature: {__import__('base64').b64encode(opened.signature).decode()}\n\n"
    ).encode()
    import pyrage

    data = pyrage.encrypt(head + forged, [manager_keys.public.recipient()])
    _refused(loaded, data, manager_keys, "bad_signature", "changed after the IRO signed it")


def test_newer_schema(loaded, demo_iros, manager_keys):
    payload = open_payload(demo_iros[1].export, manager_keys)
    payload["manifest"]["schema_version"] = bundle.SCHEMA_VERSION + 1
    payload["manifest"]["new_field_of_the_future"] = True
    data = reseal(payload, demo_iros[1].keys, manager_keys.public)
    _refused(loaded, data, manager_keys, "newer_schema", "newer")


def test_newer_envelope(loaded, demo_iros, manager_keys):
    payload = b"{}"
    sig = __import__("base64").b64encode(demo_iros[1].keys.sign(payload)).decode()
    head = f"{bundle.ENVELOPE_MAGIC} 2\nsigner: x\nsignature: {sig}\n\n".encode()
    import pyrage

    data = pyrage.encrypt(head + payload, [manager_keys.public.recipient()])
    _refused(loaded, data, manager_keys, "newer_schema", "newer version")


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda p: p["children"][0].__setitem__("sex", "X"), "children[0].sex"),
        (
            lambda p: p["children"][0]["reviews"][0].__setitem__("participation_code", "PN9"),
            "participation_code",
        ),
        (
            lambda p: p["children"][0]["reviews"][0].__setitem__("review_date", "31/12/2025"),
            "review_date",
        ),
        (lambda p: p["children"][0].__setitem__("child_ref", "bad id!"), "child_ref"),
        (
            lambda p: p["children"][0]["episodes"][0].__setitem__("legal_status", "ZZ"),
            "legal_status",
        ),
        (lambda p: p["children"][0].__setitem__("concern_text", "free text"), "not a field"),
        (lambda p: p["children"][0]["reviews"][0].pop("status"), "status: missing"),
        (lambda p: p["children"].append(copy.deepcopy(p["children"][0])), "appears twice"),
        (lambda p: p["manifest"]["counts"].__setitem__("reviews", 1), "does not match"),
        (
            lambda p: p["children"][0].__setitem__(
                "names", {"first_name": "A", "last_name": "B", "preferred_name": ""}
            ),
            "names present",
        ),
        (lambda p: p["children"][0]["reviews"][0].__setitem__("decisions", -1), "decisions"),
        (lambda p: p["children"][0]["reviews"][0].__setitem__("seen_alone", "yes"), "seen_alone"),
        (
            lambda p: next(c for c in p["children"] if c["midway_reviews"])[
                "midway_reviews"
            ].append(
                dict(next(c for c in p["children"] if c["midway_reviews"])["midway_reviews"][0])
            ),
            "appears twice",
        ),
    ],
)
def test_invalid_payload_signed_by_a_trusted_iro(loaded, demo_iros, manager_keys, change, words):
    payload = open_payload(demo_iros[1].export, manager_keys)
    change(payload)
    data = reseal(payload, demo_iros[1].keys, manager_keys.public)
    _refused(loaded, data, manager_keys, "invalid", words)


def test_manifest_names_another_signer(loaded, demo_iros, manager_keys):
    payload = open_payload(demo_iros[1].export, manager_keys)
    payload["manifest"]["iro"]["fingerprint"] = demo_iros[0].keys.public.fingerprint
    data = reseal(payload, demo_iros[1].keys, manager_keys.public)
    _refused(loaded, data, manager_keys, "invalid", "different IRO key")


def test_conflicting_review_from_another_iro(loaded, demo_iros, manager_keys):
    # B sends A's child with a review A already sent, coded differently: refused, listed.
    a_payload = open_payload(demo_iros[0].export, manager_keys)
    b_payload = open_payload(demo_iros[1].export, manager_keys)
    child = next(
        c
        for c in a_payload["children"]
        if any(r["participation_code"] == "PN1" for r in c["reviews"])
    )
    review = next(r for r in child["reviews"] if r["participation_code"] == "PN1")
    review["participation_code"] = "PN7"
    child["midway_reviews"], child["escalations"] = [], []  # their ids belong to A's store
    b_payload["children"].append(child)
    counts = b_payload["manifest"]["counts"]
    counts["children"] += 1
    counts["episodes"] += len(child["episodes"])
    counts["reviews"] += len(child["reviews"])
    counts["midway_reviews"] += len(child["midway_reviews"])
    counts["escalations"] += len(child["escalations"])
    counts["case_notes"] += sum(t["notes"] for t in child["case_notes"])
    data = reseal(b_payload, demo_iros[1].keys, manager_keys.public)
    outcome = _refused(loaded, data, manager_keys, "conflict", "conflict with another IRO")
    assert outcome.conflicts == [
        f"{child['child_ref']} {review['review_date']} (held: PN1, this file: PN7)"
    ]

    # With --keep-existing the file applies, the existing record stands, the conflict is reported.
    kept = import_bytes(loaded, data, manager_keys, keep_existing=True)
    assert kept.status == APPLIED and len(kept.conflicts) == 1
    from sqlalchemy import select

    from iro_desktop.db.models import Child, Review

    with loaded.session() as s:
        code = s.scalar(
            select(Review.participation_code)
            .join(Child)
            .where(
                Child.child_ref == child["child_ref"], Review.review_date == review["review_date"]
            )
        )
    assert code == "PN1"


def test_revoked_key_is_unknown(loaded, demo_iros, manager_keys):
    import datetime as dt

    from sqlalchemy import select

    from iro_desktop.db.models import TrustedIro

    with loaded.transaction() as s:
        row = s.scalar(
            select(TrustedIro).where(TrustedIro.fingerprint == demo_iros[1].keys.public.fingerprint)
        )
        row.revoked_at = dt.datetime(2026, 1, 1)
    _refused(loaded, demo_iros[1].export, manager_keys, "unknown_signer", "does not trust")


def test_an_iro_key_cannot_be_trusted_as_a_manager_key(service, manager_keys):
    with pytest.raises(keys.KeyFormatError), service.transaction() as s:
        trust_iro(s, manager_keys.public.armored(), "Not an IRO")
