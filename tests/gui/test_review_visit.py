"""A supervisor reads a submitted visit in the editor, read-only with the reviewer's pages, and
approves (签字认定: classification, 复核意见, handwritten signature, countersignature) or returns
it (a comment on the whole visit and the item comments written while reading)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from review_support import (  # noqa: F401 (fixtures)
    ca_fixture,
    click,
    extras_of,
    give_certificate,
    reviewer_editor_fixture,
    status,
    submit_visit,
)
from test_screens import save, texts_fit
from test_signature_pad import ZIGZAG, draw

from inspector_app.domain.enums import Classification, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.review.approve_dialog import ApproveDialog
from inspector_app.gui.review.diff_page import DiffPage
from inspector_app.gui.review.extras import ReviewExtras, ReviewSituation
from inspector_app.gui.review.review_pages import (
    DraftCommentsPage,
    HistoryPage,
    ReportPage,
)
from inspector_app.reports.certs import TestCA
from inspector_app.store.facade import ReviewState

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from collections.abc import Callable

    from conftest import Portfolio

    OpenReviewer = Callable[..., VisitEditor]

SUBMITTED_ON = date(2025, 3, 1)


def open_review(portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer,
                **submit: object) -> tuple[str, VisitEditor]:
    visit_id = submit_visit(portfolio.store, ca, "C1001", portfolio.officer, SUBMITTED_ON,
                            **submit)  # type: ignore[arg-type]
    editor = reviewer_editor(portfolio.store, portfolio.supervisor, visit_id, portfolio.today)
    return visit_id, editor


def test_a_submitted_visit_opens_read_only_with_the_reviewers_pages(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer
) -> None:
    i18n.install("zh_CN")
    give_certificate(portfolio.store.data_dir, ca, "zhang")  # the trusted root, for the check
    _visit_id, editor = open_review(portfolio, ca, reviewer_editor)
    review = extras_of(editor)
    assert editor.read_only
    keys = [page.page_key() for page in editor.pages]
    assert keys[-3:] == ["review:report", "review:history", "review:comments"]
    assert "review:diff" not in keys  # a first revision: nothing to compare with
    assert review.approve_action.isVisible() and review.approve_action.isEnabled()
    assert review.return_action.isVisible() and review.return_action.isEnabled()
    assert review.banner.isVisible() and "待您复核" in review.banner.text()

    assert editor.show_page("review:report")
    report = editor.page("review:report")
    assert isinstance(report, ReportPage)
    qtbot.waitUntil(lambda: report.view is not None and not report.verdict.busy
                    and report.verdict.verdict is not None, timeout=20_000)
    assert report.verdict.headline() == "✓ 签名有效"
    assert report.verdict.row_texts(0)[0] == "✓ 王明"
    assert "客户经理签署的报告" in report.facts.text()

    assert editor.show_page("review:history")
    history = editor.page("review:history")
    assert isinstance(history, HistoryPage)
    qtbot.waitUntil(lambda: history.table.rowCount() > 0, timeout=5000)


def test_an_officer_gets_no_reviewers_extras(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA
) -> None:
    visit_id = submit_visit(portfolio.store, ca, "C1001", portfolio.officer, SUBMITTED_ON)
    editor = VisitEditor(portfolio.store, portfolio.officer, visit_id, today=portfolio.today)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
    assert editor.read_only and editor.findChild(ReviewExtras) is None
    assert editor.page("review:report") is None


def test_decisions_are_offered_only_where_allowed(portfolio: Portfolio) -> None:
    """Own visit, not submitted, already decided: no decision buttons (the store refuses too)."""
    from dataclasses import replace

    from inspector_app.gui.review.approve_dialog import OfficerConclusion
    from inspector_app.store.facade import ReviewRow, VisitSummary

    summary = VisitSummary("v", SUBMITTED_ON, None, VisitStatus.SUBMITTED, 1,  # type: ignore[arg-type]
                           portfolio.officer.id, "王明", None, None)
    conclusion = OfficerConclusion(Classification.NORMAL, Classification.NORMAL, None)
    open_one = ReviewSituation(summary, None, conclusion, None)
    assert open_one.may_decide(portfolio.supervisor)
    assert not open_one.may_decide(portfolio.officer)  # an officer never decides
    own = ReviewSituation(replace(summary, officer_id=portfolio.supervisor.id), None,
                          conclusion, None)
    assert own.own_visit(portfolio.supervisor) and not own.may_decide(portfolio.supervisor)
    signed = ReviewSituation(replace(summary, status=VisitStatus.SIGNED), None, conclusion,
                             None)
    assert not signed.may_decide(portfolio.supervisor)
    decided = ReviewRow("r", "v", portfolio.supervisor.id, "张华", "approved", "同意", None, "",
                        SUBMITTED_ON, ReviewState.PENDING)  # type: ignore[arg-type]
    assert not ReviewSituation(summary, decided, conclusion, None).may_decide(
        portfolio.supervisor)


def open_approve(qtbot: QtBot, editor: VisitEditor) -> ApproveDialog:
    review = extras_of(editor)
    review.approve_action.trigger()
    dialog = review.approve_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_approving_with_another_classification_needs_a_reason_and_a_wrong_password_keeps_it_open(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer
) -> None:
    i18n.install("en")
    give_certificate(portfolio.store.data_dir, ca, "zhang")
    visit_id, editor = open_review(portfolio, ca, reviewer_editor)
    dialog = open_approve(qtbot, editor)
    assert dialog.chosen() is Classification.NORMAL  # the officer's, by default
    assert not dialog.reason_edit.isVisible()

    dialog.classification_combo.setCurrentIndex(
        dialog.classification_combo.findData(Classification.SPECIAL_MENTION.value))
    assert dialog.reason_edit.isVisible()
    click(qtbot, dialog.ok_button)
    assert dialog.message.text() == "Say why the classification differs from the officer's."
    assert dialog.focusWidget() is dialog.reason_edit
    qtbot.keyClicks(dialog.reason_edit, "Sales fell by a third")
    click(qtbot, dialog.ok_button)
    assert dialog.message.text() == "Write your review opinion."
    qtbot.keyClicks(dialog.opinion_edit, "Agree; watch the cash flow")
    click(qtbot, dialog.ok_button)
    assert dialog.message.text() == "Sign in the box."
    draw(dialog.pad, [QPoint(p.x() // 2, p.y() // 2) for p in ZIGZAG])
    click(qtbot, dialog.ok_button)
    assert dialog.message.text() == "Enter your certificate's password."

    qtbot.keyClicks(dialog.password_edit, "not the password")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.isVisible()
    assert dialog.message.text().startswith("The visit was not approved:")
    assert status(portfolio.store, visit_id) is VisitStatus.SUBMITTED
    assert not dialog.pad.is_empty()  # nothing given is lost

    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, ca.user("zhang").password)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert status(portfolio.store, visit_id) is VisitStatus.APPROVED
    decision = portfolio.store.review_of(visit_id)
    assert decision is not None and decision.decision == "approved"
    assert decision.final_classification is Classification.SPECIAL_MENTION
    assert decision.classification_reason == "Sales fell by a third"
    assert decision.comment == "Agree; watch the cash flow"
    review = extras_of(editor)
    qtbot.waitUntil(lambda: not review.approve_action.isEnabled(), timeout=5000)
    qtbot.waitUntil(lambda: "approved" in review.banner.text(), timeout=5000)


def test_returning_sends_the_comment_and_the_item_comments_as_edited(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer
) -> None:
    i18n.install("en")
    store, zhang = portfolio.store, portfolio.supervisor
    visit_id, editor = open_review(portfolio, ca, reviewer_editor)
    answers = sorted(store.answers_of(visit_id))
    first, second = answers[0], answers[1]
    store.set_review_comment(visit_id, zhang, "answer", first, "Photo of the site missing")
    store.set_review_comment(visit_id, zhang, "answer", second, "Which contract?")
    review = extras_of(editor)

    comments = editor.page("review:comments")
    assert isinstance(comments, DraftCommentsPage)
    editor.show_page("review:comments")
    qtbot.waitUntil(lambda: comments.table.rowCount() == 2, timeout=5000)
    jumped: list[str] = []
    comments.jump_requested.connect(jumped.append)
    comments.table.cellActivated.emit(0, 0)
    assert jumped and jumped[0].startswith("item:")

    review.return_action.trigger()
    qtbot.waitUntil(lambda: review.return_dialog is not None
                    and review.return_dialog.isVisible(), timeout=5000)
    dialog = review.return_dialog
    assert dialog is not None
    assert [text for _what, text in dialog.comment_rows()] == [
        "Photo of the site missing", "Which contract?"]
    dialog.table.item(0, 1).setText("Photo of the warehouse missing")
    dialog.table.setCurrentCell(1, 1)
    click(qtbot, dialog.remove_button)
    click(qtbot, dialog.ok_button)
    assert dialog.message.text() == ("Write why the visit is returned; the officer reads it "
                                     "first.")
    assert status(store, visit_id) is VisitStatus.SUBMITTED
    qtbot.keyClicks(dialog.comment_edit, "Please complete the evidence")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert status(store, visit_id) is VisitStatus.RETURNED
    decision = store.review_of(visit_id)
    assert decision is not None and decision.decision == "returned"
    assert decision.comment == "Please complete the evidence"
    assert [(c.target, c.ref, c.text) for c in decision.comments] == [
        ("answer", first, "Photo of the warehouse missing")]
    qtbot.waitUntil(lambda: not review.return_action.isEnabled(), timeout=5000)
    qtbot.waitUntil(lambda: "returned" in review.banner.text(), timeout=5000)


def test_review_screens_fit_in_both_languages(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer
) -> None:
    use_bundled_font(QApplication.instance())
    give_certificate(portfolio.store.data_dir, ca, "zhang")
    _visit_id, editor = open_review(portfolio, ca, reviewer_editor,
                                    final=Classification.SUBSTANDARD, reason="经营恶化")
    for lang in ("zh_CN", "en"):
        i18n.install(lang)
        editor.show_page("review:report")
        report = editor.page("review:report")
        assert isinstance(report, ReportPage)
        qtbot.waitUntil(lambda page=report: page.verdict.verdict is not None, timeout=20_000)
        qtbot.waitExposed(editor)
        assert editor.width() <= 1366 and editor.height() <= 768
        assert texts_fit(editor) == []
        save(editor, f"review_report_{lang}")
        editor.show_page("header")
        save(editor, f"review_header_{lang}")
        dialog = open_approve(qtbot, editor)
        draw(dialog.pad, ZIGZAG)
        assert dialog.width() <= 1366 and dialog.height() <= 768
        assert texts_fit(dialog) == []
        save(dialog, f"review_approve_{lang}")
        dialog.reject()


def resubmit(store, ca: TestCA, officer, visit_id: str, code: str, note: str) -> str:
    """The officer revises a returned visit: a new revision with a note on item code,
    completed, signed and submitted again."""
    from inspector_app.reports import files as report_files

    revision = store.new_revision(visit_id, officer, "按复核意见补充")
    store.set_item_note(revision.id, officer, code, note)
    store.transition(revision.id, officer, VisitStatus.COMPLETED)
    issued = ca.user(officer.username)
    report_files.sign_visit(store, revision.id, officer, issued.p12_path, issued.password)
    store.transition(revision.id, officer, VisitStatus.SUBMITTED)
    return revision.id


def test_a_resubmission_opens_on_what_changed_with_the_commented_item_marked(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer
) -> None:
    i18n.install("zh_CN")
    store, zhang, wang = portfolio.store, portfolio.supervisor, portfolio.officer
    first = submit_visit(store, ca, "C1001", wang, SUBMITTED_ON)
    code = sorted(store.answers_of(first))[0]
    store.set_review_comment(first, zhang, "answer", code, "请说明资金去向")
    store.return_visit(first, zhang, "证据不足")
    second = resubmit(store, ca, wang, first, code, "资金用于支付工程款，附合同")
    editor = reviewer_editor(store, zhang, second, portfolio.today)
    extras = extras_of(editor)
    qtbot.waitUntil(lambda: editor.current_page() is editor.page("review:diff"), timeout=5000)
    diff = editor.page("review:diff")
    assert isinstance(diff, DiffPage)
    qtbot.waitUntil(lambda: diff.table.rowCount() > 0, timeout=5000)
    rows = [diff.row_texts(r) for r in range(diff.table.rowCount())]
    noted = [r for r in rows if "资金用于支付工程款，附合同" in r[3]]
    assert noted and noted[0][4] == "★ 有意见"
    assert "第 1 版已退回，这是第 2 版" in diff.note.text()
    save(editor, "review_diff_zh_CN")
    jumped: list[str] = []
    diff.jump_requested.connect(jumped.append)
    row = rows.index(noted[0])
    diff.table.cellActivated.emit(row, 0)
    assert jumped == [f"item:{code}"]
    qtbot.waitUntil(lambda: editor.current_page() is not diff)  # the editor went there
    assert extras.approve_action.isEnabled()


def test_the_diff_fits_a_laptop_screen_in_english(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer
) -> None:
    """An English question is long: it wraps in its column, and the supervisor's comment
    column stays on screen at 1366 px (it was pushed off the right edge)."""
    i18n.install("en")
    store, zhang, wang = portfolio.store, portfolio.supervisor, portfolio.officer
    first = submit_visit(store, ca, "C1001", wang, SUBMITTED_ON)
    answered = set(store.answers_of(first))
    longest = max((i for i in store.visit_checklist(first).items() if i.code in answered),
                  key=lambda i: len(i.question.en))
    code = longest.code
    store.set_review_comment(first, zhang, "answer", code, "请说明资金去向")
    store.return_visit(first, zhang, "证据不足")
    second = resubmit(store, ca, wang, first, code, "资金用于支付工程款，附合同")
    editor = reviewer_editor(store, zhang, second, portfolio.today)
    editor.resize(1366, 740)
    qtbot.waitUntil(lambda: editor.current_page() is editor.page("review:diff"), timeout=5000)
    diff = editor.page("review:diff")
    assert isinstance(diff, DiffPage)
    qtbot.waitUntil(lambda: diff.table.rowCount() > 0, timeout=5000)
    table = diff.table
    last = table.columnCount() - 1
    right_edge = table.columnViewportPosition(last) + table.columnWidth(last)
    assert table.columnViewportPosition(last) >= 0
    assert right_edge <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert table.item(0, last).text() == "★ commented"


def set_conflict(store, visit_id: str, message: str) -> None:
    """What the sync does when headquarters refuses a decision made here (409)."""
    from sqlalchemy import select

    from inspector_app.store.models import Review

    with store.write() as s:
        review = s.scalars(select(Review).where(Review.visit_id == visit_id,
                                                Review.decision != "draft")).one()
        review.state = ReviewState.CONFLICT.value
        review.conflict = message


def test_a_decision_headquarters_refused_is_shown_in_the_queue_and_the_window(
    qtbot: QtBot, portfolio: Portfolio, ca: TestCA, reviewer_editor: OpenReviewer
) -> None:
    from inspector_app.gui.review.queue_model import CONFLICT_FILL, Column
    from inspector_app.gui.review.queue_window import ReviewQueue

    i18n.install("zh_CN")
    store, zhang = portfolio.store, portfolio.supervisor
    visit_id = submit_visit(store, ca, "C1001", portfolio.officer, SUBMITTED_ON)
    store.return_visit(visit_id, zhang, "照片不全")
    set_conflict(store, visit_id, "总行已有刘主任 2025-03-09 的认定。")

    queue = ReviewQueue(store, zhang, portfolio.today)
    qtbot.addWidget(queue)
    queue.show()
    queue.tabs.setCurrentIndex(1)  # decided
    qtbot.waitUntil(lambda: not queue.loading and queue.model.rowCount() == 1, timeout=5000)
    assert queue.banner.isVisible() and "总行未接受您的 1 个决定" in queue.banner.text()
    model = queue.model
    assert model.row_texts(0)[Column.DECISION] == "⚠ 与总行的决定冲突"
    assert model.data(model.index(0, Column.BORROWER),
                      Qt.ItemDataRole.BackgroundRole).color() == CONFLICT_FILL
    assert "总行已有刘主任" in model.data(model.index(0, Column.DECISION),
                                          Qt.ItemDataRole.ToolTipRole)

    editor = reviewer_editor(store, zhang, visit_id, portfolio.today)
    extras = extras_of(editor)
    assert extras.banner.isVisible()
    assert "总行未接受本机的决定" in extras.banner.text()
    assert "总行已有刘主任 2025-03-09 的认定。" in extras.banner.text()
    assert not extras.approve_action.isVisible() and not extras.return_action.isVisible()
