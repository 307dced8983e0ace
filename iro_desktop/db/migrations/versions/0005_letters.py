"""letters schema changes (empty until that area needs one)

Revision ID: 0005
Revises: 0004

Owned by the letters work: fill in upgrade() and downgrade() together with models.py.
"""

from __future__ import annotations

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
