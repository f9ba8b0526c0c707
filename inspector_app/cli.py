"""Command-line entry point `inspector-app`: the desktop app and its scriptable commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path

from inspector_app.common.command_line import (
    CommandError,
    add_export_arguments,
    export_period,
    read_password_file,
    run_command,
)
from inspector_app.common.paths import data_dir as resolve_data_dir


def _add_data_dir(p: argparse.ArgumentParser, *, command: bool = True) -> None:
    # A command's own --data-dir must not put None over one given before the command
    # (`inspector-app --data-dir D visits`): argparse sets a subparser's defaults last.
    p.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS if command else None,
        help="data directory (default: $INSPECTOR_DATA_DIR or the per-user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspector-app",
        description="贷后现场检查 — post-loan on-site inspection. Without a command, opens the "
        "desktop app.",
    )
    _add_data_dir(parser, command=False)
    parser.add_argument("--lang", choices=["zh", "en"], help="interface language")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="build a demo portfolio in the data directory")
    _add_data_dir(demo)
    demo.add_argument("--scale", type=int, help="build N borrowers and 5N visits (benchmarks)")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--replace", action="store_true", help="replace an existing database")
    demo.add_argument(
        "--if-missing", action="store_true", help="do nothing if the data directory has data"
    )

    templates = sub.add_parser("templates", help="checklist templates")
    tsub = templates.add_subparsers(dest="templates_command", required=True)
    check = tsub.add_parser("check", help="validate template files (all shipped ones by default)")
    check.add_argument("files", nargs="*", type=Path)

    visits = sub.add_parser("visits", help="list visits")
    _add_data_dir(visits)
    visits.add_argument("--status", help="only visits in this status (draft, completed, ...)")
    visits.add_argument("--json", action="store_true")

    due = sub.add_parser("due", help="list borrowers by next inspection due date")
    _add_data_dir(due)
    due.add_argument("--json", action="store_true")
    due.add_argument("--limit", type=int)
    due.add_argument("--search", default="", help="filter by name, customer code or industry")
    export = sub.add_parser(
        "export", help="write the visits (review status, signals, classification), the due "
        "list or the migration matrix as a spreadsheet (xlsx) or CSV")
    _add_data_dir(export)
    # visits: every visit on this laptop; matrix: every borrower on it (the team's, on a
    # supervisor's laptop), as the dashboard counts them
    add_export_arguments(export, ("visits", "due-list", "matrix"))  # matrix: --from, --to
    export.add_argument("--search", default="",
                        help="due-list: only borrowers matching (name, pinyin, customer no.)")
    report = sub.add_parser("report", help="write a visit's inspection report as PDF")
    _add_data_dir(report)
    report.add_argument("visit_id")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS,
                        help="the report's language (default: the signed report's, else zh); "
                        "a signed visit's report in another language is an unsigned copy")
    report.add_argument("--sign", action="store_true",
                        help="sign it as the visit's officer (the visit must be completed)")
    report.add_argument("--cert", type=Path, help="the officer's PKCS#12 certificate file")
    report.add_argument("--password-file", type=Path,
                        help="file whose first line is the certificate password")

    verify = sub.add_parser("verify", help="check every signature of a report PDF")
    verify.add_argument("file", type=Path)
    verify.add_argument("--trust", type=Path, action="append", default=[],
                        help="a trusted CA certificate (PEM); may be repeated")
    verify.add_argument("--allow-untrusted", action="store_true",
                        help="pass a signature whose certificate does not chain to a trusted "
                        "root (by default that fails, exit 1)")
    verify.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS,
                        help="the language of what it prints (default: zh)")

    sync = sub.add_parser("sync", help="sync with headquarters (registers this laptop first)")
    _add_data_dir(sync)
    sync.add_argument("--server", help="headquarters URL, e.g. https://hq.bank (default: the "
                      "one in the deployed inspector-app.ini, else the one registered with)")
    sync.add_argument("--username", help="for the first sync: your username at headquarters")
    sync.add_argument("--password-file", type=Path,
                      help="for the first sync: file whose first line is your password")

    certs = sub.add_parser("certs", help="certificates for tests and the demo")
    csub = certs.add_subparsers(dest="certs_command", required=True)
    ca = csub.add_parser("make-test-ca", help="a local test CA and a PKCS#12 file per demo user")
    ca.add_argument("--out", type=Path, required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # One line and a non-zero exit for whatever goes wrong (common.command_line).
    return run_command(lambda: _dispatch(args))


class UserFacingError(CommandError):
    """An error whose message is meant for the person at the keyboard, not a traceback."""


# Commands that read the laptop's data: a data directory without a database is a mistyped
# --data-dir, said as such, not a new empty database created there.
_READS = {"visits", "due", "report", "sync", "export"}


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "templates":
        return _templates_check(args.files)
    if args.command == "verify":
        from inspector_app.reports.verify import main_verify

        trust = [a for path in args.trust for a in ("--trust", str(path))]
        allow = ["--allow-untrusted"] if args.allow_untrusted else []
        return main_verify([str(args.file), *trust, *allow, "--lang", args.lang or "zh"])
    if args.command == "certs":
        return _make_test_ca(args.out)
    if args.command is None:
        from inspector_app.gui.app import run

        return run(resolve_data_dir(args.data_dir), args.lang)
    if args.command in ("report", "export"):
        _check_out_folder(args.out)
    if args.command == "export":
        from inspector_app.common.export_files import export_format

        export_format(args.out, args.format)  # a wrong suffix is refused before any work
        args.period = export_period(args)
    if args.command in _READS and not (args.command == "sync" and args.username):
        data_dir = _existing_data_dir(args.data_dir)
    else:  # the demo, or a first sync that registers this laptop, may start a new one
        data_dir = resolve_data_dir(args.data_dir)
    if args.command == "demo":
        return _demo(args, data_dir)
    store = _open_store(data_dir)
    try:
        if args.command == "visits":
            return _visits(store, args)
        if args.command == "due":
            return _due(store, args)
        if args.command == "report":
            return _report(store, args)
        if args.command == "export":
            return _export(store, args)
        if args.command == "sync":
            return _sync(store, args)
    finally:
        store.close()
    raise AssertionError(args.command)


def _existing_data_dir(override: str | None) -> Path:
    from inspector_app.common.paths import database_path

    data_dir = resolve_data_dir(override, create=False)
    if not database_path(data_dir).is_file():
        raise UserFacingError(
            f"{data_dir} 中没有数据（没有 {database_path(data_dir).name}），请检查 --data-dir / "
            f"no data in {data_dir} (no {database_path(data_dir).name} there): check "
            "--data-dir")
    return data_dir


def _check_out_folder(out: Path) -> None:
    folder = out.parent
    if not folder.is_dir():
        raise UserFacingError(f"输出文件夹不存在 / the output folder does not exist: {folder}")


def _open_store(data_dir: Path):  # -> LocalStore
    from sqlalchemy.exc import DatabaseError

    from inspector_app.store.local import LocalStore
    from inspector_app.store.migrate import MigrationError

    try:
        return LocalStore.open(data_dir)
    except MigrationError as exc:
        raise UserFacingError(str(exc)) from exc
    except DatabaseError as exc:  # not an SQLite file, or a damaged one
        cause = getattr(exc, "orig", None) or exc
        raise UserFacingError(f"无法打开数据库 / cannot open the database in {data_dir}: "
                              f"{cause}") from exc


def _templates_check(files: list[Path]) -> int:
    from inspector_app.domain.checklist import check_template_files
    from inspector_app.domain.template_loader import check_shipped_templates

    if files:
        count, errors = len(files), check_template_files(files)
    else:  # the shipped ones, with their earlier versions (each checked on its own)
        count, errors = check_shipped_templates()
    for err in errors:
        print(err, file=sys.stderr)
    if errors:
        print(f"{len(errors)} problem(s) in {count} file(s)", file=sys.stderr)
        return 1
    print(f"{count} template file(s) OK")
    return 0


def _demo(args: argparse.Namespace, data_dir: Path) -> int:
    from inspector_app.demo.build import build_demo, print_demo_summary

    if args.if_missing and _has_borrowers(data_dir):
        print(f"demo data already in {data_dir}; keeping it")
        return 0

    def progress(stage: str, fraction: float) -> None:
        # Pad so a shorter stage name fully covers the longer one before it.
        print(f"\r{fraction:4.0%} {stage:<50}", end="", file=sys.stderr, flush=True)

    try:
        result = build_demo(data_dir, scale=args.scale, seed=args.seed, replace=args.replace,
                            progress=progress)
    except ValueError as exc:
        raise UserFacingError(str(exc)) from exc
    print(file=sys.stderr)
    print(print_demo_summary(result))
    return 0


def _has_borrowers(data_dir: Path) -> bool:
    from sqlalchemy import func, select

    from inspector_app.common.paths import database_path
    from inspector_app.store.models import Borrower

    if not database_path(data_dir).exists():
        return False
    store = _open_store(data_dir)
    try:
        with store.read() as s:
            return bool(s.scalar(select(func.count()).select_from(Borrower)))
    finally:
        store.close()


def _visits(store, args: argparse.Namespace) -> int:
    from inspector_app.domain.enums import VisitStatus

    status = None
    if args.status:
        try:
            status = VisitStatus(args.status)
        except ValueError:
            allowed = ", ".join(s.value for s in VisitStatus)
            raise UserFacingError(f"unknown status {args.status!r} (one of: {allowed})") from None
    rows = store.visits(status)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], default=_json_default, ensure_ascii=False,
                         indent=1))
        return 0
    for r in rows:
        kind, status = r.kind.zh, r.status.zh
        print(f"{r.id}  {r.visit_date}  {status:<4} {kind:<6} r{r.revision}  {r.borrower}")
    print(f"{len(rows)} visit(s)", file=sys.stderr)
    return 0


def _due(store, args: argparse.Namespace) -> int:
    rows = store.due_list(args.search, limit=args.limit)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], default=_json_default, ensure_ascii=False,
                         indent=1))
        return 0
    today = date.today()
    for r in rows:
        due = r.next_due_on.isoformat() if r.next_due_on else "—"
        late = " 逾期/overdue" if r.next_due_on and r.next_due_on < today else ""
        print(f"{due}{late:<13} {r.code:<12} {r.name}")
    print(f"{len(rows)} borrower(s)", file=sys.stderr)
    return 0


def _export(store, args: argparse.Namespace) -> int:
    from inspector_app.common.export_files import export_format, write_table
    from inspector_app.store.portfolio import WorkFilter

    today = date.today()
    if args.what == "visits":
        table = store.visits_export(None, None, today, args.lang)
    elif args.what == "matrix":
        table = store.migration_export(*args.period, args.lang)
    else:
        table = store.due_list_export(WorkFilter(text=args.search), officer_id=None,
                                      today=today, lang=args.lang)
    write_table(table, args.out, export_format(args.out, args.format), lang=args.lang)
    print(f"{len(table.rows)} 行已写入 / row(s) written to {args.out}")
    return 0


def _make_test_ca(out: Path) -> int:
    from inspector_app.demo.shared import DEMO_USERS
    from inspector_app.reports.certs import describe_test_ca, make_test_ca

    try:
        ca = make_test_ca(out, [(username, name) for username, _role, name, *_ in DEMO_USERS])
    except FileExistsError as exc:
        raise UserFacingError(f"{out} 已有测试CA / already holds a test CA: {exc}") from exc
    print(describe_test_ca(ca))
    return 0


def _report(store, args: argparse.Namespace) -> int:
    from inspector_app.common.text import UserError
    from inspector_app.reports import files as report_files
    from inspector_app.reports.report_actions import write_visit_report
    from inspector_app.store.models import User, Visit

    with store.read() as s:
        visit = s.get(Visit, args.visit_id)
        if visit is None:
            raise UserFacingError(f"没有这次检查 / no visit with ID {args.visit_id}")
        officer = s.get_one(User, visit.officer_id)
    if args.sign:
        if args.cert is None or args.password_file is None:
            raise UserFacingError("--sign needs --cert FILE.p12 and --password-file FILE")
        password = _first_line(args.password_file)
        try:
            report = report_files.sign_visit(store, args.visit_id, officer, args.cert, password,
                                             lang=args.lang or "zh")
        except ValueError as exc:  # SigningError, TransitionError: refused, nothing changed
            raise UserFacingError(str(exc)) from exc
        _copy_atomic(report_files.report_path(store.data_dir, report.sha256), args.out)
        print(f"signed report written to {args.out} (SHA-256 {report.sha256})")
        return 0
    try:
        written = write_visit_report(store, args.visit_id, args.out, args.lang)
    except UserError as exc:
        raise UserFacingError(str(exc)) from exc
    if written.is_signed_file:
        print(f"{written.stage} report written to {args.out} (SHA-256 "
              f"{written.original_sha256})")
    elif written.stage == "copy":
        original = (f"the signed original is SHA-256 {written.original_sha256}"
                    if written.original_sha256 else "no signed original is kept here")
        print(f"已签署检查的报告副本（非签署件）/ an unsigned copy of a signed visit's report "
              f"written to {args.out}; {original}")
    else:
        print(f"report written to {args.out}")
    return 0


def _sync(store, args: argparse.Namespace) -> int:
    import socket

    from inspector_app.common.progress import Step, printing_progress
    from inspector_app.sync.client import SyncClient, SyncError, server_url

    def line(step: Step) -> str:
        p = step.detail  # the sync's SyncProgress: its stage and the bytes of a file
        size = f" {p.bytes_done}/{p.bytes_total} B" if p.bytes_total else ""
        return f"{p.stage:<6} {p.done}/{p.total}{size} {p.detail[:40]:<40}"

    progress = printing_progress(line)
    try:
        server = server_url(_server_address(store, args.server))
    except SyncError as exc:
        raise UserFacingError(str(exc)) from exc

    with SyncClient(store, server) as client:
        try:
            if args.username:
                if args.password_file is None:
                    raise UserFacingError("--username needs --password-file FILE")
                client.register(args.username, _first_line(args.password_file),
                                socket.gethostname())
                print(f"已登记 / registered with {server}")
            result = client.sync(progress)
        except SyncError as exc:
            raise UserFacingError(str(exc)) from exc
    print(file=sys.stderr)
    for line in result.messages():
        print(line)
    return 0 if result.ok else 1


def _server_address(store, given: str | None) -> str:
    """--server, else the address IT deployed, else the one this laptop registered with."""
    from inspector_app.common import site_settings
    from inspector_app.store.models import SyncState

    if given:
        return given
    deployed = site_settings.server_address()
    if deployed:
        return deployed
    with store.read() as s:
        state = s.get(SyncState, 1)
    if state is not None:
        return str(state.server_url)
    places = " or ".join(str(p) for p in site_settings.settings_files())
    raise UserFacingError(f"没有服务器地址 / no server address: give --server URL, or have IT "
                          f"set server_address in the [sync] section of {places}")


def _first_line(path: Path) -> str:
    return read_password_file(path)


def _copy_atomic(src: Path, dst: Path) -> None:
    from inspector_app.common.files import atomic_write

    atomic_write(dst, src.read_bytes(), prefix=".report-", suffix=".pdf")


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
