"""schedule and shortfall: event signals, partial collateral shortages, why a date is due

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-12

- risk_signals.event: a signal that proposes a special inspection (legal representative
  died, jailed or absconded; litigation). Existing signals are not events (false).
- collateral_observations: the quantity registered and found (thousandths) and its unit, for
  a partial shortage (800 t of 2,459 t). Existing observations have none.
- borrowers.next_due_reason: the rule that set next_due_on, in both languages; filled by the
  next refresh of the schedule (every start of a sync, every finished visit).

Plain ADD COLUMNs: the tables and their guard triggers stay as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "risk_signals",
        sa.Column("event", sa.Boolean(), nullable=False, server_default=sa.text("0")),
    )
    op.add_column(
        "collateral_observations",
        sa.Column("registered_quantity_milli", sa.BigInteger(), nullable=True),
    )
    op.add_column(
        "collateral_observations",
        sa.Column("found_quantity_milli", sa.BigInteger(), nullable=True),
    )
    op.add_column(
        "collateral_observations",
        sa.Column("quantity_unit", sa.String(length=20), nullable=False, server_default=""),
    )
    op.add_column("borrowers", sa.Column("next_due_reason", sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place; a batch copy would lose the guard triggers.
    op.drop_column("borrowers", "next_due_reason")
    op.drop_column("collateral_observations", "quantity_unit")
    op.drop_column("collateral_observations", "found_quantity_milli")
    op.drop_column("collateral_observations", "registered_quantity_milli")
    op.drop_column("risk_signals", "event")
