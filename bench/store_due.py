"""How fast is the officer's due list over a 20,000-borrower portfolio?

Builds a --scale portfolio with build_demo (or reuses one given with --data-dir), then times
LocalStore.due_list(text, limit=200) for the searches an officer types: fragments of Chinese
names, of customer codes and ID numbers, an industry name, and nothing at all. Prints figures
only; the target is a median under 50 ms.

    python bench/store_due.py                    # build 20,000 borrowers in a temp dir
    python bench/store_due.py --data-dir DIR     # build there once, reuse on later runs
    python bench/store_due.py --scale 5000 --repeat 50 --plan
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import unicodedata
from pathlib import Path

from sqlalchemy import func, select, text

from inspector_app.demo.build import build_demo
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, User

TARGET_MS = 50.0

# What an officer types into the search box, by kind.
SEARCHES: tuple[tuple[str, str], ...] = (
    ("", "empty (the whole list)"),
    ("江苏", "name: province"),
    ("苏州", "name: city"),
    ("机械", "name: business"),
    ("贸易有限公司", "name: long suffix"),
    ("王", "name: one character"),
    ("张伟", "name: person"),
    ("3205000012", "customer code prefix"),
    ("0123", "customer code digits"),
    ("320506", "ID / credit code region"),
    ("制造", "industry: 制造业"),
    ("房地产", "industry: 房地产"),
    ("不存在的客户", "no match"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="build here once and reuse it afterwards")
    parser.add_argument("--scale", type=int, default=20_000, help="borrowers to generate")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per search")
    parser.add_argument("--limit", type=int, default=200, help="due_list(limit=...)")
    parser.add_argument("--plan", action="store_true", help="print SQLite's query plans")
    args = parser.parse_args()

    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="due-bench-")) if temporary else args.data_dir
    try:
        prepare(data_dir, args.scale)
        store = LocalStore.open(data_dir)
        try:
            measure(store, args.repeat, args.limit)
            if args.plan:
                print_plans(store, args.limit)
        finally:
            store.close()
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)


def prepare(data_dir: Path, scale: int) -> None:
    if data_dir.exists():
        store = LocalStore.open(data_dir)
        try:
            with store.read() as s:
                existing = s.scalar(select(func.count()).select_from(Borrower)) or 0
        finally:
            store.close()
        if existing:
            print(f"reusing {data_dir}: {existing:,} borrowers (build time not measured)")
            return
    print(f"building a --scale {scale:,} portfolio in {data_dir} …", flush=True)
    started = time.perf_counter()
    result = build_demo(data_dir, scale=scale)
    wall = time.perf_counter() - started
    print(
        f"build_demo(scale={scale:,}): {wall:.1f} s wall clock "
        f"({result.borrowers:,} borrowers, {result.loans:,} loans, {result.visits:,} visits, "
        f"{result.signals:,} signals)"
    )


def measure(store: LocalStore, repeat: int, limit: int) -> None:
    with store.read() as s:
        officer_id = s.scalar(select(User.id).where(User.username == "officer"))
    cases: list[tuple[str, str, str | None]] = [(t, label, None) for t, label in SEARCHES]
    cases.append(("", "empty, one officer's list", officer_id))

    print(f"\nLocalStore.due_list(text, limit={limit}), {repeat} runs each, in ms")
    print(f"{'search':<16} {'what':<26} {'rows':>5} {'median':>8} {'p95':>8} {'max':>8}")
    everything: list[float] = []
    for needle, label, officer in cases:
        store.due_list(needle, officer_id=officer, limit=limit)  # warm the page cache
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            rows = store.due_list(needle, officer_id=officer, limit=limit)
            times.append((time.perf_counter() - started) * 1000)
        everything.extend(times)
        shown = repr(needle) if needle else "''"
        print(
            f"{pad(shown, 16)} {pad(label, 26)} {len(rows):>5} {statistics.median(times):>8.1f} "
            f"{percentile(times, 95):>8.1f} {max(times):>8.1f}"
        )
    median = statistics.median(everything)
    verdict = "meets" if median < TARGET_MS else "MISSES"
    print(
        f"\nall searches: median {median:.1f} ms, p95 {percentile(everything, 95):.1f} ms "
        f"({verdict} the {TARGET_MS:.0f} ms median target)"
    )


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def print_plans(store: LocalStore, limit: int) -> None:
    """SQLite's plan for the empty search and for a name search, as due_list issues them."""
    plain = (
        "SELECT borrowers.id FROM borrowers LEFT OUTER JOIN users "
        "ON borrowers.officer_id = users.id "
        "ORDER BY borrowers.next_due_on IS NULL, borrowers.next_due_on, borrowers.name "
        f"LIMIT {limit}"
    )
    searched = plain.replace(
        "ORDER BY", "WHERE borrowers.name LIKE '%江苏%' OR borrowers.code LIKE '%江苏%' ORDER BY"
    )
    with store.read() as s:
        for label, sql in (("empty search", plain), ("name search", searched)):
            print(f"\nquery plan, {label}:")
            for row in s.execute(text(f"EXPLAIN QUERY PLAN {sql}")):
                print("  ", row[-1])


if __name__ == "__main__":
    main()
