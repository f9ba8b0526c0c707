"""the whole-bank dashboard: borrowers' due dates and classification, their moves, indexes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-14

Issue #15 item 1 (the administrator's dashboard), counted in the database:

- borrower_due: each borrower's classification (the worst of its loans') and next inspection
  date, kept by hq.due_cache; borrower_due_stale: the borrowers to work out again. Every
  borrower is marked here, so the first dashboard works them all out (by the rules in force
  then, in Python: nothing of the schedule's rules is copied into this file).
- classification_moves: each change of a borrower's classification from now on (headquarters
  kept none before: its loans' classification was overwritten by each import, so a database
  upgraded today starts with a still migration matrix, as the laptops' store migration 0012).
- visits.submitted_at: when headquarters first stored the visit signed (submitted), taken
  from the trail's first push that stored it so, else when it was first stored.
- signal_index.category, raised_on, title: from the document of the visit that holds each.
- indexes for the figures' ranges: visits by date and by submission (and by id with their
  officer, for the returns), reviews by decision and time, the moves by borrower and day and
  by day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 1000
SIGNED_OR_LATER = ("submitted", "approved", "returned")


def upgrade() -> None:
    op.create_table(
        "borrower_due",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("classification", sa.String(length=32), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"],
                                name=op.f("fk_borrower_due_borrower_id_borrowers")),
        sa.PrimaryKeyConstraint("borrower_id", name=op.f("pk_borrower_due")),
    )
    op.create_index("ix_borrower_due_next_due_on", "borrower_due", ["next_due_on"])
    op.create_index("ix_borrower_due_classification", "borrower_due", ["classification"])
    op.create_table(
        "borrower_due_stale",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("mark", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("borrower_id", name=op.f("pk_borrower_due_stale")),
    )
    op.create_table(
        "classification_moves",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(),
                  nullable=False),
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("from_classification", sa.String(length=32), nullable=False),
        sa.Column("to_classification", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["borrower_id"], ["borrowers.id"],
                                name=op.f("fk_classification_moves_borrower_id_borrowers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_moves")),
    )
    op.create_index("ix_classification_moves_borrower_moved_on", "classification_moves",
                    ["borrower_id", "moved_on", "id"])
    op.create_index("ix_classification_moves_moved_on", "classification_moves", ["moved_on"])
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("submitted_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("signal_index") as batch:
        batch.add_column(sa.Column("category", sa.String(length=32), server_default="",
                                   nullable=False))
        batch.add_column(sa.Column("raised_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("title", sa.Text(), server_default="", nullable=False))
    op.create_index("ix_visits_visit_date", "visits", ["visit_date"])
    op.create_index("ix_visits_submitted_at", "visits", ["submitted_at"])
    op.create_index("ix_visits_id_officer_id", "visits", ["id", "officer_id"])
    op.create_index("ix_reviews_decision_decided_at", "reviews", ["decision", "decided_at"])
    _submitted_at()
    _signal_facts()
    op.execute("INSERT INTO borrower_due_stale (borrower_id, mark) "
               "SELECT id, 'migration-0013' FROM borrowers")


def _submitted_at() -> None:
    visits = sa.table("visits", sa.column("id", sa.String()), sa.column("status", sa.String()),
                      sa.column("created_at", sa.DateTime()),
                      sa.column("submitted_at", sa.DateTime()))
    trail = sa.table("audit_log", sa.column("at", sa.DateTime()),
                     sa.column("action", sa.String()), sa.column("entity", sa.String()),
                     sa.column("entity_id", sa.String()), sa.column("detail", sa.JSON()))
    first_signed_push = (
        sa.select(sa.func.min(trail.c.at))
        .where(trail.c.entity == "visit", trail.c.entity_id == visits.c.id,
               trail.c.action == "visit.push",
               trail.c.detail["status"].as_string().in_(SIGNED_OR_LATER))
        .scalar_subquery())
    op.get_bind().execute(
        visits.update().where(visits.c.status.in_(SIGNED_OR_LATER))
        .values(submitted_at=sa.func.coalesce(first_signed_push, visits.c.created_at)))


def _signal_facts() -> None:
    conn = op.get_bind()
    visits = sa.table("visits", sa.column("id", sa.String()), sa.column("payload", sa.JSON()))
    index = sa.table("signal_index", sa.column("id", sa.String()),
                     sa.column("visit_id", sa.String()), sa.column("category", sa.String()),
                     sa.column("raised_on", sa.Date()), sa.column("title", sa.Text()))
    holders = sa.select(index.c.visit_id).distinct().scalar_subquery()
    rows = conn.execute(sa.select(visits.c.id, visits.c.payload)
                        .where(visits.c.id.in_(holders)),
                        execution_options={"yield_per": BATCH})
    found: list[dict[str, Any]] = []
    for visit_id, payload in rows:
        for signal in (payload or {}).get("signals") or ():
            if signal.get("id"):
                on = signal.get("raised_on")
                found.append({"s_id": str(signal["id"]), "s_visit": visit_id,
                              "category": str(signal.get("category", ""))[:32],
                              "raised_on": _day(on),
                              "title": str(signal.get("title", ""))})
    update = (index.update().where(index.c.id == sa.bindparam("s_id"),
                                   index.c.visit_id == sa.bindparam("s_visit"))
              .values(category=sa.bindparam("category"), raised_on=sa.bindparam("raised_on"),
                      title=sa.bindparam("title")))
    for start in range(0, len(found), BATCH):
        conn.execute(update, found[start:start + BATCH])


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def downgrade() -> None:
    op.drop_index("ix_reviews_decision_decided_at", table_name="reviews")
    op.drop_index("ix_visits_id_officer_id", table_name="visits")
    op.drop_index("ix_visits_submitted_at", table_name="visits")
    op.drop_index("ix_visits_visit_date", table_name="visits")
    with op.batch_alter_table("signal_index") as batch:
        batch.drop_column("title")
        batch.drop_column("raised_on")
        batch.drop_column("category")
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("submitted_at")
    op.drop_index("ix_classification_moves_moved_on", table_name="classification_moves")
    op.drop_index("ix_classification_moves_borrower_moved_on",
                  table_name="classification_moves")
    op.drop_table("classification_moves")
    op.drop_table("borrower_due_stale")
    op.drop_index("ix_borrower_due_classification", table_name="borrower_due")
    op.drop_index("ix_borrower_due_next_due_on", table_name="borrower_due")
    op.drop_table("borrower_due")
