"""Benchmark: 200 laptops syncing at once against headquarters on PostgreSQL.

`inspector-hq serve` (subprocess, 127.0.0.1) over PostgreSQL in a schema of its own
(--schema, default bench_sync: dropped and re-created at the start, dropped at the end; no
other schema is touched), with --devices officers, each with a borrower (loan, collateral).
Every officer registers a device first (not timed). Then all devices start together, each on
its own connection (asyncio + httpx.AsyncClient), and run --rounds rounds of what a laptop's
sync does when an officer comes back with one visit:

    pull (until `more` is false) -> HEAD + PATCH one small photo -> PUT the visit -> pull

Every request's latency is recorded; p50/p95/max are printed, overall and per kind. Requests
are bounded (devices x rounds x about 5) and the whole run by --timeout seconds.

Not a test: prints figures, asserts nothing. Target: p95 < 500 ms.

    python bench/sync_devices.py [--devices 200] [--rounds 3] [--db URL] [--schema bench_sync]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, make_url, text
from sync_upload import OCTETS, PASSWORD, SERVER_PID, build_portfolio, cpu_seconds, serve

from inspector_app.sync import wire

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PHOTO_BYTES = 64 * 1024


def schema_url(url: str, schema: str) -> str:
    return make_url(url).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def reset_schema(url: str, schema: str, *, create: bool) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            if create:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Device:
    def __init__(self, base: str, username: str) -> None:
        self.username = username
        self.http = httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(60.0, connect=10.0))
        self.headers: dict[str, str] = {}
        self.user_id = ""
        self.borrower_id = ""
        self.cursor = 0

    async def register(self) -> None:
        r = await self.http.post(f"{wire.API}/devices/register", json={
            "username": self.username, "password": PASSWORD, "device_name": "bench"})
        r.raise_for_status()
        body = r.json()
        self.headers = {"Authorization": f"Bearer {body['token']}"}
        self.user_id = body["user"]["id"]

    async def timed(self, kind: str, lat: dict[str, list[float]], method: str, url: str,
                    **kw: Any) -> httpx.Response:
        start = time.perf_counter()
        r = await self.http.request(method, url, headers={**self.headers,
                                                          **kw.pop("headers", {})}, **kw)
        lat[kind].append(time.perf_counter() - start)
        if r.status_code >= 500:
            lat["5xx"].append(0.0)
        return r

    async def pull(self, lat: dict[str, list[float]]) -> None:
        for _ in range(50):  # bounded pages
            r = await self.timed("pull", lat, "GET", f"{wire.API}/pull",
                                 params={"cursor": self.cursor})
            if r.status_code != 200:
                raise RuntimeError(f"pull: {r.status_code} {r.text}")
            page = r.json()
            for change in page["changes"]:
                if change["entity"] == "borrower" and not self.borrower_id:
                    self.borrower_id = change["id"]
            self.cursor = page["cursor"]
            if not page["more"]:
                return

    async def push(self, lat: dict[str, list[float]], round_: int) -> None:
        data = os.urandom(PHOTO_BYTES)
        sha = hashlib.sha256(data).hexdigest()
        url = f"{wire.API}/blobs/{sha}"
        head = await self.timed("head", lat, "HEAD", url)
        if head.status_code != 200:
            r = await self.timed("patch", lat, "PATCH", url, content=data, headers={
                "Upload-Offset": "0", "Upload-Length": str(len(data)), "Content-Type": OCTETS})
            if r.status_code != 204:
                raise RuntimeError(f"patch: {r.status_code} {r.text}")
        vid = str(uuid.uuid4())
        body = {"base_version": 0, "visit": {
            "id": vid, "borrower_id": self.borrower_id, "officer_id": self.user_id,
            "kind": "routine", "status": "completed", "template_refs": ["routine@1"],
            "revision": 1, "visit_date": date(2026, 11, 20).isoformat(), "place": "厂区",
            "general_note": f"第{round_}次检查，经营正常",
            "answers": [{"id": str(uuid.uuid4()), "item_code": "R-01", "value": "yes"}],
            "photos": [{"id": str(uuid.uuid4()), "sha256": sha, "original_name": "1.jpg",
                        "width": 4000, "height": 3000, "size_bytes": len(data)}]}}
        wire.VisitPush.model_validate(body)
        r = await self.timed("push", lat, "PUT", f"{wire.API}/visits/{vid}", json=body)
        if r.status_code != 200:
            raise RuntimeError(f"push: {r.status_code} {r.text}")

    async def run(self, rounds: int, start: asyncio.Event, lat: dict[str, list[float]]) -> None:
        await start.wait()
        for r in range(rounds):
            await self.pull(lat)
            await self.push(lat, r)
            await self.pull(lat)


async def load(base: str, usernames: list[str], rounds: int, timeout: float
               ) -> tuple[dict[str, list[float]], float, list[BaseException]]:
    devices = [Device(base, u) for u in usernames]
    try:
        # Registration is not measured; a few at a time so it does not queue on Argon2.
        sem = asyncio.Semaphore(8)

        async def reg(d: Device) -> None:
            async with sem:
                await d.register()

        await asyncio.wait_for(asyncio.gather(*(reg(d) for d in devices)), timeout)
        lat: dict[str, list[float]] = defaultdict(list)
        go = asyncio.Event()
        tasks = [asyncio.create_task(d.run(rounds, go, lat)) for d in devices]
        await asyncio.sleep(0.2)
        server_cpu = cpu_seconds(SERVER_PID[base])
        own_cpu = time.process_time()
        start = time.perf_counter()
        go.set()
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        wall = time.perf_counter() - start
        print(f"CPU during the load ({os.cpu_count()} cores, {wall:.1f} s): server "
              f"{cpu_seconds(SERVER_PID[base]) - server_cpu:.1f} s, this load generator "
              f"{time.process_time() - own_cpu:.1f} s")
        for t in pending:
            t.cancel()
        errors = [e for t in done if (e := t.exception()) is not None]
        if pending:
            errors.append(TimeoutError(f"{len(pending)} devices unfinished after {timeout} s"))
        return lat, wall, errors
    finally:
        await asyncio.gather(*(d.http.aclose() for d in devices))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="syncs per device")
    ap.add_argument("--db", default=os.environ.get("INSPECTOR_TEST_PG_URL") or PG_DEFAULT)
    ap.add_argument("--schema", default="bench_sync",
                    help="schema of this bench (dropped and re-created, dropped at the end)")
    ap.add_argument("--timeout", type=float, default=300.0, help="bound on the load, seconds")
    args = ap.parse_args(argv)
    if not args.schema.startswith("bench_"):
        raise SystemExit("--schema must start with bench_ (it is dropped)")
    work = Path(tempfile.mkdtemp(prefix="bench-sync-devices-"))
    reset_schema(args.db, args.schema, create=True)
    try:
        url = schema_url(args.db, args.schema)
        t0 = time.perf_counter()
        names = build_portfolio(url, work / "portfolio", officers=args.devices)
        print(f"portfolio: {len(names)} officers with a borrower each, in schema "
              f"{args.schema} ({time.perf_counter() - t0:.1f} s)")
        with serve(["--db", url, "--blobs", str(work / "blobs")],
                   log=work / "server.log") as base:
            lat, wall, errors = asyncio.run(load(base, names, args.rounds, args.timeout))
        everything = [x for k, v in lat.items() if k != "5xx" for x in v]
        print(f"{args.devices} devices x {args.rounds} rounds, all at once: "
              f"{len(everything)} requests in {wall:.1f} s ({len(everything) / wall:.0f} req/s), "
              f"{len(lat['5xx'])} 5xx, {len(errors)} devices failed")
        for e in errors[:5]:
            print(f"  failure: {type(e).__name__}: {str(e)[:300]}")

        def line(label: str, v: list[float]) -> str:
            return (f"  {label:<6} n={len(v):<5} p50 {statistics.median(v) * 1000:6.0f} ms  "
                    f"p95 {percentile(v, 0.95) * 1000:6.0f} ms  max {max(v) * 1000:6.0f} ms")

        if everything:
            print(line("all", everything))
            for kind in ("pull", "head", "patch", "push"):
                if lat[kind]:
                    print(line(kind, lat[kind]))
            print("  (target: p95 < 500 ms)")
    finally:
        reset_schema(args.db, args.schema, create=False)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
