"""A typed table for export: columns that know what kind of value they hold, rows of plain values.

What a screen or a command exports (the supervisor's visits, the due list, the dashboard's
migration matrix) is first said as an ``ExportTable``: each ``ExportColumn`` has a
key, a header in both languages and a ``ColumnKind``; each row is a tuple of plain Python
values, one per column (``None`` for an empty cell). ``common.export_files.write_table`` then
writes it as CSV or xlsx with the cells typed by their column's kind, so the same table comes
out the same from the desktop app, ``inspector-app export`` and ``inspector-hq export``.

No Qt and nothing of the store or headquarters here (the lowest layer): the laptop's store and
headquarters' database each make the rows, and both can use this module.

Values by kind:
  TEXT     str
  DATE     datetime.date (a datetime is written as its date)
  DATETIME datetime.datetime, a moment (an aware one is written in this computer's local time)
  MONEY    yuan as Decimal (or int/float); xlsx shows it as #,##0.00
  INT      int (a count)
  PERCENT  a fraction, 0.125 for 12.5 %
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from inspector_app.common.text import Text

__all__ = ["ColumnKind", "ExportColumn", "ExportFormat", "ExportTable"]


class ColumnKind(StrEnum):
    """What a column's cells are, so the file gives them their real type."""

    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"  # a moment: date and time of day
    MONEY = "money"  # yuan, two decimals
    INT = "int"
    PERCENT = "percent"  # a fraction: 0.125 is 12.5 %


class ExportFormat(StrEnum):
    """The file formats a table is written in."""

    CSV = "csv"
    XLSX = "xlsx"

    @property
    def suffix(self) -> str:
        return f".{self.value}"

    @classmethod
    def of_path(cls, path_name: str) -> ExportFormat | None:
        """The format a file name's suffix names (".xlsx", ".CSV"), None for any other."""
        lower = path_name.lower()
        return next((f for f in cls if lower.endswith(f.suffix)), None)


@dataclass(frozen=True)
class ExportColumn:
    """One column: its key (for code), its header in both languages, and its kind."""

    key: str
    header: Text
    kind: ColumnKind = ColumnKind.TEXT


_PYTHON_TYPES: dict[ColumnKind, tuple[type, ...]] = {
    ColumnKind.TEXT: (str,),
    ColumnKind.DATE: (date,),  # datetime is a date too
    ColumnKind.DATETIME: (datetime,),
    ColumnKind.MONEY: (Decimal, int, float),
    ColumnKind.INT: (int,),
    ColumnKind.PERCENT: (Decimal, int, float),
}


@dataclass(frozen=True)
class ExportTable:
    """Columns and rows, with a title (the sheet's name) in both languages.

    ``caption``: a line above the header row saying what the table covers (the migration
    matrix's period); ``filterable``: False for a table whose rows must stay in their order
    (a matrix with its totals row), which then gets no filter drop-downs."""

    title: Text
    columns: tuple[ExportColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    caption: Text | None = None
    filterable: bool = True

    @classmethod
    def of(cls, title: Text, columns: Sequence[ExportColumn],
           rows: Iterable[Sequence[object]], *, caption: Text | None = None,
           filterable: bool = True) -> ExportTable:
        """A table whose every row is checked against the columns (length and kind), so a
        mistake in the code that makes rows fails here, not as a wrong cell in a file."""
        columns = tuple(columns)
        checked = []
        for n, row in enumerate(rows, start=1):
            row = tuple(row)
            if len(row) != len(columns):
                raise ValueError(f"row {n} has {len(row)} values for {len(columns)} columns")
            for column, value in zip(columns, row, strict=True):
                _check_value(column, value, n)
            checked.append(row)
        return cls(title, columns, tuple(checked), caption, filterable)

    def headers(self, lang: str = "zh") -> list[str]:
        """The header row in lang ("zh", "en", or a GUI code such as "zh_CN")."""
        return [column.header.in_(lang) for column in self.columns]

    def column(self, key: str) -> int:
        """The index of the column with this key."""
        return next(n for n, c in enumerate(self.columns) if c.key == key)


def _check_value(column: ExportColumn, value: object, row: int) -> None:
    if value is None:
        return
    allowed = _PYTHON_TYPES[column.kind]
    # bool is an int to Python, but a count of True is a mistake.
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise TypeError(f"row {row}, column {column.key!r} ({column.kind}): "
                        f"{type(value).__name__} {value!r}")
