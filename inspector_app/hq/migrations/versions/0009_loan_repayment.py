"""loans carry their repayment position from the core-banking extract

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08

Issue #14: balance, overdue principal and interest, days past due, interest in arrears (欠息),
rescheduled / refinanced / restructured (with the restructuring's date) and the extract's date,
imported with `admin import --repayment`. Plain ADD COLUMNs: existing loans get zeros, "no"
and no extract date (no repayment data yet), and their version is not moved, so devices pull
nothing until an extract names them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column[object]]:
    zero = sa.text("0")
    return [
        sa.Column("outstanding_fen", sa.BigInteger(), nullable=False, server_default=zero),
        sa.Column("overdue_principal_fen", sa.BigInteger(), nullable=False,
                  server_default=zero),
        sa.Column("overdue_interest_fen", sa.BigInteger(), nullable=False,
                  server_default=zero),
        sa.Column("days_past_due", sa.Integer(), nullable=False, server_default=zero),
        sa.Column("arrears_interest_fen", sa.BigInteger(), nullable=False,
                  server_default=zero),
        sa.Column("rescheduled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("refinanced", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("restructured", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("restructured_on", sa.Date(), nullable=True),
        sa.Column("repayment_as_of", sa.Date(), nullable=True),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("loans", column)


def downgrade() -> None:
    # In place (SQLite 3.35+, PostgreSQL): a batch copy of the table is not needed.
    for column in reversed(_columns()):
        op.drop_column("loans", column.name)
