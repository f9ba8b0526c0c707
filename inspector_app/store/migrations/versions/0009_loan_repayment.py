"""loans carry their repayment position, as headquarters imports it from the core system

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08

Issue #14: balance, overdue principal and interest, days past due, interest in arrears (欠息),
rescheduled / refinanced / restructured (with the restructuring's date) and the extract's date.
Plain ADD COLUMNs (the table keeps its constraints as they are): existing loans get zeros,
"no" and no extract date, which the brief and the report show as "no repayment data yet".
The pull cursor is left where it is: the next extract headquarters imports makes a new
version of every loan it names, and that version brings the figures down.
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
    # SQLite 3.35+ drops a column in place; a batch copy would rebuild the table.
    for column in reversed(_columns()):
        op.drop_column("loans", column.name)
