"""Reading the CSV files of a portfolio import: cells parsed, every bad row named.

The files' columns are csv_import's (its docstring is the format's documentation); this module
knows only how a file is read: UTF-8 or GB18030, a header row, one record per row, each cell
parsed by its column's parser and each refusal kept as ``FILE:LINE: reason``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from inspector_app.domain.enums import Labelled

MAX_FEN = 2**63 - 1

Parser = Callable[[str], Any]


class BadValue(ValueError):
    """A cell that cannot be used; the message says why."""


def text(max_len: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_len:
            raise BadValue(f"longer than {max_len} characters")
        return value
    return parse


def choice(enum: type[StrEnum]) -> Parser:
    by_text: dict[str, str] = {}
    for member in enum:
        by_text[member.value] = member.value
        if isinstance(member, Labelled):
            by_text[member.zh] = member.value

    def parse(value: str) -> str:
        found = by_text.get(value) or by_text.get(value.lower())
        if found is None:
            raise BadValue(f"{value!r} is not one of {', '.join(m.value for m in enum)}")
        return found
    return parse


def money(value: str) -> int:
    """Yuan, at most two decimals, into fen."""
    cleaned = value.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    try:
        yuan = Decimal(cleaned)
    except InvalidOperation:
        raise BadValue(f"{value!r} is not an amount in yuan") from None
    if not yuan.is_finite() or yuan < 0:
        raise BadValue(f"{value!r} is not an amount in yuan")
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise BadValue(f"{value!r} has more than two decimals (fen)")
    if fen > MAX_FEN:
        raise BadValue(f"{value!r} is too large")
    return int(fen)


def day(value: str) -> date:
    if not re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2}", value):
        raise BadValue(f"{value!r} is not a date (YYYY-MM-DD)")
    y, m, d = (int(p) for p in re.split(r"[-/]", value))
    try:
        return date(y, m, d)
    except ValueError as e:
        raise BadValue(f"{value!r} is not a date: {e}") from None


def whole_number(most: int) -> Parser:
    """A count of days and the like: digits only, 0 to most."""
    def parse(value: str) -> int:
        if not re.fullmatch(r"\d+", value):
            raise BadValue(f"{value!r} is not a whole number")
        number = int(value)
        if number > most:
            raise BadValue(f"{value!r} is above {most}")
        return number
    return parse


# How core systems and spreadsheets write a yes/no flag.
_FLAGS = {"y": True, "yes": True, "true": True, "1": True, "是": True,
          "n": False, "no": False, "false": False, "0": False, "否": False}


def flag(value: str) -> bool:
    found = _FLAGS.get(value.lower())
    if found is None:
        raise BadValue(f"{value!r} is not Y or N")
    return found


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False


@dataclass(frozen=True)
class FileSpec:
    kind: str  # "borrowers", ... : the command-line option and the name in messages
    key: str
    columns: tuple[Column, ...]
    # What a row's cells must say of each other (each problem "column: reason"), asked once
    # every cell of the row has parsed.
    check: Callable[[dict[str, Any]], list[str]] | None = None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Rejected:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ImportRejected(Exception):
    """Rows were refused; nothing was imported."""

    def __init__(self, rows: list[Rejected]) -> None:
        super().__init__("\n".join(str(r) for r in rows))
        self.rows = rows


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, Any]


NOT_TEXT = ("不是文本CSV文件（既非UTF-8也非GB18030），请在表格软件中另存为CSV / not a text CSV "
            "file (neither UTF-8 nor GB18030): save it from the spreadsheet as CSV")


def _decode(raw: bytes) -> str | None:
    """The file's text: UTF-8, else GB18030; None if it is not text, which a NUL byte says
    at once (no text a spreadsheet saves as CSV has one; an .xlsx has many)."""
    if b"\0" in raw:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _records(text_: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) per CSV record, the line counted as an editor shows it."""
    reader = csv.reader(io.StringIO(text_, newline=""))
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def read_file(spec: FileSpec, path: Path, rejected: list[Rejected],
              refused_keys: set[str] | None = None) -> list[Row]:
    """The file's good rows; each bad one is added to rejected (and its key to refused_keys)."""
    name = str(path)
    refused_keys = set() if refused_keys is None else refused_keys
    try:
        content = _decode(path.read_bytes())
    except OSError as e:
        rejected.append(Rejected(name, 0, f"cannot read the file: {e.strerror}"))
        return []
    if content is None:
        rejected.append(Rejected(name, 0, NOT_TEXT))
        return []
    try:
        records = iter(list(_records(content)))
    except csv.Error as e:  # e.g. a field over the csv module's size limit
        rejected.append(Rejected(name, 0, f"not a CSV file: {e}"))
        return []
    first = next(records, None)
    if first is None:
        rejected.append(Rejected(name, 1, "the file is empty (a header row is needed)"))
        return []
    header = [h.strip() for h in first[1]]
    missing = [c.name for c in spec.columns if c.required and c.name not in header]
    unknown = [h for h in header if h not in spec.names]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)} "
                        f"(expected: {', '.join(spec.names)})")
    if duplicated:
        problems.append(f"column(s) given twice: {', '.join(duplicated)}")
    if problems:
        rejected.append(Rejected(name, first[0], "; ".join(problems)))
        return []
    rows = []
    seen_keys: dict[str, int] = {}
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            rejected.append(Rejected(name, line, f"{len(cells)} cells, the header has "
                                                 f"{len(header)}"))
            continue
        raw = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        values, problems = _parse_row(spec, raw)
        key = raw.get(spec.key, "")
        if key and key in seen_keys:
            problems.append(f"{spec.key} {key!r} is also on line {seen_keys[key]}")
        elif key:
            seen_keys[key] = line
        if problems:
            rejected.append(Rejected(name, line, "; ".join(problems)))
            refused_keys.add(key)
        else:
            rows.append(Row(name, line, values))
    return rows


def _parse_row(spec: FileSpec, raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for column in spec.columns:
        cell = raw.get(column.name, "")
        if not cell:
            if column.required:
                problems.append(f"{column.name}: required")
            values[column.name] = None
            continue
        try:
            values[column.name] = column.parse(cell)
        except BadValue as e:
            problems.append(f"{column.name}: {e}")
    if spec.check is not None and not problems:
        problems += spec.check(values)
    return values, problems
