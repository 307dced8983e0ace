"""foundation schema changes (empty until that area needs one)

Revision ID: 0002
Revises: 0001

Owned by the foundation work: fill in upgrade() and downgrade() together with models.py.
"""

from __future__ import annotations

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
