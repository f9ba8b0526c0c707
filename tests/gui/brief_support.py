"""A fuller file for one borrower of the GUI portfolio (C1002): loans, collateral, a guarantor,
a completed visit with an abnormal answer and measures, and an open signal."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    CollateralStatus,
    LoanType,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Borrower,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Guarantor,
    Loan,
    RiskSignal,
    RiskSignalStep,
    User,
    Visit,
)

ADDRESS = "江苏省苏州市工业园区星湖街 88 号"


def fill_borrower_file(store: LocalStore, officer: User, code: str = "C1002") -> str:
    """Give the borrower a file worth a brief; returns its id."""
    with store.write() as s:
        b = s.query(Borrower).filter_by(code=code).one()
        b.address = ADDRESS
        b.legal_representative = "赵刚"
        s.add_all([
            Loan(borrower_id=b.id, contract_no="2024固借字第0001号",
                 loan_type=LoanType.FIXED_ASSET, amount_fen=3_000_000_00,
                 disbursed_on=date(2024, 5, 1), matures_on=date(2029, 5, 1),
                 classification=Classification.SPECIAL_MENTION, purpose="新建厂房"),
            Loan(borrower_id=b.id, contract_no="2024流借字第0002号",
                 loan_type=LoanType.WORKING_CAPITAL, amount_fen=500_000_00,
                 disbursed_on=date(2024, 6, 1), matures_on=date(2025, 6, 1),
                 classification=Classification.NORMAL, purpose="采购钢材"),
            Guarantor(borrower_id=b.id, name="华东控股集团", kind=BorrowerKind.COMPANY,
                      relation="母公司", guaranteed_amount_fen=1_000_000_00),
        ])
        stock = CollateralItem(borrower_id=b.id, kind=CollateralKind.WAREHOUSE_STOCK,
                               description="钢材库存约 300 吨", location="2 号仓库",
                               appraised_value_fen=800_000_00, pledged_value_fen=500_000_00)
        s.add(stock)
        last = Visit(borrower_id=b.id, officer_id=officer.id, kind=VisitKind.ROUTINE,
                     status=VisitStatus.COMPLETED, template_code="routine", template_version=1,
                     template_refs=["routine@1"], visit_date=date(2024, 12, 2),
                     measures="督促企业补足保证金",
                     final_classification=Classification.SPECIAL_MENTION)
        s.add(last)
        s.flush()
        s.add_all([
            ChecklistAnswer(visit_id=last.id, item_code="R-WIL-01", value="no",
                            note="十一月利息逾期三天"),
            CollateralObservation(visit_id=last.id, collateral_item_id=stock.id,
                                  status=CollateralStatus.NOT_FOUND),
        ])
        signal = RiskSignal(borrower_id=b.id, category=SignalCategory.COLLATERAL,
                            severity=Severity.RED, source=SignalSource.COLLATERAL,
                            title="质押存货未找到", status=SignalStatus.RAISED,
                            raised_on=date(2024, 12, 2))
        s.add(signal)
        s.flush()
        s.add(RiskSignalStep(signal_id=signal.id, step=SignalStatus.RAISED, user_id=officer.id,
                             at=datetime(2024, 12, 2, 3, tzinfo=UTC)))
        return b.id


def select_row(window: MainWindow, code: str) -> None:
    model, view = window.model, window.ui.portfolioView
    row = next(r for r in range(model.rowCount()) if model.row_at(r).code == code)
    view.setCurrentIndex(model.index(row, Column.NAME))


def double_click_row(qtbot: QtBot, window: MainWindow, code: str) -> None:
    """Double-click the borrower's name, as the officer does."""
    select_row(window, code)
    view = window.ui.portfolioView
    rect = view.visualRect(view.currentIndex())
    # A real double-click is press, release, then the double-click event; the view acts on
    # the second only if the first pressed the same row.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
