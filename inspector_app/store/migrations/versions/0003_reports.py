"""reports: signed report files per visit, the officer's handwritten signature

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

The handwritten signature becomes part of a visit's locked content, so the signed-visit
trigger is recreated with it in the list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LOCKED = "('signed', 'submitted', 'approved', 'returned')"
CONTENT_0002 = (
    "borrower_id", "officer_id", "kind", "template_code", "template_version", "template_refs",
    "revision", "previous_revision_id", "visit_date", "place", "people_met", "started_at",
    "ended_at", "general_note", "recommended_classification", "final_classification",
    "override_reason", "measures", "next_due_on",
)  # fmt: skip


def _visit_lock_trigger(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    return (
        f"CREATE TRIGGER trg_visits_locked_update BEFORE UPDATE ON visits "
        f"WHEN OLD.status IN {LOCKED} AND ({changed}) "
        f"BEGIN SELECT RAISE(ABORT, 'visit is signed and locked'); END"
    )


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("signer_user_id", sa.String(length=36), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("supersedes_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signer_user_id"], ["users.id"], name=op.f("fk_reports_signer_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_reports_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("sha256", name=op.f("uq_reports_sha256")),
    )
    with op.batch_alter_table("reports") as batch:
        batch.create_index(batch.f("ix_reports_visit_id"), ["visit_id"], unique=False)
    # Batch mode would copy the visits table and drop its triggers; a plain ADD COLUMN keeps
    # them (SQLite supports adding a nullable column in place).
    op.add_column("visits", sa.Column("officer_signature_png", sa.LargeBinary(), nullable=True))
    op.execute("DROP TRIGGER trg_visits_locked_update")
    op.execute(_visit_lock_trigger((*CONTENT_0002, "officer_signature_png")))


def downgrade() -> None:
    op.execute("DROP TRIGGER trg_visits_locked_update")
    # Native DROP COLUMN (SQLite 3.35+), not batch mode: copying the visits table would break
    # the triggers of the tables that refer to it.
    op.execute("ALTER TABLE visits DROP COLUMN officer_signature_png")
    op.execute(_visit_lock_trigger(CONTENT_0002))
    with op.batch_alter_table("reports") as batch:
        batch.drop_index(batch.f("ix_reports_visit_id"))
    op.drop_table("reports")
