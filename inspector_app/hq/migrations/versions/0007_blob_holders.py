"""who sent headquarters each blob: the blob_holders table

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

Issue #12: a blob belongs to someone. A user who sent every byte of a blob may be told it is
here and may name it in a visit; anyone else only if they may read a visit (or review) that
references it. Blobs received before this have no holder: they stay readable through their
visits, and a laptop naming one in a visit not yet stored is asked for it again (it still
has the file, so it sends it once more and becomes its holder).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_holders",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_blob_holders_user_id_users")),
        sa.PrimaryKeyConstraint("sha256", "user_id", name=op.f("pk_blob_holders")),
    )


def downgrade() -> None:
    op.drop_table("blob_holders")
