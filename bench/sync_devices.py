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

The load generator runs on the same machine as the server and PostgreSQL, so it speaks
HTTP/1.1 itself over one keep-alive connection per device (RawHttp; httpx cost ~1 ms of CPU
a request). Also printed: the CPU the server's processes, this generator, PostgreSQL and the
whole machine used during the load, per request, and the bound that puts on latency: with
every device always waiting on a request (no think time), the mean latency is at least
devices x machine CPU per request / cores (Little's law), whatever the server does.

Not a test: prints figures, asserts nothing. Target: p95 < 500 ms.

    python bench/sync_devices.py [--devices 200] [--rounds 3] [--db URL] [--schema bench_sync]
                                 [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
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

from inspector_app import wire

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


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and all its descendants (serve --workers N: the parent and workers)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children[ppid].append(int(stat.parent.name))
    todo, total = [pid], 0.0
    while todo:
        p = todo.pop()
        total += cpu_seconds(p)
        todo.extend(children.get(p, []))
    return total


def postgres_cpu_seconds() -> float:
    """CPU of the local PostgreSQL processes alive now (backends that exited are not counted;
    the server's pooled connections live through the load)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().split(" (", 1)[1].startswith("postgres)"):
                total += cpu_seconds(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return total


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy so far (Linux /proc/stat; 0.0 elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Answer:
    """What RawHttp hands back: the part of httpx.Response this bench reads."""

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"{self.status_code} {self.text[:300]}")


class RawHttp:
    """One keep-alive HTTP/1.1 connection, as a laptop's client holds, written straight onto
    an asyncio stream. The load generator shares the server's 2 cores: httpx costs about
    1 ms of CPU a request, which the server's measured latency then pays for too; this costs
    a fraction of that. Same requests, same bytes on the wire (Content-Length bodies; the
    server answers with Content-Length)."""

    def __init__(self, base: str, timeout: float = 60.0) -> None:
        u = httpx.URL(base)
        self.host, self.port = u.host, u.port or 80
        self.timeout = timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                      params: dict[str, Any] | None = None, content: bytes = b"",
                      json_body: Any = None) -> Answer:
        return await asyncio.wait_for(
            self._request(method, path, headers or {}, params, content, json_body),
            self.timeout)

    async def _request(self, method: str, path: str, headers: dict[str, str],
                       params: dict[str, Any] | None, content: bytes, json_body: Any
                       ) -> Answer:
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            headers = {**headers, "Content-Type": "application/json"}
        if params:
            path += "?" + "&".join(f"{k}={v}" for k, v in params.items())
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(content)}",
                 *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        self.writer.write("\r\n".join(lines).encode("latin-1") + content)
        block = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = block[:-4].decode("latin-1").split("\r\n")
        got = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            got[name.strip().lower()] = value.strip()
        status = int(status_line.split()[1])
        body = b""
        if method != "HEAD" and status not in (204, 304):
            if "content-length" not in got:
                raise RuntimeError(f"{method} {path}: an answer without Content-Length")
            body = await self.reader.readexactly(int(got["content-length"]))
        if got.get("connection", "").lower() == "close":
            await self.aclose()
        return Answer(status, got, body)

    async def aclose(self) -> None:
        writer, self.writer, self.reader = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


class Device:
    def __init__(self, base: str, username: str) -> None:
        self.username = username
        self.http = RawHttp(base)
        self.headers: dict[str, str] = {}
        self.user_id = ""
        self.borrower_id = ""
        self.cursor = 0

    async def register(self) -> None:
        r = await self.http.request("POST", f"{wire.API}/devices/register", json_body={
            "username": self.username, "password": PASSWORD, "device_name": "bench"})
        r.raise_for_status()
        body = r.json()
        self.headers = {"Authorization": f"Bearer {body['token']}"}
        self.user_id = body["user"]["id"]

    async def timed(self, kind: str, lat: dict[str, list[float]], method: str, url: str,
                    **kw: Any) -> Answer:
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
            "answers": [{"id": str(uuid.uuid4()), "item_code": "R-WIL-01", "value": "yes"}],
            "photos": [{"id": str(uuid.uuid4()), "sha256": sha, "original_name": "1.jpg",
                        "width": 4000, "height": 3000, "size_bytes": len(data)}]}}
        wire.VisitPush.model_validate(body)
        r = await self.timed("push", lat, "PUT", f"{wire.API}/visits/{vid}", json_body=body)
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
            # Each sync starts on a connection of its own, as a laptop's does: one kept from
            # registration would sit idle past uvicorn's keep-alive timeout (5 s) while the
            # others register, and the server could close it as the first request goes out.
            await d.http.aclose()

        await asyncio.wait_for(asyncio.gather(*(reg(d) for d in devices)), timeout)
        lat: dict[str, list[float]] = defaultdict(list)
        go = asyncio.Event()
        tasks = [asyncio.create_task(d.run(rounds, go, lat)) for d in devices]
        # What else keeps this machine busy (other users' jobs): a second's sample, idle
        # devices and server, so the figures below can be read against it.
        quiet = machine_busy_seconds()
        await asyncio.sleep(1.0)
        print(f"background load before the run: {machine_busy_seconds() - quiet:.2f} of "
              f"{os.cpu_count()} cores busy")
        server_cpu = tree_cpu_seconds(SERVER_PID[base])
        own_cpu = time.process_time()
        busy = machine_busy_seconds()
        pg_cpu = postgres_cpu_seconds()
        start = time.perf_counter()
        go.set()
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        wall = time.perf_counter() - start
        cpu = {"server": tree_cpu_seconds(SERVER_PID[base]) - server_cpu,
               "client": time.process_time() - own_cpu,
               "machine": machine_busy_seconds() - busy,
               "postgres": postgres_cpu_seconds() - pg_cpu}
        n = sum(len(v) for k, v in lat.items() if k != "5xx")
        cores = os.cpu_count() or 1
        print(f"CPU during the load ({cores} cores, {wall:.1f} s wall = "
              f"{wall * cores:.1f} core-s): machine busy {cpu['machine']:.1f} s; server "
              f"(all processes) {cpu['server']:.1f} s, this load generator "
              f"{cpu['client']:.1f} s, PostgreSQL {cpu['postgres']:.1f} s, the rest (kernel, "
              f"other) {cpu['machine'] - cpu['server'] - cpu['client'] - cpu['postgres']:.1f} s")
        if n:
            ours = cpu["server"] + cpu["client"] + cpu["postgres"]
            print(f"per request: server {cpu['server'] / n * 1000:.2f} ms CPU, PostgreSQL "
                  f"{cpu['postgres'] / n * 1000:.2f} ms, client {cpu['client'] / n * 1000:.2f} "
                  f"ms (these three {ours / n * 1000:.2f} ms), whole machine "
                  f"{cpu['machine'] / n * 1000:.2f} ms -> at most "
                  f"{cores / (cpu['machine'] / n):.0f} req/s on {cores} cores; with "
                  f"{len(devices)} requests always in flight (no think time) the mean "
                  f"latency is at least {len(devices) * cpu['machine'] / n / cores * 1000:.0f} "
                  f"ms (Little's law; {len(devices) * ours / n / cores * 1000:.0f} ms from "
                  "the three alone, as on an otherwise idle machine)")
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
    ap.add_argument("--workers", type=int, default=None,
                    help="serve --workers (default: the server's, one per CPU on PostgreSQL)")
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
        extra = ["--workers", str(args.workers)] if args.workers else []
        with serve(["--db", url, "--blobs", str(work / "blobs")],
                   log=work / "server.log", extra=extra) as base:
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
