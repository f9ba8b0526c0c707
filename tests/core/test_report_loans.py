"""The report's 贷款明细: each loan's balance, days past due and 欠息 as the core system's
extract gave them, the extract's date, and the marks for 展期/借新还旧/重组 (demo loans)."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from inspector_app.common.paths import database_path
from inspector_app.demo.build import build_demo
from inspector_app.reports.data import load_report_data
from inspector_app.reports.pdf import render_report
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Loan, Visit

TODAY = date(2026, 11, 20)


@dataclass(frozen=True)
class Demo:
    store: LocalStore
    folder: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, _migrated_db: Path) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("loans")
    (root / "data").mkdir()
    shutil.copyfile(_migrated_db, database_path(root / "data"))
    build_demo(root / "data", today=TODAY)
    store = LocalStore.open(root / "data")
    yield Demo(store, root)
    store.close()


def report_text(demo: Demo, loan_where: object, lang: str) -> tuple[Loan, str]:
    """The loan found, and the whole text (whitespace taken out) of the report of a visit to
    its borrower."""
    with demo.store.read() as s:
        loan = s.scalars(select(Loan).where(loan_where)).one()
        visit_id = s.scalars(select(Visit.id).where(Visit.borrower_id == loan.borrower_id)
                             .order_by(Visit.visit_date.desc())).first()
    assert visit_id is not None
    out = demo.folder / f"{loan.contract_no}-{lang}.pdf"
    render_report(load_report_data(demo.store, visit_id, lang), demo.store.photos, out)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    return loan, re.sub(r"\s+", "", text)


def yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def test_an_overdue_loan_shows_its_balance_days_past_due_and_arrears(demo: Demo) -> None:
    loan, text = report_text(demo, Loan.days_past_due == 95, "zh")
    assert "贷款明细（还款数据截至2026-11-19）" in text
    for head in ("余额（元）", "逾期天数", "欠息（元）"):
        assert head in text, head
    # The loan's line, cell after cell: amount, balance, dates, days past due, 欠息.
    line = (f"{yuan(loan.amount_fen)}{yuan(loan.outstanding_fen)}"
            f"{loan.disbursed_on.isoformat()}{loan.matures_on.isoformat()}95"
            f"{yuan(loan.arrears_interest_fen)}")
    assert line in text
    assert loan.contract_no in text and loan.arrears_interest_fen > 0


@pytest.mark.parametrize(("flag", "zh", "en"), [
    ("rescheduled", "展期", "Rescheduled"), ("refinanced", "借新还旧", "Refinanced"),
    ("restructured", "重组2026-10-05", "Restructured2026-10-05"),
])
def test_rescheduled_refinanced_and_restructured_loans_are_marked(
        demo: Demo, flag: str, zh: str, en: str) -> None:
    loan, text = report_text(demo, getattr(Loan, flag).is_(True), "zh")
    assert loan.contract_no + loan.loan_type.zh + zh in text
    _loan, text = report_text(demo, getattr(Loan, flag).is_(True), "en")
    assert loan.contract_no + loan.loan_type.en.replace(" ", "") + en in text
    assert "Loans(repaymentdataasof2026-11-19)" in text
    assert "Dayspastdue" in text and "Interestarrears(CNY)" in text
