"""Alembic environment: uses the engine the application hands over; never reconfigures logging."""

from __future__ import annotations

from alembic import context

from iro_desktop.db.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise RuntimeError("Run migrations through iro_desktop.db.migrations, which passes the engine.")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
