"""Overlapping exports, a later export superseding its own earlier record, and a child who moves
from one IRO to another: followed, not doubled."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from iro_desktop.db.models import Child, ChildAllocation, Review, TrustedIro
from iro_desktop.db.service import trust_iro
from iro_desktop.interchange import keys
from iro_desktop.interchange.manager_import import ALREADY, APPLIED, REFUSED, import_bytes
from tests.factory import make_child
from tests.manager.helpers import D, iro_store, sealed_export, snapshot

T1 = dt.datetime(2026, 1, 10, 9, 0)
T2 = dt.datetime(2026, 2, 10, 9, 0)
T3 = dt.datetime(2026, 3, 10, 9, 0)


@pytest.fixture
def actors(tmp_path, service):
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager")
    a = keys.generate(keys.ROLE_IRO, "Alex Ash")
    b = keys.generate(keys.ROLE_IRO, "Bo Birch")
    with service.transaction() as s:
        trust_iro(s, a.public.armored(), "Alex Ash")
        trust_iro(s, b.public.armored(), "Bo Birch")
    store_a = iro_store(tmp_path / "a.db", "Alex Ash")
    store_b = iro_store(tmp_path / "b.db", "Bo Birch")
    yield manager, a, b, store_a, store_b
    store_a.close()
    store_b.close()


def _iro_of(service, ref):
    with service.session() as s:
        return s.scalar(
            select(TrustedIro.name)
            .join(Child, Child.current_iro_id == TrustedIro.id)
            .where(Child.child_ref == ref)
        )


def _code(service, ref, day):
    with service.session() as s:
        return s.scalar(
            select(Review.participation_code)
            .join(Child)
            .where(Child.child_ref == ref, Review.review_date == day)
        )


def test_overlapping_exports_add_only_what_is_new(actors, service):
    manager, a, _b, store_a, _ = actors
    with store_a.transaction() as s:
        make_child(s, child_ref="K1", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
    q3 = sealed_export(store_a, a, manager.public, start=D(2025, 4, 1), end=D(2025, 12, 31), now=T1)
    with store_a.transaction() as s:
        child = s.scalar(select(Child).where(Child.child_ref == "K1"))
        child.reviews.append(Review(review_date=D(2026, 2, 20), participation_code="PN1"))
    year = sealed_export(
        store_a, a, manager.public, start=D(2025, 4, 1), end=D(2026, 3, 31), now=T2
    )
    assert import_bytes(service, q3, manager).status == APPLIED
    outcome = import_bytes(service, year, manager)
    assert outcome.status == APPLIED
    assert outcome.changes["reviews_added"] == 1 and outcome.changes["reviews_unchanged"] == 2
    with service.session() as s:
        assert s.scalar(select(func.count()).select_from(Review)) == 3
        assert s.scalar(select(func.count()).select_from(Child)) == 1
    # The older export again (same bytes): already imported, nothing changes.
    before = snapshot(service)
    assert import_bytes(service, q3, manager).status == ALREADY
    assert snapshot(service) == before


def test_later_export_from_the_same_iro_supersedes_its_own_record(actors, service):
    manager, a, _b, store_a, _ = actors
    with store_a.transaction() as s:
        make_child(s, child_ref="K2", reviews=[D(2025, 5, 29)], participation_code="PN5")
    first = sealed_export(store_a, a, manager.public, now=T1)
    with store_a.transaction() as s:
        s.scalar(select(Review)).participation_code = "PN1"  # the IRO corrected the code
    corrected = sealed_export(store_a, a, manager.public, now=T2)
    assert import_bytes(service, first, manager).status == APPLIED
    outcome = import_bytes(service, corrected, manager)
    assert outcome.status == APPLIED
    assert outcome.superseded == ["K2 2025-05-29 PN5->PN1"]
    assert _code(service, "K2", D(2025, 5, 29)) == "PN1"


def test_an_older_export_imported_late_does_not_undo_a_newer_one(actors, service):
    manager, a, _b, store_a, _ = actors
    with store_a.transaction() as s:
        make_child(s, child_ref="K3", reviews=[D(2025, 5, 29)], participation_code="PN5")
    old = sealed_export(store_a, a, manager.public, now=T1)
    with store_a.transaction() as s:
        s.scalar(select(Review)).participation_code = "PN1"
    new = sealed_export(store_a, a, manager.public, now=T2)
    assert import_bytes(service, new, manager).status == APPLIED
    before = snapshot(service)
    late = import_bytes(service, old, manager)  # a different file, but older: refused...
    assert late.status == REFUSED and late.reason == "older_export", late.message
    assert snapshot(service) == before
    assert _code(service, "K3", D(2025, 5, 29)) == "PN1"  # ...and the newer record stands


def test_a_child_who_moves_to_another_iro_is_followed_not_doubled(actors, service):
    manager, a, b, store_a, store_b = actors
    with store_a.transaction() as s:
        make_child(s, child_ref="K4", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
    assert (
        import_bytes(service, sealed_export(store_a, a, manager.public, now=T1), manager).status
        == APPLIED
    )
    assert _iro_of(service, "K4") == "Alex Ash"

    # The child moves to Bo, whose store has Alex's reviews (from the council's 903) and a new one.
    with store_b.transaction() as s:
        child = make_child(s, child_ref="K4", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
        for review in child.reviews:
            review.source = "903"
        child.reviews.append(Review(review_date=D(2026, 2, 20), participation_code="PN1"))
    with store_a.transaction() as s:
        s.scalar(select(Child)).transferred_out_on = D(2025, 12, 1)
    assert (
        import_bytes(service, sealed_export(store_b, b, manager.public, now=T2), manager).status
        == APPLIED
    )
    assert _iro_of(service, "K4") == "Bo Birch"
    assert (
        import_bytes(service, sealed_export(store_a, a, manager.public, now=T3), manager).status
        == APPLIED
    )
    assert _iro_of(service, "K4") == "Bo Birch"
    with service.session() as s:
        assert s.scalar(select(func.count()).select_from(Child)) == 1
        assert s.scalar(select(func.count()).select_from(Review)) == 3
        history = s.execute(
            select(TrustedIro.name, ChildAllocation.transferred_out_on)
            .join(TrustedIro)
            .order_by(TrustedIro.name)
        ).all()
        chaired = dict(
            s.execute(
                select(Review.review_date, TrustedIro.name).join(
                    TrustedIro, TrustedIro.id == Review.chaired_by_iro_id
                )
            ).all()
        )
    assert history == [("Alex Ash", D(2025, 12, 1)), ("Bo Birch", None)]
    assert chaired == {
        D(2025, 5, 29): "Alex Ash",
        D(2025, 8, 28): "Alex Ash",
        D(2026, 2, 20): "Bo Birch",
    }


def test_names_travel_only_when_the_iro_setting_is_on(actors, service):
    from iro_desktop import settings

    manager, a, _b, store_a, _ = actors
    with store_a.transaction() as s:
        make_child(s, child_ref="K5", first_name="Zed", last_name="Quill", reviews=[D(2025, 5, 29)])
    assert (
        import_bytes(service, sealed_export(store_a, a, manager.public, now=T1), manager).status
        == APPLIED
    )
    with service.session() as s:
        assert s.scalar(select(Child.first_name)) == ""
    with store_a.transaction() as s:
        settings.put(s, "export_names", True)
    assert (
        import_bytes(service, sealed_export(store_a, a, manager.public, now=T2), manager).status
        == APPLIED
    )
    with service.session() as s:
        assert s.execute(select(Child.first_name, Child.last_name)).one() == ("Zed", "Quill")
