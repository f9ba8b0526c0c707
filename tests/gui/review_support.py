"""Visits submitted for review, built through the store as an officer makes them (answered,
completed, signed with a test certificate, submitted), and the supervisor's main window on them.

The conftest's portfolio: 王明 (wang) is 张华's (zhang's) officer; 李强 (li) has no supervisor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from inspector_app.domain.checklist import Item, is_abnormal, parse_answer
from inspector_app.domain.enums import AnswerType, Classification, VisitKind, VisitStatus
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.review.extras import ReviewExtras
from inspector_app.gui.review.queue_window import ReviewQueue
from inspector_app.reports import files as report_files
from inspector_app.reports.certificate_files import import_certificate, import_trusted_ca
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, User, Visit
from inspector_app.store.visit_checks import visit_checklist


@pytest.fixture(name="ca", scope="module")
def ca_fixture(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return make_test_ca(
        tmp_path_factory.mktemp("ca"), [("wang", "王明"), ("zhang", "张华"), ("li", "李强")]
    )


def normal_answer(item: Item) -> str:
    candidates = {
        AnswerType.YES_NO: ["yes", "no", "na"],
        AnswerType.CHOICE: [c.code for c in item.choices],
        AnswerType.NUMBER: ["0", "1", "50", "100", "1000000"],
        AnswerType.MONEY: ["0", "1", "50000", "10000000"],
        AnswerType.DATE: ["2025-03-01"],
        AnswerType.TEXT: ["经营正常"],
        AnswerType.RECIPIENT: ["苏州恒信贸易有限公司"],
    }[item.type]
    return next(raw for raw in candidates if not is_abnormal(item, parse_answer(item, raw)))


def borrower_id(store: LocalStore, code: str) -> str:
    with store.read() as s:
        found = s.scalar(select(Borrower.id).where(Borrower.code == code))
    assert found is not None
    return found


def submit_visit(
    store: LocalStore, ca: TestCA, code: str, officer: User, on: date,
    *, kind: VisitKind = VisitKind.ROUTINE, final: Classification | None = None,
    reason: str = "",
) -> str:
    """A visit of borrower code, every item answered normally, completed, signed with the
    officer's test certificate and submitted for review; final overrides the classification."""
    visit = store.start_visit(borrower_id(store, code), officer, kind, visit_date=on,
                              place="厂区", people_met="王强（法定代表人）")
    for item in visit_checklist(visit).items():
        store.set_answer(visit.id, officer, item.code, normal_answer(item))
    if final is not None:
        store.set_conclusion(visit.id, officer, final=final, override_reason=reason)
    store.transition(visit.id, officer, VisitStatus.COMPLETED)
    issued = ca.user(officer.username)
    report_files.sign_visit(store, visit.id, officer, issued.p12_path, issued.password)
    store.transition(visit.id, officer, VisitStatus.SUBMITTED)
    return visit.id


def give_certificate(data_dir: Path, ca: TestCA, username: str) -> None:
    issued = ca.user(username)
    import_certificate(data_dir, username, issued.p12_path, issued.password)
    import_trusted_ca(data_dir, ca.ca_cert_path)


def status(store: LocalStore, visit_id: str) -> VisitStatus:
    with store.read() as s:
        return s.get_one(Visit, visit_id).status


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def extras_of(editor: VisitEditor) -> ReviewExtras:
    extras = editor.findChild(ReviewExtras)
    assert isinstance(extras, ReviewExtras)
    return extras


def wait_loaded(qtbot: QtBot, queue: ReviewQueue) -> None:
    qtbot.waitUntil(lambda: not queue.loading, timeout=5000)


@pytest.fixture(name="reviewer_editor")
def reviewer_editor_fixture(qtbot: QtBot) -> Iterator[Callable[..., VisitEditor]]:
    """Opens a visit's editor for a user and waits for its reviewer's extras; closes it after."""
    opened: list[VisitEditor] = []

    def do(store: LocalStore, user: User, visit_id: str, today: Callable[[], date],
           page: str | None = None) -> VisitEditor:
        editor = VisitEditor(store, user, visit_id, today=today, page=page)
        extras = ReviewExtras(editor)  # as the main window gives a supervisor's editor
        opened.append(editor)
        editor.resize(1366, 740)
        editor.show()
        qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
        qtbot.waitUntil(lambda: extras.situation is not None, timeout=5000)
        return editor

    yield do
    for editor in opened:
        if not editor.isHidden():
            editor.close()
        editor.ctx.wait_for_saves()
    assert QThreadPool.globalInstance().waitForDone(20_000)
