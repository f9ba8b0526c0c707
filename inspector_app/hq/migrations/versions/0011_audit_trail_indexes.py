"""audit trail indexes: the administrator's filters by user, action, record and date

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Issue #15 item 4: the audit trail is read by user (actor), action, the record it concerns
(entity, entity_id: a visit, or a borrower's visits, signals and handovers) and date, newest
first. Indexes only: no table or row changes.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor", "id"])
    op.create_index("ix_audit_log_action_id", "audit_log", ["action", "id"])
    op.create_index("ix_audit_log_entity_entity_id_id", "audit_log",
                    ["entity", "entity_id", "id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_entity_entity_id_id", table_name="audit_log")
    op.drop_index("ix_audit_log_action_id", table_name="audit_log")
    op.drop_index("ix_audit_log_actor_id", table_name="audit_log")
