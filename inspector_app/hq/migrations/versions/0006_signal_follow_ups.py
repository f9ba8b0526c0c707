"""supervisors' follow-ups on warning signals, and an index of the signals pushed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Issue #11: a supervisor escalates, reassigns or clears a signal of their team. Headquarters
finds a signal by its id in signal_index, filled on every push from now on and here from the
visits already stored (their documents' signals; a signal id in several visits keeps the one
stored last).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    op.create_table(
        "signal_index",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("handler_id", sa.String(length=36), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"],
                                name=op.f("fk_signal_index_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_index")),
    )
    op.create_index(op.f("ix_signal_index_visit_id"), "signal_index", ["visit_id"])
    op.create_index(op.f("ix_signal_index_borrower_id"), "signal_index", ["borrower_id"])
    op.create_table(
        "signal_follow_ups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("signal_id", sa.String(length=100), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=True),
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_signal_follow_ups_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_follow_ups")),
    )
    op.create_index(op.f("ix_signal_follow_ups_signal_id"), "signal_follow_ups",
                    ["signal_id"])
    _backfill()


def _backfill() -> None:
    conn = op.get_bind()
    visits = sa.table("visits", sa.column("id", sa.String()), sa.column("borrower_id", sa.String()),
                      sa.column("payload", sa.JSON()), sa.column("updated_at", sa.DateTime()))
    index = sa.table("signal_index", *(sa.column(c) for c in (
        "id", "visit_id", "borrower_id", "severity", "status", "updated_at")))
    found: dict[str, dict[str, Any]] = {}
    rows = conn.execute(
        sa.select(visits.c.id, visits.c.borrower_id, visits.c.payload, visits.c.updated_at)
        .order_by(visits.c.updated_at, visits.c.id), execution_options={"yield_per": BATCH})
    for visit_id, borrower_id, payload, updated_at in rows:
        for signal in (payload or {}).get("signals") or ():
            if signal.get("id"):
                found[str(signal["id"])] = {
                    "id": str(signal["id"]), "visit_id": visit_id, "borrower_id": borrower_id,
                    "severity": str(signal.get("severity", "")),
                    "status": str(signal.get("status", "")), "updated_at": updated_at}
    values = list(found.values())
    for start in range(0, len(values), BATCH):
        conn.execute(sa.insert(index), values[start:start + BATCH])


def downgrade() -> None:
    op.drop_index(op.f("ix_signal_follow_ups_signal_id"), table_name="signal_follow_ups")
    op.drop_table("signal_follow_ups")
    op.drop_index(op.f("ix_signal_index_borrower_id"), table_name="signal_index")
    op.drop_index(op.f("ix_signal_index_visit_id"), table_name="signal_index")
    op.drop_table("signal_index")
