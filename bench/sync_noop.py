"""Benchmark: SyncClient.sync() when there is nothing to do, on a laptop with 10,000 visits.

A real `inspector-hq serve` (subprocess, 127.0.0.1, SQLite in a temporary directory) with an
officer and their borrowers; a laptop registers and pulls them, then gets --visits visits in
bulk (spread over the borrowers, each with a checklist answer), all marked as confirmed by
headquarters the way the client records it (a visit_sync row with the server version and the
hash of the pushed document) and with an empty outbox. Each timed sync() then pulls nothing
new, has no file to upload and no visit to push. The server does not hold copies of those
visits (it is never asked about them in a run with nothing to do).

Not a test: prints figures, asserts nothing. Target: median < 0.5 s.

    python bench/sync_noop.py [--visits 10000] [--borrowers 200] [--runs 9]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sync_upload import build_portfolio, laptop, serve

from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import VisitKind, VisitStatus
from inspector_app.store import outbox
from inspector_app.store.models import (
    Borrower,
    ChecklistAnswer,
    OutboxEntry,
    Visit,
    VisitSync,
)
from inspector_app.sync.mapping import payload_sha256, visit_record

BATCH = 1000


def fill(lap, visits: int) -> float:  # type: ignore[no-untyped-def]
    """Bulk-insert visits as synced; seconds taken."""
    start = time.perf_counter()
    store = lap.store
    model = store.start_visit(lap.borrower_id, lap.officer, VisitKind.ROUTINE,
                              visit_date=date(2026, 1, 5))
    with store.read() as s:
        borrowers = list(s.scalars(select(Borrower.id).where(
            Borrower.officer_id == lap.officer.id).order_by(Borrower.code)))
    ids: list[str] = [model.id]
    day0 = date(2024, 1, 1)
    for first in range(1, visits, BATCH):
        with outbox.quiet_write(store) as s:
            batch = []
            for n in range(first, min(first + BATCH, visits)):
                vid = str(uuid.uuid4())
                batch.append(vid)
                s.add(Visit(
                    id=vid, borrower_id=borrowers[n % len(borrowers)], officer_id=lap.officer.id,
                    kind=VisitKind.ROUTINE, status=VisitStatus.COMPLETED,
                    template_code=model.template_code, template_version=model.template_version,
                    template_refs=list(model.template_refs), revision=1,
                    visit_date=day0 + timedelta(days=n % 700), place="厂区",
                    general_note=f"第{n}次检查，经营正常", started_at=utcnow()))
                s.add(ChecklistAnswer(visit_id=vid, item_code="R-01", value="yes", note=""))
            # Answers first, then approved: an approved visit is locked against new children.
            s.flush()
            s.execute(update(Visit).where(Visit.id.in_(batch))
                      .values(status=VisitStatus.APPROVED))
            ids += batch
    for first in range(0, len(ids), BATCH):
        with outbox.quiet_write(store) as s:
            for vid in ids[first:first + BATCH]:
                record = visit_record(s, vid)
                assert record is not None
                s.merge(VisitSync(visit_id=vid, acked_version=1,
                                  acked_payload_sha256=payload_sha256(record),
                                  acked_at=utcnow(), unanswered=None))
    with outbox.quiet_write(store) as s:
        s.execute(delete(OutboxEntry))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--visits", type=int, default=10_000)
    ap.add_argument("--borrowers", type=int, default=200, help="the officer's borrowers")
    ap.add_argument("--runs", type=int, default=9, help="timed no-op syncs (after one warm-up)")
    ap.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    args = ap.parse_args(argv)
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-sync-noop-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        hq_dir = work / "hq"
        hq_dir.mkdir()
        build_portfolio(f"sqlite:///{hq_dir / 'hq.sqlite3'}", work / "portfolio",
                        borrowers_per_officer=args.borrowers)
        with serve(["--data-dir", str(hq_dir)], log=work / "server.log") as base:
            lap = laptop(work / "laptop", base, "off0001")
            took = fill(lap, args.visits)
            with lap.store.read() as s:
                n_visits = s.scalar(select(func.count()).select_from(Visit))
                n_acked = s.scalar(select(func.count()).select_from(VisitSync))
                n_out = s.scalar(select(func.count()).select_from(OutboxEntry))
            print(f"laptop: {n_visits} visits, {n_acked} confirmed, outbox {n_out} "
                  f"(built in {took:.1f} s); server {base}")
            warm = lap.client.sync()
            if not warm.ok:
                raise SystemExit(f"warm-up sync failed: {warm.messages()}")
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                report = lap.client.sync()
                times.append(time.perf_counter() - start)
                if not report.ok or report.pulled or report.visits_sent or report.photos_sent:
                    raise SystemExit(f"not a no-op: {report}")
            lap.close()
        print(f"no-op sync over {args.runs} runs: median {statistics.median(times) * 1000:.0f} ms, "
              f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
              f"(target median < 500 ms)")
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
