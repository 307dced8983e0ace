"""review work: who came to which meeting of a review held as a series

Revision ID: 0004
Revises: 0003

A participant may come to several meetings of one review, so `review_participant.meeting_id` (one
meeting) becomes the association table `review_meeting_attendance`. Data migration: each
participant's `meeting_id` becomes one attendance row; downgrade keeps the earliest meeting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


# Rebuilding a table in batch mode drops the old one, and with foreign keys on that deletes the
# rows pointing at it (ON DELETE CASCADE): so the attendance is parked in a plain table meanwhile.


def upgrade() -> None:
    op.execute(
        "CREATE TABLE _attendance_0004 AS SELECT id AS participant_id, meeting_id"
        " FROM review_participant WHERE meeting_id IS NOT NULL"
    )
    # Someone recorded at a meeting attended it.
    participant = sa.table('review_participant', sa.column('attended', sa.Boolean()),
                           sa.column('meeting_id', sa.Integer()))
    op.execute(participant.update().where(participant.c.meeting_id.is_not(None))
               .values(attended=True))  # portable: SQLite stores 1, PostgreSQL true
    with op.batch_alter_table('review_participant', schema=None) as batch_op:
        batch_op.drop_constraint('fk_review_participant_meeting_id_review_meeting', type_='foreignkey')
        batch_op.drop_column('meeting_id')
    op.create_table(
        'review_meeting_attendance',
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['review_meeting.id'],
                                name=op.f('fk_review_meeting_attendance_meeting_id_review_meeting'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['review_participant.id'],
                                name=op.f('fk_review_meeting_attendance_participant_id_review_participant'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('participant_id', 'meeting_id', name=op.f('pk_review_meeting_attendance')),
    )
    with op.batch_alter_table('review_meeting_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meeting_attendance_meeting_id'), ['meeting_id'],
                              unique=False)
    op.execute(
        "INSERT INTO review_meeting_attendance (participant_id, meeting_id)"
        " SELECT participant_id, meeting_id FROM _attendance_0004"
    )
    op.execute("DROP TABLE _attendance_0004")


def downgrade() -> None:
    # The earliest meeting each person came to is the one the old column can hold.
    op.execute(
        "CREATE TABLE _attendance_0004 AS SELECT a.participant_id, ("
        " SELECT b.meeting_id FROM review_meeting_attendance b"
        " JOIN review_meeting m ON m.id = b.meeting_id"
        " WHERE b.participant_id = a.participant_id ORDER BY m.held_on, m.id LIMIT 1) AS meeting_id"
        " FROM review_meeting_attendance a GROUP BY a.participant_id"
    )
    with op.batch_alter_table('review_meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meeting_attendance_meeting_id'))
    op.drop_table('review_meeting_attendance')
    with op.batch_alter_table('review_participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_review_participant_meeting_id_review_meeting', 'review_meeting',
                                    ['meeting_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE review_participant SET meeting_id = (SELECT t.meeting_id FROM _attendance_0004 t"
        " WHERE t.participant_id = review_participant.id)"
    )
    op.execute("DROP TABLE _attendance_0004")
