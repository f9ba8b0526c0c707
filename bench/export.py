"""How long does exporting the supervisor's visits and the due list take at scale?

Fills a fresh store as bench/review_queue.py does (a supervisor, 10 officers, 4,000 borrowers,
20,000 visits), then times making each export table (the store's query and the rows) and
writing it as xlsx and as CSV (common.export_files.write_table), and prints the files' sizes.
Prints figures only.

    python bench/export.py [--visits 20000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from inspector_app.common.export_files import write_table
from inspector_app.store.local import LocalStore
from inspector_app.store.portfolio import WorkFilter
from inspector_app.store.review_rows import QueueFilter, QueueTab

sys.path.insert(0, str(Path(__file__).parent))
from review_queue import TODAY, fill

T = TypeVar("T")


def timed(label: str, call: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    result = call()
    print(f"{label:<44} {time.perf_counter() - t0:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=20_000)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="export-bench-"))
    try:
        store = LocalStore.open(data)
        sup = fill(store, args.visits, random.Random(11))
        decided = QueueFilter(tab=QueueTab.DECIDED)
        tables = {
            "visits (decided tab, every row)": timed(
                "table: visits, decided tab", lambda: store.visits_export(sup, decided, TODAY)),
            "visits (every visit on the laptop)": timed(
                "table: every visit", lambda: store.visits_export(None, None, TODAY)),
            "due list (everyone's)": timed(
                "table: due list", lambda: store.due_list_export(
                    WorkFilter(), officer_id=None, today=TODAY)),
        }
        for name, table in tables.items():
            for suffix in (".xlsx", ".csv"):
                out = data / f"out{suffix}"
                timed(f"write {len(table.rows):>6} rows {suffix:<5} {name}",
                      lambda out=out, table=table: write_table(table, out))
                print(f"{'':<44} {out.stat().st_size / 1e6:7.2f} MB")
        store.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
