"""Migration 0012 (issue #15, audit trail) on a database written before it: the audit trail's
entries stay as they were, the indexes its filters use appear, and the filters read the old
entries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from inspector_app.hq.audit_trail import AuditFilter, audit_page
from inspector_app.hq.db import Database, make_engine
from inspector_app.hq.migrate import current_revision, head_revision, upgrade_database

INDEXES = {"ix_audit_log_actor_at_id", "ix_audit_log_action_at_id",
           "ix_audit_log_entity_entity_id_at_id", "ix_audit_log_at_id"}


def test_old_entries_stay_and_are_found_through_the_new_indexes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine, "0011")
    meta = sa.MetaData()
    meta.reflect(engine)
    audit_log = meta.tables["audit_log"]
    before = [
        {"at": datetime(2026, 11, 1, 8, tzinfo=UTC).replace(tzinfo=None), "actor": "cli:root",
         "user_id": None, "device_id": None, "action": "branch.add", "entity": "branch",
         "entity_id": "b-1", "detail": {"code": "B01", "name": "城东支行"}},
        {"at": datetime(2026, 11, 2, 8, tzinfo=UTC).replace(tzinfo=None), "actor": "off_a",
         "user_id": None, "device_id": "d-1", "action": "visit.push", "entity": "visit",
         "entity_id": "v-1", "detail": {"version": 1}},
    ]
    with engine.begin() as conn:
        conn.execute(audit_log.insert(), before)
    assert not INDEXES & {i["name"] for i in sa.inspect(engine).get_indexes("audit_log")}

    upgrade_database(engine)

    assert current_revision(engine) == head_revision()
    assert {i["name"] for i in sa.inspect(engine).get_indexes("audit_log")} >= INDEXES
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            sa.select(audit_log).order_by(audit_log.c.id))]
    assert [{k: v for k, v in r.items() if k != "id"} for r in rows] == before
    engine.dispose()
    db = Database.open(url)
    try:
        page = audit_page(db, AuditFilter(action="visit", visit="v-1", user="off_a"))
        assert [(e.action, e.entity_id, e.device_id) for e in page.entries] == \
            [("visit.push", "v-1", "d-1")]
    finally:
        db.dispose()
