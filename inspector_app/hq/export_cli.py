"""`inspector-hq export visits|due-list|matrix`: every visit (review status, signals,
classification), the due list, or the whole bank's classification migration matrix over
--from/--to, from headquarters' database, as a spreadsheet (xlsx) or CSV."""

from __future__ import annotations

import argparse

from inspector_app.common.command_line import CommandError, export_period
from inspector_app.hq.cli_storage import database_failure, open_migrated, storage


def export_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The visits or the due list from headquarters' database, as the laptops export them."""
    from datetime import date

    from sqlalchemy.exc import DBAPIError

    from inspector_app.common.export_files import export_format, write_table
    from inspector_app.hq.dashboard import migration_table
    from inspector_app.hq.listings import export_table

    if not args.out.parent.is_dir():
        raise CommandError(f"输出文件夹不存在 / the output folder does not exist: "
                           f"{args.out.parent}")
    fmt = export_format(args.out, args.format)  # a wrong suffix is refused before any work
    period = export_period(args)
    if period is not None and args.officer is not None:
        raise CommandError("迁徙矩阵是全行的，不按客户经理导出 / the matrix is the whole bank's; "
                           "--officer is for visits and the due list")
    db_url, _blobs = storage(args, parser, create=False)
    db = open_migrated(db_url)
    try:
        if period is not None:
            table = migration_table(db, date.today(), *period, args.lang)
        else:
            table = export_table(db, args.what, args.officer, date.today(), args.lang)
    except DBAPIError as exc:
        raise database_failure(db_url, exc) from exc
    finally:
        db.dispose()
    write_table(table, args.out, fmt, lang=args.lang)
    print(f"{len(table.rows)} 行已写入 / row(s) written to {args.out}")
    return 0
