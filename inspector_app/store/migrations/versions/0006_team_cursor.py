"""team feed cursor: how far a supervisor's laptop has read headquarters' visit feed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

The visit feed (the team's signed visits, for review) has a sequence of its own beside the
pull's; a plain ADD COLUMN keeps the table as it is. A registered laptop starts from 0, so
its next sync reads the whole feed once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sync_state",
        sa.Column("team_cursor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    op.drop_column("sync_state", "team_cursor")
