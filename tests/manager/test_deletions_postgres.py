"""Deletions on a real PostgreSQL server: removals, a child removed from the service, and a broken
second file that changes nothing (tests/manager/test_deletions.py has every case on SQLite)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from iro_desktop.caseload.midway import delete_midway
from iro_desktop.caseload.reviews import delete_review
from iro_desktop.db import migrations
from iro_desktop.db.models import Child, MidwayReview
from iro_desktop.db.service import open_service, trust_iro
from iro_desktop.interchange import keys
from iro_desktop.interchange.manager_import import APPLIED, REFUSED, import_files
from iro_desktop.reports.annual import annual_report
from tests.factory import make_child
from tests.manager import pg_server
from tests.manager.helpers import YEAR_END, YEAR_START, D, snapshot
from tests.manager.test_deletions import Iro

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url():
    reason = pg_server.unavailable()
    if reason:
        pytest.skip(f"no PostgreSQL server for this test: {reason}")
    with pg_server.postgres_server() as url:
        yield url


@pytest.fixture
def pg_service(pg_url):
    store = open_service(pg_url)
    yield store
    store.close()
    engine = open_service(pg_url, migrate=False).engine
    migrations.downgrade(engine, "base")
    engine.dispose()


def test_deletions_on_postgres(pg_service, tmp_path):
    """An export's removals, a child removed from the service, and a broken second file that
    changes nothing, on PostgreSQL (tests/manager/test_deletions.py has the SQLite cases)."""
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager")
    alex = Iro(tmp_path, "Alex Ash", manager)
    try:
        with pg_service.transaction() as s:
            trust_iro(s, alex.keys.public.armored(), alex.name)
        with alex.store.transaction() as s:
            child = make_child(s, child_ref="P1", reviews=[D(2025, 5, 29), D(2025, 8, 28)])
            child.midway_reviews.append(MidwayReview(held_on=D(2025, 7, 1), method="call"))
            make_child(s, child_ref="P2", reviews=[D(2025, 6, 3)])
        (first,) = import_files(
            pg_service, [alex.export("first", dt.datetime(2026, 1, 1))], manager
        )
        assert first.status == APPLIED
        with pg_service.session() as s:
            held = annual_report(s, YEAR_START, YEAR_END)["reviews_held"]
        with alex.store.transaction() as s:
            delete_review(s, alex.review_id("P1", D(2025, 8, 28)))
            delete_midway(s, s.scalar(select(MidwayReview.id)))
            s.delete(s.get(Child, alex.child("P2")))
        second = alex.export("second", dt.datetime(2026, 2, 1))
        broken = tmp_path / "broken.iroexport"
        broken.write_bytes(second.read_bytes()[:-50])
        before = snapshot(pg_service)
        assert import_files(pg_service, [broken], manager)[0].status == REFUSED
        assert snapshot(pg_service) == before
        (outcome,) = import_files(pg_service, [second], manager)
        assert outcome.status == APPLIED, outcome.message
        assert sorted(outcome.removed) == [
            "P1 midway review 2025-07-01",
            "P1 review 2025-08-28",
            "P2 no longer held by this IRO",
            "P2 removed from the service (no IRO holds them)",
            "P2 review 2025-06-03",
        ]
        with pg_service.session() as s:
            assert s.scalars(select(Child.child_ref)).all() == ["P1"]
            assert annual_report(s, YEAR_START, YEAR_END)["reviews_held"] == held - 2 == 1
    finally:
        alex.store.close()
