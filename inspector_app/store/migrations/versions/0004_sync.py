"""sync: the outbox, this laptop's registration, acknowledged visit versions, pulled documents

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

A database that already holds visits was filled before sync existed, so nothing of it was
ever sent: every visit and every photo and report file is put in the outbox once, here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=8), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("conflict", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("entity", "ref", name=op.f("uq_outbox_entity")),
    )
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=300), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "visit_sync",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("acked_version", sa.Integer(), nullable=False),
        sa.Column("acked_payload_sha256", sa.String(length=64), nullable=True),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.Column("unanswered", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_visit_sync")),
    )
    op.create_table(
        "reference_docs",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "id", name=op.f("pk_reference_docs")),
    )
    # Everything written before this release is unsent. CURRENT_TIMESTAMP is UTC in SQLite
    # and in the "YYYY-MM-DD HH:MM:SS" form the DateTime columns read back.
    op.execute(
        "INSERT INTO outbox (entity, ref, enqueued_at, attempts) "
        "SELECT 'visit', id, CURRENT_TIMESTAMP, 0 FROM visits"
    )
    op.execute(
        "INSERT INTO outbox (entity, ref, enqueued_at, attempts) "
        "SELECT DISTINCT 'blob', sha256, CURRENT_TIMESTAMP, 0 FROM "
        "(SELECT sha256 FROM photos UNION SELECT sha256 FROM reports)"
    )


def downgrade() -> None:
    op.drop_table("reference_docs")
    op.drop_table("visit_sync")
    op.drop_table("sync_state")
    op.drop_table("outbox")
