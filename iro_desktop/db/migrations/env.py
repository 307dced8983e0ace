"""Alembic environment: uses the engine the application hands over; never reconfigures logging.

On SQLite, foreign keys are switched off while migrations run: batch mode rebuilds a table by
copying it and dropping the original, and with foreign keys on, dropping `child` would cascade
(ON DELETE CASCADE) and delete every review, episode and note of every child. The foreign keys
are checked once the migrations are done, then switched back on.
"""

from __future__ import annotations

from alembic import context

from iro_desktop.db.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise RuntimeError("Run migrations through iro_desktop.db.migrations, which passes the engine.")

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Must run outside a transaction, or SQLite ignores it.
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=True,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(
                        f"migration left {len(broken)} rows pointing at missing rows; rolled back"
                    )
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()
