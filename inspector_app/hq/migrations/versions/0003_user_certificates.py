"""users' signing certificates; which certificates signed a verified report

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Headquarters matches the certificate of a report's signature to the user who posts it: each
user's certificates are kept by the SHA-256 of their DER bytes (one user per certificate),
and a verified report remembers its signers so the match needs no second reading of the PDF.
A report verified before this revision has no signers yet; they are read from the PDF once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_certificates",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_user_certificates_user_id_users")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_user_certificates")),
    )
    op.create_index(op.f("ix_user_certificates_user_id"), "user_certificates", ["user_id"])
    with op.batch_alter_table("report_checks") as batch:
        batch.add_column(sa.Column("signers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_checks") as batch:
        batch.drop_column("signers")
    op.drop_index(op.f("ix_user_certificates_user_id"), table_name="user_certificates")
    op.drop_table("user_certificates")
