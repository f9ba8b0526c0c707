"""The work list answers: its numbers agree with the list and narrow it when clicked, an empty
search says so, pinyin finds borrowers, a draft in progress is marked, and each borrower's
loans and last visit show."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    Industry,
    LoanType,
    VisitKind,
    VisitStatus,
)
from inspector_app.gui import i18n
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.store.models import Borrower, Loan, Visit

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn


def codes(window: MainWindow) -> list[str]:
    return [window.model.row_at(r).code for r in range(window.model.rowCount())]


def cell(window: MainWindow, code: str, column: Column) -> str:
    row = codes(window).index(code)
    return str(window.model.index(row, column).data())


def status_bar_texts(window: MainWindow) -> list[str]:
    return [label.text() for label in window.ui.statusBar.findChildren(QLabel)
            if label.isVisible()]


def click(qtbot: QtBot, window: MainWindow, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.loading)


def test_the_numbers_agree_with_the_list_and_narrow_it(
    qtbot: QtBot, sign_in: SignIn
) -> None:
    i18n.install("zh_CN")
    window = sign_in("zhang")  # the team's five borrowers: two overdue, one due this week
    bar = window.counts_bar
    qtbot.waitUntil(lambda: bar.overdue.text() == "逾期：2")
    assert len(codes(window)) == 5

    click(qtbot, window, bar.overdue)
    assert codes(window) == ["C1002", "C2001"]  # as many as the chip says, and only those
    assert all("逾期" in cell(window, code, Column.NEXT_DUE) for code in codes(window))
    assert bar.overdue.isChecked()

    click(qtbot, window, bar.due_week)  # one chip at a time
    assert codes(window) == ["C1003"]
    assert bar.due_week.text() == "本周到期：1"
    assert not bar.overdue.isChecked()

    click(qtbot, window, bar.due_week)  # pressed again: the whole list
    assert len(codes(window)) == 5

    # A search narrows the list; nothing on screen then calls a different number "overdue"
    # (the status bar used to count the shown rows: 逾期：0 beside the chip's 逾期：2).
    qtbot.keyClicks(window.ui.searchEdit, "C1004")
    qtbot.waitUntil(lambda: codes(window) == ["C1004"])
    assert bar.overdue.text() == "逾期：2"
    overdue_texts = [t for t in status_bar_texts(window) if "逾期" in t]
    assert all(t == bar.overdue.text() for t in overdue_texts), overdue_texts


def test_the_awaiting_review_chip_is_the_review_filter(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    store = portfolio.store
    c1004 = next(r for r in store.work_list() if r.code == "C1004")
    with store.write() as s:  # a team member's visit, as sync brings it: submitted
        s.add(Visit(borrower_id=c1004.borrower_id, officer_id=portfolio.officer.id,
                    kind=VisitKind.ROUTINE, status=VisitStatus.SUBMITTED,
                    template_code="routine", template_version=1,
                    template_refs=["routine@1"], visit_date=portfolio.today()))
    i18n.install("en")
    window = sign_in("zhang")
    bar = window.counts_bar
    qtbot.waitUntil(lambda: bar.awaiting.text() == "Awaiting review: 1")

    click(qtbot, window, bar.awaiting)
    assert codes(window) == ["C1004"]
    assert window.filters.review_check.isChecked()
    click(qtbot, window, bar.overdue)  # one chip at a time: the check box follows
    assert not window.filters.review_check.isChecked()
    assert codes(window) == ["C1002", "C2001"]
    click(qtbot, window, window.filters.review_check)  # ticked beside: its chip takes over
    assert bar.awaiting.isChecked() and not bar.overdue.isChecked()
    assert codes(window) == ["C1004"]
    click(qtbot, window, window.filters.review_check)  # unticked beside: the chip lets go
    assert not bar.awaiting.isChecked()
    assert len(codes(window)) == 5


def test_a_search_without_a_match_says_so(qtbot: QtBot, sign_in: SignIn) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    note = window.no_match
    assert not note.isVisible()

    qtbot.keyClicks(window.ui.searchEdit, "xyz999")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and not window.loading)
    assert note.isVisible()
    assert "没有与“xyz999”匹配的借款人" in note.label.text()
    assert note.clear_button.isVisible()

    i18n.install("en")
    assert note.label.text().startswith("No borrower matches “xyz999”.")
    click(qtbot, window, note.clear_button)
    assert window.ui.searchEdit.text() == ""
    assert len(codes(window)) == 4
    assert not note.isVisible()

    # Narrowed by a filter alone, it says that instead.
    combo = window.filters.class_combo
    combo.setCurrentIndex(combo.findData(Classification.DOUBTFUL))
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and not window.loading)
    assert note.label.text() == "No borrower matches the chosen filters."
    click(qtbot, window, note.clear_button)
    assert combo.currentIndex() == 0 and len(codes(window)) == 4


def test_pinyin_and_its_initials_find_borrowers(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    with portfolio.store.write() as s:
        s.add(Borrower(
            code="C1005", name="浙江德炎水产贸易有限公司", kind=BorrowerKind.COMPANY,
            industry=Industry.WHOLESALE_TRADE, id_number="91330100C1005",
            officer_id=portfolio.officer.id, next_due_on=portfolio.today() + timedelta(days=20),
            next_due_kind=VisitKind.ROUTINE,
        ))
    i18n.install("zh_CN")
    window = sign_in("wang")
    search = window.ui.searchEdit

    for typed, found in (("zjdy", ["C1005"]), ("ZheJiang De", ["C1005"]),
                         ("hdjm", ["C1002"]), ("chenjianguo", ["C1004"]), ("cjg", ["C1004"])):
        search.clear()
        qtbot.keyClicks(search, typed)
        qtbot.waitUntil(lambda f=found: codes(window) == f and not window.loading)


def test_a_draft_in_progress_is_marked(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    assert all(cell(window, code, Column.PROGRESS) == "" for code in codes(window))
    c1003 = next(r for r in portfolio.store.work_list() if r.code == "C1003")
    portfolio.store.start_visit(c1003.borrower_id, portfolio.officer, VisitKind.FIRST,
                                visit_date=portfolio.today())
    window.reload()
    qtbot.waitUntil(lambda: cell(window, "C1003", Column.PROGRESS) == "草稿进行中")
    assert [c for c in codes(window) if cell(window, c, Column.PROGRESS)] == ["C1003"]

    # The unsigned chip shows the borrowers whose visits wait to be signed.
    bar = window.counts_bar
    qtbot.waitUntil(lambda: bar.unsigned.text() == "未签署：1")
    click(qtbot, window, bar.unsigned)
    assert codes(window) == ["C1003"]
    i18n.install("en")
    assert cell(window, "C1003", Column.PROGRESS) == "Draft in progress"


def test_outstanding_balance_and_last_visit_columns(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio
) -> None:
    store = portfolio.store
    borrowers = {r.code: r.borrower_id for r in store.work_list()}
    today = portfolio.today()
    with store.write() as s:
        for n, owed_fen in enumerate((1_250_000_00, 300_000_00)):  # as an extract brings them
            s.add(Loan(borrower_id=borrowers["C1002"], contract_no=f"L-{n}",
                       loan_type=LoanType.WORKING_CAPITAL, amount_fen=2_000_000_00,
                       disbursed_on=today - timedelta(days=200),
                       matures_on=today + timedelta(days=165),
                       classification=Classification.SPECIAL_MENTION,
                       outstanding_fen=owed_fen, repayment_as_of=today))
        for code, days_ago, status in (
            ("C1002", 100, VisitStatus.APPROVED), ("C1002", 40, VisitStatus.SIGNED),
            ("C1002", 2, VisitStatus.DRAFT),  # a draft is no visit on record
            ("C1004", 1, VisitStatus.COMPLETED),
        ):
            s.add(Visit(borrower_id=borrowers[code], officer_id=portfolio.officer.id,
                        kind=VisitKind.ROUTINE, status=status, template_code="routine",
                        template_version=1, template_refs=["routine@1"],
                        visit_date=today - timedelta(days=days_ago)))
    i18n.install("zh_CN")
    window = sign_in("wang")
    headers = [window.model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert "贷款余额" in headers and "上次检查" in headers
    assert cell(window, "C1002", Column.OUTSTANDING) == "155.00 万"
    assert cell(window, "C1002", Column.LAST_VISIT) == "2025-01-29"
    assert cell(window, "C1002", Column.PROGRESS) == "草稿进行中"
    assert cell(window, "C1004", Column.PROGRESS) == "已完成，待签署"
    assert cell(window, "C1004", Column.LAST_VISIT) == "2025-03-09"  # completed: on record
    # No repayment data yet: a dash, and the tooltip says why; no visit on record: nothing.
    assert cell(window, "C1001", Column.OUTSTANDING) == "—"
    assert cell(window, "C1001", Column.LAST_VISIT) == ""
    owed = window.model.index(codes(window).index("C1002"), Column.OUTSTANDING)
    assert owed.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    # An officer's own name on every row says nothing: that column is a supervisor's.
    assert window.ui.portfolioView.isColumnHidden(Column.OFFICER)

    i18n.install("en")
    assert cell(window, "C1002", Column.OUTSTANDING) == "1,550,000"
    assert window.model.headerData(Column.LAST_VISIT, Qt.Orientation.Horizontal) == "Last visit"


def test_the_not_synced_number_opens_the_sync(qtbot: QtBot, sign_in: SignIn) -> None:
    i18n.install("en")
    window = sign_in("wang")
    assert window.sync_dialog is None
    qtbot.mouseClick(window.counts_bar.unsynced, Qt.MouseButton.LeftButton)
    dialog = window.sync_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.close()
