"""Migrations are tested code: `upgrade head` gives exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from iro_desktop.db import migrations
from iro_desktop.db.models import Base
from iro_desktop.db.store import make_engine


def test_upgrade_head_matches_models(tmp_path):
    engine = make_engine(tmp_path / "m.db", "pw")
    migrations.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_every_revision_downgrades_and_upgrades(tmp_path):
    engine = make_engine(tmp_path / "m.db", None)
    revisions = [r.revision for r in migrations.script_directory().walk_revisions()]
    migrations.upgrade(engine)
    for revision in revisions:  # newest first
        migrations.downgrade(engine, "-1")
        assert migrations.current_revision(engine) != revision
    assert migrations.current_revision(engine) is None
    migrations.upgrade(engine)
    assert migrations.current_revision(engine) == migrations.head_revision()
    engine.dispose()
