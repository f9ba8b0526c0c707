"""reviews: a supervisor's decisions and item comments, and when a visit became submitted

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Reviews and their comments are new tables. visits.submitted_at is a plain ADD COLUMN (a batch
copy of the table would drop 0002's triggers); it is not content, so the lock on signed visits
lets it be set. Visits already submitted (or decided) get it from the audit log: the step that
made them submitted here, or their arrival from headquarters' team feed; failing that, their
last update. Indexes keep the supervisor's queue one indexed query at 20,000 visits, and a
visit's history (audit entries, revisions) a lookup rather than a scan.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _record() -> list[sa.Column[object]]:
    """The columns every Record has (common.sqltypes.RecordColumns)."""
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer_id", sa.String(length=36), nullable=True),
        sa.Column("reviewer_name", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("final_classification", sa.String(length=32), nullable=True),
        sa.Column("classification_reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("conflict", sa.Text(), nullable=False),
        sa.Column("server_id", sa.String(length=64), nullable=True),
        *_record(),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_reviews_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_reviews_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_visit_id"), "reviews", ["visit_id"])
    op.create_index(op.f("ix_reviews_decided_at"), "reviews", ["decided_at"])
    op.create_index(
        "uq_reviews_draft", "reviews", ["visit_id", "reviewer_id"], unique=True,
        sqlite_where=sa.text("decision = 'draft'"),
    )
    op.create_table(
        "review_comments",
        sa.Column("review_id", sa.String(length=36), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_record(),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], ondelete="CASCADE",
            name=op.f("fk_review_comments_review_id_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
        sa.UniqueConstraint(
            "review_id", "target", "ref", name=op.f("uq_review_comments_review_id")
        ),
    )
    op.add_column("visits", sa.Column("submitted_at", sa.DateTime(), nullable=True))
    op.create_index("ix_visits_officer_status", "visits", ["officer_id", "status"])
    op.create_index("ix_visits_previous_revision_id", "visits", ["previous_revision_id"])
    op.create_index("ix_audit_log_entity_id", "audit_log", ["entity_id"])
    op.execute(
        "UPDATE visits SET submitted_at = COALESCE(("
        " SELECT max(a.at) FROM audit_log a WHERE a.entity = 'visit' AND a.entity_id = visits.id"
        " AND ((a.action = 'visit.transition' AND json_extract(a.detail, '$.target') = 'submitted')"
        " OR (a.action = 'visit.received' AND json_extract(a.detail, '$.status') = 'submitted'))"
        "), updated_at) WHERE status IN ('submitted', 'approved', 'returned')"
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity_id", table_name="audit_log")
    op.drop_index("ix_visits_previous_revision_id", table_name="visits")
    op.drop_index("ix_visits_officer_status", table_name="visits")
    # SQLite 3.35+ drops a column in place; a batch copy would lose the triggers.
    op.drop_column("visits", "submitted_at")
    op.drop_table("review_comments")
    op.drop_index("uq_reviews_draft", table_name="reviews")
    op.drop_index(op.f("ix_reviews_decided_at"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_visit_id"), table_name="reviews")
    op.drop_table("reviews")
