"""Migration 0014 (issue #15, the handover's confirmation) on a database written before it: the
handovers there, pending and completed, keep every column and read as before, with no
supervisor's confirmation and no override (a handover completed before was completed the way
it was then); the columns are the models' (a confirmation can be stored and read back)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from test_hq_migration_0008 import _filled

from inspector_app.hq.db import Database, make_engine
from inspector_app.hq.handover import get_handover
from inspector_app.hq.migrate import current_revision, head_revision, upgrade_database
from inspector_app.hq.models import Handover


def test_handovers_keep_what_they_were_and_gain_an_empty_confirmation(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine, "0013")
    meta = sa.MetaData()
    meta.reflect(engine)
    users, handovers = meta.tables["users"], meta.tables["handovers"]
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    started = datetime(2026, 12, 1, 9, tzinfo=UTC).replace(tzinfo=None)
    rows = [
        {"id": str(uuid.uuid4()), "from_officer_id": a, "to_officer_id": b,
         "status": "pending", "started_by": "sup1", "started_at": started,
         "released_at": None, "release": None, "completed_at": None, "completed_by": None,
         "signed_sha256": "a" * 64, "countersigned_sha256": None,
         "record": {"made_on": "2026-12-01", "borrowers": []}, "version": 3},
        {"id": str(uuid.uuid4()), "from_officer_id": a, "to_officer_id": b,
         "status": "completed", "started_by": "cli:root", "started_at": started,
         "released_at": started, "release": {"visits": {}}, "completed_at": started,
         "completed_by": "sup1", "signed_sha256": "a" * 64, "countersigned_sha256": "b" * 64,
         "record": {"made_on": "2026-12-01", "borrowers": []}, "version": 6},
    ]
    with engine.begin() as conn:
        for user_id, name in ((a, "off_a"), (b, "off_b")):
            conn.execute(users.insert(), _filled(users, {
                "id": user_id, "username": name, "role": "officer", "branch_id": None,
                "supervisor_id": None}))
        conn.execute(handovers.insert(), rows)

    upgrade_database(engine)

    assert current_revision(engine) == head_revision()
    columns = {c["name"] for c in sa.inspect(engine).get_columns("handovers")}
    assert {"confirmed_sha256", "override_reason"} <= columns
    with engine.connect() as conn:
        kept = [dict(r._mapping) for r in conn.execute(
            sa.text("SELECT * FROM handovers ORDER BY version"))]
    for before, after in zip(rows, kept, strict=True):
        assert {k: after[k] for k in ("id", "status", "signed_sha256", "countersigned_sha256",
                                      "completed_by", "version")} == \
            {k: before[k] for k in ("id", "status", "signed_sha256", "countersigned_sha256",
                                    "completed_by", "version")}
        assert (after["confirmed_sha256"], after["override_reason"]) == (None, None)
    engine.dispose()
    db = Database.open(url)
    try:
        done = get_handover(db, rows[1]["id"])
        assert done.status == "completed" and done.confirmed_sha256 is None
        assert done.override_reason is None and done.countersigned_sha256 == "b" * 64
        with db.write() as s:  # the models write the new columns
            h = s.get_one(Handover, rows[0]["id"])
            h.override_reason = "监交人长期病假"
        assert get_handover(db, rows[0]["id"]).override_reason == "监交人长期病假"
    finally:
        db.dispose()
