"""A fresh routine visit of a real-estate borrower (routine + real-estate templates) and a way
to open the visit editor on it, for the editor and checklist page tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from inspector_app.domain.checklist import AnswerState
from inspector_app.domain.enums import VisitKind
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, User

# Stored after the typing pause, with no other step by the officer: what these tests check.
# The promise itself (within a second) is a figure for a quiet machine, not an assertion a
# loaded 2-core CI run can keep every time (the suite's 3 workers share it with servers).
SAVED_WITHIN_MS = 5000


@dataclass(frozen=True)
class Visit:
    store: LocalStore
    officer: User
    visit_id: str
    borrower_name: str

    def answers(self) -> dict[str, AnswerState]:
        return self.store.answers_of(self.visit_id)

    def value(self, code: str) -> object:
        return self.answers().get(code, AnswerState()).value

    def note(self, code: str) -> str:
        return self.answers().get(code, AnswerState()).note


@pytest.fixture(name="visit")
def visit_fixture(portfolio) -> Visit:  # portfolio: the conftest's Portfolio
    store: LocalStore = portfolio.store
    with store.read() as s:
        borrower = s.scalars(select(Borrower).where(Borrower.code == "C1001")).one()
        borrower_id, name = borrower.id, borrower.name
    started = store.start_visit(
        borrower_id, portfolio.officer, VisitKind.ROUTINE, visit_date=portfolio.today(),
        place="杭州市西湖区文三路 90 号", people_met="",
    )
    return Visit(store, portfolio.officer, started.id, name)


OpenEditor = Callable[..., VisitEditor]


@pytest.fixture(name="open_editor")
def open_editor_fixture(qtbot: QtBot, visit: Visit, portfolio) -> Iterator[OpenEditor]:
    """Opens the editor (shown, active, its pages loaded); closes each at the end."""
    opened: list[VisitEditor] = []

    def do(page: str | None = None) -> VisitEditor:
        editor = VisitEditor(visit.store, visit.officer, visit.visit_id, today=portfolio.today,
                             page=page)
        opened.append(editor)
        editor.show()
        qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
        editor.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)
        wait_ready(qtbot, editor)
        return editor

    yield do
    for editor in opened:
        if not editor.isHidden():
            editor.close()
        editor.ctx.wait_for_saves()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def wait_ready(qtbot: QtBot, editor: VisitEditor) -> None:
    """Until the page on screen shows what the store holds."""
    page = editor.current_page()
    if isinstance(page, ChecklistPage):
        qtbot.waitUntil(lambda: page.ready, timeout=5000)
    elif page is editor.header_page:
        qtbot.waitUntil(lambda: editor.header_page.header is not None, timeout=5000)


def section(editor: VisitEditor, code: str) -> ChecklistPage:
    page = editor.page(f"section:{code}")
    assert isinstance(page, ChecklistPage)
    return page


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def type_text(qtbot: QtBot, text: str) -> None:
    """Type text where the focus is: ASCII as key clicks, Chinese as an input method commits
    it (QTest can only click keys that exist on a keyboard)."""
    widget = focused()
    assert widget is not None, "nothing has the keyboard focus"
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            commit = QInputMethodEvent()
            commit.setCommitString(ch)
            QApplication.sendEvent(widget, commit)
