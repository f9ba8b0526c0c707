"""The audit trail's filters on PostgreSQL with a large trail: how long a page takes.

A schema of its own (--schema, default bench_audit: dropped and re-created at the start,
dropped at the end), migrated, with 2,000 borrowers of 10 visits each and --entries audit
entries (default 1,000,000) over a year: pushes and reviews of those visits, signal
follow-ups, assignments and registrations by 50 users. Then each filter's first page (50
entries, newest first, as `inspector-hq admin audit` and GET /api/v1/audit read it) is read
--repeat times; the median and the worst are printed.

    python bench/audit_trail.py [--entries 1000000] [--repeat 5] [--db URL] [--schema S]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from inspector_app.hq.audit_trail import AuditFilter, audit_page
from inspector_app.hq.db import Database
from inspector_app.hq.migrate import upgrade_database

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BORROWERS, VISITS_EACH, USERS = 2000, 10, 50

FILL = [
    """INSERT INTO users (id, username, display_name, role, password_hash, active, created_at,
                          updated_at, version)
       SELECT 'u-' || g, 'user' || g, '用户' || g, 'officer', 'x', true, now(), now(), 1
       FROM generate_series(0, :users - 1) g""",
    """INSERT INTO borrowers (id, code, name, kind, industry, id_number, legal_representative,
                              address, phone, created_at, updated_at, version)
       SELECT 'b-' || g, 'C' || lpad(g::text, 5, '0'), '客户' || g, 'company', 'manufacturing',
              'id' || g, '', '', '', now(), now(), 1
       FROM generate_series(0, :borrowers - 1) g""",
    """INSERT INTO visits (id, borrower_id, officer_id, status, revision, visit_date, version,
                           payload, payload_sha256, created_at, updated_at)
       SELECT 'v-' || g, 'b-' || (g / :each), 'u-' || (g % :users), 'submitted', 1,
              date '2026-01-01' + (g % 365), 1, '{}', repeat('0', 64), now(), now()
       FROM generate_series(0, :borrowers * :each - 1) g""",
    # One entry every ~31 seconds over a year; the kinds in turn.
    """INSERT INTO audit_log (at, actor, user_id, device_id, action, entity, entity_id, detail)
       SELECT timestamp '2026-01-01' + g * (interval '1 year' / :entries),
              'user' || (g % :users), 'u-' || (g % :users), NULL,
              (ARRAY['visit.push', 'visit.review', 'signal.follow_up', 'borrower.assign',
                     'device.register'])[1 + g % 5],
              (ARRAY['visit', 'visit', 'signal', 'borrower', 'device'])[1 + g % 5],
              CASE WHEN g % 5 < 2 THEN 'v-' || ((g / 5) % (:borrowers * :each))
                   WHEN g % 5 = 2 THEN 's-' || g
                   WHEN g % 5 = 3 THEN 'b-' || ((g / 5) % :borrowers)
                   ELSE 'd-' || g END,
              '{"version": 1}'
       FROM generate_series(0, :entries - 1) g""",
    "ANALYZE",
]


def _moment(month: int, day: int = 1) -> datetime:
    return datetime(2026, month, day, tzinfo=UTC)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", default=PG_DEFAULT)
    ap.add_argument("--schema", default="bench_audit")
    args = ap.parse_args()
    admin = create_engine(args.db, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{args.schema}"'))
    url = make_url(args.db).update_query_dict(
        {"options": f"-csearch_path={args.schema}"}).render_as_string(hide_password=False)
    db = Database.open(url)
    try:
        upgrade_database(db.engine)
        started = time.perf_counter()
        with db.engine.begin() as conn:
            for statement in FILL[:-1]:
                conn.execute(text(statement), {"users": USERS, "borrowers": BORROWERS,
                                               "each": VISITS_EACH, "entries": args.entries})
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(FILL[-1]))
        print(f"{args.entries:,} audit entries, {BORROWERS * VISITS_EACH:,} visits written in "
              f"{time.perf_counter() - started:.1f} s")
        newest = db.engine.connect().execute(text("SELECT max(id) FROM audit_log")).scalar()
        cases = {
            "no filter": (AuditFilter(), None),
            "user": (AuditFilter(user="user7"), None),
            "action": (AuditFilter(action="visit.review"), None),
            "action family": (AuditFilter(action="visit"), None),
            "visit": (AuditFilter(visit="v-1234"), None),
            "borrower (10 visits)": (AuditFilter(borrower="C00123"), None),
            "a week in February": (AuditFilter(since=_moment(2, 10), until=_moment(2, 17)),
                                   None),
            "user + January": (AuditFilter(user="user7", since=_moment(1),
                                           until=_moment(2)), None),
            "borrower + March": (AuditFilter(borrower="C00123", since=_moment(3),
                                             until=_moment(4)), None),
            "no filter, page at the oldest end": (AuditFilter(), 60),
            "user, page half way": (AuditFilter(user="user7"), (newest or 0) // 2),
        }
        print(f"{'filter':<36} {'entries':>7} {'median ms':>10} {'worst ms':>9}")
        for name, (f, cursor) in cases.items():
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                page = audit_page(db, f, cursor, 50)
                times.append((time.perf_counter() - t) * 1000)
            print(f"{name:<36} {len(page.entries):>7} {statistics.median(times):>10.1f} "
                  f"{max(times):>9.1f}")
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
