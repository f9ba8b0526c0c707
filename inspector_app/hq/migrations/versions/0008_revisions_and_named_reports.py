"""one revision per visit, the visit a signed report names, and reviewed visits' status

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Issue #12:
- visits.previous_revision_id (from each stored document), unique: a visit is corrected by one
  revision only, as on the laptop (a second would fork its history);
- report_checks.visit_id: the visit a verified signed report names (its /Keywords, as signed),
  so a push cannot pass another visit's report off as its own; None for a report checked
  before this, read again from the PDF on its next use;
- a visit reviewed before headquarters set the stored status with the decision keeps "signed"
  or "submitted" in its row and document: it is given its review's status here (the version is
  kept, as review.py does, so the officer's laptop is not put in conflict).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("previous_revision_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("report_checks") as batch:
        batch.add_column(sa.Column("visit_id", sa.String(length=36), nullable=True))
    _backfill_previous()
    _backfill_reviewed()
    op.create_index(op.f("ix_visits_previous_revision_id"), "visits",
                    ["previous_revision_id"], unique=True)


def _visits() -> sa.TableClause:
    return sa.table("visits", sa.column("id", sa.String()), sa.column("status", sa.String()),
                    sa.column("payload", sa.JSON()), sa.column("payload_sha256", sa.String()),
                    sa.column("previous_revision_id", sa.String()))


def _backfill_previous() -> None:
    """Each stored revision's previous_revision_id; should two name the same visit (stored
    before headquarters refused that), the first stored keeps it, as the unique index needs."""
    conn = op.get_bind()
    visits = _visits()
    named: dict[str, str] = {}
    rows = conn.execute(sa.select(visits.c.id, visits.c.payload)
                        .order_by(sa.column("created_at"), visits.c.id),
                        execution_options={"yield_per": BATCH})
    for visit_id, payload in rows:
        previous = (payload or {}).get("previous_revision_id")
        if previous and str(previous) not in named.values():
            named[visit_id] = str(previous)
    update = (sa.update(visits).where(visits.c.id == sa.bindparam("visit_id"))
              .values(previous_revision_id=sa.bindparam("previous")))
    values = [{"visit_id": k, "previous": v} for k, v in named.items()]
    for start in range(0, len(values), BATCH):
        conn.execute(update, values[start:start + BATCH])


def _fingerprint(payload: dict[str, Any]) -> str:
    """As hq.lifecycle.fingerprint (kept here: a migration does not change with the code)."""
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _backfill_reviewed() -> None:
    conn = op.get_bind()
    visits = _visits()
    reviews = sa.table("reviews", sa.column("visit_id", sa.String()),
                       sa.column("decision", sa.String()))
    rows = conn.execute(
        sa.select(visits.c.id, visits.c.payload, reviews.c.decision)
        .join(reviews, reviews.c.visit_id == visits.c.id)
        .where(reviews.c.decision.in_(("approved", "returned")),
               visits.c.status != reviews.c.decision)).all()
    update = (sa.update(visits).where(visits.c.id == sa.bindparam("visit_id"))
              .values(status=sa.bindparam("status"), payload=sa.bindparam("payload"),
                      payload_sha256=sa.bindparam("sha")))
    for visit_id, payload, decision in rows:
        document = {**(payload or {}), "status": decision}
        conn.execute(update, {"visit_id": visit_id, "status": decision, "payload": document,
                              "sha": _fingerprint(document)})


def downgrade() -> None:
    op.drop_index(op.f("ix_visits_previous_revision_id"), table_name="visits")
    with op.batch_alter_table("report_checks") as batch:
        batch.drop_column("visit_id")
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("previous_revision_id")
