"""Deletions reach the service: an export (schema 2) is the IRO's complete record for its period,
so the import removes that IRO's records in the period that the new export no longer holds.

Every file here is made by the real export path (`bundle.export_for_manager`, as `iro-desktop
export` and the export dialog call it) from a real IRO store, after deleting with the caseload's
own use cases; the files are imported through `import_files` (as `manager import` and the manager
window call it)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from iro_desktop.caseload.escalations import delete_escalation
from iro_desktop.caseload.midway import delete_midway
from iro_desktop.caseload.notes import delete_note
from iro_desktop.caseload.reviews import delete_review
from iro_desktop.db.models import (
    CaseNote,
    CaseNoteTally,
    Child,
    ChildAllocation,
    Episode,
    Escalation,
    EscalationStage,
    Letter,
    MidwayReview,
    Review,
    TrustedIro,
)
from iro_desktop.db.service import trust_iro
from iro_desktop.interchange import bundle, keys, manager_import
from iro_desktop.interchange.manager_import import (
    ALREADY,
    APPLIED,
    REFUSED,
    import_files,
    import_order,
)
from iro_desktop.reports.annual import annual_report
from tests.factory import make_child
from tests.manager.helpers import YEAR_END, YEAR_START, D, iro_store, open_payload, reseal, snapshot

T1 = dt.datetime(2026, 1, 10, 9, 0)
T2 = dt.datetime(2026, 2, 10, 9, 0)
T3 = dt.datetime(2026, 3, 10, 9, 0)
T4 = dt.datetime(2026, 3, 20, 9, 0)
T5 = dt.datetime(2026, 3, 30, 9, 0)


class Iro:
    """One IRO: in-memory keys, a plain store, and exports written by the real export path."""

    def __init__(self, tmp_path, name, manager):
        self.name, self.manager = name, manager
        self.keys = keys.generate(keys.ROLE_IRO, name)
        self.store = iro_store(tmp_path / f"{name.split()[0]}.db", name)
        self.folder = tmp_path

    def export(self, label, now, start=YEAR_START, end=YEAR_END):
        out = self.folder / f"{label}.iroexport"
        with self.store.session() as s:
            bundle.export_for_manager(
                s, out, start, end, keys=self.keys, manager=self.manager.public, now=now
            )
        return out

    def child(self, ref):
        with self.store.session() as s:
            return s.scalar(select(Child.id).where(Child.child_ref == ref))

    def review_id(self, ref, day):
        with self.store.session() as s:
            return s.scalar(
                select(Review.id)
                .join(Child)
                .where(Child.child_ref == ref, Review.review_date == day)
            )


@pytest.fixture
def manager():
    return keys.generate(keys.ROLE_MANAGER, "Pat Manager")


@pytest.fixture
def alex(tmp_path, service, manager):
    iro = Iro(tmp_path, "Alex Ash", manager)
    with service.transaction() as s:
        trust_iro(s, iro.keys.public.armored(), iro.name)
    yield iro
    iro.store.close()


@pytest.fixture
def bo(tmp_path, service, manager):
    iro = Iro(tmp_path, "Bo Birch", manager)
    with service.transaction() as s:
        trust_iro(s, iro.keys.public.armored(), iro.name)
    yield iro
    iro.store.close()


def _import(service, manager, *paths):
    return import_files(service, list(paths), manager)


def _count(service, model, *where):
    with service.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _reviews(service, ref=None):
    with service.session() as s:
        query = select(Child.child_ref, Review.review_date).join(Child)
        if ref:
            query = query.where(Child.child_ref == ref)
        return sorted(s.execute(query).all())


def _report(service):
    with service.session() as s:
        return annual_report(s, YEAR_START, YEAR_END)


def test_a_review_deleted_after_export_leaves_the_service_and_the_figures_drop(
    alex, service, manager
):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K1", reviews=[D(2025, 5, 29), D(2025, 8, 28), D(2025, 11, 27)])
        make_child(s, child_ref="K9", reviews=[D(2025, 6, 2)])
    first = alex.export("first", T1)
    (applied,) = _import(service, manager, first)
    assert applied.status == APPLIED and applied.removed == []
    assert applied.line().endswith("4 reviews, 4 new, 0 removed)")
    before = _report(service)

    with alex.store.transaction() as s:
        delete_review(s, alex.review_id("K1", D(2025, 8, 28)))
    (outcome,) = _import(service, manager, alex.export("second", T2))
    assert outcome.status == APPLIED
    assert outcome.changes["reviews_removed"] == 1 and outcome.removed_count == 1
    assert outcome.removed == ["K1 review 2025-08-28"]
    assert outcome.line().endswith(
        "0 new, 1 removed); removed: 1 review (no longer in the IRO's export)"
    )
    assert _reviews(service) == [
        ("K1", D(2025, 5, 29)),
        ("K1", D(2025, 11, 27)),
        ("K9", D(2025, 6, 2)),
    ]
    after = _report(service)
    assert after["reviews_held"] == before["reviews_held"] - 1 == 3
    assert after["by_iro"][0]["reviews_held"] == 3
    # The service's figures equal the IRO's own again.
    with alex.store.session() as s:
        from iro_desktop.reports.figures import iro_figures

        own = iro_figures(s, YEAR_START, YEAR_END)
    for key in ("reviews_held", "reviews_on_time", "children_reviewed", "participation"):
        assert after[key] == own[key], key
    # What was removed is in the import log too.
    with service.session() as s:
        from iro_desktop.db.models import ImportLog

        logged = s.scalars(select(ImportLog).order_by(ImportLog.exported_at)).all()
    assert logged[-1].outcome["removed"] == ["K1 review 2025-08-28"]
    assert logged[-1].outcome["changes"]["reviews_removed"] == 1


def test_midway_escalation_letter_and_case_notes_deleted_are_removed(alex, service, manager):
    with alex.store.transaction() as s:
        child = make_child(s, child_ref="K2", reviews=[D(2025, 5, 29), D(2025, 11, 27)])
        child.reviews[0].letter = Letter(sent_on=D(2025, 6, 10), sections=[])
        child.midway_reviews.append(MidwayReview(held_on=D(2025, 8, 14), method="call"))
        child.midway_reviews.append(MidwayReview(held_on=D(2026, 2, 14), method="visit"))
        child.escalations.append(
            Escalation(
                raised_on=D(2025, 9, 1),
                themes=["Health"],
                stages=[
                    EscalationStage(
                        stage="informal_sw",
                        started_on=D(2025, 9, 1),
                        response_due_on=D(2025, 9, 15),
                    )
                ],
            )
        )
        child.case_notes.append(CaseNote(noted_on=D(2025, 7, 1), kind="visit", seen_alone=True))
        child.case_notes.append(CaseNote(noted_on=D(2025, 10, 3), kind="call"))
    _import(service, manager, alex.export("first", T1))
    assert _count(service, MidwayReview) == 2 and _count(service, Escalation) == 1
    assert _count(service, CaseNoteTally) == 2 and _count(service, Letter) == 1
    before = _report(service)

    with alex.store.transaction() as s:
        child = s.scalar(select(Child).where(Child.child_ref == "K2"))
        delete_midway(s, child.midway_reviews[0].id)
        delete_escalation(s, child.escalations[0].id)
        delete_note(s, next(n.id for n in child.case_notes if n.noted_on.month == 7))
        s.delete(child.reviews[0].letter)
    (outcome,) = _import(service, manager, alex.export("second", T2))
    assert outcome.status == APPLIED, outcome.message
    c = outcome.changes
    assert (
        c["midway_removed"],
        c["escalations_removed"],
        c["case_note_months_removed"],
        c["letters_removed"],
        c["reviews_removed"],
    ) == (1, 1, 1, 1, 0)
    assert outcome.removed_count == 4
    assert sorted(outcome.removed) == [
        "K2 case notes 2025-07",
        "K2 escalation raised 2025-09-01",
        "K2 letter of review 2025-05-29",
        "K2 midway review 2025-08-14",
    ]
    assert (
        "4 removed); removed: 1 letter, 1 midway review, 1 escalation, 1 month of case notes (no"
        in outcome.line()
    )
    with service.session() as s:
        assert s.scalars(select(MidwayReview.held_on)).all() == [D(2026, 2, 14)]
        assert s.scalar(select(func.count()).select_from(EscalationStage)) == 0
        assert s.scalars(select(CaseNoteTally.month)).all() == [D(2025, 10, 1)]
    after = _report(service)
    assert after["midway_reviews_held"] == before["midway_reviews_held"] - 1
    assert after["escalations_raised"] == before["escalations_raised"] - 1 == 0
    assert after["letters_sent"] == before["letters_sent"] - 1 == 0
    assert after["case_notes"] == before["case_notes"] - 1 == 1
    assert after["reviews_held"] == before["reviews_held"] == 2


def test_a_child_deleted_from_the_iros_store_leaves_the_service(alex, service, manager):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K3", reviews=[D(2025, 5, 29)])
        wrong = make_child(s, child_ref="K4", reviews=[D(2025, 6, 3)])  # added in error
        wrong.midway_reviews.append(MidwayReview(held_on=D(2025, 9, 1), method="call"))
        # A child with nothing in this year, who stays in the IRO's store.
        old = make_child(
            s, child_ref="K5", looked_after_since=D(2023, 1, 9), reviews=[D(2023, 3, 1)]
        )
        old.episodes[0].end, old.episodes[0].reason_ended = D(2024, 12, 1), "E13"
    _import(service, manager, alex.export("last-year", T1, D(2023, 1, 1), D(2024, 12, 31)))
    _import(service, manager, alex.export("first", T2))
    before = _report(service)
    assert before["children"]["children_looked_after_in_period"] == 2
    with alex.store.transaction() as s:
        s.delete(s.get(Child, alex.child("K4")))
    (outcome,) = _import(service, manager, alex.export("second", T3))
    assert outcome.status == APPLIED, outcome.message
    assert outcome.changes["children_released"] == 1
    assert outcome.changes["children_removed"] == 1
    assert outcome.changes["reviews_removed"] == 1 and outcome.changes["midway_removed"] == 1
    assert (
        "2 removed); removed: 1 review, 1 midway review (no longer in the IRO's export); "
        "1 child(ren) no longer held by this IRO, 1 of them removed from the service"
    ) in outcome.line()
    with service.session() as s:
        assert sorted(s.scalars(select(Child.child_ref))) == ["K3", "K5"]  # K5 is still held
        assert s.scalar(select(func.count()).select_from(ChildAllocation)) == 2
    assert _count(service, Episode) == 2
    after = _report(service)
    assert after["children"]["children_looked_after_in_period"] == 1
    assert after["reviews_held"] == before["reviews_held"] - 1


def test_an_earlier_period_export_does_not_remove_later_records(alex, service, manager):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K6", reviews=[D(2025, 5, 29), D(2025, 11, 27), D(2026, 2, 20)])
    _import(service, manager, alex.export("year", T1))
    with alex.store.transaction() as s:  # both deleted; only the first is in the next export
        delete_review(s, alex.review_id("K6", D(2025, 5, 29)))
        delete_review(s, alex.review_id("K6", D(2026, 2, 20)))
    (q1,) = _import(service, manager, alex.export("q1", T2, D(2025, 4, 1), D(2025, 6, 30)))
    assert q1.status == APPLIED and q1.removed == ["K6 review 2025-05-29"]
    assert _reviews(service) == [("K6", D(2025, 11, 27)), ("K6", D(2026, 2, 20))]
    # The year exported again retires the later one too.
    (year,) = _import(service, manager, alex.export("year-again", T3))
    assert year.removed == ["K6 review 2026-02-20"]
    assert _reviews(service) == [("K6", D(2025, 11, 27))]


def test_overlapping_periods_remove_only_inside_the_new_period(alex, service, manager):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K7", reviews=[D(2025, 5, 29), D(2025, 8, 28), D(2025, 11, 27)])
    _import(service, manager, alex.export("apr-dec", T1, D(2025, 4, 1), D(2025, 12, 31)))
    with alex.store.transaction() as s:
        delete_review(s, alex.review_id("K7", D(2025, 8, 28)))
        delete_review(s, alex.review_id("K7", D(2025, 11, 27)))
        child = s.get(Child, alex.child("K7"))
        child.reviews.append(Review(review_date=D(2026, 2, 20), participation_code="PN1"))
    (outcome,) = _import(service, manager, alex.export("oct-mar", T2, D(2025, 10, 1), YEAR_END))
    assert outcome.status == APPLIED
    # November is inside October-March: removed. August is not: it stays until an export of a
    # period containing it says otherwise.
    assert outcome.removed == ["K7 review 2025-11-27"]
    assert outcome.changes["reviews_added"] == 1
    assert _reviews(service) == [
        ("K7", D(2025, 5, 29)),
        ("K7", D(2025, 8, 28)),
        ("K7", D(2026, 2, 20)),
    ]


def test_an_older_export_after_a_newer_one_is_refused_and_cannot_bring_a_record_back(
    alex, service, manager
):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K8", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
    old = alex.export("old", T1)
    with alex.store.transaction() as s:
        delete_review(s, alex.review_id("K8", D(2025, 8, 28)))
    new = alex.export("new", T2)
    (applied,) = _import(service, manager, new)
    assert applied.status == APPLIED
    before = snapshot(service)
    (late,) = _import(service, manager, old)
    assert late.status == REFUSED and late.reason == "older_export"
    assert "made on 2026-01-10 at 09:00, before the export from Alex Ash" in late.message
    assert "Nothing was changed" in late.message
    assert snapshot(service) == before
    assert _reviews(service) == [("K8", D(2025, 5, 29))]
    # The newer one again is simply "already imported".
    assert _import(service, manager, new)[0].status == ALREADY


def test_one_run_applies_each_iros_files_in_the_order_they_were_made(alex, bo, service, manager):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K8", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
    with bo.store.transaction() as s:
        make_child(s, child_ref="B1", reviews=[D(2025, 7, 1)])
    old = alex.export("a-old", T1)
    with alex.store.transaction() as s:
        delete_review(s, alex.review_id("K8", D(2025, 8, 28)))
    new = alex.export("a-new", T2)
    other = bo.export("b", T1)
    junk = alex.folder / "junk.iroexport"
    junk.write_bytes(b"not an export")
    assert import_order([new, junk, other, old], manager) == [old, junk, other, new]
    outcomes = _import(service, manager, new, junk, other, old)
    assert [o.status for o in outcomes] == [APPLIED, REFUSED, APPLIED, APPLIED]
    assert outcomes[-1].removed == ["K8 review 2025-08-28"]
    assert _reviews(service, "K8") == [("K8", D(2025, 5, 29))]


def test_a_moved_child_is_not_removed_by_the_other_iro_nor_counted_twice(
    alex, bo, service, manager
):
    days = [D(2025, 5, 29), D(2025, 8, 28)]
    with alex.store.transaction() as s:
        make_child(s, child_ref="M1", reviews=days)
    _import(service, manager, alex.export("a1", T1))

    # The child moves to Bo, whose store has Alex's reviews (from the council's 903) and a new one.
    with bo.store.transaction() as s:
        child = make_child(s, child_ref="M1", reviews=days)
        for review in child.reviews:
            review.source = "903"
        child.reviews.append(Review(review_date=D(2026, 2, 20), participation_code="PN1"))
    with alex.store.transaction() as s:
        s.get(Child, alex.child("M1")).transferred_out_on = D(2025, 12, 1)
    assert _import(service, manager, bo.export("b1", T2))[0].status == APPLIED
    (a2,) = _import(service, manager, alex.export("a2", T3))
    assert a2.status == APPLIED and a2.removed == []

    # Bo drops the 903 copies of Alex's reviews: Bo's export cannot remove Alex's records.
    with bo.store.transaction() as s:
        for day in days:
            delete_review(s, bo.review_id("M1", day))
    (b2,) = _import(service, manager, bo.export("b2", T4))
    assert b2.status == APPLIED and b2.removed == []
    assert len(_reviews(service, "M1")) == 3
    report = _report(service)
    assert report["reviews_held"] == 3 and report["children_reviewed"] == 1
    assert report["children"]["children_looked_after_in_period"] == 1
    by_iro = {e["iro"]: e for e in report["by_iro"]}
    assert by_iro["Alex Ash"]["reviews_held"] == by_iro["Bo Birch"]["reviews_held"] == 3

    # Alex deletes the child who moved: Alex's reviews and allocation go; the child stays, Bo's.
    with alex.store.transaction() as s:
        s.delete(s.get(Child, alex.child("M1")))
    (a3,) = _import(service, manager, alex.export("a3", T5))
    assert a3.status == APPLIED, a3.message
    assert sorted(a3.removed) == [
        "M1 no longer held by this IRO",
        "M1 review 2025-05-29",
        "M1 review 2025-08-28",
    ]
    assert a3.changes["children_removed"] == 0
    with service.session() as s:
        assert s.scalar(select(func.count()).select_from(Child)) == 1
        holder = s.scalar(
            select(TrustedIro.name).join(Child, Child.current_iro_id == TrustedIro.id)
        )
        allocated = s.scalars(select(TrustedIro.name).join(ChildAllocation)).all()
    assert holder == "Bo Birch" and allocated == ["Bo Birch"]
    report = _report(service)
    by_iro = {e["iro"]: e for e in report["by_iro"]}
    assert report["reviews_held"] == 1 and by_iro["Alex Ash"]["reviews_held"] == 0
    assert by_iro["Bo Birch"]["children"]["children_looked_after_in_period"] == 1


def test_a_review_another_iro_still_holds_comes_back_with_their_next_export(
    alex, bo, service, manager
):
    days = [D(2025, 5, 29), D(2025, 8, 28)]
    with alex.store.transaction() as s:
        make_child(s, child_ref="M2", reviews=days)
    with bo.store.transaction() as s:
        child = make_child(s, child_ref="M2", reviews=days)
        for review in child.reviews:
            review.source = "903"
    _import(service, manager, alex.export("a1", T1))
    _import(service, manager, bo.export("b1", T2))
    with alex.store.transaction() as s:
        s.delete(s.get(Child, alex.child("M2")))
    _import(service, manager, alex.export("a2", T3))
    assert _reviews(service, "M2") == []
    (b2,) = _import(service, manager, bo.export("b2", T4))
    assert b2.changes["reviews_added"] == 2
    assert _reviews(service, "M2") == [("M2", day) for day in days]  # once each, Bo's now
    assert _report(service)["reviews_held"] == 2


def test_a_broken_second_file_leaves_the_service_exactly_as_before(
    alex, service, manager, monkeypatch
):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K1", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
    _import(service, manager, alex.export("first", T1))
    with alex.store.transaction() as s:
        delete_review(s, alex.review_id("K1", D(2025, 8, 28)))
    second = alex.export("second", T2)
    before = snapshot(service)

    tampered = alex.folder / "tampered.iroexport"
    data = bytearray(second.read_bytes())
    data[-30] ^= 1
    tampered.write_bytes(bytes(data))
    (refused,) = _import(service, manager, tampered)
    assert refused.status == REFUSED and refused.reason == "tampered"
    assert snapshot(service) == before

    # Signed by the IRO but with an invalid field: refused before anything is removed.
    payload = open_payload(second.read_bytes(), manager)
    payload["children_held"].append("not a ref!")
    invalid = alex.folder / "invalid.iroexport"
    invalid.write_bytes(reseal(payload, alex.keys, manager.public))
    (refused,) = _import(service, manager, invalid)
    assert refused.reason == "invalid" and "children_held[1]" in refused.message
    assert snapshot(service) == before

    # A failure after the removals ran (here: forced) rolls them back with the rest.
    real = manager_import._remove_missing

    def remove_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk gone")

    monkeypatch.setattr(manager_import, "_remove_missing", remove_then_fail)
    with pytest.raises(RuntimeError):
        _import(service, manager, second)
    assert snapshot(service) == before
    monkeypatch.undo()
    (applied,) = _import(service, manager, second)
    assert applied.status == APPLIED and applied.removed == ["K1 review 2025-08-28"]


def test_a_schema_1_file_still_imports_and_removes_nothing(alex, service, manager):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K1", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
    _import(service, manager, alex.export("first", T1))
    with alex.store.transaction() as s:
        delete_review(s, alex.review_id("K1", D(2025, 8, 28)))
    payload = open_payload(alex.export("second", T2).read_bytes(), manager)
    del payload["children_held"]
    payload["manifest"]["schema_version"] = 1
    old_format = alex.folder / "old-format.iroexport"
    old_format.write_bytes(reseal(payload, alex.keys, manager.public))
    (outcome,) = _import(service, manager, old_format)
    assert outcome.status == APPLIED and outcome.removals_checked is False
    assert outcome.removed == [] and outcome.removed_count == 0
    assert "0 new, removals not checked: a schema 1 file from an older IRO Desktop)" in (
        outcome.line()
    )
    assert len(_reviews(service)) == 2
    # A schema 2 file with children_held missing is not schema 1: refused.
    payload["manifest"]["schema_version"] = 2
    payload["manifest"]["export_id"] = "00000000-0000-4000-8000-000000000001"
    payload["manifest"]["created_at"] = T3.isoformat()
    broken = alex.folder / "broken.iroexport"
    broken.write_bytes(reseal(payload, alex.keys, manager.public))
    (refused,) = _import(service, manager, broken)
    assert refused.reason == "invalid" and "children_held: missing" in refused.message


def test_the_export_lists_every_child_held(alex):
    with alex.store.transaction() as s:
        make_child(s, child_ref="K1", reviews=[D(2025, 5, 29)])
        old = make_child(s, child_ref="K0", looked_after_since=D(2023, 1, 9))
        old.episodes[0].end, old.episodes[0].reason_ended = D(2024, 12, 1), "E13"
    data = json.loads(
        bundle.open_sealed(alex.export("x", T1).read_bytes(), alex.keys.age_identity).payload
    )
    assert data["manifest"]["schema_version"] == bundle.SCHEMA_VERSION == 2
    assert [c["child_ref"] for c in data["children"]] == ["K1"]
    assert data["children_held"] == ["K0", "K1"]
