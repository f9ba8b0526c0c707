"""A process appending one upload to a DiskBlobStore as fast as it can, racing other processes
that do the same on the same directory (tests/hq/test_hq_blob_processes.py).

    python blob_race.py BLOB_ROOT DATA_FILE CHUNK_BYTES GO_FILE

Each turn asks the store where the upload stands and appends the chunk from there; a chunk
another process got in first is refused (OffsetMismatch) and the turn starts over. Prints
one JSON line: the offsets this process's appends were accepted at, and any other refusal.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

from inspector_app.hq.blobs import DiskBlobStore, OffsetMismatch


def main() -> None:
    root, data_file, chunk_text, go = sys.argv[1:5]
    data = Path(data_file).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    chunk = int(chunk_text)
    store = DiskBlobStore(Path(root))
    deadline = time.monotonic() + 30
    while not Path(go).exists():  # start together
        if time.monotonic() > deadline:
            raise SystemExit("never told to go")
        time.sleep(0.001)
    accepted: list[int] = []
    mismatches = 0
    errors: list[str] = []
    while not store.complete(sha):
        offset = store.offset(sha) or 0
        if offset >= len(data):
            continue  # completed by another process meanwhile
        piece = data[offset:offset + chunk]
        try:
            new = store.append(sha, offset, piece, len(data))
        except OffsetMismatch:
            mismatches += 1
            continue
        except Exception as e:  # reported, so the test shows what went wrong
            errors.append(f"{type(e).__name__}: {e}")
            break
        if new == offset + len(piece):
            # (For the last chunk this may also be the no-op append to a blob another
            # process has just completed.)
            accepted.append(offset)
    print(json.dumps({"accepted": accepted, "mismatches": mismatches, "errors": errors}))


if __name__ == "__main__":
    main()
