"""What every request handler needs: the database, the blob store and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from inspector_app.hq.blobs import DiskBlobStore
from inspector_app.hq.db import Database

MB = 1024 * 1024
DEFAULT_MAX_BLOB_BYTES = 50 * MB
# A visit document (or any other JSON body): far above a real visit's (tens of KB; photos are
# blobs), far below what would strain the server's memory.
DEFAULT_MAX_DOCUMENT_BYTES = 4 * MB
DEFAULT_PAGE_SIZE = 500
# How far ahead of headquarters a laptop's clock may run before a time it sends (when a
# supervisor decided or followed up) is refused as in the future.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class HqSettings:
    max_blob_bytes: int = DEFAULT_MAX_BLOB_BYTES
    # The largest JSON body (PUT, POST) headquarters reads: 413 beyond it (body_limit.py).
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    # CA certificates a signed report must chain to; none: signatures are checked for
    # integrity and allowed changes, but not for whose certificate signed them.
    trust_roots: tuple[Path, ...] = ()
    page_size: int = DEFAULT_PAGE_SIZE
    # A user's first accepted signature registers its certificate as theirs when headquarters
    # holds none for them (see certificates.py); False: only certificates an administrator
    # registered count.
    certificate_first_use: bool = True
    # Sign-in failures (POST /devices/register) before a username, or a client address, is
    # refused for a while (login_limit.py). An address is often a whole branch behind one
    # NAT, so it gets more.
    login_failures_per_user: int = 5
    login_failures_per_address: int = 20
    login_window_seconds: int = 15 * 60


@dataclass
class Hq:
    db: Database
    blobs: DiskBlobStore
    settings: HqSettings = field(default_factory=HqSettings)
