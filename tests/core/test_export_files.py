"""common.export_table / export_files: a typed table written as CSV (BOM, Chinese intact) and
xlsx (real cell types, frozen header), whole or not at all."""

from __future__ import annotations

import csv
import errno
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from inspector_app.common import export_files
from inspector_app.common.export_files import ExportError, write_table
from inspector_app.common.export_table import ColumnKind, ExportColumn, ExportTable
from inspector_app.common.progress import Cancelled, Progress
from inspector_app.common.text import Text

COLUMNS = (
    ExportColumn("name", Text("借款人", "Borrower")),
    ExportColumn("due", Text("下次检查", "Next inspection"), ColumnKind.DATE),
    ExportColumn("balance", Text("贷款余额（元）", "Outstanding (yuan)"), ColumnKind.MONEY),
    ExportColumn("signals", Text("预警信号", "Signals"), ColumnKind.INT),
    ExportColumn("share", Text("占比", "Share"), ColumnKind.PERCENT),
)
ROWS = [
    ("浙江德炎水产有限公司", date(2026, 3, 31), Decimal("12345678.90"), 3, 0.125),
    ("=HYPERLINK(\"x\")", None, None, 0, None),  # a name that looks like a formula
    ("巨源油业", datetime(2026, 1, 2, 9, 30), 500, None, Decimal("1")),
]


def table(rows=ROWS) -> ExportTable:
    return ExportTable.of(Text("到期清单", "Due list"), COLUMNS, rows)


def test_xlsx_cells_have_their_real_types(tmp_path: Path) -> None:
    out = write_table(table(), tmp_path / "due.xlsx")
    sheet = load_workbook(out).active
    assert sheet.title == "到期清单"
    assert [c.value for c in sheet[1]] == ["借款人", "下次检查", "贷款余额（元）", "预警信号",
                                          "占比"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    name, due, balance, signals, share = sheet[2]
    assert (name.value, name.data_type) == ("浙江德炎水产有限公司", "s")
    assert due.is_date and due.value.date() == date(2026, 3, 31)
    assert due.number_format == "yyyy-mm-dd"
    assert balance.data_type == "n" and balance.value == pytest.approx(12345678.90)
    assert balance.number_format == "#,##0.00"
    assert signals.data_type == "n" and signals.value == 3 and isinstance(signals.value, int)
    assert share.value == 0.125 and share.number_format == "0.00%"
    formula_like = sheet["A3"]
    assert formula_like.data_type == "s" and formula_like.value.startswith("=HYPERLINK")
    assert sheet["B3"].value is None and sheet["C3"].value is None
    assert sheet["B4"].is_date and sheet["B4"].value.date() == date(2026, 1, 2)
    # Wide enough for the longest name (10 Chinese characters, about 20 columns).
    assert sheet.column_dimensions["A"].width >= 20
    assert sheet.column_dimensions["A"].width <= export_files.MAX_COLUMN_WIDTH


def test_xlsx_headers_in_english(tmp_path: Path) -> None:
    out = write_table(table(), tmp_path / "due.xlsx", lang="en")
    sheet = load_workbook(out).active
    assert sheet.title == "Due list"
    assert sheet["A1"].value == "Borrower" and sheet["E1"].value == "Share"


def test_csv_round_trips_chinese_with_a_bom(tmp_path: Path) -> None:
    out = write_table(table(), tmp_path / "due.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # what makes Excel read UTF-8
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["借款人", "下次检查", "贷款余额（元）", "预警信号", "占比"]
    assert rows[1] == ["浙江德炎水产有限公司", "2026-03-31", "12345678.90", "3", "12.50%"]
    assert rows[2][0] == "'=HYPERLINK(\"x\")"  # kept text in Excel
    assert rows[3] == ["巨源油业", "2026-01-02", "500.00", "", "100.00%"]


def test_format_by_suffix_and_unknown_suffix_refused(tmp_path: Path) -> None:
    write_table(table(), tmp_path / "UPPER.XLSX")
    assert load_workbook(tmp_path / "UPPER.XLSX").active["A2"].value == "浙江德炎水产有限公司"
    with pytest.raises(ExportError) as refused:
        write_table(table(), tmp_path / "due.pdf")
    assert ".xlsx" in refused.value.text.en and "不支持" in refused.value.text.zh
    assert not (tmp_path / "due.pdf").exists()


def test_missing_folder_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_table(table(), tmp_path / "nowhere" / "due.csv")


def test_a_value_of_the_wrong_kind_is_refused_when_the_table_is_made() -> None:
    with pytest.raises(TypeError, match="'due'"):
        table([("x", "2026-03-31", None, None, None)])
    with pytest.raises(TypeError, match="'signals'"):
        table([("x", None, None, True, None)])
    with pytest.raises(ValueError, match="4 values for 5 columns"):
        table([("x", None, None, None)])


def test_cancel_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "due.xlsx"
    target.write_bytes(b"the old export")
    progress = Progress()
    rows = [("名", None, None, n, None) for n in range(export_files.REPORT_EVERY * 3)]
    reports = []

    def listener(step) -> None:
        reports.append(step.done)
        if step.done >= export_files.REPORT_EVERY:
            progress.cancel()

    progress = Progress(listener)
    with pytest.raises(Cancelled):
        write_table(table(rows), target, progress=progress)
    assert target.read_bytes() == b"the old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["due.xlsx"]
    assert reports[0] == 0 and max(reports) < len(rows)


def test_full_disk_said_clearly_and_nothing_left(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "due.csv"

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export_files, "_write_csv", full)
    with pytest.raises(ExportError) as failed:
        write_table(table(), target)
    assert "磁盘已满" in failed.value.text.zh and "disk is full" in failed.value.text.en
    assert list(tmp_path.iterdir()) == []


def test_file_open_elsewhere_said_clearly_and_old_file_kept(tmp_path: Path,
                                                           monkeypatch) -> None:
    # Windows refuses to replace a file Excel holds open: PermissionError at the rename.
    target = tmp_path / "due.xlsx"
    target.write_bytes(b"open in Excel")

    def locked(_src, _dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(export_files.os, "replace", locked)
    with pytest.raises(ExportError) as failed:
        write_table(table(), target)
    assert "Excel" in failed.value.text.en and "其他程序" in failed.value.text.zh
    assert target.read_bytes() == b"open in Excel"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["due.xlsx"]


def test_an_empty_table_still_has_its_header(tmp_path: Path) -> None:
    out = write_table(table([]), tmp_path / "empty.xlsx")
    sheet = load_workbook(out).active
    assert sheet.max_row == 1 and sheet["A1"].value == "借款人"


def test_a_moment_is_a_typed_local_date_and_time(tmp_path: Path, monkeypatch) -> None:
    """DATETIME (the audit trail's time): an aware moment becomes this computer's wall-clock
    time to the second, an xlsx date-time cell and an ISO text in CSV; a naive one stays."""
    import time as time_module
    from datetime import UTC

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    try:
        table = ExportTable.of(Text("审计", "Audit"), [
            ExportColumn("at", Text("时间", "Time"), ColumnKind.DATETIME)], [
            (datetime(2026, 12, 1, 16, 0, 5, 999_999, tzinfo=UTC),),
            (datetime(2026, 12, 2, 8, 30),),
            (None,)])
        xlsx = write_table(table, tmp_path / "t.xlsx")
        sheet = load_workbook(xlsx).active
        assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == [
            datetime(2026, 12, 2, 0, 0, 5), datetime(2026, 12, 2, 8, 30), None]
        assert sheet.cell(2, 1).number_format == export_files.DATETIME_FORMAT
        csv_path = write_table(table, tmp_path / "t.csv")
        with csv_path.open(encoding="utf-8-sig", newline="") as f:
            assert [r[0] for r in csv.reader(f)][1:] == [
                "2026-12-02 00:00:05", "2026-12-02 08:30:00", ""]
    finally:
        monkeypatch.delenv("TZ")
        time_module.tzset()
    with pytest.raises(TypeError):
        ExportTable.of(Text("x", "x"), [ExportColumn("at", Text("t", "t"),
                                                     ColumnKind.DATETIME)], [(date(2026, 1, 1),)])
