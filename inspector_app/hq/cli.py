"""`inspector-hq`: run the headquarters server, and administer it.

    inspector-hq serve (--data-dir DIR | --db URL --blobs DIR) [--host H] [--port P]
                       [--tls-cert F --tls-key F] [--max-blob-mb N] [--trust-root CA.pem]...
                       [--workers N] [--registered-certificates-only]
    inspector-hq admin (--data-dir DIR | --db URL) COMMAND ...
    inspector-hq admin audit (--data-dir DIR | --db URL) [--user U] [--borrower CODE]
                       [--visit ID] [--action A] [--from DATE] [--to DATE]
                       [--format table|csv|xlsx] [-o FILE]
    inspector-hq admin purge-uploads (--data-dir DIR | --db URL --blobs DIR) [--older-than H]
    inspector-hq export visits|due-list (--data-dir DIR | --db URL) -o FILE [--format xlsx|csv]
                       [--lang zh|en] [--officer USERNAME]

--data-dir is the embedded set-up: the SQLite file hq.sqlite3 and blobs/ in that directory;
--db and --blobs override either part (--db postgresql+psycopg://user@host/dbname for
PostgreSQL). The schema is migrated at start-up by both serve and admin; serve --workers N
migrates once, then starts N server processes (uvicorn workers) on the same socket.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from inspector_app.common.command_line import (
    CommandError,
    add_export_arguments,
    read_password_file,
    run_command,
)
from inspector_app.domain.enums import Role
from inspector_app.hq.context import (
    DEFAULT_MAX_BLOB_BYTES,
    DEFAULT_MAX_DOCUMENT_BYTES,
    MB,
    HqSettings,
)

if TYPE_CHECKING:
    from inspector_app.hq.db import Database

DB_FILE = "hq.sqlite3"
BLOBS_DIR = "blobs"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
DB_URLS = "sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
# Admin commands that only read: a database that is not there is a mistyped --data-dir or
# --db, said as such, not a new empty one created.
READ_ONLY = {("devices", "list"), ("handover", "list"), ("handover", "show"), ("audit", None)}


def _storage_options(p: argparse.ArgumentParser, *, blobs: bool, suppress: bool) -> None:
    # On the admin parser and on each admin subcommand, so --db may come before or after the
    # subcommand; SUPPRESS keeps a later parser from resetting an earlier value to None.
    default = argparse.SUPPRESS if suppress else None
    p.add_argument("--data-dir", type=Path, default=default,
                   help=f"embedded set-up: {DB_FILE} and {BLOBS_DIR}/ in this directory")
    p.add_argument("--db", default=default,
                   help="database URL: sqlite:///FILE or postgresql+psycopg://USER@HOST/DB")
    if blobs:
        p.add_argument("--blobs", type=Path, default=default,
                       help="directory of the photo and report store")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspector-hq",
        description="总行服务器 — headquarters server for post-loan inspection sync.",
    )
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the sync server (FastAPI on uvicorn)")
    _storage_options(serve, blobs=True, suppress=False)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--tls-cert", type=Path, help="TLS certificate (PEM)")
    serve.add_argument("--tls-key", type=Path, help="TLS private key (PEM)")
    serve.add_argument("--max-blob-mb", type=float, default=DEFAULT_MAX_BLOB_BYTES / MB,
                       help="largest photo or report accepted, in MB (default 50)")
    serve.add_argument("--max-document-mb", type=float,
                       default=DEFAULT_MAX_DOCUMENT_BYTES / MB,
                       help="largest visit document (any JSON body) accepted, in MB "
                            "(default 4)")
    serve.add_argument("--trust-root", type=Path, action="append", default=[],
                       help="CA certificate signed reports must chain to; may be repeated")
    serve.add_argument("--registered-certificates-only", action="store_true",
                       help="accept signatures only with certificates an administrator "
                            "registered (admin set-certificate); without it a user's first "
                            "accepted signature registers its certificate as theirs")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=None,
                       help="server processes (default: one per CPU on PostgreSQL, 1 on "
                            "SQLite, which takes only 1)")

    export = sub.add_parser("export", help="write every visit (review status, signals, "
                            "classification) or the due list as a spreadsheet (xlsx) or CSV")
    _storage_options(export, blobs=False, suppress=False)
    add_export_arguments(export)
    export.add_argument("--officer", metavar="USERNAME", help="only this officer's")

    admin = sub.add_parser("admin", help="administer users, portfolio, templates, devices")
    _storage_options(admin, blobs=False, suppress=False)
    asub = admin.add_subparsers(dest="admin_command", required=True)

    def leaf(parent: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_: str
             ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_)
        _storage_options(p, blobs=False, suppress=True)
        return p

    branch = asub.add_parser("branch", help="branches")
    bsub = branch.add_subparsers(dest="branch_command", required=True)
    badd = leaf(bsub, "add", "add a branch")
    badd.add_argument("code")
    badd.add_argument("name")

    user = asub.add_parser("user", help="users")
    usub = user.add_subparsers(dest="user_command", required=True)
    uadd = leaf(usub, "add", "add a user")
    uadd.add_argument("username")
    uadd.add_argument("--name", required=True, help="the name shown in the app and reports")
    uadd.add_argument("--role", required=True, choices=[r.value for r in Role])
    uadd.add_argument("--branch", help="branch code (required for officers and supervisors)")
    uadd.add_argument("--supervisor", help="the officer's supervisor (a username)")
    uadd.add_argument("--password-file", type=Path,
                      help="file whose first line is the password (default: ask)")

    imp = leaf(asub, "import", "import borrowers, loans, collateral, guarantors and the loans' "
                               "repayment position from CSV")
    imp.add_argument("--borrowers", type=Path)
    imp.add_argument("--loans", type=Path)
    imp.add_argument("--collateral", type=Path)
    imp.add_argument("--guarantors", type=Path)
    imp.add_argument("--repayment", type=Path, help="the core-banking extract, by contract_no")
    imp.add_argument("--links", type=Path, help="links between borrowers (same actual "
                                                "controller, mutual guarantee, related company)")

    assign = leaf(asub, "assign", "assign a borrower to an officer")
    assign.add_argument("borrower_code")
    assign.add_argument("officer_username")

    hand = asub.add_parser("handover", help="hand some or all of an officer's borrowers to "
                                           "another officer (责任移交)")
    hsub = hand.add_subparsers(dest="handover_command", required=True)
    hstart = leaf(hsub, "start", "start a handover (pending until completed)")
    hstart.add_argument("--from", dest="from_officer", required=True, metavar="USERNAME",
                        help="the officer handing over")
    hstart.add_argument("--to", dest="to_officer", required=True, metavar="USERNAME",
                        help="the officer taking over")
    which = hstart.add_mutually_exclusive_group(required=True)
    which.add_argument("--borrowers", metavar="CODES",
                       help="borrower codes, separated by commas")
    which.add_argument("--all", action="store_true", help="all of the officer's borrowers")
    leaf(hsub, "list", "list handovers")
    hshow = leaf(hsub, "show", "show a handover and its record")
    hshow.add_argument("handover_id")
    hdone = leaf(hsub, "complete", "complete a handover once the old officer's laptop has "
                                   "uploaded everything and let go")
    hdone.add_argument("handover_id")
    fund = leaf(asub, "fund-recipients",
                "list the fund recipients several borrowers' visits named, and send each flag "
                "to those borrowers' officers and supervisors")
    fund.add_argument("--min-borrowers", type=int, default=3, metavar="N",
                      help="flag a recipient named by N or more distinct borrowers (default 3)")
    fund.add_argument("--dry-run", action="store_true", help="list only; send nothing")

    from inspector_app.hq.audit_cli import add_audit_parser

    add_audit_parser(leaf(asub, "audit", "the audit trail: who did what, filtered by user, "
                                         "borrower, visit, action and date; or exported"))

    tpl = leaf(asub, "publish-template", "validate and publish a checklist template")
    tpl.add_argument("file", type=Path)
    pol = leaf(asub, "publish-policy", "validate and publish the inspection policy")
    pol.add_argument("file", type=Path)

    cert = leaf(asub, "set-certificate",
                "register a user's signing certificate (reports they sign or countersign must "
                "use one headquarters holds for them)")
    cert.add_argument("username")
    cert.add_argument("certificate", type=Path, help="the certificate, PEM or DER (no key)")
    cert.add_argument("--replace", action="store_true",
                      help="make it the user's only certificate (a lost or compromised key)")

    purge = asub.add_parser(
        "purge-uploads", help="remove partial uploads no laptop has written to for a while "
        "(never a complete file, never one being written); meant for cron")
    _storage_options(purge, blobs=True, suppress=True)
    purge.add_argument("--older-than", type=float, default=72.0, metavar="HOURS",
                       help="untouched for this long (default 72)")

    devices = asub.add_parser("devices", help="registered laptops")
    dsub = devices.add_subparsers(dest="devices_command", required=True)
    leaf(dsub, "list", "list devices")
    revoke = leaf(dsub, "revoke", "revoke a device (a lost laptop)")
    revoke.add_argument("device_id")
    return parser


def _storage(args: argparse.Namespace, parser: argparse.ArgumentParser, *,
             create: bool = True) -> tuple[str, Path | None]:
    data_dir: Path | None = getattr(args, "data_dir", None)
    db: str | None = getattr(args, "db", None)
    blobs: Path | None = getattr(args, "blobs", None)
    if data_dir is not None:
        data_dir = data_dir.expanduser().resolve()
        if create:
            data_dir.mkdir(parents=True, exist_ok=True)
        db = db or f"sqlite:///{data_dir / DB_FILE}"
        blobs = blobs or data_dir / BLOBS_DIR
    if db is None:
        parser.error("give --data-dir, or --db URL (and for serve, --blobs DIR)")
    _check_database_url(db, must_exist=not create)
    return db, blobs


def _check_database_url(db: str, *, must_exist: bool) -> None:
    """A URL of a database this server runs on (SQLite, PostgreSQL), or CommandError; with
    must_exist, an SQLite file that is not there is one too."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db)
    except ArgumentError:
        raise CommandError(f"无法识别的数据库地址 / not a database URL: {db!r} (use {DB_URLS})"
                           ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise CommandError(f"不支持的数据库 / unsupported database {url.drivername!r} in "
                           f"{_shown(db)}: use {DB_URLS}")
    if (must_exist and url.get_backend_name() == "sqlite"
            and not Path(url.database or ":memory:").is_file()):
        raise CommandError(f"数据库不存在 / no database at {url.database}: check --data-dir "
                           "or --db")


def _shown(db: str) -> str:
    """The URL without its password, for a message."""
    from sqlalchemy import make_url

    return make_url(db).render_as_string(hide_password=True)


def _database_failure(db: str, exc: Exception) -> CommandError:
    """The database could not be opened or used: one line, the driver's first."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    first = first.removeprefix("connection failed: ")
    return CommandError(f"数据库不可用 / the database {_shown(db)} cannot be used: {first}")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without /etc/passwd entry)
        return f"cli:uid{os.getuid()}" if hasattr(os, "getuid") else "cli"


def _read_password(path: Path | None) -> str:
    if path is not None:
        return read_password_file(path)
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再次输入 / again: ") != first:
        raise SystemExit("两次输入的密码不一致 / the passwords differ")
    return first


def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import uvicorn
    from sqlalchemy import make_url

    from inspector_app.hq.app import WORKER_ENV, create_app, open_hq, worker_config
    from inspector_app.hq.blobs import CROSS_PROCESS_LOCKS
    from inspector_app.hq.purge import purge_in_background

    db_url, blobs = _storage(args, parser)
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
    workers = args.workers or (1 if sqlite else os.cpu_count() or 1)
    if workers < 1:
        parser.error("--workers must be at least 1")
    if workers > 1 and sqlite:
        parser.error("--workers > 1 needs PostgreSQL: SQLite takes one writer at a time, and "
                     "its migration safety copy assumes one server process")
    if workers > 1 and not CROSS_PROCESS_LOCKS:
        parser.error("--workers > 1 needs file locks (flock) for the blob store; not on this "
                     "platform")
    # Migrated here, once, before any worker starts (a worker only opens the database).
    hq = _opened(db_url, lambda: open_hq(db_url, blobs, settings))
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


def _admin(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from sqlalchemy.exc import DBAPIError

    from inspector_app.hq import admin, csv_import
    from inspector_app.hq.db import Database
    from inspector_app.hq.handover import HandoverRefused
    from inspector_app.hq.migrate import upgrade_database

    command = (args.admin_command, getattr(args, f"{args.admin_command}_command", None))
    db_url, blobs = _storage(args, parser, create=command not in READ_ONLY)
    if args.admin_command == "purge-uploads" and blobs is None:
        parser.error("purge-uploads needs --blobs DIR (or --data-dir)")
    if args.admin_command == "purge-uploads" and args.older_than <= 0:
        parser.error("--older-than must be more than 0 hours")

    def migrated() -> Database:
        db = Database.open(db_url)
        upgrade_database(db.engine)
        return db

    db = _opened(db_url, migrated)
    actor = _actor()
    try:
        return _admin_command(args, db, actor, blobs)
    except admin.AdminError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        return 1
    except HandoverRefused as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print("未做任何更改 / nothing was changed", file=sys.stderr)
        return 1
    except csv_import.ImportRejected as e:
        for row in e.rows:
            print(row, file=sys.stderr)
        print(f"{len(e.rows)} 行被拒绝，未导入任何数据 / {len(e.rows)} row(s) refused; nothing "
              "was imported", file=sys.stderr)
        return 1
    except DBAPIError as exc:  # the database went away, or refused a statement
        raise _database_failure(db_url, exc) from exc
    finally:
        db.dispose()


def _admin_command(args: argparse.Namespace, db: Database, actor: str,
                   blobs: Path | None = None) -> int:
    from inspector_app.common.clock import utcnow
    from inspector_app.hq import admin, csv_import

    cmd = args.admin_command
    if cmd == "branch":
        branch = admin.add_branch(db, args.code, args.name, actor)
        print(f"branch {branch.code} added ({branch.id})")
    elif cmd == "user":
        password = _read_password(args.password_file)
        user = admin.add_user(db, args.username, args.name, Role(args.role), password, actor,
                              branch_code=args.branch, supervisor_username=args.supervisor)
        print(f"user {user.username} added ({user.id}, {user.role.value})")
    elif cmd == "import":
        files = {k: getattr(args, k) for k in csv_import.SPECS if getattr(args, k)}
        if not files:
            raise admin.AdminError(["give at least one of --borrowers, --loans, --collateral, "
                                    "--guarantors, --repayment, --links"])
        print(csv_import.import_files(db, files, actor))
    elif cmd == "fund-recipients":
        from inspector_app.hq.fund_recipients import describe as recipients
        from inspector_app.hq.fund_recipients import flag_recipients

        if args.min_borrowers < 2:
            raise admin.AdminError(["--min-borrowers: at least 2 (one borrower naming a "
                                    "recipient is no concentration)"])
        run = flag_recipients(db, actor, args.min_borrowers, publish=not args.dry_run)
        print(recipients(run, args.min_borrowers, published=not args.dry_run))
    elif cmd == "assign":
        changed = admin.assign(db, args.borrower_code, args.officer_username, actor)
        print(f"{args.borrower_code} -> {args.officer_username}"
              + ("" if changed else " (already so)"))
    elif cmd == "handover":
        from inspector_app.hq.handover_cli import handover_command

        handover_command(args, db, actor)
    elif cmd == "audit":
        from inspector_app.hq.audit_cli import audit_command

        audit_command(args, db)
    elif cmd == "publish-template":
        row, new = admin.publish_template(db, args.file, actor)
        print(f"template {row.code}@{row.version} " + ("published" if new else
                                                       "already published"))
    elif cmd == "publish-policy":
        policy, new = admin.publish_policy(db, args.file, actor)
        print(f"policy version {policy.version} " + ("published" if new else
                                                     "already published"))
    elif cmd == "set-certificate":
        done = admin.set_certificate(db, args.username, args.certificate, actor,
                                     replace=args.replace)
        c = done.certificate
        print(f"certificate SHA-256 {c.fingerprint} ({c.subject}, valid until "
              f"{c.not_after.date().isoformat()}) registered for {args.username}"
              + (f"; it was {done.previous_owner}'s before" if done.previous_owner else "")
              + (f"; {done.removed} other certificate(s) removed" if done.removed else ""))
        if c.not_after < utcnow():
            print("警告：该证书已过期 / warning: this certificate has expired", file=sys.stderr)
    elif cmd == "purge-uploads":
        from datetime import timedelta

        from inspector_app.hq.blobs import DiskBlobStore
        from inspector_app.hq.purge import describe, purge_uploads

        assert blobs is not None
        older_than = timedelta(hours=args.older_than)
        removed = purge_uploads(db, DiskBlobStore(blobs), older_than, actor)
        print("\n".join(describe(removed, older_than)))
    elif cmd == "devices" and args.devices_command == "list":
        for d in admin.list_devices(db):
            seen = d.last_seen_at.isoformat(timespec="seconds") if d.last_seen_at else "-"
            state = f"revoked {d.revoked_at.isoformat(timespec='seconds')}" if d.revoked_at \
                else "active"
            print(f"{d.id}  {d.username:<16} {d.name:<24} "
                  f"registered {d.created_at.isoformat(timespec='seconds')}  "
                  f"last seen {seen}  {state}")
    elif cmd == "devices" and args.devices_command == "revoke":
        changed = admin.revoke_device(db, args.device_id, actor)
        print(f"device {args.device_id} " + ("revoked" if changed else "was already revoked"))
    return 0


def _export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The visits or the due list from headquarters' database, as the laptops export them."""
    from datetime import date

    from sqlalchemy.exc import DBAPIError

    from inspector_app.common.export_files import export_format, write_table
    from inspector_app.hq.db import Database
    from inspector_app.hq.listings import export_table
    from inspector_app.hq.migrate import upgrade_database

    if not args.out.parent.is_dir():
        raise CommandError(f"输出文件夹不存在 / the output folder does not exist: "
                           f"{args.out.parent}")
    fmt = export_format(args.out, args.format)  # a wrong suffix is refused before any work
    db_url, _blobs = _storage(args, parser, create=False)

    def migrated() -> Database:
        db = Database.open(db_url)
        upgrade_database(db.engine)
        return db

    db = _opened(db_url, migrated)
    try:
        table = export_table(db, args.what, args.officer, date.today(), args.lang)
    except DBAPIError as exc:
        raise _database_failure(db_url, exc) from exc
    finally:
        db.dispose()
    write_table(table, args.out, fmt, lang=args.lang)
    print(f"{len(table.rows)} 行已写入 / row(s) written to {args.out}")
    return 0


_T = TypeVar("_T")


def _opened(db_url: str, open_: Callable[[], _T]) -> _T:
    """open_(), with a database that cannot be reached, or a driver not installed, said in
    one line."""
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError

    try:
        return open_()
    except (DBAPIError, NoSuchModuleError, ModuleNotFoundError) as exc:
        raise _database_failure(db_url, exc) from exc


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    # One line and a non-zero exit for whatever goes wrong (common.command_line).
    if args.command == "serve":
        return run_command(lambda: _serve(args, parser))
    if args.command == "export":
        return run_command(lambda: _export(args, parser))
    return run_command(lambda: _admin(args, parser))


if __name__ == "__main__":
    sys.exit(main())
