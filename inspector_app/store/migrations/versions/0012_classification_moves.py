"""classification moves: each borrower's classification as this laptop saw it change

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

The supervisor's migration matrix (正常→关注 this quarter) needs each borrower's
classification at the start and at the end of a period; borrowers.classification holds only
today's. classification_moves keeps one row per change (the day, from, to), written by the
schedule refresh that derives borrowers.classification. Local, never synced. Nothing is known
of the past yet: a borrower without moves has had its current classification all along.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classification_moves",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("from_classification", sa.String(length=32), nullable=False),
        sa.Column("to_classification", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"],
            name=op.f("fk_classification_moves_borrower_id_borrowers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_moves")),
    )
    # A borrower's first move after a day: the matrix reads it 20,000 times per figure.
    op.create_index(
        "ix_classification_moves_borrower", "classification_moves",
        ["borrower_id", "moved_on", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_classification_moves_borrower", table_name="classification_moves")
    op.drop_table("classification_moves")
