"""borrower links: related parties and shared fund recipients (#14 item 6)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-13

One row per direction of a link between two borrowers (same actual controller, mutual
guarantee, related company), imported with `admin import --links`, and one per borrower whose
visits named a fund recipient several borrowers named (`admin fund-recipients`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "borrower_links",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("party_id", sa.String(length=36), nullable=True),
        sa.Column("party_key", sa.String(length=250), nullable=False),
        sa.Column("party_name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("named_by", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"],
                                name=op.f("fk_borrower_links_borrower_id_borrowers")),
        sa.ForeignKeyConstraint(["party_id"], ["borrowers.id"],
                                name=op.f("fk_borrower_links_party_id_borrowers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_borrower_links")),
        sa.UniqueConstraint("borrower_id", "kind", "party_key",
                            name=op.f("uq_borrower_links_borrower_id")),
    )
    op.create_index(op.f("ix_borrower_links_borrower_id"), "borrower_links", ["borrower_id"])
    op.create_index(op.f("ix_borrower_links_party_id"), "borrower_links", ["party_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_borrower_links_party_id"), table_name="borrower_links")
    op.drop_index(op.f("ix_borrower_links_borrower_id"), table_name="borrower_links")
    op.drop_table("borrower_links")
