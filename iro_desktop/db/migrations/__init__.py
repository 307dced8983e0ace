"""Alembic, run in-process: the schema's history lives in `versions/`, inside the package.

Alembic itself (~90 ms to import) is loaded only when the schema has to change or be checked
against the history: a normal start reads the stored revision with one plain query and compares
it with `HEAD_REVISION`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from iro_desktop.paths import package_path

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

#: The newest revision in `versions/`. Update it with every new revision (a test checks it
#: equals the script directory's head, so it cannot be forgotten).
HEAD_REVISION = "0006"
VERSION_TABLE = "alembic_version"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(package_path("db", "migrations")))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The head as Alembic reads it from `versions/` (the slow, authoritative way)."""
    head = script_directory().get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database), without Alembic."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        revisions = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        if len(revisions) <= 1:
            return revisions[0] if revisions else None
        from alembic.runtime.migration import MigrationContext

        # Several heads: Alembic says what that means (it raises for a single-head history).
        return MigrationContext.configure(conn).get_current_revision()


def check_not_newer(revision: str | None) -> None:
    """Refuse a store written by a newer version: its revision is unknown to this build."""
    from iro_desktop.db.store import NewerDatabase

    if revision is None or revision == HEAD_REVISION:
        return
    known = {rev.revision for rev in script_directory().walk_revisions()}
    if revision not in known:
        raise NewerDatabase(revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)
