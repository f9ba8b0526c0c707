"""Revising a returned visit without going through the visits window: from the borrower's
pre-visit brief (which says "已退回：N 条意见") and from the work list's row menu. Either way
the new draft opens on the supervisor's comments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from test_screens import save, texts_fit
from visit_helpers import normal_answer

from inspector_app.domain.enums import VisitKind, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.worklist.brief_dialog import BriefDialog
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn

CODE = "C1002"
WAIT_MS = 5000


@pytest.fixture
def returned(portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch) -> str:
    """A visit of C1002's, submitted and returned by the supervisor with two item comments."""
    monkeypatch.setattr(LocalStore, "_require_complete", lambda self, s, v: None)
    store, officer = portfolio.store, portfolio.officer
    with store.read() as s:
        borrower_id = s.scalars(select(Borrower.id).where(Borrower.code == CODE)).one()
    visit = store.start_visit(borrower_id, officer, VisitKind.SPECIAL,
                              visit_date=portfolio.today(), place="车间")
    items = list(store.visit_checklist(visit.id).items())[:2]
    for item in items:
        store.set_answer(visit.id, officer, item.code, normal_answer(item))
    for status in (VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED):
        store.transition(visit.id, officer, status)
    for code in (item.code for item in items):
        store.set_review_comment(visit.id, portfolio.supervisor, "answer", code, "请补充说明")
    store.return_visit(visit.id, portfolio.supervisor, "请按意见修改")
    return visit.id


@pytest.fixture(autouse=True)
def _editors_done() -> Iterator[None]:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, VisitEditor):
            widget.close()
            widget.ctx.wait_for_saves()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def row_of(window: MainWindow, code: str) -> int:
    model = window.model
    return next(r for r in range(model.rowCount()) if model.row_at(r).code == code)


def opened_revision(qtbot: QtBot, window: MainWindow, returned: str) -> VisitEditor:
    """The editor the main window opened for the new draft, once it shows its page."""
    qtbot.waitUntil(lambda: any(v != returned for v in window.visit_editors), timeout=WAIT_MS)
    [(new_id, editor)] = [(v, e) for v, e in window.visit_editors.items() if v != returned]
    assert isinstance(editor, VisitEditor)
    qtbot.waitUntil(lambda: editor.loaded, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: editor.ctx.item_comments.ready, timeout=WAIT_MS)
    comments = editor.page("comments")
    assert comments is not None
    qtbot.waitUntil(lambda: editor.current_page() is comments, timeout=WAIT_MS)
    assert not editor.read_only  # the new revision is a draft
    assert editor.ctx.visit_id == new_id
    return editor


def test_the_brief_says_the_visit_was_returned_and_revises_it(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, returned: str
) -> None:
    i18n.install("zh_CN")
    window = sign_in("wang")
    view = window.ui.portfolioView
    view.setCurrentIndex(window.model.index(row_of(window, CODE), 0))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)  # opens the brief
    qtbot.waitUntil(lambda: window.findChild(BriefDialog) is not None, timeout=WAIT_MS)
    brief = window.findChild(BriefDialog)
    qtbot.waitUntil(lambda: brief.brief is not None, timeout=WAIT_MS)

    assert brief.brief.returned_visit_id == returned and brief.brief.returned_comments == 2
    assert "已退回：2 条意见" in brief.view.toPlainText()
    assert brief.revise_button.isVisible() and brief.revise_button.text() == "修订(&R)…"
    assert texts_fit(brief) == []
    save(brief, "brief_returned_zh_CN")
    i18n.install("en")
    assert "Returned: 2 comments" in brief.view.toPlainText()
    assert brief.revise_button.text() == "&Revise…"

    qtbot.mouseClick(brief.revise_button, Qt.MouseButton.LeftButton)
    dialog = brief.revise.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # a reason is required
    dialog.reason_edit.setPlainText("按主管意见补充")  # (keyClicks types ASCII only)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    editor = opened_revision(qtbot, window, returned)
    # The supervisor's two comments, at their items.
    assert len(editor.ctx.item_comments.comments()) == 2
    # The editor took over: the brief closed (and, deleted on close, is gone).
    qtbot.waitUntil(lambda: not shiboken6.isValid(brief) or brief.isHidden(), timeout=WAIT_MS)
    # The list no longer calls the borrower's visit returned: the revision is a draft now.
    qtbot.waitUntil(lambda: not window.loading and window.model.index(
        row_of(window, CODE), Column.PROGRESS).data() == "Draft in progress", timeout=WAIT_MS)


def test_the_work_list_offers_revise_on_the_returned_borrower_only(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, returned: str
) -> None:
    i18n.install("en")
    window = sign_in("wang")
    view = window.ui.portfolioView

    def menu_on(code: str) -> list[str]:
        rect = view.visualRect(window.model.index(row_of(window, code), 0))
        view.customContextMenuRequested.emit(rect.center())
        menu = window.row_menu
        assert menu is not None
        qtbot.waitUntil(menu.isVisible, timeout=WAIT_MS)
        names = [a.objectName() for a in menu.actions()]
        texts = [a.text() for a in menu.actions()]
        return [n or t for n, t in zip(names, texts, strict=True)]

    assert menu_on("C1001") == ["Open &brief…"]  # nothing returned there
    window.row_menu.close()
    assert menu_on(CODE) == ["Open &brief…", "reviseAction"]
    [revise] = [a for a in window.row_menu.actions() if a.objectName() == "reviseAction"]
    assert revise.text() == "&Revise the returned visit…"
    revise.trigger()
    window.row_menu.close()
    dialog = window.revise.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.reason_edit, "corrected as asked")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    opened_revision(qtbot, window, returned)
    qtbot.waitUntil(lambda: not window.loading and window.model.row_at(
        row_of(window, CODE)).returned_visit_id is None, timeout=WAIT_MS)
    assert menu_on(CODE) == ["Open &brief…"]  # revised: nothing more to revise
    window.row_menu.close()


def test_a_refused_revision_is_said_and_nothing_opens(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, returned: str
) -> None:
    i18n.install("en")
    window = sign_in("wang")
    # Revised meanwhile elsewhere (the visits window, say): the work list has not caught up.
    portfolio.store.new_revision(returned, portfolio.officer, "已在别处修订")
    window.revise.ask(returned)
    dialog = window.revise.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.reason_edit, "again")
    with qtbot.waitSignal(window.revise.failed, timeout=WAIT_MS) as failed:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "already has a new revision" in failed.args[0]
    box = window.revise.message_box
    assert box is not None and box.isVisible() and box.text() == failed.args[0]
    box.close()
    assert window.visit_editors == {}
