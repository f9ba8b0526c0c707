"""integrity guards: append-only audit log, signed visits locked, found-on-site collateral

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

The guards live in the database as triggers, so no code path (a bug, a script, a later
feature) can rewrite the audit trail or change a signed visit behind the application's back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LOCKED = "('signed', 'submitted', 'approved', 'returned')"

# Tables whose rows belong to one visit and must not change once it is signed.
VISIT_CHILDREN = ("checklist_answers", "notes", "photos", "collateral_observations")

# Visit columns that make up its content; status and review bookkeeping may still move on.
VISIT_CONTENT = (
    "borrower_id",
    "officer_id",
    "kind",
    "template_code",
    "template_version",
    "template_refs",
    "revision",
    "previous_revision_id",
    "visit_date",
    "place",
    "people_met",
    "started_at",
    "ended_at",
    "general_note",
    "recommended_classification",
    "final_classification",
    "override_reason",
    "measures",
    "next_due_on",
)


def _child_triggers() -> list[tuple[str, str]]:
    triggers = []
    for table in VISIT_CHILDREN:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            name = f"trg_{table}_locked_{event.lower()}"
            sql = (
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"WHEN (SELECT status FROM visits WHERE id = {row}.visit_id) IN {LOCKED} "
                f"BEGIN SELECT RAISE(ABORT, 'visit is signed and locked'); END"
            )
            triggers.append((name, sql))
    return triggers


def _visit_triggers() -> list[tuple[str, str]]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in VISIT_CONTENT)
    return [
        (
            "trg_visits_locked_update",
            f"CREATE TRIGGER trg_visits_locked_update BEFORE UPDATE ON visits "
            f"WHEN OLD.status IN {LOCKED} AND ({changed}) "
            f"BEGIN SELECT RAISE(ABORT, 'visit is signed and locked'); END",
        ),
        (
            "trg_visits_locked_delete",
            f"CREATE TRIGGER trg_visits_locked_delete BEFORE DELETE ON visits "
            f"WHEN OLD.status IN {LOCKED} "
            f"BEGIN SELECT RAISE(ABORT, 'visit is signed and locked'); END",
        ),
    ]


def _audit_triggers() -> list[tuple[str, str]]:
    return [
        (
            f"trg_audit_log_no_{event.lower()}",
            f"CREATE TRIGGER trg_audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        )
        for event in ("UPDATE", "DELETE")
    ]


def _all_triggers() -> list[tuple[str, str]]:
    return _child_triggers() + _visit_triggers() + _audit_triggers()


def upgrade() -> None:
    op.create_table(
        "app_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_state")),
    )
    with op.batch_alter_table("collateral_items") as batch:
        batch.add_column(
            sa.Column("found_on_site", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    for _name, sql in _all_triggers():
        op.execute(sql)


def downgrade() -> None:
    for name, _sql in _all_triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("collateral_items") as batch:
        batch.drop_column("found_on_site")
    op.drop_table("app_state")
