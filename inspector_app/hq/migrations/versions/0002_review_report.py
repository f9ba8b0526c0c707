"""a review may carry the countersigned report

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

A supervisor approves by countersigning on their laptop; the review keeps the countersigned
report's record (the PDF itself is a blob), so the officer's laptop can pull it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("report", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("report")
