"""A laptop's sync run in its own process, so a test can kill -9 it.

    python sync_child.py DATA_DIR BASE_URL CHUNK_BYTES DELAY_S

Prints one line per progress event ("progress STAGE DONE TOTAL BYTES_DONE BYTES_TOTAL
DETAIL"), flushed, sleeping DELAY_S after each upload chunk so a test can catch it mid-file;
then "report ok" or "report failed ...". Exit status 0 if the run was ok, 3 if not.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import SyncProgress


def main(argv: list[str]) -> int:
    data_dir, base_url, chunk, delay = Path(argv[0]), argv[1], int(argv[2]), float(argv[3])

    def progress(p: SyncProgress) -> None:
        print(f"progress {p.stage} {p.done} {p.total} {p.bytes_done} {p.bytes_total} "
              f"{p.detail}", flush=True)
        if p.stage == "upload" and p.bytes_done and delay:
            time.sleep(delay)

    store = LocalStore.open(data_dir)
    try:
        with SyncClient(store, base_url, chunk_bytes=chunk, retries=3, backoff=0.05) as client:
            report = client.sync(progress=progress)
    finally:
        store.close()
    if report.ok:
        print("report ok", flush=True)
        return 0
    print("report failed " + " | ".join(report.messages()), flush=True)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
