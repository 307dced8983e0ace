"""The service database on a real PostgreSQL server: the same models, migrations, import and
report."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from iro_desktop.db import migrations
from iro_desktop.db.models import Base, Child, Review
from iro_desktop.db.service import open_service
from iro_desktop.interchange.manager_import import ALREADY, APPLIED, REFUSED, import_bytes
from iro_desktop.reports.annual import annual_report
from tests.manager import pg_server
from tests.manager.conftest import trust_all
from tests.manager.helpers import (
    REPORT_DAY,
    YEAR_END,
    YEAR_START,
    add_numbers,
    open_payload,
    snapshot,
)

pytestmark = pytest.mark.postgres


def open_counts(data, manager_keys):
    return open_payload(data, manager_keys)["manifest"]["counts"]


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
    # Empty the database for the next test: every revision downgrades on PostgreSQL too.
    engine = open_service(pg_url, migrate=False).engine
    migrations.downgrade(engine, "base")
    engine.dispose()


def test_migrations_give_the_models_schema_on_postgres(pg_service):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert pg_service.engine.dialect.name == "postgresql"
    with pg_service.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert {"trusted_iro", "import_log", "child_allocation"} <= set(
        inspect(pg_service.engine).get_table_names()
    )


def test_round_trip_and_refusal_on_postgres(pg_service, demo_iros, manager_keys):
    trust_all(pg_service, demo_iros)
    assert [import_bytes(pg_service, i.export, manager_keys).status for i in demo_iros] == [
        APPLIED
    ] * 3
    before = snapshot(pg_service)
    assert [import_bytes(pg_service, i.export, manager_keys).status for i in demo_iros] == [
        ALREADY
    ] * 3
    tampered = bytearray(demo_iros[0].export)
    tampered[-20] ^= 1
    assert import_bytes(pg_service, bytes(tampered), manager_keys).status == REFUSED
    assert snapshot(pg_service) == before
    with pg_service.session() as s:
        report = annual_report(s, YEAR_START, YEAR_END, today=REPORT_DAY)
        children = s.scalar(select(func.count()).select_from(Child))
        reviews = s.scalar(select(func.count()).select_from(Review))
    exported = [open_counts(i.export, manager_keys) for i in demo_iros]
    assert children == sum(c["children"] for c in exported)
    assert reviews == sum(c["reviews"] for c in exported)
    assert report["reviews_held"] > 100
    total = demo_iros[0].stats
    for iro in demo_iros[1:]:
        total = add_numbers(total, iro.stats)
    for key, value in total.items():
        assert report[key] == value, key
