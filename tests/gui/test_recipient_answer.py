"""The fund recipient's answer in the visit editor (#14 item 6): the officer types who
received the loan funds — a name, and the credit code and account when known — and the store
keeps one structured answer; a credit code with a wrong check character is explained and
nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from editor_support import SAVED_WITHIN_MS, Visit, focused, section, type_text, wait_ready
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from inspector_app.domain.enums import VisitKind
from inspector_app.domain.fund_recipient import parse_recipient
from inspector_app.gui import i18n
from inspector_app.gui.editor.recipient_input import RecipientInput
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.store.models import Borrower

USCC = "91350100M000100Y43"  # GB 32100's worked example: a valid check character


@pytest.fixture
def first_visit(portfolio) -> Visit:
    store = portfolio.store
    with store.read() as s:
        borrower = s.scalars(select(Borrower).where(Borrower.code == "C1003")).one()
        borrower_id, name = borrower.id, borrower.name
    started = store.start_visit(borrower_id, portfolio.officer, VisitKind.FIRST,
                                visit_date=portfolio.today(), place="合作社", people_met="")
    assert "fund_flow@1" in store.visit_header(started.id).template_refs
    return Visit(store, portfolio.officer, started.id, name)


@pytest.fixture
def editor(qtbot: QtBot, first_visit: Visit, portfolio) -> Iterator[VisitEditor]:
    window = VisitEditor(first_visit.store, first_visit.officer, first_visit.visit_id,
                         today=portfolio.today, page="section:fund_recipients")
    window.show()
    qtbot.waitUntil(lambda: window.loaded, timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    wait_ready(qtbot, window)
    yield window
    window.close()
    window.ctx.wait_for_saves()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def test_the_recipient_is_typed_in_its_three_fields_and_stored_as_one_answer(
        qtbot: QtBot, editor: VisitEditor, first_visit: Visit) -> None:
    i18n.install("zh_CN")
    row = section(editor, "fund_recipients").rows["FF-REC-01"]
    answer = row.input
    assert isinstance(answer, RecipientInput)
    row.focus_answer()
    assert focused() is answer.name_edit
    type_text(qtbot, "苏州 恒信贸易有限公司")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # on to the credit code
    assert focused() is answer.uscc_edit
    type_text(qtbot, USCC.lower())
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, "6222 0212 3456")

    def stored() -> str | None:
        value = first_visit.value("FF-REC-01")
        return None if value is None else str(value)

    qtbot.waitUntil(lambda: stored() is not None and "6222" in stored(),
                    timeout=SAVED_WITHIN_MS + 1000)
    recipient = parse_recipient(stored() or "")
    assert (recipient.name, recipient.uscc, recipient.account) == (
        "苏州 恒信贸易有限公司", USCC, "622202123456")
    assert not row.error.isVisible()


def test_a_wrong_credit_code_is_explained_and_nothing_is_stored(
        qtbot: QtBot, editor: VisitEditor, first_visit: Visit) -> None:
    i18n.install("en")
    row = section(editor, "fund_recipients").rows["FF-REC-02"]
    answer = row.input
    assert isinstance(answer, RecipientInput)
    answer.name_edit.setFocus()
    type_text(qtbot, "Hengxin Trading")
    answer.uscc_edit.setFocus()
    type_text(qtbot, USCC[:-1] + "4")  # the last character is the check: wrong
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # leaving the field hands it over at once

    assert row.error.isVisible()
    assert row.error.text() == "the unified social credit code's check character is wrong"
    assert editor.ctx.wait_for_saves()
    # The name alone went in when the officer left its field; the bad code never did.
    held = parse_recipient(str(first_visit.value("FF-REC-02")))
    assert (held.name, held.uscc) == ("Hengxin Trading", "")

    answer.uscc_edit.setFocus()
    answer.uscc_edit.selectAll()
    type_text(qtbot, USCC)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: USCC in str(first_visit.value("FF-REC-02")),
                    timeout=SAVED_WITHIN_MS)
    assert not row.error.isVisible()
