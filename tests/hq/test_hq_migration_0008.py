"""Migration 0008 (issue #12) on a database written before it: each stored revision's
previous_revision_id (one revision per visit: a second naming the same visit keeps none, as
the unique index needs), and a visit reviewed while headquarters still stored the laptop's
"submitted" given its review's status, in its row and its document, with the document's
fingerprint as headquarters computes it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from inspector_app.hq.db import make_engine
from inspector_app.hq.lifecycle import fingerprint
from inspector_app.hq.migrate import current_revision, head_revision, upgrade_database

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC).replace(tzinfo=None)


def _filled(table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """values, with every other NOT NULL column given a value of its type."""
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable:
            continue
        python = column.type.python_type
        row[column.name] = {str: "x", int: 1, bool: False, datetime: NOW,
                            date: NOW.date(), dict: {}, list: []}.get(python, "x")
    return row


def _visit(visit_id: str, officer: str, borrower: str, status: str, created: int,
           previous: str | None = None) -> dict[str, Any]:
    payload = {"id": visit_id, "status": status, "revision": 2 if previous else 1,
               "previous_revision_id": previous, "general_note": "经营正常"}
    return {"id": visit_id, "borrower_id": borrower, "officer_id": officer, "status": status,
            "revision": payload["revision"], "payload": payload,
            "payload_sha256": fingerprint(payload), "version": 1,
            "created_at": NOW.replace(minute=created)}


def test_revisions_and_reviewed_statuses_are_filled_in(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hq.sqlite3'}")
    upgrade_database(engine, "0007")
    assert current_revision(engine) == "0007"
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    officer, supervisor, borrower = (str(uuid.uuid4()) for _ in range(3))
    approved, returned, first_fix, second_fix, draft = (str(uuid.uuid4()) for _ in range(5))
    with engine.begin() as conn:
        conn.execute(t["users"].insert(), [
            _filled(t["users"], {"id": supervisor, "username": "sup1", "role": "supervisor"}),
            _filled(t["users"], {"id": officer, "username": "off_a", "role": "officer",
                                 "supervisor_id": supervisor})])
        conn.execute(t["borrowers"].insert(), _filled(t["borrowers"], {"id": borrower,
                                                                       "code": "C001"}))
        conn.execute(t["visits"].insert(), [_filled(t["visits"], v) for v in (
            _visit(approved, officer, borrower, "submitted", 1),
            _visit(returned, officer, borrower, "signed", 2),
            _visit(first_fix, officer, borrower, "draft", 3, previous=returned),
            _visit(second_fix, officer, borrower, "draft", 4, previous=returned),
            _visit(draft, officer, borrower, "draft", 5))])
        conn.execute(t["reviews"].insert(), [
            _filled(t["reviews"], {"id": str(uuid.uuid4()), "visit_id": v, "decision": d,
                                   "reviewer_id": supervisor, "comments": []})
            for v, d in ((approved, "approved"), (returned, "returned"))])

    upgrade_database(engine, "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(sa.text(
            "SELECT id, status, payload, payload_sha256, version, previous_revision_id "
            "FROM visits"))}
    engine.dispose()

    for visit_id, decision in ((approved, "approved"), (returned, "returned")):
        row = rows[visit_id]
        payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
        assert (row.status, payload["status"]) == (decision, decision)
        assert row.payload_sha256 == fingerprint(payload)
        assert row.version == 1  # the officer's laptop is not put in conflict
    assert rows[draft].status == "draft" and rows[draft].previous_revision_id is None
    assert rows[first_fix].previous_revision_id == returned
    assert rows[second_fix].previous_revision_id is None  # stored later: not the revision
