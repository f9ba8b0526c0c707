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

The parser is built in cli_parser; where the database and blobs are, in cli_storage; each
command runs in its own module: serve_cli, export_cli, admin_cli (with handover_cli and
audit_cli).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from inspector_app.common.command_line import run_command
from inspector_app.hq.admin_cli import admin_command
from inspector_app.hq.cli_parser import build_parser
from inspector_app.hq.cli_storage import BLOBS_DIR, DB_FILE
from inspector_app.hq.export_cli import export_command
from inspector_app.hq.serve_cli import serve_command

# Where they were before the split: tests and scripts name them as inspector_app.hq.cli's.
__all__ = ["BLOBS_DIR", "DB_FILE", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    # One line and a non-zero exit for whatever goes wrong (common.command_line).
    if args.command == "serve":
        return run_command(lambda: serve_command(args, parser))
    if args.command == "export":
        return run_command(lambda: export_command(args, parser))
    return run_command(lambda: admin_command(args, parser))


if __name__ == "__main__":
    sys.exit(main())
