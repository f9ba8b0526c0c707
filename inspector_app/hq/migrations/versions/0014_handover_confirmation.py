"""handover confirmation: the supervisor's signed confirmation, or an administrator's override

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

Issue #15 item 3: the supervisor confirms a handover with a third signature on the record
(handovers.confirmed_sha256); an administrator who completes one without it says why
(handovers.override_reason). Two nullable columns: a handover completed before has neither,
and reads as completed the way it was then.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handovers") as batch:
        batch.add_column(sa.Column("confirmed_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("override_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handovers") as batch:
        batch.drop_column("override_reason")
        batch.drop_column("confirmed_sha256")
