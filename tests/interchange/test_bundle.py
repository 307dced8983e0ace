"""The IRO's export file: what is inside, what is not, and who can open it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from iro_desktop import settings
from iro_desktop.db.models import CaseNote, Escalation, EscalationStage, Letter, MidwayReview
from iro_desktop.interchange import bundle, keys
from tests.factory import make_child

D = dt.date
START, END = D(2025, 4, 1), D(2026, 3, 31)


@pytest.fixture
def actors():
    return keys.generate(keys.ROLE_IRO, "Sam Taylor"), keys.generate(
        keys.ROLE_MANAGER, "Pat Manager"
    )


def _caseload(session):
    child = make_child(
        session,
        child_ref="E0001",
        first_name="Secretfirst",
        last_name="Secretlast",
        reviews=[D(2025, 5, 29), D(2025, 8, 28)],
        interests="secret interests",
    )
    review = child.reviews[0]
    review.record = {"health": "secret record text"}
    review.decisions_circulated_on = D(2025, 6, 3)
    review.record_completed_on = D(2025, 6, 30)
    review.letter = Letter(sent_on=D(2025, 6, 16), sections=[{"text": "secret letter"}])
    child.midway_reviews.append(
        MidwayReview(held_on=D(2025, 7, 14), method="call", note="secret note", review_id=review.id)
    )
    child.case_notes.append(
        CaseNote(noted_on=D(2025, 7, 1), kind="visit", seen_alone=True, text="secret case note")
    )
    child.case_notes.append(CaseNote(noted_on=D(2025, 7, 20), kind="call", text="secret call"))
    child.escalations.append(
        Escalation(
            raised_on=D(2025, 9, 1),
            concern="secret concern",
            themes=["Health", "Education"],
            stages=[
                EscalationStage(
                    stage="informal_sw",
                    started_on=D(2025, 9, 1),
                    response_due_on=D(2025, 9, 15),
                    response="secret response",
                )
            ],
        )
    )
    # Not active in the period: left care before it.
    old = make_child(session, child_ref="E0002", looked_after_since=D(2023, 1, 9))
    old.episodes[0].end, old.episodes[0].reason_ended = D(2024, 12, 1), "E13"
    session.flush()


def test_payload_holds_codes_dates_and_counts_but_no_case_text(session, actors):
    iro, manager = actors
    _caseload(session)
    payload, manifest = bundle.build_payload(
        session,
        START,
        END,
        iro=iro.public,
        manager=manager.public,
        now=dt.datetime(2026, 4, 2, 10, 0),
    )
    assert b"secret" not in payload.lower()
    assert b"Secretfirst" not in payload  # names only when the setting is on
    data = bundle.validate_payload(payload)
    assert data["manifest"] == manifest
    assert manifest["counts"] == {
        "children": 1,
        "episodes": 1,
        "reviews": 2,
        "midway_reviews": 1,
        "escalations": 1,
        "case_notes": 2,
    }
    assert manifest["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert manifest["iro"]["fingerprint"] == iro.public.fingerprint
    assert manifest["manager_fingerprint"] == manager.public.fingerprint
    child = data["children"][0]
    assert (
        child["child_ref"] == "E0001"
        and child["legal_status"] == "C2"
        and child["placement"] == "U4"
    )
    first = child["reviews"][0]
    assert first["review_date"] == "2025-05-29" and first["participation_code"] == "PN1"
    assert (
        first["decisions_circulated_on"],
        first["record_completed_on"],
        first["letter_sent_on"],
    ) == ("2025-06-03", "2025-06-30", "2025-06-16")
    assert first["due_on"] == "2025-06-02" and first["on_time"] is True  # IRO_GUIDE worked example
    assert child["midway_reviews"][0]["review_date"] == "2025-05-29"
    assert child["escalations"][0]["themes"] == ["Health", "Education"]
    assert child["escalations"][0]["stages"][0]["stage"] == "informal_sw"
    assert child["case_notes"] == [{"month": "2025-07", "notes": 2, "seen_alone": 1}]


def test_names_only_when_the_setting_is_on(session, actors):
    iro, manager = actors
    _caseload(session)
    settings.put(session, "export_names", True)
    payload, manifest = bundle.build_payload(
        session, START, END, iro=iro.public, manager=manager.public
    )
    assert manifest["includes_names"] is True
    names = json.loads(payload)["children"][0]["names"]
    assert names["first_name"] == "Secretfirst"
    bundle.validate_payload(payload)


def test_a_review_after_the_period_is_not_sent(session, actors):
    iro, manager = actors
    make_child(session, child_ref="E0003", reviews=[D(2025, 5, 29), D(2026, 4, 20)])
    payload, _ = bundle.build_payload(session, START, END, iro=iro.public, manager=manager.public)
    dates = [r["review_date"] for r in json.loads(payload)["children"][0]["reviews"]]
    assert dates == ["2025-05-29"]


def test_the_file_opens_for_the_manager_and_the_iro_only(session, actors, tmp_path):
    iro, manager = actors
    _caseload(session)
    out = tmp_path / "exports" / "sam.iroexport"
    manifest = bundle.export_for_manager(session, out, START, END, keys=iro, manager=manager.public)
    data = out.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n") and b"E0001" not in data
    for identity in (manager, iro):
        opened = bundle.open_sealed(data, identity.age_identity)
        assert bundle.verify_signature(opened, {iro.public.fingerprint: iro.public}) == iro.public
        assert json.loads(opened.payload)["manifest"]["export_id"] == manifest["export_id"]
    stranger = keys.generate(keys.ROLE_MANAGER, "Stranger")
    with pytest.raises(bundle.BundleRefused) as refused:
        bundle.open_sealed(data, stranger.age_identity)
    assert refused.value.reason == "not_for_me"
    assert [p.name for p in out.parent.iterdir()] == ["sam.iroexport"]  # no temporary left behind


def test_export_refuses_an_iro_key_as_the_recipient(session, actors, tmp_path):
    iro, _manager = actors
    with pytest.raises(ValueError, match="not a manager"):
        bundle.export_for_manager(session, tmp_path / "x", START, END, keys=iro, manager=iro.public)


def test_collection_year_start():
    assert bundle.collection_year_start(D(2026, 3, 31)) == D(2025, 4, 1)
    assert bundle.collection_year_start(D(2026, 4, 1)) == D(2026, 4, 1)
