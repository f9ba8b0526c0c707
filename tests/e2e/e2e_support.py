"""Support for the fault tests: a real `inspector-hq serve` process, a headquarters world, a
client laptop with visits and JPEG photos, a recording transport, and the final comparison
of what the laptop holds with what headquarters holds."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import func, select

from inspector_app import wire
from inspector_app.domain.checklist import Item, is_abnormal, parse_answer
from inspector_app.domain.enums import AnswerType, Role, VisitKind
from inspector_app.hq import admin
from inspector_app.hq import models as hq_models
from inspector_app.hq.csv_import import import_files
from inspector_app.hq.db import Database
from inspector_app.hq.migrate import upgrade_database
from inspector_app.hq.pull import FEED_STATUSES
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, OutboxEntry, Photo, User, Visit
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.mapping import payload_sha256, visit_record

PASSWORD = "pass-1234"
ACTOR = "cli:e2e"
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 15
BORROWER_CODES = ["C001", "C002", "C003", "C004"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- headquarters ---------------------------------------------------------------------------


def sqlite_url(data_dir: Path) -> str:
    """The SQLite file `serve --data-dir` uses."""
    return f"sqlite:///{data_dir / 'hq.sqlite3'}"


def build_hq_world(data_dir: Path, db_url: str | None = None) -> None:
    """Branch B01; supervisor sup1 with officer off_a; borrowers C001-C004 assigned to off_a,
    each with a loan and a collateral item. Written with the admin API before the server
    starts, on the database it will use (default: the SQLite file of `serve --data-dir`)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.open(db_url or sqlite_url(data_dir))
    try:
        upgrade_database(db.engine)
        admin.add_branch(db, "B01", "城东支行", ACTOR)
        admin.add_user(db, "sup1", "张主任", Role.SUPERVISOR, PASSWORD, ACTOR, branch_code="B01")
        admin.add_user(db, "off_a", "李明", Role.OFFICER, PASSWORD, ACTOR, branch_code="B01",
                       supervisor_username="sup1")
        folder = data_dir / "csv"
        folder.mkdir()
        import_files(db, {
            "borrowers": _csv(folder / "b.csv", [{
                "code": code, "name": f"江苏恒达精密机械有限公司{code}", "kind": "company",
                "industry": "manufacturing", "id_number": f"91320000MA1X00{code}",
                "branch": "B01", "officer": "off_a"} for code in BORROWER_CODES]),
            "loans": _csv(folder / "l.csv", [{
                "contract_no": f"L-{code}", "borrower_code": code,
                "loan_type": "working_capital", "amount_yuan": "5000000.00",
                "disbursed_on": "2026-03-01", "matures_on": "2027-03-01",
                "classification": "normal"} for code in BORROWER_CODES]),
            "collateral": _csv(folder / "c.csv", [{
                "code": f"P-{code}", "borrower_code": code, "loan_contract_no": f"L-{code}",
                "kind": "property", "description": "厂房", "appraised_value_yuan": "8000000",
                "pledged_value_yuan": "5000000"} for code in BORROWER_CODES]),
        }, ACTOR)
    finally:
        db.dispose()


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


class HqServer:
    """`inspector-hq serve --data-dir D` (SQLite), or with db_url `serve --db URL --blobs
    D/blobs` (PostgreSQL: the server's default of one worker process per CPU), on a fixed
    loopback port; restartable on the same port and data. Its output (uvicorn's access log
    included) goes to server.log."""

    def __init__(self, data_dir: Path, port: int, db_url: str | None = None,
                 serve_args: tuple[str, ...] = ()) -> None:
        self.data_dir = data_dir
        self.port = port
        self.db_url = db_url or sqlite_url(data_dir)
        self.storage = (["--db", db_url, "--blobs", str(data_dir / "blobs")] if db_url
                        else ["--data-dir", str(data_dir)])
        self.serve_args = list(serve_args)  # more options of `serve` (--trust-root CA.pem)
        self.log = data_dir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "inspector_app.hq.cli", "serve", *self.storage,
                 *self.serve_args, "--host", "127.0.0.1", "--port", str(self.port),
                 "--log-level", "info"],
                stdout=out, stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                # A process group of its own, so kill() reaches uvicorn's worker processes
                # too (see _kill).
                start_new_session=True)
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited with {self.proc.returncode}:\n"
                                     f"{self.output()}")
            try:
                if httpx.get(f"{self.url}/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"the server did not start:\n{self.output()}")

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it does not go within STOP_TIMEOUT_S; the exit status."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return None if proc is None else proc.returncode
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise AssertionError(f"the server ignored SIGTERM:\n{self.output()}") from None

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            _kill(proc)

    def restart(self) -> None:
        self.stop()
        self.start()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def unexpected_errors(self) -> list[str]:
        """The exceptions the server logged, apart from ClientDisconnect (a client cut off
        mid-request body; see test_a_cut_upload_is_not_logged_as_a_server_error)."""
        return [line for line in self.output().splitlines()
                if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Disconnect)\b", line)
                and line.strip() != "starlette.requests.ClientDisconnect"]

    def token(self, username: str) -> str:
        r = httpx.post(f"{self.url}{wire.API}/devices/register", timeout=30, json={
            "username": username, "password": PASSWORD, "device_name": "总行审核"})
        assert r.status_code == 200, r.text
        return str(r.json()["token"])


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the server's whole process group. On PostgreSQL the server runs uvicorn
    worker processes; killing only the parent left them running, each holding its pool of
    PostgreSQL connections, until the shared server refused new clients ("too many clients
    already", 100 orphans after a few runs) and a whole run's server tests failed."""
    with contextlib.suppress(ProcessLookupError):  # the group is gone already
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


# --- the laptop -------------------------------------------------------------------------------


def make_jpeg(directory: Path, rnd: random.Random, name: str) -> Path:
    """A JPEG of noise between about 200 and 600 KB (noise barely compresses)."""
    target = rnd.randint(200_000, 600_000)
    width = 800
    height = max(16, int(target / 0.9 / width))  # about 0.9 byte a pixel at quality 90
    pixels = rnd.randbytes(width * height * 3)
    path = directory / name
    Image.frombytes("RGB", (width, height), pixels).save(path, "JPEG", quality=90)
    return path


def _normal(item: Item) -> str:
    candidates = {
        AnswerType.YES_NO: ["yes", "no", "na"], AnswerType.CHOICE: [c.code for c in item.choices],
        AnswerType.NUMBER: ["0", "1", "100"], AnswerType.MONEY: ["0", "50000"],
        AnswerType.DATE: ["2026-11-20"], AnswerType.TEXT: ["经营正常"],
        AnswerType.RECIPIENT: ["苏州恒信贸易有限公司"],
    }[item.type]
    return next(raw for raw in candidates if not is_abnormal(item, parse_answer(item, raw)))


@dataclass
class Laptop:
    store: LocalStore
    photo_dir: Path
    rnd: random.Random
    visits: int = 0
    photos: int = 0

    def officer(self) -> User:
        with self.store.read() as s:
            officer = s.scalar(select(User).where(User.username == "off_a"))
        assert officer is not None, "not registered / pulled yet"
        return officer

    def add_visit(self, n_photos: int) -> str:
        """A visit on the next borrower, every checklist item answered, n_photos photos."""
        officer = self.officer()
        with self.store.read() as s:
            borrowers = list(s.scalars(select(Borrower.id).order_by(Borrower.code)))
        assert borrowers, "the portfolio was not pulled"
        borrower_id = borrowers[self.visits % len(borrowers)]
        visit = self.store.start_visit(
            borrower_id, officer, VisitKind.ROUTINE,
            visit_date=date(2026, 11, 1) + timedelta(days=self.visits), place="厂区")
        self.visits += 1
        for item in visit_checklist(visit).items():
            self.store.set_answer(visit.id, officer, item.code, _normal(item),
                                  note=f"第{self.visits}次检查")
        for _ in range(n_photos):
            self.photos += 1
            path = make_jpeg(self.photo_dir, self.rnd, f"IMG_{self.photos:04d}.jpg")
            self.store.add_photo(visit.id, officer, path, caption=f"照片{self.photos}")
        return visit.id


# --- what went over the wire -----------------------------------------------------------------


@dataclass
class BlobEvent:
    method: str  # "HEAD" or "PATCH"
    offset: int  # PATCH: Upload-Offset sent; HEAD: -1
    length: int  # PATCH body bytes
    status: int | None  # None: transport error
    answered_offset: int | None  # the server's Upload-Offset in the answer


@dataclass
class RecordingTransport(httpx.BaseTransport):
    """httpx's own transport, noting every blob request and every failed request."""

    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)
    blobs: dict[str, list[BlobEvent]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by method

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        sha = path.rsplit("/", 1)[-1] if f"{wire.API}/blobs/" in path else None
        is_patch = request.method == "PATCH"
        offset = int(request.headers.get("Upload-Offset", -1)) if is_patch else -1
        length = len(request.content) if is_patch else 0
        try:
            response = self.inner.handle_request(request)
        except httpx.TransportError:
            self.failures[request.method] += 1
            if sha is not None:
                self.blobs[sha].append(BlobEvent(request.method, offset, length, None, None))
            raise
        if sha is not None:
            answered = response.headers.get("Upload-Offset")
            self.blobs[sha].append(BlobEvent(request.method, offset, length,
                                             response.status_code,
                                             None if answered is None else int(answered)))
        return response

    def close(self) -> None:
        self.inner.close()


@dataclass
class BlobAccount:
    sha: str
    size: int
    patch_bytes: int
    interruptions: int  # PATCHes not answered 204: cut off (transport error) or 409


def check_resumes(transport: RecordingTransport, sizes: dict[str, int], chunk: int
                  ) -> list[BlobAccount]:
    """Every PATCH starts where the server last said it was (its HEAD or previous PATCH
    answer), never below an offset it acknowledged; in all, the bytes sent for a blob are at
    most its size plus one chunk per interruption."""
    accounts = []
    for sha, events in transport.blobs.items():
        known: int | None = None  # the offset the server last told us
        acked = 0  # the highest offset a 204 confirmed
        patch_bytes = interruptions = 0
        for e in events:
            if e.method == "HEAD":
                if e.status == 404:
                    known = 0
                elif e.status in (200, 206):
                    known = e.answered_offset
                continue
            assert e.method == "PATCH"
            assert known is not None and e.offset == known, (
                f"{sha[:12]}: PATCH at {e.offset}, the server last said {known}: {events}")
            assert e.offset >= acked, f"{sha[:12]}: re-sent acknowledged bytes: {events}"
            patch_bytes += e.length
            if e.status == 204:
                assert e.answered_offset == e.offset + e.length
                known = acked = e.answered_offset
            else:
                interruptions += 1
                known = None  # the client must ask again before the next PATCH
        size = sizes[sha]
        assert patch_bytes <= size + interruptions * chunk, (
            f"{sha[:12]}: {patch_bytes} bytes sent for {size}, {interruptions} interruptions")
        accounts.append(BlobAccount(sha, size, patch_bytes, interruptions))
    return accounts


# --- the final comparison ----------------------------------------------------------------------


def local_state(store: LocalStore) -> tuple[dict[str, wire.VisitRecord], dict[str, int]]:
    """(visit id -> its document, photo sha256 -> size) on the laptop."""
    with store.read() as s:
        ids = list(s.scalars(select(Visit.id)))
        records = {}
        for vid in ids:
            record = visit_record(s, vid)
            assert record is not None
            records[vid] = record
        photos = dict(s.execute(select(Photo.sha256, Photo.size_bytes)).all())
    return records, photos


def assert_same_at_headquarters(store: LocalStore, server: HqServer) -> dict[str, Any]:
    """Headquarters holds exactly the laptop's visits (each stored once, equal document) and
    exactly its photos (complete, each file hashing to its name); the outbox is empty."""
    records, photos = local_state(store)
    expected = {vid: payload_sha256(r) for vid, r in records.items()}

    with store.read() as s:
        left = s.execute(select(OutboxEntry.entity, OutboxEntry.ref)).all()
    assert left == [], f"still queued on the laptop: {left}"

    db = Database.open(server.db_url)
    try:
        with db.read() as s:
            rows = list(s.scalars(select(hq_models.Visit)))
            n_rows = s.scalar(select(func.count()).select_from(hq_models.Visit))
            blob_rows = {b.sha256: b for b in s.scalars(select(hq_models.Blob))}
            visit_blobs = set(s.execute(
                select(hq_models.VisitBlob.visit_id, hq_models.VisitBlob.sha256)).all())
    finally:
        db.dispose()
    assert n_rows == len(records) == len(rows)
    assert {r.id for r in rows} == set(records)
    for row in rows:
        assert row.payload_sha256 == expected[row.id], row.id
        assert row.payload == records[row.id].model_dump(mode="json"), row.id
        assert row.version == 1, f"{row.id} stored {row.version} times, never edited"
    assert visit_blobs == {(vid, p.sha256) for vid, r in records.items() for p in r.photos}

    # What the supervisor sees through the API.
    token = server.token("sup1")
    seen: dict[str, str] = {}
    with httpx.Client(base_url=server.url, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        cursor = 0
        while True:
            r = http.get(f"{wire.API}/visits", params={"cursor": cursor})
            assert r.status_code == 200, r.text
            body = r.json()
            for v in body["visits"]:
                assert v["visit"]["id"] not in seen, "a visit listed twice"
                seen[v["visit"]["id"]] = v["payload_sha256"]
                assert v["server_version"] == 1
            cursor = body["cursor"]
            if not body["more"]:
                break
        for sha in photos:
            assert http.head(f"{wire.API}/blobs/{sha}").status_code == 200
    # The feed sends only visits signed or later (drafts stay the officer's).
    assert seen == {vid: sha for vid, sha in expected.items()
                    if records[vid].status in FEED_STATUSES}

    # Blobs: the table, the files, their hashes.
    assert set(blob_rows) == set(photos)
    for sha, row in blob_rows.items():
        assert row.complete and row.size == photos[sha], sha
    complete = server.data_dir / "blobs" / "complete"
    on_disk = {p.name: p for p in complete.rglob("*") if p.is_file()}
    assert set(on_disk) == set(photos)
    for name, path in on_disk.items():
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == name and len(data) == photos[name]
        assert data == store.photos.original_path(name).read_bytes()
    partial = server.data_dir / "blobs" / "partial"
    assert [p.name for p in partial.iterdir()] == [], "partial uploads left behind"
    return {"visits": len(records), "photos": len(photos),
            "photo_bytes": sum(photos.values())}
