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

repayment (key: contract_no; the core-banking system's daily extract of the loans' repayment
position, domain.repayment says what each figure is)
    contract_no*     a loan in the same import or already at headquarters
    as_of*           the extract's date: not before the loan's disbursement, nor older than
                     the repayment data headquarters holds for the loan
    outstanding_yuan* at most the loan's amount
    overdue_principal_yuan (at most outstanding_yuan), overdue_interest_yuan,
    arrears_interest_yuan (欠息), days_past_due (0: current; above 0 only with an amount past
    due, and at most the days since disbursement; an amount past due needs it above 0)
    rescheduled, refinanced, restructured: Y or N (also yes/no, 1/0, 是/否; blank: N)
    restructured_on  required with restructured Y (its observation period starts there)
    Blank amounts and days are 0. A loan the file leaves out keeps the data it had.

links (borrower_code*, party_code*, kind*, note): borrowers linked by the same actual
    controller, a mutual guarantee or as related companies; hq/link_import.py says more.

A borrower_code may name a borrower in the same import or one already at headquarters; a
record cannot be moved to another borrower by an import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    Industry,
    LoanType,
)
from inspector_app.hq.admin import assign_borrower, officer_by_username
from inspector_app.hq.audit import audit
from inspector_app.hq.changes import lock_change_log, record_change
from inspector_app.hq.csv_reading import (
    Column,
    FileSpec,
    ImportRejected,
    Parser,
    Rejected,
    Row,
    choice,
    day,
    flag,
    money,
    read_file,
    text,
    whole_number,
)
from inspector_app.hq.db import Database
from inspector_app.hq.due_cache import borrower_classes, mark_stale, record_moves
from inspector_app.hq.link_import import LINKS, import_links
from inspector_app.hq.models import Borrower, Branch, CollateralItem, Guarantor, Loan

__all__ = ["SPECS", "ImportRejected", "ImportSummary", "import_files"]

# A day count no core system would report (a century): a typo, not a loan.
MAX_DAYS = 36_500
# Contract numbers per query when the repayment rows' loans are read.
_CHUNK = 500


def _c(name: str, parse: Parser, required: bool = False) -> Column:
    return Column(name, parse, required)


def _loan_problems(v: dict[str, Any]) -> list[str]:
    problems = []
    if v["matures_on"] <= v["disbursed_on"]:
        problems.append("matures_on: must be after disbursed_on")
    if v["amount_yuan"] == 0:
        problems.append("amount_yuan: must be above zero")
    return problems


def _repayment_problems(v: dict[str, Any]) -> list[str]:
    """What a repayment row's own cells contradict (blank amounts and days are 0, blank flags
    N); what it contradicts of the loan is checked against the loan (_repayment)."""
    problems = []
    overdue = (v["overdue_principal_yuan"] or 0) + (v["overdue_interest_yuan"] or 0)
    days = v["days_past_due"] or 0
    if (v["overdue_principal_yuan"] or 0) > v["outstanding_yuan"]:
        problems.append("overdue_principal_yuan: above outstanding_yuan")
    if overdue and not days:
        problems.append("days_past_due: 0, but overdue_principal_yuan or "
                        "overdue_interest_yuan is not (an amount past due makes the loan "
                        "overdue)")
    if days and not overdue and not v["arrears_interest_yuan"]:
        problems.append(f"days_past_due: {days}, but nothing is past due (overdue_principal_"
                        "yuan, overdue_interest_yuan and arrears_interest_yuan are 0)")
    on = v["restructured_on"]
    if v["restructured"] and on is None:
        problems.append("restructured_on: required when restructured is Y (its observation "
                        "period starts there)")
    if on is not None and not v["restructured"]:
        problems.append("restructured_on: given, but restructured is not Y")
    if on is not None and on > v["as_of"]:
        problems.append("restructured_on: after as_of")
    return problems


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
    ), check=_loan_problems),
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
    "links": LINKS,
    "repayment": FileSpec("repayment", "contract_no", (
        _c("contract_no", text(64), True), _c("as_of", day, True),
        _c("outstanding_yuan", money, True), _c("overdue_principal_yuan", money),
        _c("overdue_interest_yuan", money), _c("days_past_due", whole_number(MAX_DAYS)),
        _c("arrears_interest_yuan", money), _c("rescheduled", flag), _c("refinanced", flag),
        _c("restructured", flag), _c("restructured_on", day),
    ), check=_repayment_problems),
}


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
    refused_loans: set[str] = field(default_factory=set)  # contract numbers
    touched: set[str] = field(default_factory=set)  # borrowers whose loans changed

    def refuse(self, row: Row, reason: str) -> None:
        self.rejected.append(Rejected(row.file, row.line, reason))

    def borrower(self, row: Row, column: str = "borrower_code") -> Borrower | None:
        code = row.values[column]
        found = self.borrowers.get(code) or self.s.scalars(
            select(Borrower).where(Borrower.code == code)).first()
        if found is None and code in self.refused_borrowers:
            self.refuse(row, f"{column}: borrower {code!r} was refused (see its row)")
        elif found is None:
            self.refuse(row, f"{column}: no borrower {code!r} in this import or at "
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
            imp.refused_loans.add(v["contract_no"])
            continue
        imp.touched.add(borrower.id)
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


def _repayment(imp: _Import, rows: list[Row]) -> None:
    loans = _loans_by_contract(imp.s, [row.values["contract_no"] for row in rows])
    changed: list[Loan] = []
    for row in rows:
        v = row.values
        loan = loans.get(v["contract_no"])
        if loan is None:
            imp.refuse(row, f"contract_no: loan {v['contract_no']!r} was refused (see its row)"
                       if v["contract_no"] in imp.refused_loans else
                       f"contract_no: no loan {v['contract_no']!r} in this import or at "
                       "headquarters")
            continue
        problems = _against_loan(v, loan)
        if problems:
            imp.refuse(row, "; ".join(problems))
            continue
        fields = {
            "outstanding_fen": v["outstanding_yuan"],
            "overdue_principal_fen": v["overdue_principal_yuan"] or 0,
            "overdue_interest_fen": v["overdue_interest_yuan"] or 0,
            "days_past_due": v["days_past_due"] or 0,
            "arrears_interest_fen": v["arrears_interest_yuan"] or 0,
            "rescheduled": bool(v["rescheduled"]), "refinanced": bool(v["refinanced"]),
            "restructured": bool(v["restructured"]), "restructured_on": v["restructured_on"],
            "repayment_as_of": v["as_of"],
        }
        news = {k: x for k, x in fields.items() if getattr(loan, k) != x}
        if not news:
            imp.summary.count(imp.summary.unchanged, "repayment")
            continue
        for k, x in news.items():
            setattr(loan, k, x)
        imp.summary.count(imp.summary.updated, "repayment")
        changed.append(loan)
    # One flush for the whole extract (a daily file covers every loan), then each new
    # version goes in the change log for the devices to pull.
    imp.s.flush()
    for loan in changed:
        record_change(imp.s, "loan", loan.id, loan.version, borrower_id=loan.borrower_id)
        imp.touched.add(loan.borrower_id)


def _borrower_ids(imp: _Import, rows: list[Row]) -> list[str]:
    """The stored borrowers the loan rows name (a new one has no classification before)."""
    codes = sorted({row.values["borrower_code"] for row in rows})
    found: list[str] = []
    for start in range(0, len(codes), _CHUNK):
        found += imp.s.scalars(select(Borrower.id).where(
            Borrower.code.in_(codes[start:start + _CHUNK])))
    return found


def _loans_by_contract(s: Session, contract_nos: Iterable[str]) -> dict[str, Loan]:
    wanted = sorted(set(contract_nos))
    found: dict[str, Loan] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        found.update((loan.contract_no, loan) for loan in s.scalars(
            select(Loan).where(Loan.contract_no.in_(chunk))))
    return found


def _against_loan(v: dict[str, Any], loan: Loan) -> list[str]:
    """What a repayment row contradicts of its loan and of the data already held."""
    as_of: date = v["as_of"]
    problems = []
    if as_of < loan.disbursed_on:
        problems.append(f"as_of: {as_of} is before the loan was disbursed "
                        f"({loan.disbursed_on})")
    elif (v["days_past_due"] or 0) > (as_of - loan.disbursed_on).days:
        problems.append(f"days_past_due: more than the {(as_of - loan.disbursed_on).days} "
                        f"days since the loan was disbursed ({loan.disbursed_on})")
    if loan.repayment_as_of is not None and as_of < loan.repayment_as_of:
        problems.append(f"as_of: {as_of} is older than the repayment data headquarters holds "
                        f"for the loan ({loan.repayment_as_of})")
    if v["outstanding_yuan"] > loan.amount_fen:
        problems.append(f"outstanding_yuan: above the loan's amount "
                        f"({loan.amount_fen // 100:,}.{loan.amount_fen % 100:02d})")
    return problems


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
        imp.refused_loans = refused_keys.get("loans", set())
        # Applied in dependency order; later files see the borrowers and loans of earlier
        # ones through the session. Refusals are collected, and raising at the end rolls
        # every write of this transaction back.
        to_assign = _borrowers(imp, parsed.get("borrowers", []))
        # Each borrower's classification before its loans change: a change is a move the
        # dashboard's migration matrix counts, on the day of this import.
        before = borrower_classes(s, _borrower_ids(imp, parsed.get("loans", [])))
        _loans(imp, parsed.get("loans", []))
        _collateral(imp, parsed.get("collateral", []))
        _guarantors(imp, parsed.get("guarantors", []))
        _repayment(imp, parsed.get("repayment", []))
        links = import_links(s, parsed.get("links", []), imp.borrower, imp.refuse)
        for bucket, n in ((imp.summary.created, links.created),
                          (imp.summary.updated, links.updated),
                          (imp.summary.unchanged, links.unchanged)):
            if n:
                bucket["links"] = n
        if rejected:
            rejected.sort(key=lambda r: (r.file, r.line))
            raise ImportRejected(rejected)
        for borrower, username in to_assign:
            officer = officer_by_username(s, username)
            assert officer is not None  # checked above, in this transaction
            if assign_borrower(s, borrower, officer, actor):
                imp.summary.assigned += 1
        s.flush()
        record_moves(s, before, date.today())
        mark_stale(s, {b.id for b in imp.borrowers.values()} | imp.touched)
        audit(s, actor, "portfolio.import", "import", "-",
              files={k: str(p) for k, p in files.items()},
              created=imp.summary.created, updated=imp.summary.updated)
    return imp.summary
