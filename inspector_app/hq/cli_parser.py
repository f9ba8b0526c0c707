"""The `inspector-hq` argument parser: serve, export, and admin with its subcommands (the
audit subcommand's options come from audit_cli)."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspector_app.common.command_line import add_export_arguments
from inspector_app.domain.enums import Role
from inspector_app.hq.cli_storage import BLOBS_DIR, DB_FILE
from inspector_app.hq.context import DEFAULT_MAX_BLOB_BYTES, DEFAULT_MAX_DOCUMENT_BYTES, MB


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
                            "classification), the due list or the whole bank's migration "
                            "matrix as a spreadsheet (xlsx) or CSV")
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
    hdone = leaf(hsub, "complete", "complete a handover without the supervisor's confirmation "
                                   "signature (an override, recorded with its reason); the "
                                   "supervisor normally confirms it by signing in the app")
    hdone.add_argument("handover_id")
    hdone.add_argument("--without-signature", action="store_true", required=True,
                       help="say that the supervisor's signature is knowingly skipped")
    hdone.add_argument("--reason", required=True, metavar="TEXT",
                       help="why (kept with the handover, in the audit trail and on its "
                            "record)")
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
