"""exchange: the manager's service database (trusted IROs, import log, allocations, note tallies)

Revision ID: 0006
Revises: 0005

The same schema serves the IRO's store and the manager's service database. New tables hold what
only a manager needs; the new columns on child, review, midway_review and escalation are nullable
and stay empty in an IRO's store, so it is unaffected.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trusted_iro",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("fingerprint", sa.String(length=19), nullable=False),
        sa.Column("ed25519_public", sa.String(length=64), nullable=False),
        sa.Column("age_recipient", sa.String(length=80), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("trusted_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_iro")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_trusted_iro_fingerprint")),
    )
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("export_id", sa.String(length=36), nullable=False),
        sa.Column("trusted_iro_id", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trusted_iro_id"],
            ["trusted_iro.id"],
            name=op.f("fk_import_log_trusted_iro_id_trusted_iro"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log")),
        sa.UniqueConstraint("export_id", name=op.f("uq_import_log_export_id")),
        sa.UniqueConstraint("file_sha256", name=op.f("uq_import_log_file_sha256")),
    )
    with op.batch_alter_table("import_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_log_trusted_iro_id"), ["trusted_iro_id"], unique=False
        )
    op.create_table(
        "child_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("trusted_iro_id", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("transferred_out_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
            name=op.f("fk_child_allocation_child_id_child"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trusted_iro_id"],
            ["trusted_iro.id"],
            name=op.f("fk_child_allocation_trusted_iro_id_trusted_iro"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_allocation")),
        sa.UniqueConstraint("child_id", "trusted_iro_id", name="uq_child_allocation_child_iro"),
    )
    with op.batch_alter_table("child_allocation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_child_allocation_child_id"), ["child_id"], unique=False
        )
    op.create_table(
        "case_note_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("trusted_iro_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("notes", sa.Integer(), nullable=False),
        sa.Column("seen_alone", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
            name=op.f("fk_case_note_tally_child_id_child"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trusted_iro_id"],
            ["trusted_iro.id"],
            name=op.f("fk_case_note_tally_trusted_iro_id_trusted_iro"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_note_tally")),
        sa.UniqueConstraint(
            "child_id", "trusted_iro_id", "month", name="uq_case_note_tally_child_iro_month"
        ),
    )
    with op.batch_alter_table("case_note_tally", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_note_tally_child_id"), ["child_id"], unique=False)

    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_iro_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("exchange_as_of", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_child_current_iro_id_trusted_iro"),
            "trusted_iro",
            ["current_iro_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chaired_by_iro_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("exchange_as_of", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_review_chaired_by_iro_id_trusted_iro"),
            "trusted_iro",
            ["chaired_by_iro_id"],
            ["id"],
            ondelete="SET NULL",
        )
    for table in ("midway_review", "escalation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("iro_id", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("exchange_key", sa.String(length=60), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_iro_id_trusted_iro"),
                "trusted_iro",
                ["iro_id"],
                ["id"],
                ondelete="SET NULL",
            )
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_exchange_key"), ["exchange_key"]
            )


def downgrade() -> None:
    for table in ("escalation", "midway_review"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_exchange_key"), type_="unique")
            batch_op.drop_constraint(
                batch_op.f(f"fk_{table}_iro_id_trusted_iro"), type_="foreignkey"
            )
            batch_op.drop_column("exchange_key")
            batch_op.drop_column("iro_id")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_review_chaired_by_iro_id_trusted_iro"), type_="foreignkey"
        )
        batch_op.drop_column("exchange_as_of")
        batch_op.drop_column("chaired_by_iro_id")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_child_current_iro_id_trusted_iro"), type_="foreignkey"
        )
        batch_op.drop_column("exchange_as_of")
        batch_op.drop_column("current_iro_id")
    with op.batch_alter_table("case_note_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_note_tally_child_id"))
    op.drop_table("case_note_tally")
    with op.batch_alter_table("child_allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_allocation_child_id"))
    op.drop_table("child_allocation")
    with op.batch_alter_table("import_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_log_trusted_iro_id"))
    op.drop_table("import_log")
    op.drop_table("trusted_iro")
