"""photo annotations: arrows, circles and text drawn over a photo, kept beside the original

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

A plain ADD COLUMN (not a batch copy of the table) so the signed-visit triggers on photos stay
exactly as 0002 made them. Existing photos get an empty layer.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "photos",
        sa.Column("annotations", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place; a batch copy would lose the triggers.
    op.drop_column("photos", "annotations")
