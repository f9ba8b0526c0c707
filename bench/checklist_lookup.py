"""A visit's checklist, as looked up on every answer: shipped templates only, and with
templates pulled from headquarters in force (shipped ∪ pulled, cached per state of the pulled
template documents). Prints microseconds per lookup, side by side.

    python bench/checklist_lookup.py [--n 5000] [--pulled 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from sync_helpers import build_portfolio  # noqa: E402

from inspector_app.domain.checklist import default_template_dir  # noqa: E402
from inspector_app.store.local import LocalStore  # noqa: E402
from inspector_app.store.models import ReferenceDoc  # noqa: E402


def per_lookup(store: LocalStore, visit_id: str, n: int) -> float:
    store.visit_checklist(visit_id)  # warm: parse and cache
    start = time.perf_counter()
    for _ in range(n):
        store.visit_checklist(visit_id)
    return (time.perf_counter() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--pulled", type=int, default=10, help="pulled template versions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = LocalStore.open(Path(tmp))
        visit_id = build_portfolio(store).visit_id
        shipped = per_lookup(store, visit_id, args.n)
        text = (default_template_dir() / "routine.yaml").read_text(encoding="utf-8")
        shipped_version = int(text.split("\nversion: ", 1)[1].split("\n", 1)[0])
        with store.write() as s:
            for version in range(shipped_version + 1, shipped_version + 1 + args.pulled):
                s.add(ReferenceDoc(
                    entity="template", id=f"routine@{version}", version=version,
                    data={"yaml": text.replace(f"\nversion: {shipped_version}\n",
                                               f"\nversion: {version}\n", 1),
                          "published_at": f"2026-11-{version:02d}T00:00:00+00:00"}))
        pulled = per_lookup(store, visit_id, args.n)
        store.close()
    print(f"visit checklist lookup, {args.n} times: shipped templates only {shipped:.0f} µs; "
          f"with {args.pulled} pulled versions in force {pulled:.0f} µs")


if __name__ == "__main__":
    main()
