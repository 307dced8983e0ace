"""exchange schema changes (empty until that area needs one)

Revision ID: 0006
Revises: 0005

Owned by the exchange work: fill in upgrade() and downgrade() together with models.py.
"""

from __future__ import annotations

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
