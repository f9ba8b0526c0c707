"""handovers (责任移交): the handovers, handover_borrowers and handover_visits tables

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Issue #15 item 3: a supervisor or administrator hands some of an officer's borrowers to
another officer; the handover stays pending until the old officer's laptop has uploaded
everything and the handover is completed. New tables only: nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("from_officer_id", sa.String(length=36), nullable=False),
        sa.Column("to_officer_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("release", sa.JSON(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("completed_by", sa.String(length=100), nullable=True),
        sa.Column("signed_sha256", sa.String(length=64), nullable=True),
        sa.Column("countersigned_sha256", sa.String(length=64), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["from_officer_id"], ["users.id"],
                                name=op.f("fk_handovers_from_officer_id_users")),
        sa.ForeignKeyConstraint(["to_officer_id"], ["users.id"],
                                name=op.f("fk_handovers_to_officer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    op.create_index(op.f("ix_handovers_from_officer_id"), "handovers", ["from_officer_id"])
    op.create_index(op.f("ix_handovers_to_officer_id"), "handovers", ["to_officer_id"])
    op.create_table(
        "handover_borrowers",
        sa.Column("handover_id", sa.String(length=36), nullable=False),
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"],
                                name=op.f("fk_handover_borrowers_handover_id_handovers")),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"],
                                name=op.f("fk_handover_borrowers_borrower_id_borrowers")),
        sa.PrimaryKeyConstraint("handover_id", "borrower_id", name=op.f("pk_handover_borrowers")),
    )
    op.create_index(op.f("ix_handover_borrowers_borrower_id"), "handover_borrowers",
                    ["borrower_id"])
    op.create_table(
        "handover_visits",
        sa.Column("handover_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("taker_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["handover_id"], ["handovers.id"],
                                name=op.f("fk_handover_visits_handover_id_handovers")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"],
                                name=op.f("fk_handover_visits_visit_id_visits")),
        sa.ForeignKeyConstraint(["taker_id"], ["users.id"],
                                name=op.f("fk_handover_visits_taker_id_users")),
        sa.PrimaryKeyConstraint("handover_id", "visit_id", name=op.f("pk_handover_visits")),
    )
    op.create_index(op.f("ix_handover_visits_visit_id"), "handover_visits", ["visit_id"])
    op.create_index(op.f("ix_handover_visits_taker_id"), "handover_visits", ["taker_id"])


def downgrade() -> None:
    op.drop_table("handover_visits")
    op.drop_table("handover_borrowers")
    op.drop_table("handovers")
