"""Every revision keeps the data written by the version before it (SecureDrop's test_alembic habit).

For each revision N: upgrade an empty store to N-1, write rows as that version would, upgrade to
head, and check every row and value is still there. Areas with a real data migration add a
specific before/after check to tests/db/migration_data.DATA_MIGRATIONS."""

from __future__ import annotations

import pytest

from iro_desktop.db import migrations
from iro_desktop.db.store import make_engine
from tests.conftest import TEST_PASSPHRASE
from tests.db.migration_data import DATA_MIGRATIONS, check_rows, seed_rows

REVISIONS = list(reversed([r for r in migrations.script_directory().walk_revisions()]))
PAIRS = [(r.down_revision, r.revision) for r in REVISIONS if r.down_revision is not None]


@pytest.mark.parametrize(("previous", "revision"), PAIRS, ids=[p[1] for p in PAIRS])
def test_data_written_by_the_previous_version_survives(tmp_path, previous, revision):
    engine = make_engine(tmp_path / "m.db", TEST_PASSPHRASE)
    try:
        migrations.upgrade(engine, str(previous))
        with engine.begin() as conn:
            seeded = seed_rows(conn)
            specific = DATA_MIGRATIONS.get(revision)
            before = specific[0](conn) if specific else None
        assert {"child", "episode", "review", "setting"} <= set(seeded)
        migrations.upgrade(engine, revision)
        with engine.connect() as conn:
            assert check_rows(conn, seeded) == [], f"upgrade {previous} -> {revision} lost data"
        migrations.upgrade(engine, "head")
        with engine.connect() as conn:
            assert check_rows(conn, seeded) == []
            if specific:
                specific[1](conn, before)
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        engine.dispose()


def test_the_helper_notices_lost_data(tmp_path):
    """The check is not vacuous: deleting a seeded row or changing a value is reported."""
    engine = make_engine(tmp_path / "m.db", TEST_PASSPHRASE)
    try:
        migrations.upgrade(engine, "head")
        with engine.begin() as conn:
            seeded = seed_rows(conn)
            conn.exec_driver_sql("UPDATE child SET first_name = 'changed'")
            conn.exec_driver_sql("DELETE FROM setting")
        with engine.connect() as conn:
            problems = check_rows(conn, seeded)
    finally:
        engine.dispose()
    assert any(p.startswith("child.first_name") for p in problems)
    assert "setting: seeded row is gone" in problems


def test_alembic_does_not_reconfigure_logging(tmp_path):
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    app_logger = logging.getLogger("iro_desktop")
    disabled = app_logger.disabled
    engine = make_engine(tmp_path / "m.db", None)
    migrations.upgrade(engine)
    engine.dispose()
    assert root.handlers == handlers and root.level == level
    assert app_logger.disabled == disabled
