"""`inspector-hq admin audit`: the audit trail on the screen, a page at a time, or exported.

    inspector-hq admin audit [--user U] [--borrower CODE] [--visit ID] [--action A]
                             [--from DATE] [--to DATE] [--limit N] [--before ENTRY]
                             [--format table|csv|xlsx] [-o FILE] [--lang zh|en]

Dates are days in this computer's time zone, both ends included. On the screen: the newest
--limit entries (50), and the option that shows the next, older page; a file gets every entry
that matches.
"""

from __future__ import annotations

import argparse
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.common.command_line import CommandError
from inspector_app.common.export_table import ExportFormat

if TYPE_CHECKING:  # the parser is built for every command; the database only for this one
    from inspector_app.hq.audit_trail import AuditFilter
    from inspector_app.hq.db import Database
    from inspector_app.wire import AuditEntryRecord

SCREEN_PAGE = 50
MAX_SCREEN_PAGE = 1000
DETAIL_WIDTH = 60


def add_audit_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="USERNAME", help="who did it")
    parser.add_argument("--borrower", metavar="CODE",
                        help="a borrower: its record, visits, signals and handovers")
    parser.add_argument("--visit", metavar="ID", help="a visit and its signals")
    parser.add_argument("--action", help="an action (visit.push) or a family (handover)")
    parser.add_argument("--from", dest="from_date", metavar="YYYY-MM-DD",
                        help="from this day (included)")
    parser.add_argument("--to", dest="to_date", metavar="YYYY-MM-DD",
                        help="to this day (included)")
    parser.add_argument("--limit", type=int, default=SCREEN_PAGE,
                        help=f"entries on the screen (default {SCREEN_PAGE})")
    parser.add_argument("--before", type=int, metavar="ENTRY",
                        help="only entries older than this entry number (the next page)")
    parser.add_argument("--format", choices=["table", *(f.value for f in ExportFormat)],
                        help="table on the screen (default), or a file: csv, xlsx")
    parser.add_argument("-o", "--out", type=Path, help="the file to write (csv or xlsx)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh",
                        help="the file's headers (default zh)")


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"不是日期 / {option} is not a date: {text!r} (YYYY-MM-DD)") from None


def audit_filter(args: argparse.Namespace) -> AuditFilter:
    """The command's filter: local days as the moments they start, the --to day included."""
    from inspector_app.hq.audit_trail import AuditFilter

    first, last = _day(args.from_date, "--from"), _day(args.to_date, "--to")
    if first is not None and last is not None and first > last:
        raise CommandError(f"--from {first} 晚于 --to {last} / --from is after --to")
    return AuditFilter(
        user=args.user, borrower=args.borrower, visit=args.visit, action=args.action,
        since=None if first is None else datetime.combine(first, time()).astimezone(),
        until=None if last is None else
        datetime.combine(last + timedelta(days=1), time()).astimezone())


def audit_command(args: argparse.Namespace, db: Database) -> int:
    from inspector_app.common.export_files import export_format, write_table
    from inspector_app.hq.audit_trail import audit_page, audit_table, iter_entries

    f = audit_filter(args)
    fmt = args.format
    if args.out is not None:
        if fmt == "table":
            raise CommandError("--format table 不写文件 / --format table writes no file; "
                               "use csv or xlsx with -o")
        if not args.out.parent.is_dir():
            raise CommandError(f"输出文件夹不存在 / the output folder does not exist: "
                               f"{args.out.parent}")
        chosen = export_format(args.out, fmt)
        table = audit_table(iter_entries(db, f))
        write_table(table, args.out, chosen, lang=args.lang)
        print(f"{len(table.rows)} 条已写入 / entries written to {args.out}")
        return 0
    if fmt not in (None, "table"):
        raise CommandError(f"--format {fmt} 需要 -o 文件 / --format {fmt} needs -o FILE")
    if not 1 <= args.limit <= MAX_SCREEN_PAGE:
        raise CommandError(f"--limit 应在 1 到 {MAX_SCREEN_PAGE} 之间 / --limit must be 1 to "
                           f"{MAX_SCREEN_PAGE}")
    page = audit_page(db, f, args.before, args.limit)
    _print_page(page.entries)
    if page.next_cursor is not None:
        print(f"… 更早的记录：加上 --before {page.next_cursor} / older entries: add "
              f"--before {page.next_cursor}")
    elif not page.entries:
        print("没有符合条件的记录 / no entries match")
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    out, used = "", 0
    for c in text:
        w = _width(c)
        if used + w > width - 1 and len(text) > len(out) + 1:
            return out + "…"
        out, used = out + c, used + w
    return out


def _pad(text: str, width: int) -> str:
    text = _cut(text, width)
    return text + " " * max(0, width - _width(text))


def _print_page(entries: list[AuditEntryRecord]) -> None:
    from inspector_app.hq.audit_trail import detail_text

    widths = (8, 19, 14, 24, 14, 10)
    print("  ".join(_pad(h, w) for h, w in zip(
        ("序号/no.", "时间/time", "用户/user", "操作/action", "客户/borrower", "检查/visit"),
        widths, strict=True)) + "  详情/detail")
    for e in entries:
        cells = (str(e.id), e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action,
                 e.borrower_code or "", (e.visit_id or "")[:8])
        print("  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)) + "  "
              + _cut(detail_text(e.detail), DETAIL_WIDTH))
