"""decision rows: visits decided before reviews were kept get theirs

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

The decided tab of the supervisor's review queue lists decisions (reviews rows), newest
first. A visit approved or returned before 0007 has none: it gets one, its reviewer and time
from the audit log's step to that status (else nobody known and the visit's last update), its
comment from that step's reason; pending if the visit's push or countersignature is still
unsent, else confirmed. store.review.derive_decision_rows does the same for rows written in
bulk (the demo portfolio).
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# A copy of store.review.DECISION_ROWS_SQL as it was when this step was written.
DECISION_ROWS_SQL = (
    "INSERT INTO reviews (id, visit_id, reviewer_id, reviewer_name, decision, comment, "
    "final_classification, classification_reason, decided_at, state, conflict, server_id, "
    "created_at, updated_at, version) "
    "SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || "
    "hex(randomblob(6))), v.id, a.user_id, COALESCE(u.display_name, ''), v.status, "
    "COALESCE(json_extract(a.detail, '$.comment'), json_extract(a.detail, '$.reason'), ''), "
    "NULL, '', COALESCE(a.at, v.updated_at), "
    "CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.ref = v.id "
    "AND o.entity IN ('visit', 'countersign')) THEN 'pending' ELSE 'confirmed' END, "
    "'', json_extract(a.detail, '$.review_id'), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1 "
    "FROM visits v "
    "LEFT JOIN audit_log a ON a.id = (SELECT x.id FROM audit_log x WHERE x.entity = 'visit' "
    "AND x.entity_id = v.id AND x.action IN ('visit.transition', 'visit.review') "
    "AND json_extract(x.detail, '$.target') = v.status ORDER BY x.seq DESC LIMIT 1) "
    "LEFT JOIN users u ON u.id = a.user_id "
    "WHERE v.status IN ('approved', 'returned') "
    "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.visit_id = v.id AND r.decision != 'draft')"
)


def upgrade() -> None:
    op.execute(DECISION_ROWS_SQL)


def downgrade() -> None:
    pass  # the rows are ordinary decisions now; 0007's downgrade drops the table
