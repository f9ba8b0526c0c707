"""How fast is the supervisor's review queue over a team's 20,000 visits?

Fills a fresh store in bulk (plain INSERTs: a supervisor, 10 officers, 4,000 borrowers, 20,000
visits of which ~8% wait for review and ~77% are decided, signals on one visit in ten, a
decision row with item comments for every decided visit, five audit entries per visit), then
times LocalStore.review_queue for both tabs and each filter, the audit trail and the work
list. Prints figures only; the target is a median well under 100 ms.

    python bench/review_queue.py [--visits 20000] [--repeat 20] [--plan]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from inspector_app.common.sqltypes import new_id
from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    AuditEntry,
    Borrower,
    Review,
    ReviewComment,
    RiskSignal,
    Visit,
)
from inspector_app.store.review_rows import ClassificationChange, QueueFilter, QueueTab
from inspector_app.store.rows import UserRow

TARGET_MS = 100.0
TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
STATUSES = (
    (VisitStatus.APPROVED, 0.72), (VisitStatus.RETURNED, 0.05), (VisitStatus.SUBMITTED, 0.08),
    (VisitStatus.SIGNED, 0.05), (VisitStatus.COMPLETED, 0.05), (VisitStatus.DRAFT, 0.05),
)


def _stamp(**values: Any) -> dict[str, Any]:
    return {"id": new_id(), "created_at": NOW, "updated_at": NOW, "version": 1, **values}


def fill(store: LocalStore, n_visits: int, rng: random.Random) -> UserRow:
    supervisor = store.create_user("zhang", "pw-123456", "张主任", Role.SUPERVISOR)
    officers = [store.create_user(f"o{i}", "pw-123456", f"客户经理{i}", Role.OFFICER,
                                  supervisor_id=supervisor.id) for i in range(10)]
    classes = list(Classification)
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    borrowers, visits, signals, reviews, comments, audit = [], [], [], [], [], []
    for b in range(n_visits // 5):
        officer = officers[b % len(officers)]
        borrowers.append(_stamp(
            code=f"C{b:06d}", name=f"测试客户{b:05d}有限公司", kind=BorrowerKind.COMPANY,
            industry=Industry.MANUFACTURING, id_number=f"9132{b:014d}", officer_id=officer.id,
            classification=rng.choices(classes, [85, 10, 3, 1.5, 0.5])[0], open_signals=0))
        for k in range(5):
            status = rng.choices(statuses, weights)[0]
            since = NOW - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
            visit = _stamp(
                borrower_id=borrowers[-1]["id"], officer_id=officer.id, kind=VisitKind.ROUTINE,
                status=status, template_code="routine", template_version=1,
                template_refs=["routine@1"], revision=1, visit_date=TODAY - timedelta(
                    days=90 * (5 - k)), recommended_classification=rng.choice(classes[:3]),
                submitted_at=since if status not in (
                    VisitStatus.DRAFT, VisitStatus.COMPLETED, VisitStatus.SIGNED) else None)
            visits.append(visit)
            if rng.random() < 0.1:
                for _ in range(rng.randint(1, 3)):
                    signals.append(_stamp(
                        borrower_id=visit["borrower_id"], visit_id=visit["id"],
                        category=SignalCategory.FINANCIAL,
                        severity=rng.choice(list(Severity)), source=SignalSource.OFFICER,
                        source_ref="", title="信号", status=SignalStatus.RAISED,
                        raised_on=TODAY))
            if status in (VisitStatus.APPROVED, VisitStatus.RETURNED):
                review = _stamp(
                    visit_id=visit["id"], reviewer_id=supervisor.id, reviewer_name="张主任",
                    decision=status.value, comment="意见", classification_reason="",
                    decided_at=since + timedelta(days=2), state="confirmed", conflict="")
                reviews.append(review)
                if status is VisitStatus.RETURNED:
                    for j in range(2):
                        comments.append(_stamp(review_id=review["id"], target="answer",
                                               ref=f"R-{j}", text="请补充", position=j))
            for _ in range(5):
                audit.append({"id": new_id(), "seq": len(audit) + 1000, "at": NOW,
                              "user_id": officer.id, "action": "visit.transition",
                              "entity": "visit", "entity_id": visit["id"], "detail": {}})
    with store.write() as s:
        for model, rows in ((Borrower, borrowers), (Visit, visits), (RiskSignal, signals),
                            (Review, reviews), (ReviewComment, comments),
                            (AuditEntry, audit)):
            for i in range(0, len(rows), 5000):
                s.execute(insert(model), rows[i:i + 5000])
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    return supervisor


def timed(label: str, repeat: int, call: Callable[[], object]) -> float:
    call()  # warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - t0) * 1000)
    median = statistics.median(times)
    size = len(result) if isinstance(result, list) else "-"
    print(f"{label:<42} median {median:6.1f} ms  max {max(times):6.1f} ms  rows {size}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="queue-bench-"))
    try:
        store = LocalStore.open(data)
        t0 = time.perf_counter()
        sup = fill(store, args.visits, random.Random(11))
        print(f"filled {args.visits} visits in {time.perf_counter() - t0:.1f} s")
        officer = store.team_officers(sup)[3]
        worst = max(
            timed("waiting, no filter", args.repeat,
                  lambda: store.review_queue(sup, QueueFilter(), TODAY)),
            timed("decided, no filter (limit 500)", args.repeat,
                  lambda: store.review_queue(sup, QueueFilter(tab=QueueTab.DECIDED), TODAY)),
            timed("waiting, downgrades", args.repeat, lambda: store.review_queue(
                sup, QueueFilter(change=ClassificationChange.DOWNGRADE), TODAY)),
            timed("waiting, with signals", args.repeat, lambda: store.review_queue(
                sup, QueueFilter(with_signals=True), TODAY)),
            timed("waiting, one officer", args.repeat, lambda: store.review_queue(
                sup, QueueFilter(officer_id=officer.id), TODAY)),
            timed("waiting, search '0123'", args.repeat, lambda: store.review_queue(
                sup, QueueFilter(search="0123"), TODAY)),
            timed("decided, search '客户经理3'", args.repeat, lambda: store.review_queue(
                sup, QueueFilter(tab=QueueTab.DECIDED, search="客户经理3"), TODAY)),
        )
        some_visit = store.review_queue(sup, QueueFilter(tab=QueueTab.DECIDED), TODAY)[0]
        timed("audit_trail of one visit", args.repeat,
              lambda: store.audit_trail(some_visit.visit_id))
        timed("work_list (everyone's, limit 200)", args.repeat,
              lambda: store.work_list(limit=200))
        print(f"queue worst median {worst:.1f} ms (target < {TARGET_MS:.0f} ms)")
        store.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
