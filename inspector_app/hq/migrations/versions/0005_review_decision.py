"""a review keeps the supervisor's classification, item comments and both times

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Issue #11: an approval may confirm another classification than the officer's (with the
reason), a return may comment on single items (answers, photos, observations, signals), and
the decision carries the time the supervisor made it on their laptop (decided_at) besides the
time headquarters received it (received_at). Reviews stored before keep decided_at as both.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("received_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("final_classification", sa.String(length=32),
                                   nullable=True))
        batch.add_column(sa.Column("classification_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("comments", sa.JSON(), nullable=True))
    reviews = sa.table("reviews", sa.column("decided_at", sa.DateTime()),
                       sa.column("received_at", sa.DateTime()),
                       sa.column("classification_reason", sa.Text()),
                       sa.column("comments", sa.JSON()))
    op.execute(reviews.update().values(received_at=reviews.c.decided_at,
                                       classification_reason="", comments=[]))
    with op.batch_alter_table("reviews") as batch:
        batch.alter_column("received_at", existing_type=sa.DateTime(), nullable=False)
        batch.alter_column("classification_reason", existing_type=sa.Text(), nullable=False)
        batch.alter_column("comments", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("comments")
        batch.drop_column("classification_reason")
        batch.drop_column("final_classification")
        batch.drop_column("received_at")
