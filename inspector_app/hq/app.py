"""The FastAPI application, and opening headquarters' storage (migrating it first)."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI

from inspector_app import __version__
from inspector_app.hq import api, audit_api, blob_api, dashboard_api, handover_api
from inspector_app.hq.blobs import DiskBlobStore
from inspector_app.hq.body_limit import BodyLimit
from inspector_app.hq.context import Hq, HqSettings
from inspector_app.hq.db import SERVER_THREADS, Database
from inspector_app.hq.document_check import shipped_templates
from inspector_app.hq.errors import install_handlers
from inspector_app.hq.migrate import upgrade_database
from inspector_app.wire import PROTOCOL_VERSION

DESCRIPTION = """总行服务器 — headquarters server for post-loan inspection sync.

Sync protocol version {protocol} (inspector_app.wire). Every endpoint except device
registration needs `Authorization: Bearer <device token>`; a revoked device gets 403 with
ErrorBody code `device_revoked` everywhere, pull included. Errors are ErrorBody.
Headquarters-only additions: `POST /visits/{{id}}/review`, `GET /visits`, `GET /visits/{{id}}`
and `GET /blobs/{{sha256}}`; for administrators only, `GET /audit` (the audit trail).
"""


def open_hq(db_url: str, blobs_dir: Path, settings: HqSettings | None = None) -> Hq:
    """Open (creating and migrating as needed) the database and the blob store."""
    db = Database.open(db_url)
    upgrade_database(db.engine)
    return Hq(db=db, blobs=DiskBlobStore(blobs_dir), settings=settings or HqSettings())


# How `serve --workers N` hands its storage and settings to the worker processes (uvicorn
# spawns them and each builds its app with worker_app()).
WORKER_ENV = "INSPECTOR_HQ_WORKER_CONFIG"


def worker_config(db_url: str, blobs_dir: Path, settings: HqSettings) -> str:
    data = asdict(settings)
    data["trust_roots"] = [str(p) for p in settings.trust_roots]
    return json.dumps({"db": db_url, "blobs": str(blobs_dir), "settings": data})


def worker_app() -> FastAPI:
    """The app of one worker process: the parent migrated the database before starting the
    workers, so a worker only opens it."""
    config = json.loads(os.environ[WORKER_ENV])
    data = config["settings"]
    data["trust_roots"] = tuple(Path(p) for p in data["trust_roots"])
    hq = Hq(db=Database.open(config["db"]), blobs=DiskBlobStore(Path(config["blobs"])),
            settings=HqSettings(**data))
    return create_app(hq)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Handlers run in the thread pool (40 threads by default). Past a few threads a process
    # only trades the GIL back and forth and opens more connections than its pool keeps
    # (measured, bench/sync_devices.py: 40 threads 3.2 ms of server CPU a request, 8 threads
    # 2.6 ms, p95 1.0 s -> 0.7 s); more throughput comes from more worker processes.
    anyio.to_thread.current_default_thread_limiter().total_tokens = SERVER_THREADS
    await anyio.to_thread.run_sync(shipped_templates)  # parsed before the first push needs them
    yield


def create_app(hq: Hq) -> FastAPI:
    """The server's app: every request goes through FastAPI's routes (api.py, blob_api.py,
    handover_api.py, audit_api.py, dashboard_api.py)."""
    app = FastAPI(
        lifespan=_lifespan,
        title="inspector-hq",
        version=__version__,
        description=DESCRIPTION.format(protocol=PROTOCOL_VERSION),
    )
    app.state.hq = hq
    install_handlers(app)
    app.add_middleware(BodyLimit)  # HqSettings.max_document_bytes
    app.include_router(api.router)
    app.include_router(blob_api.router)
    app.include_router(handover_api.router)
    app.include_router(audit_api.router)
    app.include_router(dashboard_api.router)
    return app
