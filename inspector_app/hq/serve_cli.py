"""`inspector-hq serve`: migrate the database once, then run the sync server (FastAPI on
uvicorn), in this process or in --workers N server processes on the same socket."""

from __future__ import annotations

import argparse
import os
import sys

from inspector_app.common.command_line import CommandError
from inspector_app.hq.cli_storage import opened, storage
from inspector_app.hq.context import MB, HqSettings

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def serve_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import uvicorn
    from sqlalchemy import make_url

    from inspector_app.hq.app import WORKER_ENV, create_app, open_hq, worker_config
    from inspector_app.hq.blobs import CROSS_PROCESS_LOCKS
    from inspector_app.hq.purge import purge_in_background

    db_url, blobs = storage(args, parser)
    if blobs is None:
        parser.error("serve needs --blobs DIR (or --data-dir)")
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    for option, path in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key),
                         *(("--trust-root", root) for root in args.trust_root)):
        if path is not None and not path.is_file():
            raise CommandError(f"文件不存在 / {option}: no such file: {path}")
    if args.host not in LOOPBACK and not args.tls_cert:
        print("警告：未启用 TLS / warning: serving plain HTTP on a non-loopback address; "
              "tokens and borrower data travel unencrypted (use --tls-cert/--tls-key or a "
              "TLS-terminating proxy)", file=sys.stderr)
    settings = HqSettings(max_blob_bytes=int(args.max_blob_mb * MB),
                          max_document_bytes=int(args.max_document_mb * MB),
                          trust_roots=tuple(args.trust_root),
                          certificate_first_use=not args.registered_certificates_only)
    sqlite = make_url(db_url).get_backend_name() == "sqlite"
    # None when not given; 0 is a mistake to refuse, not a request for the default.
    workers = args.workers if args.workers is not None else (1 if sqlite else os.cpu_count() or 1)
    if workers < 1:
        parser.error("--workers must be at least 1")
    if workers > 1 and sqlite:
        parser.error("--workers > 1 needs PostgreSQL: SQLite takes one writer at a time, and "
                     "its migration safety copy assumes one server process")
    if workers > 1 and not CROSS_PROCESS_LOCKS:
        parser.error("--workers > 1 needs file locks (flock) for the blob store; not on this "
                     "platform")
    # Migrated here, once, before any worker starts (a worker only opens the database).
    hq = opened(db_url, lambda: open_hq(db_url, blobs, settings))
    # Uploads abandoned while the server was down or before: once per start, beside serving
    # (a long-running server also wants `admin purge-uploads` from cron).
    purge_in_background(db_url, blobs, "serve")
    certfile = str(args.tls_cert) if args.tls_cert else None
    keyfile = str(args.tls_key) if args.tls_key else None
    if workers == 1:
        try:
            uvicorn.run(create_app(hq), host=args.host, port=args.port,
                        log_level=args.log_level, ssl_certfile=certfile, ssl_keyfile=keyfile)
        finally:
            hq.db.dispose()
        return 0
    hq.db.dispose()
    os.environ[WORKER_ENV] = worker_config(db_url, blobs, settings)
    uvicorn.run("inspector_app.hq.app:worker_app", factory=True, workers=workers,
                host=args.host, port=args.port, log_level=args.log_level,
                ssl_certfile=certfile, ssl_keyfile=keyfile)
    return 0

