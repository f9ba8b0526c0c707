"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22

The first schema: every table of the local store. Column types are spelled out here (not
imported from the models) so this file keeps meaning the same thing when the models change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "branches",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branches")),
        sa.UniqueConstraint("code", name=op.f("uq_branches_code")),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=True),
        sa.Column("supervisor_id", sa.String(length=36), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_users_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["users.id"], name=op.f("fk_users_supervisor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("seq", name=op.f("uq_audit_log_seq")),
    )
    op.create_table(
        "borrowers",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("id_number", sa.String(length=32), nullable=False),
        sa.Column("legal_representative", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("branch_id", sa.String(length=36), nullable=True),
        sa.Column("classification", sa.String(length=32), nullable=False),
        sa.Column("open_signals", sa.Integer(), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("next_due_kind", sa.String(length=32), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_borrowers_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_borrowers_officer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_borrowers")),
        sa.UniqueConstraint("code", name=op.f("uq_borrowers_code")),
    )
    with op.batch_alter_table("borrowers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_borrowers_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_borrowers_next_due_on"), ["next_due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_borrowers_officer_id"), ["officer_id"], unique=False)

    op.create_table(
        "guarantors",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("id_number", sa.String(length=32), nullable=False),
        sa.Column("relation", sa.String(length=100), nullable=False),
        sa.Column("guaranteed_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"], name=op.f("fk_guarantors_borrower_id_borrowers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guarantors")),
    )
    with op.batch_alter_table("guarantors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guarantors_borrower_id"), ["borrower_id"], unique=False
        )

    op.create_table(
        "loans",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("contract_no", sa.String(length=64), nullable=False),
        sa.Column("loan_type", sa.String(length=32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("disbursed_on", sa.Date(), nullable=False),
        sa.Column("matures_on", sa.Date(), nullable=False),
        sa.Column("classification", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"], name=op.f("fk_loans_borrower_id_borrowers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loans")),
        sa.UniqueConstraint("contract_no", name=op.f("uq_loans_contract_no")),
    )
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loans_borrower_id"), ["borrower_id"], unique=False)

    op.create_table(
        "visits",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("template_code", sa.String(length=64), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("template_refs", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("previous_revision_id", sa.String(length=36), nullable=True),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("people_met", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("general_note", sa.Text(), nullable=False),
        sa.Column("recommended_classification", sa.String(length=32), nullable=True),
        sa.Column("final_classification", sa.String(length=32), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"], name=op.f("fk_visits_borrower_id_borrowers")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_visits_officer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["previous_revision_id"],
            ["visits.id"],
            name=op.f("fk_visits_previous_revision_id_visits"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_borrower_date", ["borrower_id", "visit_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visits_borrower_id"), ["borrower_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visits_visit_date"), ["visit_date"], unique=False)

    op.create_table(
        "checklist_answers",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_checklist_answers_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_answers")),
        sa.UniqueConstraint("visit_id", "item_code", name=op.f("uq_checklist_answers_visit_id")),
    )
    with op.batch_alter_table("checklist_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_answers_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "collateral_items",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("loan_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("appraised_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("pledged_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("certificate_no", sa.String(length=100), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"],
            ["borrowers.id"],
            name=op.f("fk_collateral_items_borrower_id_borrowers"),
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loans.id"], name=op.f("fk_collateral_items_loan_id_loans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collateral_items")),
    )
    with op.batch_alter_table("collateral_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collateral_items_borrower_id"), ["borrower_id"], unique=False
        )

    op.create_table(
        "notes",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_notes_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "risk_signals",
        sa.Column("borrower_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["borrower_id"], ["borrowers.id"], name=op.f("fk_risk_signals_borrower_id_borrowers")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_risk_signals_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_signals")),
    )
    with op.batch_alter_table("risk_signals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_signals_borrower_id"), ["borrower_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_risk_signals_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "collateral_observations",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("collateral_item_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("location_checked", sa.Boolean(), nullable=False),
        sa.Column("estimated_value_fen", sa.BigInteger(), nullable=True),
        sa.Column("insurance_valid", sa.Boolean(), nullable=True),
        sa.Column("certificate_held", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collateral_item_id"],
            ["collateral_items.id"],
            name=op.f("fk_collateral_observations_collateral_item_id_collateral_items"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_collateral_observations_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collateral_observations")),
        sa.UniqueConstraint(
            "visit_id", "collateral_item_id", name=op.f("uq_collateral_observations_visit_id")
        ),
    )
    with op.batch_alter_table("collateral_observations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collateral_observations_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "photos",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=300), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("gps_lat", sa.Double(), nullable=True),
        sa.Column("gps_lon", sa.Double(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=True),
        sa.Column("collateral_item_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collateral_item_id"],
            ["collateral_items.id"],
            name=op.f("fk_photos_collateral_item_id_collateral_items"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_photos_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photos_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_photos_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "risk_signal_steps",
        sa.Column("signal_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["risk_signals.id"],
            name=op.f("fk_risk_signal_steps_signal_id_risk_signals"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_risk_signal_steps_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_signal_steps")),
    )
    with op.batch_alter_table("risk_signal_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_signal_steps_signal_id"), ["signal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("risk_signal_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_signal_steps_signal_id"))

    op.drop_table("risk_signal_steps")
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photos_visit_id"))
        batch_op.drop_index(batch_op.f("ix_photos_sha256"))

    op.drop_table("photos")
    with op.batch_alter_table("collateral_observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collateral_observations_visit_id"))

    op.drop_table("collateral_observations")
    with op.batch_alter_table("risk_signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_signals_visit_id"))
        batch_op.drop_index(batch_op.f("ix_risk_signals_borrower_id"))

    op.drop_table("risk_signals")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_visit_id"))

    op.drop_table("notes")
    with op.batch_alter_table("collateral_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collateral_items_borrower_id"))

    op.drop_table("collateral_items")
    with op.batch_alter_table("checklist_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_answers_visit_id"))

    op.drop_table("checklist_answers")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visits_visit_date"))
        batch_op.drop_index(batch_op.f("ix_visits_borrower_id"))
        batch_op.drop_index("ix_visits_borrower_date")

    op.drop_table("visits")
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loans_borrower_id"))

    op.drop_table("loans")
    with op.batch_alter_table("guarantors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guarantors_borrower_id"))

    op.drop_table("guarantors")
    with op.batch_alter_table("borrowers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_borrowers_officer_id"))
        batch_op.drop_index(batch_op.f("ix_borrowers_next_due_on"))
        batch_op.drop_index(batch_op.f("ix_borrowers_name"))

    op.drop_table("borrowers")
    op.drop_table("audit_log")
    op.drop_table("users")
    op.drop_table("branches")
