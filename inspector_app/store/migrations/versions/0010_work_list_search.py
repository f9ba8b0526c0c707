"""work list search: borrowers' names in pinyin, visits by status

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

borrowers.search_key holds the name in pinyin, full and by initials (store.search_key), so
the work list finds 浙江德炎… by "zjdy"; the rows already here get theirs now (about 0.1 ms a
name). ix_visits_status_borrower finds drafts, returned and submitted visits without reading
all of a supervisor's 100,000 visits on every keystroke; ix_borrowers_work_list is the list's
order with the columns a search reads, so a search walks it instead of every whole row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from inspector_app.store.search_key import borrower_search_key

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "borrowers",
        sa.Column("search_key", sa.String(1000), nullable=False, server_default=""),
    )
    connection = op.get_bind()
    names = connection.execute(sa.text("SELECT id, name FROM borrowers")).all()
    if names:
        # The key is local: the record's version and updated_at stay as headquarters sent them.
        connection.execute(
            sa.text("UPDATE borrowers SET search_key = :key WHERE id = :id"),
            [{"id": row.id, "key": borrower_search_key(row.name)} for row in names],
        )
    op.create_index("ix_visits_status_borrower", "visits", ["status", "borrower_id"])
    op.create_index(
        "ix_borrowers_work_list", "borrowers",
        [sa.text("next_due_on IS NULL"), "next_due_on", "name", "code", "id_number", "industry",
         "search_key"],
    )


def downgrade() -> None:
    op.drop_index("ix_borrowers_work_list", table_name="borrowers")
    op.drop_index("ix_visits_status_borrower", table_name="visits")
    op.drop_column("borrowers", "search_key")
