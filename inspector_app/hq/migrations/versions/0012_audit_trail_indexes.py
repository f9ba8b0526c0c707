"""audit trail indexes: the administrator's filters by user, action, record and date

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Issue #15 item 4: the audit trail is read by user (actor), action, the record it concerns
(entity, entity_id: a visit, or a borrower's visits, signals and handovers) and date, newest
first. Indexes only: no table or row changes.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Each ends in (at, id), the order the trail is read in (newest first), so a filter and a
    # period of it are one index range, whatever the period.
    op.create_index("ix_audit_log_actor_at_id", "audit_log", ["actor", "at", "id"])
    op.create_index("ix_audit_log_action_at_id", "audit_log", ["action", "at", "id"])
    op.create_index("ix_audit_log_entity_entity_id_at_id", "audit_log",
                    ["entity", "entity_id", "at", "id"])
    op.create_index("ix_audit_log_at_id", "audit_log", ["at", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at_id", table_name="audit_log")
    op.drop_index("ix_audit_log_entity_entity_id_at_id", table_name="audit_log")
    op.drop_index("ix_audit_log_action_at_id", table_name="audit_log")
    op.drop_index("ix_audit_log_actor_at_id", table_name="audit_log")
