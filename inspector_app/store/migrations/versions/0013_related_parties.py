"""related parties: the links headquarters keeps between borrowers (#14 item 6)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-13

A new table, filled by sync: borrowers under the same actual controller, mutual guarantors,
related companies, and fund recipients several borrowers' funds went to, each with what
headquarters knows of the party's open red and orange signals.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "related_parties",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("party_id", sa.String(length=36), nullable=True),
        sa.Column("party_code", sa.String(length=32), nullable=False),
        sa.Column("party_name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("party_red_signals", sa.Integer(), nullable=False),
        sa.Column("party_orange_signals", sa.Integer(), nullable=False),
        sa.Column("named_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"],
                                name=op.f("fk_related_parties_borrower_id_borrowers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_related_parties")),
    )
    op.create_index(op.f("ix_related_parties_borrower_id"), "related_parties",
                    ["borrower_id"])
    op.create_index(op.f("ix_related_parties_party_id"), "related_parties", ["party_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_related_parties_party_id"), table_name="related_parties")
    op.drop_index(op.f("ix_related_parties_borrower_id"), table_name="related_parties")
    op.drop_table("related_parties")
