"""The whole-bank dashboard on PostgreSQL with a bank-sized database: how long the figures and
a click-through take, against a plain count of the visits measured in the same run.

A database of its own (--database, default admin_dash_bench: dropped and created at the
start, dropped at the end), migrated, then filled with generate_series: 20 branches, 100
supervisors, 1,000 officers; --borrowers borrowers (default 200,000) with a loan and their
classification and next inspection (borrower_due, as hq.due_cache leaves them); --visits
visits (default 1,000,000) over two years, half of them reviewed (one in four of those
returned); a warning signal for three visits in ten; a classification move for one borrower in
ten over this year. Then, --repeat times each (median and worst):

- baseline: SELECT count(*) FROM visits;
- the figures (hq.dashboard.whole_bank_dashboard) for this quarter, per officer, per team, per
  branch, for one branch and for one team;
- click-throughs (hq.dashboard_drill.bar_rows, the first page of 100 and the total): an
  officer's overdue borrowers, every normal borrower (the biggest list), a migration cell,
  an officer's visits submitted in the period, one signal category's open signals;
- the refresh of 1,000 borrowers marked since the last look (a day's pushes), once.

    python bench/hq_dashboard.py [--borrowers 200000] [--visits 1000000] [--repeat 5]
                                 [--server URL] [--database NAME]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from inspector_app.domain.dashboard import DueBucket, GroupBy, Workload
from inspector_app.hq.dashboard import whole_bank_dashboard
from inspector_app.hq.dashboard_drill import Bar, bar_rows
from inspector_app.hq.dashboard_sql import Ask
from inspector_app.hq.db import Database
from inspector_app.hq.due_cache import mark_stale, refresh_stale
from inspector_app.hq.migrate import upgrade_database

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TODAY = date(2026, 12, 10)
QUARTER = (date(2026, 10, 1), date(2026, 12, 31))
CLASSES = "ARRAY['normal','normal','normal','normal','normal','normal','normal'," \
          "'special_mention','special_mention','substandard','doubtful','loss']"

FILL = [
    """INSERT INTO branches (id, code, name, created_at, updated_at, version)
       SELECT 'br-' || g, 'B' || lpad(g::text, 2, '0'), '支行' || g, now(), now(), 1
       FROM generate_series(0, 19) g""",
    """INSERT INTO users (id, username, display_name, role, branch_id, supervisor_id,
                          password_hash, active, created_at, updated_at, version)
       SELECT 'sup-' || g, 'sup' || g, '主任' || g, 'supervisor', 'br-' || (g % 20), NULL, 'x',
              true, now(), now(), 1 FROM generate_series(0, 99) g""",
    """INSERT INTO users (id, username, display_name, role, branch_id, supervisor_id,
                          password_hash, active, created_at, updated_at, version)
       SELECT 'off-' || g, 'off' || g, '经理' || g, 'officer', 'br-' || ((g / 10) % 20),
              'sup-' || (g / 10), 'x', true, now(), now(), 1 FROM generate_series(0, 999) g""",
    """INSERT INTO borrowers (id, code, name, kind, industry, id_number, legal_representative,
                              address, phone, branch_id, created_at, updated_at, version)
       SELECT 'b-' || g, 'C' || lpad(g::text, 7, '0'), '客户' || g, 'company',
              'manufacturing', 'id' || g, '', '', '', 'br-' || ((g % 1000 / 10) % 20), now(),
              now(), 1 FROM generate_series(0, :borrowers - 1) g""",
    # Every 50th borrower nobody's (a row of its own, as in the figures).
    """INSERT INTO assignments (borrower_id, officer_id, assigned_at)
       SELECT 'b-' || g, 'off-' || (g % 1000), now() FROM generate_series(0, :borrowers - 1) g
       WHERE g % 50 <> 49""",
    f"""INSERT INTO loans (id, borrower_id, contract_no, loan_type, amount_fen, disbursed_on,
                          matures_on, classification, purpose, outstanding_fen,
                          overdue_principal_fen, overdue_interest_fen, days_past_due,
                          arrears_interest_fen, rescheduled, refinanced, restructured,
                          created_at, updated_at, version)
       SELECT 'l-' || g, 'b-' || g, 'L' || g, 'working_capital', 500000000,
              date '2025-01-01' + (g % 600), date '2027-12-31',
              ({CLASSES})[1 + g % 12], '', 0, 0, 0, 0, 0, false, false, false, now(), now(), 1
       FROM generate_series(0, :borrowers - 1) g""",
    f"""INSERT INTO borrower_due (borrower_id, classification, next_due_on, refreshed_at)
       SELECT 'b-' || g, ({CLASSES})[1 + g % 12], date '2026-10-01' + (g * 7 % 180), now()
       FROM generate_series(0, :borrowers - 1) g""",
    """INSERT INTO visits (id, borrower_id, officer_id, status, revision, visit_date, version,
                           payload, payload_sha256, created_at, updated_at, submitted_at)
       SELECT 'v-' || g, 'b-' || (g % :borrowers), 'off-' || (g % :borrowers % 1000),
              (ARRAY['approved','submitted','returned','draft'])[1 + g % 4], 1,
              date '2025-01-01' + (g % 730), 1, '{"kind": "routine"}', repeat('0', 64),
              now(), now(),
              CASE WHEN g % 4 = 3 THEN NULL
                   ELSE timestamp '2025-01-01 02:00' + (g % 730 + g % 9) * interval '1 day'
              END
       FROM generate_series(0, :visits - 1) g""",
    """INSERT INTO reviews (id, visit_id, visit_version, reviewer_id, decision, comment,
                           decided_at, received_at, version, classification_reason, comments)
       SELECT 'r-' || g, 'v-' || g, 1, 'sup-' || (g % :borrowers % 1000 / 10),
              CASE WHEN g % 4 = 2 THEN 'returned' ELSE 'approved' END, '',
              timestamp '2025-01-01 06:00' + (g % 730 + g % 9 + 2) * interval '1 day',
              now(), 1, '', '[]'
       FROM generate_series(0, :visits - 1) g WHERE g % 4 IN (0, 2)""",
    """INSERT INTO signal_index (id, visit_id, borrower_id, severity, status, category,
                                raised_on, title, updated_at)
       SELECT 's-' || g, 'v-' || (:visits - 1 - g), 'b-' || ((:visits - 1 - g) % :borrowers),
              (ARRAY['yellow','orange','red'])[1 + g % 3],
              (ARRAY['raised','handled','monitored','cleared','cleared'])[1 + g % 5],
              (ARRAY['financial','operational','governance','collateral','behaviour',
                     'external'])[1 + g % 6],
              date '2026-12-10' - (g % 400), '信号' || g, now()
       FROM generate_series(0, :signals - 1) g""",
    f"""INSERT INTO classification_moves (borrower_id, moved_on, from_classification,
                                         to_classification, recorded_at)
       SELECT 'b-' || (g * 10), date '2026-01-01' + (g % 340),
              ({CLASSES})[1 + (g + 3) % 12], ({CLASSES})[1 + g * 10 % 12], now()
       FROM generate_series(0, :moves - 1) g""",
    "DELETE FROM borrower_due_stale",
    "ANALYZE",
]


def timed(what: Callable[[], Any], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        what()
        times.append(time.perf_counter() - began)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--borrowers", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--database", default="admin_dash_bench")
    parser.add_argument("--keep", action="store_true", help="leave the database (to look into)")
    args = parser.parse_args()
    server = create_engine(args.server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}"'))
        conn.execute(text(f'CREATE DATABASE "{args.database}"'))
    url = make_url(args.server).set(database=args.database).render_as_string(
        hide_password=False)
    try:
        run(url, args)
    finally:
        if not args.keep:
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
        server.dispose()


def run(url: str, args: argparse.Namespace) -> None:
    db = Database.open(url)
    try:
        upgrade_database(db.engine)
        counts = {"borrowers": args.borrowers, "visits": args.visits,
                  "signals": args.visits * 3 // 10, "moves": args.borrowers // 10}
        began = time.perf_counter()
        with db.engine.begin() as conn:
            for statement in FILL:
                conn.execute(text(statement), counts)
        print(f"filled in {time.perf_counter() - began:.1f} s: {args.borrowers:,} borrowers, "
              f"{args.visits:,} visits, {counts['signals']:,} signals, {counts['moves']:,} "
              "moves, 1,000 officers")
        measure(db, args.repeat, args.borrowers)
    finally:
        db.dispose()


def measure(db: Database, repeat: int, borrowers: int) -> None:
    def count_visits() -> None:
        with db.read() as s:
            s.execute(text("SELECT count(*) FROM visits")).scalar()

    quarter = Ask(TODAY, *QUARTER)
    rows: list[tuple[str, Callable[[], Any]]] = [
        ("baseline: SELECT count(*) FROM visits", count_visits),
        ("figures, whole bank per officer", lambda: whole_bank_dashboard(db, quarter)),
        ("figures, whole bank per team", lambda: whole_bank_dashboard(
            db, Ask(TODAY, *QUARTER, GroupBy.TEAM))),
        ("figures, whole bank per branch", lambda: whole_bank_dashboard(
            db, Ask(TODAY, *QUARTER, GroupBy.BRANCH))),
        ("figures, one branch per officer", lambda: whole_bank_dashboard(
            db, Ask(TODAY, *QUARTER, branch_id="br-3"))),
        ("figures, one team per officer", lambda: whole_bank_dashboard(
            db, Ask(TODAY, *QUARTER, team_id="sup-7"))),
        ("rows: an officer's overdue borrowers", lambda: bar_rows(
            db, quarter, Bar("due", "off-17", due=DueBucket.OVERDUE), 0, 100)),
        ("rows: every normal borrower (page 1)", lambda: bar_rows(
            db, quarter, Bar("classification", classification="normal"), 0, 100)),
        ("rows: migration cell normal -> loss", lambda: bar_rows(
            db, quarter, Bar("migration", classification="normal",
                             to_classification="loss"), 0, 100)),
        ("rows: an officer's submitted visits", lambda: bar_rows(
            db, quarter, Bar("workload", "off-17", workload=Workload.SUBMITTED), 0, 100)),
        ("rows: open financial signals (page 1)", lambda: bar_rows(
            db, quarter, Bar("signal_category", category="financial"), 0, 100)),
    ]
    whole_bank_dashboard(db, quarter)  # the caches warm, as after a first look
    baseline = 0.0
    print(f"{'':42} {'median':>9} {'worst':>9} {'x baseline':>11}")
    for name, what in rows:
        median, worst = timed(what, repeat)
        baseline = baseline or median
        print(f"{name:42} {median * 1000:7.1f} ms {worst * 1000:7.1f} ms "
              f"{median / baseline:10.1f}x")
    board = whole_bank_dashboard(db, quarter)
    print(f"(whole bank: {len(board.rows)} rows, {board.total.borrowers:,} borrowers, "
          f"{board.total.overdue:,} overdue, {board.total.submitted:,} submitted this quarter, "
          f"{sum(m.count for m in board.migration if m.start != m.end):,} moved)")
    with db.write() as s:
        mark_stale(s, [f"b-{n * (borrowers // 1000)}" for n in range(1000)])
    began = time.perf_counter()
    refresh_stale(db)
    print(f"refresh of 1,000 marked borrowers: {(time.perf_counter() - began) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
