"""Benchmark: photo upload throughput of SyncClient against plain HTTP, to the same server.

A real `inspector-hq serve` (a subprocess on 127.0.0.1, SQLite in a temporary data directory)
receives photo-like random bytes (incompressible, as JPEGs are) from two contenders, batch by
batch in alternating order so that load from elsewhere on the machine hits both alike:

  raw     plain httpx: one PATCH per file carrying the whole blob (read from disk), the
          least any client can do over this protocol; the baseline.
  raw-1M  the same in 1 MB PATCHes (the client's chunk size): protocol cost, no client logic.
  client  SyncClient.sync() of a laptop whose visits hold the photos: the files sit in the
          laptop's photo store and their Photo rows were written through LocalStore's writer
          (so the outbox queued them exactly as add_photo would, minus decoding and
          thumbnails); only the upload stage is timed (first to last upload progress), the
          visits' push after it is reported apart.

The server deduplicates by SHA-256, so each contender gets its own copy of every file that
differs from the others only in its first 16 bytes: the same sizes and the same random
content, distinct names. Not a test: prints figures, asserts nothing. Target: client >= 70 %
of raw.

    python bench/sync_upload.py [--total-mb 1024] [--file-mb 5] [--rounds 5]

The helpers here (a server subprocess, a portfolio, a registered laptop) are also used by
bench/sync_noop.py.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from argon2 import PasswordHasher

from inspector_app import wire
from inspector_app.common import passwords
from inspector_app.domain.enums import Role, VisitKind
from inspector_app.hq import admin
from inspector_app.hq.app import open_hq
from inspector_app.hq.csv_import import import_files
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, Photo, User
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import SyncProgress

MB = 1024 * 1024
PASSWORD = "bench-pass-1234"
ACTOR = "cli:bench"
OCTETS = "application/offset+octet-stream"
START_TIMEOUT = 60.0  # seconds for the server to answer
REQUEST_TIMEOUT = httpx.Timeout(120.0, connect=10.0)

# Argon2 at its lowest cost for the users made here: hashes carry their parameters, so the
# server verifies them at that cost too, and set-up does not take minutes.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def cheap_passwords() -> None:
    passwords._hasher = CHEAP_HASHER


# --- a server ------------------------------------------------------------------------------


SERVER_PID: dict[str, int] = {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(storage: list[str], *, log: Path, extra: list[str] = ()  # type: ignore[assignment]
          ) -> Iterator[str]:
    """`inspector-hq serve` on a free loopback port; yields its base URL, stops it after.
    SERVER_PID[base] is its process id while it runs."""
    port = free_port()
    exe = shutil.which("inspector-hq", path=str(Path(sys.executable).parent)) or "inspector-hq"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [exe, "serve", *storage, "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", *extra],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited with {proc.returncode}; see {log}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer within {START_TIMEOUT:.0f} s")
            time.sleep(0.1)
        SERVER_PID[base] = proc.pid
        yield base
    finally:
        SERVER_PID.pop(base, None)
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# --- a portfolio ---------------------------------------------------------------------------


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_portfolio(db_url: str, folder: Path, officers: int = 1,
                    borrowers_per_officer: int = 1) -> list[str]:
    """Branch B01, supervisor sup1, officers off0001...; each with borrowers (a loan and a
    collateral item each). Returns the officers' usernames (password PASSWORD)."""
    cheap_passwords()
    folder.mkdir(parents=True, exist_ok=True)
    hq = open_hq(db_url, folder / "unused-blobs")
    try:
        db = hq.db
        admin.add_branch(db, "B01", "城东支行", ACTOR)
        admin.add_user(db, "sup1", "张主任", Role.SUPERVISOR, PASSWORD, ACTOR, branch_code="B01")
        names = [f"off{i:04d}" for i in range(1, officers + 1)]
        for name in names:
            admin.add_user(db, name, f"客户经理{name[3:]}", Role.OFFICER, PASSWORD, ACTOR,
                           branch_code="B01", supervisor_username="sup1")
        codes = [(f"C{i:04d}{j:03d}", name) for i, name in enumerate(names, 1)
                 for j in range(borrowers_per_officer)]
        import_files(db, {
            "borrowers": _csv(folder / "b.csv",
                              ["code", "name", "kind", "industry", "id_number", "branch",
                               "officer"],
                              [[c, f"测试企业{c}有限公司", "company", "manufacturing",
                                f"9132{c:0>14}", "B01", o] for c, o in codes]),
            "loans": _csv(folder / "l.csv",
                          ["contract_no", "borrower_code", "loan_type", "amount_yuan",
                           "disbursed_on", "matures_on", "classification"],
                          [[f"L-{c}", c, "working_capital", "5000000.00", "2026-03-01",
                            "2027-03-01", "normal"] for c, _ in codes]),
            "collateral": _csv(folder / "c.csv",
                               ["code", "borrower_code", "loan_contract_no", "kind",
                                "description", "appraised_value_yuan", "pledged_value_yuan"],
                               [[f"P-{c}", c, f"L-{c}", "property", "厂房", "8000000",
                                 "5000000"] for c, _ in codes]),
        }, ACTOR)
    finally:
        hq.db.dispose()
    return names


@dataclass
class Laptop:
    store: LocalStore
    client: SyncClient
    officer: User
    borrower_id: str

    def close(self) -> None:
        self.client.close()
        self.store.close()


def laptop(data_dir: Path, base: str, username: str) -> Laptop:
    """A fresh laptop registered as `username`, after its first sync."""
    cheap_passwords()
    store = LocalStore.open(data_dir)
    client = SyncClient(store, base)
    client.register(username, PASSWORD, "bench")
    first = client.sync()
    if not first.ok:
        raise SystemExit(f"first sync failed: {first.messages()}")
    with store.read() as s:
        officer = s.query(User).filter_by(username=username).one()
        borrower_id = s.query(Borrower.id).filter_by(officer_id=officer.id).limit(1).scalar()
    if borrower_id is None:
        raise SystemExit("the officer has no borrower")
    return Laptop(store, client, officer, borrower_id)


# --- the files -------------------------------------------------------------------------------


def variant(data: bytes, tag: str) -> bytes:
    """The same bytes but the first 16: a distinct file of the same size and content."""
    return hashlib.blake2b(tag.encode(), digest_size=16).digest() + data[16:]


def put_in_photo_store(store: LocalStore, data: bytes) -> str:
    """The file as add_photo would leave it in the laptop's store (no decode, no thumbnail)."""
    sha = hashlib.sha256(data).hexdigest()
    fan = store.photos.root / "originals" / sha[:2]
    fan.mkdir(parents=True, exist_ok=True)
    (fan / f"{sha}.jpg").write_bytes(data)
    return sha


def attach(lap: Laptop, shas: list[tuple[str, int]], visit_date: date) -> str:
    """A visit holding these photos, written through the store (the outbox queues them)."""
    visit = lap.store.start_visit(lap.borrower_id, lap.officer, VisitKind.ROUTINE,
                                  visit_date=visit_date, place="厂区")
    with lap.store.write() as s:
        for i, (sha, size) in enumerate(shas):
            s.add(Photo(visit_id=visit.id, sha256=sha, original_name=f"IMG_{i:04d}.JPG",
                        caption="", width=4000, height=3000, size_bytes=size))
    return visit.id


# --- the contenders ----------------------------------------------------------------------


def raw_upload(http: httpx.Client, headers: dict[str, str], paths: list[Path],
               chunk: int | None) -> float:
    """Plain PATCHes; seconds taken (reading the files included)."""
    start = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        step = chunk or len(data)
        offset = 0
        while offset < len(data):
            r = http.patch(f"{wire.API}/blobs/{sha}", content=data[offset:offset + step],
                           headers={**headers, "Upload-Offset": str(offset),
                                    "Upload-Length": str(len(data)), "Content-Type": OCTETS})
            if r.status_code != 204:
                raise SystemExit(f"raw upload refused: {r.status_code} {r.text}")
            offset = int(r.headers["Upload-Offset"])
    return time.perf_counter() - start


def client_upload(lap: Laptop, expected: int) -> tuple[float, float]:
    """One sync(); (seconds of its upload stage, seconds of the whole run)."""
    marks: list[float] = []

    def progress(p: SyncProgress) -> None:
        if p.stage == "upload":
            marks.append(time.perf_counter())

    start = time.perf_counter()
    report = lap.client.sync(progress=progress)
    whole = time.perf_counter() - start
    if not report.ok or report.photos_sent != expected:
        raise SystemExit(f"client sync: sent {report.photos_sent} of {expected}: "
                         f"{report.messages()}")
    return marks[-1] - marks[0], whole


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--total-mb", type=int, default=1024, help="bytes per contender, in MB")
    ap.add_argument("--file-mb", type=float, default=5.0, help="size of one photo, in MB")
    ap.add_argument("--rounds", type=int, default=5, help="batches, contenders alternating")
    ap.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    args = ap.parse_args(argv)
    size = int(args.file_mb * MB)
    count = max(args.rounds, round(args.total_mb * MB / size))
    rounds = min(args.rounds, count)

    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-sync-upload-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        hq_dir = work / "hq"
        db_url = f"sqlite:///{hq_dir / 'hq.sqlite3'}"
        hq_dir.mkdir(parents=True, exist_ok=True)
        build_portfolio(db_url, work / "portfolio")
        with serve(["--data-dir", str(hq_dir)], log=work / "server.log") as base:
            lap = laptop(work / "laptop", base, "off0001")
            raw_dir = work / "raw"
            raw_dir.mkdir()
            t0 = time.perf_counter()
            raw_files: dict[str, list[Path]] = {"raw": [], "raw-1M": []}
            client_files: list[tuple[str, int]] = []
            for i in range(count):
                data = os.urandom(size)
                for name in raw_files:
                    path = raw_dir / f"{name}-{i:04d}.bin"
                    path.write_bytes(variant(data, f"{name}{i}"))
                    raw_files[name].append(path)
                client_files.append((put_in_photo_store(lap.store, variant(data, f"c{i}")),
                                     size))
            print(f"generated {count} files x {size / MB:.1f} MB x 3 contenders "
                  f"in {time.perf_counter() - t0:.1f} s; server {base}")

            batches = [range(r * count // rounds, (r + 1) * count // rounds)
                       for r in range(rounds)]
            times: dict[str, list[float]] = {"raw": [], "raw-1M": [], "client": []}
            push_times: list[float] = []
            headers = {"Authorization": f"Bearer {lap.client._token}"}
            with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as http:
                for r, batch in enumerate(batches):
                    order = ["raw", "raw-1M", "client"]
                    if r % 2:
                        order.reverse()
                    for who in order:
                        if who == "client":
                            attach(lap, [client_files[i] for i in batch], date(2026, 11, 20))
                            upload, whole = client_upload(lap, len(batch))
                            times["client"].append(upload)
                            push_times.append(whole - upload)
                        else:
                            chunk = MB if who == "raw-1M" else None
                            times[who].append(raw_upload(
                                http, headers, [raw_files[who][i] for i in batch], chunk))
                    sizes = len(batch) * size / MB
                    print(f"round {r + 1}/{rounds}: {len(batch)} files, "
                          + ", ".join(f"{w} {sizes / times[w][-1]:.0f} MB/s" for w in order))
            lap.close()

        total_mb = count * size / MB
        print()
        print(f"{count} files x {size / MB:.1f} MB = {total_mb:.0f} MB per contender, "
              f"{rounds} rounds, loopback, SQLite server")
        rate = {w: total_mb / sum(t) for w, t in times.items()}
        for w, t in times.items():
            per_round = [len(b) * size / MB / x for b, x in zip(batches, t, strict=True)]
            print(f"  {w:<7} {rate[w]:7.1f} MB/s overall  (median round "
                  f"{statistics.median(per_round):.1f} MB/s, {sum(t):.1f} s)")
        print(f"  client / raw     = {rate['client'] / rate['raw']:.0%}  (target >= 70 %)")
        print(f"  client / raw-1M  = {rate['client'] / rate['raw-1M']:.0%}")
        print(f"  (client sync besides the upload stage: pull + push of {rounds} visits + "
              f"pull, {sum(push_times):.1f} s in all)")
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
