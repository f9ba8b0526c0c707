"""`inspector-hq admin ...`: users, branches, the portfolio's import and assignment,
templates and policy, certificates, devices, fund recipients and partial uploads; handover
and audit have modules of their own (handover_cli, audit_cli). A refusal is printed, one
problem a line, with exit code 1."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.common.command_line import read_password_file
from inspector_app.domain.enums import Role
from inspector_app.hq.cli_storage import database_failure, open_migrated, storage

if TYPE_CHECKING:
    from inspector_app.hq.db import Database

# Admin commands that only read: a database that is not there is a mistyped --data-dir or
# --db, said as such, not a new empty one created.
READ_ONLY = {("devices", "list"), ("handover", "list"), ("handover", "show"), ("audit", None)}


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


def admin_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from sqlalchemy.exc import DBAPIError

    from inspector_app.hq import admin, csv_import
    from inspector_app.hq.handover import HandoverRefused

    command = (args.admin_command, getattr(args, f"{args.admin_command}_command", None))
    db_url, blobs = storage(args, parser, create=command not in READ_ONLY)
    if args.admin_command == "purge-uploads" and blobs is None:
        parser.error("purge-uploads needs --blobs DIR (or --data-dir)")
    if args.admin_command == "purge-uploads" and args.older_than <= 0:
        parser.error("--older-than must be more than 0 hours")

    db = open_migrated(db_url)
    actor = _actor()
    try:
        return _subcommand(args, db, actor, blobs)
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
        raise database_failure(db_url, exc) from exc
    finally:
        db.dispose()


def _subcommand(args: argparse.Namespace, db: Database, actor: str,
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

