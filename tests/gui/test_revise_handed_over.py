"""A returned visit of a borrower handed over (责任移交): the visits window's Revise is the
new officer's, not the one who signed it and handed the borrower over.

On the laptop a completed handover leaves the borrower with its new officer (what the pull
writes: borrowers.officer_id); the returned visit stays signed by the old one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from review_support import ca_fixture  # noqa: F401 (a fixture)
from sqlalchemy import select, update
from test_visit_reports import COMPLETED_ON, Visits, click, complete_visit, open_dialog

from inspector_app.domain.enums import VisitStatus
from inspector_app.gui import i18n
from inspector_app.reports import files as report_files
from inspector_app.reports.certs import TestCA
from inspector_app.store.models import Borrower, Visit

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio


@pytest.fixture
def visits(portfolio: Portfolio) -> Visits:
    """C1001's completed visit of wang's (and no draft: the draft field names it too)."""
    with portfolio.store.read() as s:
        borrower_id = s.scalars(select(Borrower.id).where(Borrower.code == "C1001")).one()
    completed = complete_visit(portfolio.store, borrower_id, portfolio.officer, COMPLETED_ON)
    return Visits(borrower_id, completed, completed)


def _returned_then_handed_over(portfolio: Portfolio, visits: Visits, ca: TestCA) -> None:
    """wang's visit signed, submitted and returned with a comment; then the borrower is li's."""
    store, wang = portfolio.store, ca.user("wang")
    report_files.sign_visit(store, visits.completed, portfolio.officer, wang.p12_path,
                            wang.password)
    store.transition(visits.completed, portfolio.officer, VisitStatus.SUBMITTED)
    store.return_visit(visits.completed, portfolio.supervisor, "请补充仓库照片")
    with store.write() as s:
        s.execute(update(Borrower).where(Borrower.id == visits.borrower_id)
                  .values(officer_id=portfolio.other_officer.id))


def test_the_officer_taking_over_revises_the_returned_visit(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    i18n.install("zh_CN")
    _returned_then_handed_over(portfolio, visits, ca)
    li = portfolio.other_officer
    dialog = open_dialog(qtbot, portfolio, li, visits)
    dialog.select_visit(visits.completed)
    assert dialog.revise_button.isEnabled()
    assert not dialog.sign_button.isEnabled()  # the draft stays wang's business
    click(qtbot, dialog.revise_button)
    reason = dialog.revise_dialog
    assert reason is not None and reason.isVisible()
    reason.reason_edit.setPlainText("接手后按主管意见补充")
    with qtbot.waitSignal(dialog.visit_revised, timeout=5000) as revised:
        qtbot.mouseClick(reason.ok_button, Qt.MouseButton.LeftButton)
    new_id = revised.args[0]
    with portfolio.store.read() as s:
        new = s.get_one(Visit, new_id)
        assert (new.officer_id, new.status, new.previous_revision_id) == (
            li.id, VisitStatus.DRAFT, visits.completed)
    comments = portfolio.store.comments_for_revision(new_id)
    assert comments is not None and comments.comment == "请补充仓库照片"


def test_the_officer_who_handed_over_is_not_offered_it(
    qtbot: QtBot, portfolio: Portfolio, visits: Visits, ca: TestCA
) -> None:
    i18n.install("en")
    _returned_then_handed_over(portfolio, visits, ca)
    dialog = open_dialog(qtbot, portfolio, portfolio.officer, visits)
    dialog.select_visit(visits.completed)
    assert dialog.revise_button.isVisible() and not dialog.revise_button.isEnabled()
    dialog.revise_visit()  # the shortcut's way in: nothing either
    assert dialog.revise_dialog is None
