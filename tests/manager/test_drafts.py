"""A review saved as a draft before the IRO chose its participation code ("") travels in the IRO's
export and is imported: it used to make the manager refuse the IRO's whole file. A *completed*
record must still carry a valid code. The service database keeps the draft as it is, and the
annual report leaves it out of the participation rate (counted as not recorded).

Child born 9 March 2014 (11 at the draft), in care from 1 May 2025, reviewed on 2 June 2025 (PN1)
and again on 28 August 2025, saved as a draft with no code on 5 September 2025."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from sqlalchemy import select

from iro_desktop.caseload import reviews
from iro_desktop.caseload.reviews import DecisionInput, MeetingInput, ParticipantInput, ReviewInput
from iro_desktop.db.models import Child, Review
from iro_desktop.db.service import trust_iro
from iro_desktop.interchange import bundle, keys
from iro_desktop.interchange.manager_import import APPLIED, REFUSED, import_bytes
from iro_desktop.reports.annual import annual_report
from iro_desktop.reports.figures import iro_figures
from tests.factory import make_child
from tests.manager.helpers import (
    YEAR_END,
    YEAR_START,
    iro_store,
    open_payload,
    reseal,
    sealed_export,
    snapshot,
)

D = dt.date
TODAY = D(2025, 9, 5)
HELD = D(2025, 8, 28)
MADE = dt.datetime(2025, 9, 5, 16, 0)


def _draft_input() -> ReviewInput:
    """What the IRO has after the meeting: no participation code chosen yet."""
    return ReviewInput(
        meetings=[MeetingInput(held_on=HELD, format="in_person", venue="Carer's home")],
        participants=[ParticipantInput(name="Mia", role="child", meetings_attended=[0])],
        record={"health": "Dental check overdue."},
        decisions=[DecisionInput("Book a dental check", "carer")],
    )


@pytest.fixture
def actors(tmp_path, service):
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager")
    alex = keys.generate(keys.ROLE_IRO, "Alex Ash")
    with service.transaction() as s:
        trust_iro(s, alex.public.armored(), "Alex Ash")
    store = iro_store(tmp_path / "alex.db", "Alex Ash")
    with store.transaction() as s:
        child = make_child(
            s,
            child_ref="K2",
            date_of_birth=D(2014, 3, 9),
            looked_after_since=D(2025, 5, 1),
            reviews=[D(2025, 6, 2)],
        )
        s.get(Review, child.reviews[0].id).record_completed_on = D(2025, 6, 10)
        s.get(Review, child.reviews[0].id).status = "completed"
        draft_id = reviews.save_review(s, child.id, _draft_input(), today=TODAY)
        assert (s.get(Review, draft_id).status, s.get(Review, draft_id).participation_code) == (
            "draft",
            "",
        )
    yield manager, alex, store
    store.close()


def test_an_export_with_a_code_less_draft_is_applied(service, actors):
    manager, alex, store = actors
    data = sealed_export(store, alex, manager.public, now=MADE)
    sent = open_payload(data, manager)["children"][0]["reviews"]
    assert [(r["review_date"], r["participation_code"], r["status"]) for r in sent] == [
        ("2025-06-02", "PN1", "completed"),
        ("2025-08-28", "", "draft"),
    ]

    outcome = import_bytes(service, data, manager, name="alex.iroexport")

    assert outcome.status == APPLIED, outcome.message
    assert outcome.changes["reviews_added"] == 2
    with service.session() as s:
        held = s.scalars(
            select(Review).join(Child).where(Child.child_ref == "K2").order_by(Review.review_date)
        ).all()
        assert [(r.review_date, r.participation_code, r.status) for r in held] == [
            (D(2025, 6, 2), "PN1", "completed"),
            (HELD, "", "draft"),
        ]


def test_the_report_leaves_the_draft_out_of_participation(service, actors):
    manager, alex, store = actors
    data = sealed_export(store, alex, manager.public, now=MADE)
    assert import_bytes(service, data, manager).status == APPLIED
    with service.session() as s:
        report = annual_report(s, YEAR_START, YEAR_END, today=TODAY)
    assert report["reviews_held"] == 2
    assert report["participation"]["PN1"] == 1
    assert sum(report["participation"].values()) == 1
    assert report["participation_not_recorded"] == 1
    # Of the reviews of children 4 and over, only the one with a code is in the share.
    aged4 = report["participation_aged_4_plus"]
    assert (aged4["reviews"], aged4["participated"], aged4["not_recorded"]) == (1, 1, 1)
    assert aged4["percent"] == 100.0
    # The service's figures for Alex are Alex's own.
    with store.session() as s:
        own = iro_figures(s, YEAR_START, YEAR_END, today=TODAY)
    (alex_entry,) = report["by_iro"]
    assert alex_entry["participation"] == own["participation"]
    assert alex_entry["participation_not_recorded"] == own["participation_not_recorded"] == 1


def test_the_draft_completed_later_with_its_code_supersedes(service, actors):
    manager, alex, store = actors
    first = import_bytes(service, sealed_export(store, alex, manager.public, now=MADE), manager)
    assert first.status == APPLIED
    with store.transaction() as s:
        draft = s.scalar(select(Review).where(Review.review_date == HELD))
        data = reviews.load_review(s, draft.id)
        data.participation_code = "PN2"
        reviews.save_review(s, draft.child_id, data, draft.id, today=D(2025, 9, 8))
    later = import_bytes(
        service,
        sealed_export(store, alex, manager.public, now=MADE + dt.timedelta(days=3)),
        manager,
    )
    assert later.status == APPLIED, later.message
    assert later.superseded == ["K2 2025-08-28 no code yet->PN2"]
    with service.session() as s:
        assert s.scalar(select(Review.participation_code).where(Review.review_date == HELD)) == (
            "PN2"
        )


def test_a_completed_record_without_a_code_is_still_refused(service, actors):
    manager, alex, store = actors
    payload = open_payload(sealed_export(store, alex, manager.public, now=MADE), manager)
    broken = copy.deepcopy(payload)
    broken["children"][0]["reviews"][1]["status"] = "completed"
    before = snapshot(service)
    outcome = import_bytes(service, reseal(broken, alex, manager.public), manager)
    assert outcome.status == REFUSED and outcome.reason == "invalid"
    assert "children[0].reviews[1].participation_code: not an allowed code" in outcome.message
    assert snapshot(service) == before


@pytest.mark.parametrize("status", ["draft", "circulated"])
def test_a_record_not_completed_may_wait_for_its_code(status):
    """validate_payload alone: "" passes for a draft or circulated record; a made-up code
    does not."""
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager")
    alex = keys.generate(keys.ROLE_IRO, "Alex Ash")
    review = {
        "review_date": "2025-08-28", "participation_code": "", "source": "app",
        "kind": "second", "format": "in_person", "meetings": ["2025-08-28"],
        "seen_alone": None, "consultation_child": None, "consultation_parents": None,
        "consultation_carers": None, "advocacy": "", "independent_visitor": "",
        "communication_needs_met": None, "status": status, "decisions": 1,
        "decisions_circulated_on": "2025-09-01" if status == "circulated" else None,
        "record_completed_on": None, "letter_sent_on": None, "due_on": None, "on_time": None,
        "circulate_by": "2025-09-04", "complete_by": "2025-09-18", "letter_by": "2025-09-18",
    }
    child = {
        "child_ref": "K2", "date_of_birth": "2014-03-09", "sex": "F", "ethnicity": "WBRI",
        "uasc": False, "legal_status": "C2", "placement": "U4", "transferred_out_on": None,
        "episodes": [], "reviews": [review], "midway_reviews": [], "escalations": [],
        "case_notes": [],
    }
    manifest = {
        "schema_version": 2, "export_id": "0f6c8a52-3b0e-4f34-9a1e-0d6f1c2b3a4d",
        "created_at": "2025-09-05T16:00:00", "app_version": "0.1.0",
        "iro": {"name": "Alex Ash", "fingerprint": alex.public.fingerprint},
        "manager_fingerprint": manager.public.fingerprint,
        "period": {"from": "2025-04-01", "to": "2026-03-31"}, "includes_names": False,
        "timescales": {"decisions_circulated_days": 5, "record_completed_days": 15,
                       "letter_sent_days": 15},
        "counts": {"children": 1, "episodes": 0, "reviews": 1, "midway_reviews": 0,
                   "escalations": 0, "case_notes": 0},
    }
    def payload(code: str) -> bytes:
        review["participation_code"] = code
        return json.dumps(
            {"manifest": manifest, "children": [child], "children_held": ["K2"]}
        ).encode()

    assert bundle.validate_payload(payload(""))["children"][0]["reviews"][0]["status"] == status
    with pytest.raises(bundle.BundleRefused, match="participation_code: not an allowed code"):
        bundle.validate_payload(payload("PN9"))


def test_another_iros_code_for_a_review_held_as_a_draft_is_no_conflict(tmp_path, service, actors):
    """Bo sends the same review (K2, 28/08/2025) with PN3 while Alex's record of it, the chair's,
    is a draft with no code yet: not a disagreement about the code, so Bo's file applies and
    Alex's record stands (it was a conflict, "held: , this file: PN3", refusing Bo's file)."""
    manager, alex, store = actors
    data = sealed_export(store, alex, manager.public, now=MADE)
    assert import_bytes(service, data, manager).status == APPLIED
    bo = keys.generate(keys.ROLE_IRO, "Bo Birch")
    with service.transaction() as s:
        trust_iro(s, bo.public.armored(), "Bo Birch")
    bo_store = iro_store(tmp_path / "bo.db", "Bo Birch")
    try:
        with bo_store.transaction() as s:
            make_child(
                s,
                child_ref="K2",
                date_of_birth=D(2014, 3, 9),
                looked_after_since=D(2025, 5, 1),
                reviews=[D(2025, 6, 2), HELD],
                participation_code="PN1",
            )
            s.scalar(select(Review).where(Review.review_date == HELD)).participation_code = "PN3"
        bo_data = sealed_export(bo_store, bo, manager.public, now=MADE + dt.timedelta(hours=1))
    finally:
        bo_store.close()

    outcome = import_bytes(service, bo_data, manager)

    assert outcome.status == APPLIED, outcome.message
    assert outcome.conflicts == []
    with service.session() as s:
        assert s.scalar(select(Review.participation_code).where(Review.review_date == HELD)) == ""
