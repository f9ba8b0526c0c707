"""Importing the portfolio from CSV files exported by the bank's core systems.

All-or-nothing: every row of every file is checked first, inside one write transaction; if
any row is refused, every refused row is reported as ``FILE:LINE: reason`` and nothing at all
is written. A row whose key already exists updates that record (a new version devices pull);
a row identical to what is stored changes nothing.

Files: comma-separated, a header row first, columns in any order, blank rows ignored. UTF-8
(with or without the byte-order mark Excel writes); a file that is not UTF-8 is read as
GB18030, which is what Excel on a Chinese Windows saves. Starred columns are required.
Enumerated columns take the code or its Chinese label (``manufacturing`` or ``制造业``).
Money is in yuan with at most two decimals (``1234567.89``; thousands commas allowed),
stored in fen. Dates are ``YYYY-MM-DD`` (or ``YYYY/MM/DD``).

borrowers (key: code)
    code*            the bank's customer number, at most 32 characters
    name*            at most 200
    kind*            company | person
    industry*        manufacturing | real_estate | infrastructure | wholesale_trade |
                     agriculture | services | other
    id_number*       统一社会信用代码 or ID card number, at most 32
    legal_representative, address, phone
    branch           a branch code already added with ``admin branch add``
    officer          username of the officer to assign the borrower to (blank: unchanged)

loans (key: contract_no)
    contract_no*, borrower_code*, loan_type* (working_capital | fixed_asset |
    personal_business), amount_yuan* (> 0), disbursed_on*, matures_on* (after disbursed_on),
    classification* (normal | special_mention | substandard | doubtful | loss), purpose

collateral (key: code, the collateral register number 押品编号)
    code*, borrower_code*, loan_contract_no (a loan of the same borrower), kind* (property |
    equipment | warehouse_stock | receivables | deposit_pledge), description*, location,
    appraised_value_yuan*, pledged_value_yuan*, certificate_no

guarantors (key: contract_no, the guarantee contract number 保证合同编号)
    contract_no*, borrower_code*, name*, kind* (company | person), id_number, relation,
    guaranteed_amount_yuan

A borrower_code may name a borrower in the same import or one already at headquarters; a
record cannot be moved to another borrower by an import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    Industry,
    Labelled,
    LoanType,
)
from inspector_app.hq.admin import assign_borrower, officer_by_username
from inspector_app.hq.audit import audit
from inspector_app.hq.changes import lock_change_log, record_change
from inspector_app.hq.db import Database
from inspector_app.hq.models import Borrower, Branch, CollateralItem, Guarantor, Loan

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

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, parse: Parser, required: bool = False) -> Column:
    return Column(name, parse, required)


SPECS = {
    "borrowers": FileSpec("borrowers", "code", (
        _c("code", text(32), True), _c("name", text(200), True),
        _c("kind", choice(BorrowerKind), True), _c("industry", choice(Industry), True),
        _c("id_number", text(32), True), _c("legal_representative", text(100)),
        _c("address", text(300)), _c("phone", text(40)), _c("branch", text(32)),
        _c("officer", text(64)),
    )),
    "loans": FileSpec("loans", "contract_no", (
        _c("contract_no", text(64), True), _c("borrower_code", text(32), True),
        _c("loan_type", choice(LoanType), True), _c("amount_yuan", money, True),
        _c("disbursed_on", day, True), _c("matures_on", day, True),
        _c("classification", choice(Classification), True), _c("purpose", text(300)),
    )),
    "collateral": FileSpec("collateral", "code", (
        _c("code", text(64), True), _c("borrower_code", text(32), True),
        _c("loan_contract_no", text(64)), _c("kind", choice(CollateralKind), True),
        _c("description", text(300), True), _c("location", text(300)),
        _c("appraised_value_yuan", money, True), _c("pledged_value_yuan", money, True),
        _c("certificate_no", text(100)),
    )),
    "guarantors": FileSpec("guarantors", "contract_no", (
        _c("contract_no", text(64), True), _c("borrower_code", text(32), True),
        _c("name", text(200), True), _c("kind", choice(BorrowerKind), True),
        _c("id_number", text(32)), _c("relation", text(100)),
        _c("guaranteed_amount_yuan", money),
    )),
}


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


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    assigned: int = 0

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    def __str__(self) -> str:
        parts = [f"{k}: {self.created.get(k, 0)} new, {self.updated.get(k, 0)} updated, "
                 f"{self.unchanged.get(k, 0)} unchanged" for k in SPECS
                 if k in self.created or k in self.updated or k in self.unchanged]
        return "; ".join([*parts, f"assignments changed: {self.assigned}"])


# --- reading ----------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


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
    records = _records(content)
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
    if (spec.kind == "loans" and not problems
            and values["matures_on"] <= values["disbursed_on"]):
        problems.append("matures_on: must be after disbursed_on")
    if spec.kind == "loans" and not problems and values["amount_yuan"] == 0:
        problems.append("amount_yuan: must be above zero")
    return values, problems


# --- checking against the database and applying -----------------------------------------


@dataclass
class _Import:
    s: Session
    actor: str
    rejected: list[Rejected]
    summary: ImportSummary = field(default_factory=ImportSummary)
    # borrower code -> the borrower (stored or about to be created) it names
    borrowers: dict[str, Borrower] = field(default_factory=dict)
    refused_borrowers: set[str] = field(default_factory=set)

    def refuse(self, row: Row, reason: str) -> None:
        self.rejected.append(Rejected(row.file, row.line, reason))

    def borrower(self, row: Row) -> Borrower | None:
        code = row.values["borrower_code"]
        found = self.borrowers.get(code) or self.s.scalars(
            select(Borrower).where(Borrower.code == code)).first()
        if found is None and code in self.refused_borrowers:
            self.refuse(row, f"borrower_code: borrower {code!r} was refused (see its row)")
        elif found is None:
            self.refuse(row, f"borrower_code: no borrower {code!r} in this import or at "
                             "headquarters")
        return found

    def upsert(self, kind: str, model: Any, key_col: str, key: str, fields: dict[str, Any],
               borrower: Borrower | None = None) -> Any:
        rec = self.s.scalars(select(model).where(getattr(model, key_col) == key)).first()
        if rec is None:
            rec = model(**{key_col: key}, **fields)
            if borrower is not None:
                rec.borrower_id = borrower.id
            self.s.add(rec)
            self.summary.count(self.summary.created, kind)
        else:
            changed = {k: v for k, v in fields.items() if getattr(rec, k) != v}
            if not changed:
                self.summary.count(self.summary.unchanged, kind)
                return rec
            for k, v in changed.items():
                setattr(rec, k, v)
            self.summary.count(self.summary.updated, kind)
        self.s.flush()
        record_change(self.s, model_entity(model), rec.id, rec.version,
                      borrower_id=rec.id if model is Borrower else rec.borrower_id)
        return rec


def model_entity(model: Any) -> str:
    return {Borrower: "borrower", Loan: "loan", CollateralItem: "collateral_item",
            Guarantor: "guarantor"}[model]


def _check_owner(imp: _Import, row: Row, model: Any, key_col: str, what: str,
                 borrower: Borrower) -> bool:
    existing = imp.s.scalars(select(model).where(
        getattr(model, key_col) == row.values[key_col])).first()
    if existing is not None and existing.borrower_id != borrower.id:
        imp.refuse(row, f"{key_col}: {what} {row.values[key_col]!r} belongs to another "
                        "borrower; an import cannot move it")
        return False
    return True


def _borrowers(imp: _Import, rows: list[Row]) -> list[tuple[Borrower, str]]:
    branch_ids = dict(imp.s.execute(select(Branch.code, Branch.id)).all())
    to_assign = []
    for row in rows:
        v = row.values
        problems = []
        if v["branch"] and v["branch"] not in branch_ids:
            problems.append(f"branch: no branch {v['branch']!r}")
        officer = None
        if v["officer"]:
            officer = officer_by_username(imp.s, v["officer"])
            if officer is None:
                problems.append(f"officer: {v['officer']!r} is not an active officer")
        if problems:
            imp.refuse(row, "; ".join(problems))
            imp.refused_borrowers.add(v["code"])
            continue
        fields = {k: v[k] or "" for k in ("name", "kind", "industry", "id_number",
                                          "legal_representative", "address", "phone")}
        fields["branch_id"] = branch_ids.get(v["branch"]) if v["branch"] else None
        borrower = imp.upsert("borrowers", Borrower, "code", v["code"], fields)
        imp.borrowers[v["code"]] = borrower
        if officer is not None:
            to_assign.append((borrower, officer.username))
    return to_assign


def _loans(imp: _Import, rows: list[Row]) -> None:
    for row in rows:
        v = row.values
        borrower = imp.borrower(row)
        if borrower is None or not _check_owner(imp, row, Loan, "contract_no", "loan",
                                                borrower):
            continue
        imp.upsert("loans", Loan, "contract_no", v["contract_no"], {
            "loan_type": v["loan_type"], "amount_fen": v["amount_yuan"],
            "disbursed_on": v["disbursed_on"], "matures_on": v["matures_on"],
            "classification": v["classification"], "purpose": v["purpose"] or "",
        }, borrower)


def _collateral(imp: _Import, rows: list[Row]) -> None:
    for row in rows:
        v = row.values
        borrower = imp.borrower(row)
        if borrower is None or not _check_owner(imp, row, CollateralItem, "code",
                                                "collateral item", borrower):
            continue
        loan_id = None
        if v["loan_contract_no"]:
            loan = imp.s.scalars(select(Loan).where(
                Loan.contract_no == v["loan_contract_no"])).first()
            if loan is None or loan.borrower_id != borrower.id:
                imp.refuse(row, f"loan_contract_no: no loan {v['loan_contract_no']!r} of "
                                f"borrower {v['borrower_code']!r}")
                continue
            loan_id = loan.id
        imp.upsert("collateral", CollateralItem, "code", v["code"], {
            "loan_id": loan_id, "kind": v["kind"], "description": v["description"],
            "location": v["location"] or "", "appraised_value_fen": v["appraised_value_yuan"],
            "pledged_value_fen": v["pledged_value_yuan"],
            "certificate_no": v["certificate_no"] or "",
        }, borrower)


def _guarantors(imp: _Import, rows: list[Row]) -> None:
    for row in rows:
        v = row.values
        borrower = imp.borrower(row)
        if borrower is None or not _check_owner(imp, row, Guarantor, "contract_no",
                                                "guarantee", borrower):
            continue
        imp.upsert("guarantors", Guarantor, "contract_no", v["contract_no"], {
            "name": v["name"], "kind": v["kind"], "id_number": v["id_number"] or "",
            "relation": v["relation"] or "",
            "guaranteed_amount_fen": v["guaranteed_amount_yuan"] or 0,
        }, borrower)


def import_files(db: Database, files: dict[str, Path], actor: str) -> ImportSummary:
    """Import the given files ({"borrowers": path, ...}); ImportRejected if any row is bad."""
    rejected: list[Rejected] = []
    refused_keys: dict[str, set[str]] = {kind: set() for kind in files}
    parsed = {kind: read_file(SPECS[kind], path, rejected, refused_keys[kind])
              for kind, path in files.items()}
    with db.write() as s:
        lock_change_log(s)
        imp = _Import(s, actor, rejected)
        imp.refused_borrowers = refused_keys.get("borrowers", set())
        # Applied in dependency order; later files see the borrowers and loans of earlier
        # ones through the session. Refusals are collected, and raising at the end rolls
        # every write of this transaction back.
        to_assign = _borrowers(imp, parsed.get("borrowers", []))
        _loans(imp, parsed.get("loans", []))
        _collateral(imp, parsed.get("collateral", []))
        _guarantors(imp, parsed.get("guarantors", []))
        if rejected:
            rejected.sort(key=lambda r: (r.file, r.line))
            raise ImportRejected(rejected)
        for borrower, username in to_assign:
            officer = officer_by_username(s, username)
            assert officer is not None  # checked above, in this transaction
            if assign_borrower(s, borrower, officer, actor):
                imp.summary.assigned += 1
        audit(s, actor, "portfolio.import", "import", "-",
              files={k: str(p) for k, p in files.items()},
              created=imp.summary.created, updated=imp.summary.updated)
    return imp.summary
