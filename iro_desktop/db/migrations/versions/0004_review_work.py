"""review work schema changes (empty until that area needs one)

Revision ID: 0004
Revises: 0003

Owned by the review work work: fill in upgrade() and downgrade() together with models.py.
"""

from __future__ import annotations

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
