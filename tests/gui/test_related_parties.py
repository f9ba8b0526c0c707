"""Related parties on the work list and the brief (#14 item 6): the officer visiting B sees
that A, linked to B at headquarters, has a red signal — on B's row and at the top of B's
brief — whether headquarters said so at the last sync or A's red signal was raised on this
very laptop since."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from brief_support import double_click_row
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector_app.domain.enums import (
    RelationKind,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from inspector_app.gui import i18n
from inspector_app.gui.worklist.brief_dialog import BriefDialog
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, RelatedParty, RiskSignal

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn


def borrower_id(store: LocalStore, code: str) -> str:
    with store.read() as s:
        return s.query(Borrower).filter_by(code=code).one().id


def link(store: LocalStore, code: str, party: str, party_code: str, *, red: int = 0,
         orange: int = 0, party_id: str | None = None,
         kind: RelationKind = RelationKind.SAME_CONTROLLER) -> None:
    """A link as a pull stores it (sync.pull applies borrower_link changes to this table)."""
    with store.write() as s:
        s.add(RelatedParty(borrower_id=borrower_id(store, code), kind=kind, party_id=party_id,
                           party_code=party_code, party_name=party, note="实际控制人 王建国",
                           party_red_signals=red, party_orange_signals=orange))


def row_of(window, code: str) -> int:
    model = window.model
    return next(r for r in range(model.rowCount()) if model.row_at(r).code == code)


def test_a_red_signal_of_a_related_party_shows_on_the_row_and_the_brief(
        qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio) -> None:
    store = portfolio.store
    link(store, "C1001", "苏州巨源油业有限公司", "C9001", red=1)
    link(store, "C1003", "南京德炎水产有限公司", "C9002")  # linked, nothing open: no notice
    i18n.install("zh_CN")
    window = sign_in("wang")
    model = window.model

    row = row_of(window, "C1001")
    assert model.text(row, Column.PROGRESS) == "关联方 苏州巨源油业有限公司 有红色预警"
    tip = model.data(model.index(row, Column.PROGRESS), Qt.ItemDataRole.ToolTipRole)
    assert "苏州巨源油业有限公司" in tip
    colour = model.data(model.index(row, Column.PROGRESS), Qt.ItemDataRole.ForegroundRole)
    assert colour.color().name() == "#b71c1c"
    assert model.text(row_of(window, "C1003"), Column.PROGRESS) == ""
    # What the officer sees on screen: the cell's text in the view.
    view = window.ui.portfolioView
    assert view.model().index(row, Column.PROGRESS).data() == model.text(row, Column.PROGRESS)

    double_click_row(qtbot, window, "C1001")
    dialog = window.findChild(BriefDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.brief is not None)
    text = dialog.view.toPlainText()
    assert "■ 关联方 苏州巨源油业有限公司 有红色预警" in text
    assert "关联方" in text and "同一实际控制人" in text and "实际控制人 王建国" in text
    # Said before the borrower's facts, where the eye starts.
    assert text.index("有红色预警") < text.index("客户编号")


def test_a_red_signal_raised_here_on_the_party_shows_before_any_sync(
        qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio) -> None:
    store = portfolio.store
    party = borrower_id(store, "C1004")  # the officer's own borrower, no signal known at HQ
    link(store, "C1001", "陈建国", "C1004", party_id=party)
    link(store, "C1004", "宏达房地产开发有限公司", "C1001", party_id=borrower_id(store, "C1001"))
    with store.write() as s:
        s.add(RiskSignal(borrower_id=party, category=SignalCategory.GOVERNANCE,
                         severity=Severity.ORANGE, source=SignalSource.OFFICER,
                         title="实际控制人涉诉", status=SignalStatus.RAISED,
                         raised_on=date(2024, 12, 2)))
    i18n.install("en")
    window = sign_in("wang")
    model = window.model
    assert model.text(row_of(window, "C1001"), Column.PROGRESS) == \
        "Related party 陈建国 has an orange signal"
    # The link the other way: C1001 has no signal, so C1004's row says nothing of it.
    assert model.text(row_of(window, "C1004"), Column.PROGRESS) == ""
