"""The whole visit as a credit officer does it on the demo portfolio, through the real windows:
sign in, find the borrower, read the brief, start a first inspection, answer every item (one
abnormal answer that needs a photo), drop photos, record the pledged warehouse stock as not
found, see the signal and the worse classification, clear the completion list, complete."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from editor_support import type_text, wait_ready
from photo_support import make_jpeg
from PySide6.QtCore import QMimeData, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from visit_helpers import abnormal_answer, normal_answer
from visit_pages_support import DEMO_TODAY, demo_data

from inspector_app.domain.checklist import Item
from inspector_app.domain.enums import (
    AnswerType,
    Classification,
    CollateralKind,
    CollateralStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.gui import i18n
from inspector_app.gui.app import Launcher
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.collateral_page import CollateralPage
from inspector_app.gui.editor.completion_page import CompletionPage
from inspector_app.gui.editor.conclusion_page import ConclusionPage
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.gui.editor.signals_page import SignalsPage
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.worklist.brief_dialog import BriefDialog
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, CollateralItem, Visit

BORROWER = "浙江瑞丰建材贸易股份有限公司"  # first inspection due; pledged warehouse stock


@pytest.fixture
def demo_store(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStore]:
    data = tmp_path / "data"
    shutil.copytree(demo_data(tmp_path_factory), data)
    store = LocalStore.open(data)
    yield store
    assert QThreadPool.globalInstance().waitForDone(10_000)
    store.close()


@pytest.fixture
def launcher(demo_store: LocalStore) -> Iterator[Launcher]:
    flow = Launcher(demo_store, LaptopSettings(), today=lambda: DEMO_TODAY)
    flow.start()
    yield flow
    for window in QApplication.topLevelWidgets():
        if isinstance(window, VisitEditor | BriefDialog):
            window.close()
    for window in (flow.login_dialog, flow.main_window):
        if window is not None:
            window.close()
            window.deleteLater()


def top_level(kind: type[QWidget]) -> QWidget | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, kind) and w.isVisible()), None)


def answer(qtbot: QtBot, page: ChecklistPage, item: Item, raw: str) -> None:
    """Answer one item with the keyboard where the officer would type it."""
    row = page.rows[item.code]
    row.focus_answer()
    match item.type:
        case AnswerType.YES_NO:
            key = {"yes": Qt.Key.Key_Y, "no": Qt.Key.Key_N, "na": Qt.Key.Key_A}[raw]
            qtbot.keyClick(QApplication.focusWidget(), key)
        case AnswerType.CHOICE:
            combo = row.input.combo
            combo.setFocus()
            target = next(n for n in range(combo.count()) if combo.itemData(n) == raw)
            while combo.currentIndex() != target:
                step = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
                qtbot.keyClick(combo, step)
        case AnswerType.DATE:
            edit = row.input.edit
            edit.setFocus()
            edit.selectAll()
            type_text(qtbot, raw)
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        case _:
            type_text(qtbot, raw)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def drop_files(page: VisitPhotosPage, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    target = page.grid.viewport()
    point = target.rect().center()
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDropEvent(
        QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    ))


def test_a_first_inspection_from_sign_in_to_completed(
    qtbot: QtBot, launcher: Launcher, demo_store: LocalStore, tmp_path: Path
) -> None:
    i18n.install("zh_CN")
    store = demo_store
    # -- sign in --------------------------------------------------------------------------------
    login = launcher.login_dialog
    assert login is not None
    qtbot.keyClicks(login.ui.usernameEdit, "officer")
    qtbot.keyClicks(login.ui.passwordEdit, "demo1234")
    qtbot.mouseClick(login.ui.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=10_000)
    window = launcher.main_window
    assert window is not None
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() > 0, timeout=5000)

    # -- find the borrower by typing part of its name ------------------------------------------
    window.ui.searchEdit.setFocus()
    type_text(qtbot, "瑞丰")
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() == 1, timeout=5000)
    view = window.ui.portfolioView
    view.setFocus()
    view.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)

    # -- the brief -----------------------------------------------------------------------------
    qtbot.waitUntil(lambda: top_level(BriefDialog) is not None, timeout=5000)
    brief = top_level(BriefDialog)
    assert isinstance(brief, BriefDialog)
    qtbot.waitUntil(lambda: BORROWER in brief.view.toPlainText(), timeout=5000)
    assert CollateralKind.WAREHOUSE_STOCK.zh in brief.view.toPlainText()

    # -- start a first inspection --------------------------------------------------------------
    qtbot.mouseClick(brief.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: brief.start_dialog is not None and brief.start_dialog.isVisible())
    start = brief.start_dialog
    qtbot.waitUntil(lambda: start.choices is not None, timeout=5000)
    assert start.kind_combo.currentData() == VisitKind.FIRST
    assert "首次" in start.base_combo.currentText()
    start.people_edit.setFocus()
    type_text(qtbot, "王建国（法定代表人）、财务主管李娟")
    qtbot.mouseClick(start.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.visit_editors) == 1, timeout=5000)
    [(visit_id, editor)] = window.visit_editors.items()
    assert isinstance(editor, VisitEditor)
    qtbot.waitUntil(lambda: editor.loaded, timeout=5000)

    # -- answer every item, one abnormally where the template asks for a photo -----------------
    checklist = store.visit_checklist(visit_id)
    needs_photo = next(i for i in checklist.items()
                       if i.when_abnormal.photo and abnormal_answer(i) is not None)
    for section in checklist.sections():
        editor.show_page(f"section:{section.code}")
        wait_ready(qtbot, editor)
        page = editor.current_page()
        assert isinstance(page, ChecklistPage)
        for item in section.items:
            raw = abnormal_answer(item) if item is needs_photo else normal_answer(item)
            answer(qtbot, page, item, raw)
        if needs_photo.section_code == section.code:
            row = page.rows[needs_photo.code]
            # The last answer moved on to the next section; the row still warns (not hidden).
            assert not row.warning.isHidden() and "照片" in row.warning.text()
            row.focus_note()
            type_text(qtbot, "仓库东侧墙体开裂渗水")
            row.flush_note()
    qtbot.waitUntil(lambda: editor.ctx.pending_saves == 0, timeout=5000)
    answers = store.answers_of(visit_id)
    assert {code for code, a in answers.items() if a.value is not None} == {
        i.code for i in checklist.items()
    }

    # -- photos by drag and drop, one linked to the abnormal item ------------------------------
    editor.show_page("photos")
    photos = editor.current_page()
    assert isinstance(photos, VisitPhotosPage)
    drop_files(photos, make_jpeg(tmp_path / "DCIM" / "IMG_0001.JPG", 1),
               make_jpeg(tmp_path / "DCIM" / "IMG_0002.JPG", 2))
    qtbot.waitUntil(lambda: photos.model.rowCount() == 2, timeout=10_000)
    rect = photos.grid.visualRect(photos.model.index(0))
    qtbot.mouseClick(photos.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    combo = photos.item_combo
    combo.setFocus()
    target = next(n for n in range(combo.count()) if combo.itemData(n) == needs_photo.code)
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: store.answers_of(visit_id)[needs_photo.code].photo_count == 1,
                    timeout=5000)

    # -- the pledged warehouse stock is not there ----------------------------------------------
    with store.read() as s:
        borrower_id = s.get_one(Visit, visit_id).borrower_id
        items = s.scalars(select(CollateralItem).where(
            CollateralItem.borrower_id == borrower_id)).all()
        stock = next(i for i in items if i.kind is CollateralKind.WAREHOUSE_STOCK)
        others = [i for i in items if i.id != stock.id]
    editor.show_page("collateral")
    collateral = editor.current_page()
    assert isinstance(collateral, CollateralPage)
    qtbot.waitUntil(lambda: not collateral.busy and len(collateral.rows) == len(items),
                    timeout=5000)
    for item, status in [(stock, CollateralStatus.NOT_FOUND)] + [
        (o, CollateralStatus.PRESENT) for o in others
    ]:
        rect = collateral.table.visualRect(collateral.table.model().index(
            collateral.row_of(item.id), 1))
        qtbot.mouseClick(collateral.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
        assert collateral.selected_id() == item.id
        combo = collateral.editor.status_combo
        combo.setFocus()
        target = next(n for n in range(combo.count()) if combo.itemText(n) == status.zh)
        while combo.currentIndex() != target:
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda i=item: editor.ctx.pending_saves == 0
                        and any(r.item_id == i.id and r.observation is not None
                                for r in store.collateral_of(visit_id)), timeout=5000)

    # -- the signal appears, and the recommendation is special mention or worse ----------------
    editor.show_page("signals")
    signals = editor.current_page()
    assert isinstance(signals, SignalsPage)
    qtbot.waitUntil(lambda: not signals.busy and any(
        stock.description in line[3] for line in signals.group_texts(this_visit=True)
    ), timeout=5000)
    editor.show_page("conclusion")
    conclusion = editor.current_page()
    assert isinstance(conclusion, ConclusionPage)
    worse = {c.zh for c in Classification if c.rank >= Classification.SPECIAL_MENTION.rank}
    qtbot.waitUntil(lambda: conclusion.recommended_label.text().removeprefix("<b>")
                    .removesuffix("</b>") in worse, timeout=5000)

    # -- the completion list leads to what is missing, until it is empty -----------------------
    editor.show_page("completion")
    completion = editor.current_page()
    assert isinstance(completion, CompletionPage)
    qtbot.waitUntil(lambda: completion.list.count() > 0, timeout=5000)
    assert not completion.complete_button.isEnabled()
    lines = [completion.list.item(n).text() for n in range(completion.list.count())]
    assert any("措施" in line for line in lines) and any("下次检查" in line for line in lines)
    # Click the line about the measures: the conclusion page opens there.
    measures_line = next(n for n in range(completion.list.count())
                         if "措施" in completion.list.item(n).text())
    rect = completion.list.visualItemRect(completion.list.item(measures_line))
    qtbot.mouseClick(completion.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: editor.current_page() is conclusion, timeout=2000)
    conclusion.measures_edit.setFocus()
    type_text(qtbot, "要求借款人十日内补足质押物，暂停新增用信，提请风险部门介入")
    qtbot.mouseClick(conclusion.use_suggested_button, Qt.MouseButton.LeftButton)
    conclusion.flush()  # what is typed is stored now, not after its pause
    qtbot.waitUntil(lambda: editor.ctx.pending_saves == 0, timeout=5000)

    editor.show_page("completion")
    qtbot.waitUntil(lambda: completion.list.count() == 0 and
                    completion.complete_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(completion.complete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: store.visit_header(visit_id).status is VisitStatus.COMPLETED,
                    timeout=5000)
    with store.read() as s:
        visit = s.get_one(Visit, visit_id)
        assert visit.final_classification is not None
        assert visit.final_classification.rank >= Classification.SPECIAL_MENTION.rank
        assert s.get_one(Borrower, borrower_id).name == BORROWER


def test_one_editor_per_visit_and_closing_it_refreshes_the_work_list(
    qtbot: QtBot, launcher: Launcher, demo_store: LocalStore
) -> None:
    login = launcher.login_dialog
    assert login is not None
    qtbot.keyClicks(login.ui.usernameEdit, "officer")
    qtbot.keyClicks(login.ui.passwordEdit, "demo1234")
    qtbot.mouseClick(login.ui.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=10_000)
    window = launcher.main_window
    assert window is not None
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() > 0, timeout=5000)
    with demo_store.read() as s:
        borrower_id = s.scalars(select(Borrower.id).where(Borrower.name == BORROWER)).one()
        officer = launcher.main_window._user
    visit = demo_store.start_visit(borrower_id, officer, VisitKind.FIRST, visit_date=DEMO_TODAY)

    first = window.open_visit(visit.id)
    assert window.open_visit(visit.id) is first  # raised again, not opened twice
    qtbot.waitUntil(lambda: first.loaded, timeout=5000)
    with qtbot.waitSignal(window.portfolio_loaded, timeout=5000):
        first.close()  # a closed editor may have completed the visit: the list is read again
    qtbot.waitUntil(lambda: window.visit_editors == {}, timeout=5000)
