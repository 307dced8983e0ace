"""protect schema changes (empty until that area needs one)

Revision ID: 0003
Revises: 0002

Owned by the protect work: fill in upgrade() and downgrade() together with models.py.
"""

from __future__ import annotations

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
