"""How fast are the supervisor's dashboard figures on a laptop with 20,000 borrowers and
100,000 visits?

Builds a --scale portfolio with build_demo (5 visits a borrower; or reuses one given with
--data-dir), gives a share of the borrowers classification moves over the last months (what
the schedule refresh records as headquarters' loan classifications change), then times, in the
same run:

- the baseline: the supervisor's work list (LocalStore.work_list(limit=200)) and the numbers
  at a glance (officer_counts), the queries the main window already runs on every start;
- LocalStore.team_dashboard(today, quarter): every figure of the dashboard;
- LocalStore.drill(...) of the biggest bars: what a click opens.

Prints figures only; the target is the dashboard under 1 s.

    python bench/dashboard.py                    # build 20,000 borrowers in a temp dir
    python bench/dashboard.py --data-dir DIR     # build there once, reuse on later runs
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from inspector_app.demo.build import build_demo
from inspector_app.domain.enums import Classification
from inspector_app.store.dashboard_rows import Drill, DueBucket, Workload
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, ClassificationMove, Visit

TARGET_S = 1.0
MOVED_SHARE = 0.15  # borrowers whose classification moved at least once in the last 200 days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="build here once and reuse it afterwards")
    parser.add_argument("--scale", type=int, default=20_000, help="borrowers to generate")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query")
    args = parser.parse_args()
    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="dashboard-bench-")) if temporary else args.data_dir
    try:
        today = date.today()
        prepare(data_dir, args.scale, today)
        store = LocalStore.open(data_dir)
        try:
            measure(store, today, args.repeat)
        finally:
            store.close()
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)


def prepare(data_dir: Path, scale: int, today: date) -> None:
    if (data_dir / "inspector.sqlite3").exists() or any(data_dir.glob("*.sqlite*")):
        print(f"reusing {data_dir}")
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"building a --scale {scale:,} portfolio in {data_dir} …", flush=True)
    started = time.perf_counter()
    result = build_demo(data_dir, scale=scale, today=today)
    print(f"build_demo: {time.perf_counter() - started:.1f} s ({result.borrowers:,} borrowers, "
          f"{result.visits:,} visits, {result.signals:,} signals)")
    store = LocalStore.open(data_dir)
    try:
        add_moves(store, today)
    finally:
        store.close()


def add_moves(store: LocalStore, today: date) -> None:
    """Moves that end in each borrower's classification now, one to three of them, dated over
    the last 200 days (the laptop records them as they happen; a built store has none)."""
    rng = random.Random(15)
    classes = list(Classification)
    with store.write() as s:
        borrowers = s.execute(select(Borrower.id, Borrower.classification)).all()
        moves: list[dict[str, Any]] = []
        for borrower_id, now in rng.sample(borrowers, int(len(borrowers) * MOVED_SHARE)):
            days = sorted(rng.sample(range(1, 200), rng.randint(1, 3)), reverse=True)
            chain = [rng.choice(classes) for _ in days[1:]] + [now]
            before = rng.choice([c for c in classes if c != chain[0]])
            for day, to in zip(days, chain, strict=True):
                moves.append({"borrower_id": borrower_id, "moved_on": today - timedelta(day),
                              "from_classification": before, "to_classification": to})
                before = to
        s.execute(insert(ClassificationMove), moves)
    print(f"classification moves: {len(moves):,} for {int(len(borrowers) * MOVED_SHARE):,} "
          "borrowers")


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median and worst of repeat runs after a warm-up, in seconds, and the last result."""
    result = call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), result


def measure(store: LocalStore, today: date, repeat: int) -> None:
    with store.read() as s:
        borrowers = s.scalar(select(func.count()).select_from(Borrower)) or 0
        visits = s.scalar(select(func.count()).select_from(Visit)) or 0
        moves = s.scalar(select(func.count()).select_from(ClassificationMove)) or 0
    first_month = (today.month - 1) // 3 * 3 + 1
    start = date(today.year, first_month, 1)
    end = (date(today.year + (first_month + 2) // 12, (first_month + 2) % 12 + 1, 1)
           - timedelta(days=1))
    print(f"\nstore: {borrowers:,} borrowers, {visits:,} visits, {moves:,} classification moves;"
          f" today {today}, quarter {start} – {end}; {repeat} runs each\n")
    print(f"{'what':<58} {'median':>9} {'max':>9} {'rows':>7}")

    def row(label: str, call: Callable[[], Any], count: Callable[[Any], int]) -> float:
        median, worst, result = timed(call, repeat)
        print(f"{label:<58} {median * 1000:>7.1f}ms {worst * 1000:>7.1f}ms {count(result):>7,}")
        return median

    row("baseline: work_list(limit=200), the whole team",
        lambda: store.work_list(limit=200, today=today), len)
    row("baseline: officer_counts(None, today)", lambda: store.officer_counts(None, today),
        lambda c: c.borrowers)
    board_s = row("team_dashboard(today, quarter): every figure",
                  lambda: store.team_dashboard(today, start, end), lambda b: len(b.due))
    board = store.team_dashboard(today, start, end)
    busiest = max(board.due, key=lambda d: d.overdue)
    row(f"drill: overdue of {busiest.officer}",
        lambda: store.drill(Drill("due", today, officer_id=busiest.officer_id,
                                  due=DueBucket.OVERDUE)), len)
    stayed = Classification.NORMAL
    row("drill: migration cell 正常→正常 (the biggest)",
        lambda: store.drill(Drill("migration", today, start, end, classification=stayed,
                                  to_classification=stayed)), len)
    row(f"drill: visits this month of {busiest.officer}",
        lambda: store.drill(Drill("workload", today, start, end, officer_id=busiest.officer_id,
                                  workload=Workload.VISITS_THIS_MONTH)), len)
    moved = sum(n for (a, b), n in board.migration.items() if a != b)
    print(f"\nmigration matrix: {moved:,} borrowers changed classification this quarter; "
          f"{sum(board.migration.values()):,} in all")
    verdict = "meets" if board_s < TARGET_S else "MISSES"
    print(f"team_dashboard median {board_s * 1000:.0f} ms ({verdict} the {TARGET_S:.0f} s "
          "target)")


if __name__ == "__main__":
    main()
