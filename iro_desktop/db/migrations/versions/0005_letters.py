"""letters schema changes (empty until that area needs one)

Revision ID: 0005
Revises: 0004

Owned by the letters work: fill in upgrade() and downgrade() together with models.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("header", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_column("header")
