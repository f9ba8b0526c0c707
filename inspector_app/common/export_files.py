"""An ExportTable written as CSV or xlsx, whole or not at all.

``write_table(table, path)`` picks the format from the file's suffix (or takes one), writes
to a temporary file beside the target and renames it over the target only when every row is
in: a full disk, a Cancel or a file held open by another program leaves the old file (or
none), never half a file. It takes a ``Progress`` (rows written, Cancel), so the GUI runs it
as a job and the command lines as a plain call.

CSV is UTF-8 with a byte-order mark, which is how Excel knows the Chinese is UTF-8; dates are
ISO (2026-03-31) and amounts plain numbers with two decimals, which Excel reads as such.
xlsx gives each cell its real type: dates are dates (yyyy-mm-dd), money numbers shown
#,##0.00, counts integers, percentages numbers shown 0.00%; a bold header row in the chosen
language, frozen, with a filter, and columns as wide as their contents. A table's caption
(what it covers, e.g. a period) is a line of its own above the header, in both formats.

Text that begins like a formula (=, +, -, @) is kept text: in xlsx by the cell's type, in
CSV by a leading apostrophe, as OWASP advises against CSV injection (a borrower's name comes
from outside).
"""

from __future__ import annotations

import csv
import errno
import io
import os
import unicodedata
from collections.abc import Iterator
from contextlib import suppress
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from inspector_app.common.export_table import ColumnKind, ExportFormat, ExportTable
from inspector_app.common.files import fsync_dir, temp_file
from inspector_app.common.progress import NO_PROGRESS, Progress
from inspector_app.common.text import Text, UserError

__all__ = ["DATETIME_FORMAT", "DATE_FORMAT", "MONEY_FORMAT", "PERCENT_FORMAT", "ExportError",
           "export_format", "write_table"]

MONEY_FORMAT = "#,##0.00"  # yuan: thousands separated, two decimals
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
PERCENT_FORMAT = "0.00%"
REPORT_EVERY = 500  # rows between progress reports (and looks at Cancel)
MAX_COLUMN_WIDTH = 60  # characters; longer text wraps nowhere, it is just cut on screen
WIDTH_SAMPLE_ROWS = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


class ExportError(UserError):
    """The file could not be written; nothing was left at the target."""


def export_format(path: Path, given: str | None = None) -> ExportFormat:
    """The format given (a command's --format), else the one path's suffix names;
    ExportError when neither says."""
    if given:
        return ExportFormat(given)
    found = ExportFormat.of_path(Path(path).name)
    if found is None:
        raise ExportError(Text(
            f"无法从文件名 {Path(path).name} 判断格式：请以 .xlsx 或 .csv 结尾，或给出 --format",
            f"cannot tell the format from {Path(path).name!r}: end it in .xlsx or .csv, or "
            "give --format"))
    return found


def write_table(
    table: ExportTable,
    path: Path,
    fmt: ExportFormat | None = None,
    *,
    lang: str = "zh",
    progress: Progress = NO_PROGRESS,
) -> Path:
    """Write table to path as fmt (default: by the suffix), headers in lang; the path.

    ExportError if the format is unknown, the folder is missing or the file cannot be written
    (disk full, no permission, open in another program); Cancelled if progress was cancelled.
    Either way the target is as it was.
    """
    path = Path(path)
    fmt = fmt or ExportFormat.of_path(path.name)
    if fmt is None:
        raise ExportError(Text(f"不支持的文件类型：{path.name}（请用 .xlsx 或 .csv）",
                               f"unsupported file type: {path.name} (use .xlsx or .csv)"))
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(Text(f"文件夹不存在：{folder}", f"the folder does not exist: {folder}"))
    if path.is_dir():
        raise ExportError(Text(f"这是文件夹，不是文件：{path}", f"is a folder, not a file: {path}"))
    try:
        # Owner-only, as mkstemp makes it: the rows are borrowers' confidential data.
        with temp_file(folder, prefix=f".{path.name}.", suffix=".part") as (f, temp):
            if fmt is ExportFormat.CSV:
                _write_csv(table, f, lang, progress)
            else:
                _write_xlsx(table, f, lang, progress)
        try:
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        fsync_dir(folder)
    except OSError as exc:
        raise _failure(exc, path) from exc
    return path


def _failure(exc: OSError, path: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportError(Text(f"磁盘已满，未能写入 {path}", f"the disk is full; {path} was not "
                                "written"))
    if isinstance(exc, PermissionError):
        return ExportError(Text(
            f"无法写入 {path}：没有权限，或该文件正在其他程序（如 Excel）中打开，请关闭后重试",
            f"cannot write {path}: no permission, or the file is open in another program "
            "(Excel?); close it and try again"))
    reason = exc.strerror or type(exc).__name__
    return ExportError(Text(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}"))


def _rows(table: ExportTable, progress: Progress) -> Iterator[tuple[object, ...]]:
    """The rows, reporting and looking at Cancel every REPORT_EVERY of them."""
    total = len(table.rows)
    progress.report(0, total)
    for n, row in enumerate(table.rows):
        if n and n % REPORT_EVERY == 0:
            progress.check()
            progress.report(n, total)
        yield row
    progress.check()
    progress.report(total, total)


# -- CSV ---------------------------------------------------------------------------------------


def _csv_text(kind: ColumnKind, value: object) -> str:
    if value is None:
        return ""
    if kind is ColumnKind.DATE:
        assert isinstance(value, date)
        return _as_date(value).isoformat()
    if kind is ColumnKind.DATETIME:
        assert isinstance(value, datetime)
        return _local(value).isoformat(sep=" ")
    if kind is ColumnKind.MONEY:
        return f"{Decimal(str(value)):.2f}"
    if kind is ColumnKind.PERCENT:
        return f"{Decimal(str(value)) * 100:.2f}%"
    text = str(value)
    if kind is ColumnKind.TEXT and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _write_csv(table: ExportTable, f: IO[bytes], lang: str, progress: Progress) -> None:
    # utf-8-sig: the BOM that makes Excel read the Chinese as UTF-8. \r\n: Excel's own.
    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        if table.caption is not None:
            writer.writerow([table.caption.in_(lang)])
        writer.writerow(table.headers(lang))
        kinds = [column.kind for column in table.columns]
        for row in _rows(table, progress):
            writer.writerow([_csv_text(k, v) for k, v in zip(kinds, row, strict=True)])
        text.flush()
    finally:
        text.detach()  # the temp file's owner closes it (and fsyncs it first)


# -- xlsx --------------------------------------------------------------------------------------


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _local(moment: datetime) -> datetime:
    """A moment as this computer's local wall-clock time, to the second: a spreadsheet cell
    holds no time zone (openpyxl refuses an aware one), and people read local time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _shown_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character is about two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell_width(kind: ColumnKind, value: object) -> int:
    if value is None:
        return 0
    if kind is ColumnKind.DATE:
        return 10
    if kind is ColumnKind.DATETIME:
        return 19
    if kind is ColumnKind.MONEY:
        return len(f"{Decimal(str(value)):,.2f}")
    if kind is ColumnKind.PERCENT:
        return len(f"{Decimal(str(value)) * 100:.2f}%")
    return _shown_width(str(value))


def _widths(table: ExportTable, headers: list[str]) -> list[int]:
    sample = table.rows[:WIDTH_SAMPLE_ROWS]
    widths = []
    for n, column in enumerate(table.columns):
        widest = max([_shown_width(headers[n]), *(_cell_width(column.kind, row[n])
                                                   for row in sample)])
        # The filter's drop-down arrow sits in the header cell: room for it too.
        widths.append(min(widest + 4, MAX_COLUMN_WIDTH))
    return widths


def _write_xlsx(table: ExportTable, f: IO[bytes], lang: str, progress: Progress) -> None:
    # Imported here: only an xlsx export pays for openpyxl's import.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # Write-only: rows stream out instead of a cell object each in memory (20,000 visits).
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(table.title.in_(lang)))
    headers = table.headers(lang)
    for n, width in enumerate(_widths(table, headers), start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    top = 1 if table.caption is None else 2  # the header's row
    sheet.freeze_panes = f"A{top + 1}"
    last = get_column_letter(max(len(table.columns), 1))
    if table.filterable:
        sheet.auto_filter.ref = f"A{top}:{last}{len(table.rows) + top}"

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE8F3")
    centred = Alignment(horizontal="center", vertical="center")
    if table.caption is not None:
        caption = WriteOnlyCell(sheet, value=table.caption.in_(lang))
        caption.font, caption.data_type = bold, "s"
        sheet.append([caption])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill, cell.alignment = bold, fill, centred
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)

    kinds = [column.kind for column in table.columns]
    try:
        for row in _rows(table, progress):
            sheet.append([_xlsx_cell(sheet, WriteOnlyCell, k, v)
                          for k, v in zip(kinds, row, strict=True)])
    except BaseException:
        _abandon(sheet)
        raise
    book.save(f)


def _abandon(sheet: Any) -> None:
    """A write-only sheet given up half way (Cancel): its XML stream closed now, not by the
    garbage collector at some later moment (lxml then complains), and its temporary file
    removed."""
    rows, writer = getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)
    if rows is not None:  # the rows' stream first: it sits inside the sheet's
        with suppress(Exception):
            rows.close()
    if writer is None:
        return
    with suppress(Exception):
        writer.close()
    with suppress(Exception):
        writer.cleanup()


def _xlsx_cell(sheet: Any, make: Any, kind: ColumnKind, value: object) -> Any:
    # A plain value where its type says enough (openpyxl types it itself): a cell object per
    # value took three times as long for 20,000 visits (bench/export.py).
    if value is None:
        return None
    if kind is ColumnKind.TEXT:
        text = str(value)
        if not text.startswith("="):
            return text
        cell = make(sheet, value=text)
        cell.data_type = "s"  # "=SUM(...)" in a name stays a name, not a formula
        return cell
    if kind is ColumnKind.INT:
        return value  # a count: an integer, shown as one without a format
    if kind is ColumnKind.DATE:
        assert isinstance(value, date)
        cell = make(sheet, value=_as_date(value))
        cell.number_format = DATE_FORMAT
        return cell
    if kind is ColumnKind.DATETIME:
        assert isinstance(value, datetime)
        cell = make(sheet, value=_local(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    # Money and percentages: a float is what a spreadsheet holds; yuan with two decimals are
    # exact in it far beyond any loan's size.
    assert isinstance(value, Decimal | int | float)
    cell = make(sheet, value=float(value))
    cell.number_format = MONEY_FORMAT if kind is ColumnKind.MONEY else PERCENT_FORMAT
    return cell


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return (title.translate(_SHEET_FORBIDDEN).strip() or "Sheet")[:31]
