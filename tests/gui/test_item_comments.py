"""A supervisor's comments on single items: written at each item while reviewing a submitted
visit, read by the officer at the same items of the revision made after the return, listed on
the editor's comments page (each a jump to its item), counted in the officer's work list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from photo_support import PhotoVisit, make_jpeg, photo_visit_fixture  # noqa: F401 (fixture)
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from visit_helpers import normal_answer

from inspector_app.domain.enums import (
    CollateralStatus,
    Role,
    Severity,
    SignalCategory,
    VisitStatus,
)
from inspector_app.gui import i18n
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.collateral_page import CollateralPage
from inspector_app.gui.editor.comment_box import CommentBox
from inspector_app.gui.editor.comments_page import CommentsPage
from inspector_app.gui.editor.item_comments import Mode
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.gui.editor.signals_page import SignalsPage
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.reports.visits_window import BorrowerVisitsDialog
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.store.local import LocalStore

WHOLE = "请按意见补充后重新提交"


@dataclass(frozen=True)
class Submitted:
    """A visit of 华东精密机械 with an answer, a photo, a collateral finding and a signal,
    submitted for review by its officer."""

    visit: PhotoVisit
    borrower_id: str
    item_code: str
    item_question: str  # in English, as most tests here speak it
    photo_sha: str
    signal_id: str
    portfolio: object

    @property
    def store(self) -> LocalStore:
        return self.visit.store


@pytest.fixture(name="submitted")
def submitted_fixture(
    photo_visit: PhotoVisit, portfolio, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Submitted:
    # The completion rules are not under test: the visit counts as complete.
    monkeypatch.setattr(LocalStore, "_require_complete", lambda self, s, v: None)
    store, officer, visit_id = photo_visit.store, photo_visit.officer, photo_visit.visit_id
    item = next(iter(store.visit_checklist(visit_id).items()))
    store.set_answer(visit_id, officer, item.code, normal_answer(item))
    photo = store.add_photo(visit_id, officer, make_jpeg(tmp_path / "a.jpg", 1),
                            caption="车间外景")
    store.observe_collateral(visit_id, officer, photo_visit.collateral_id,
                             status=CollateralStatus.PRESENT)
    signal = store.create_manual_signal(visit_id, officer, category=SignalCategory.OPERATIONAL,
                                        severity=Severity.ORANGE, title="主要客户流失")
    for status in (VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED):
        store.transition(visit_id, officer, status)
    borrower_id = store.visit_header(visit_id).borrower_id
    return Submitted(photo_visit, borrower_id, item.code, item.question.en, photo.sha256,
                     signal.id, portfolio)


@pytest.fixture(name="open_editor")
def open_editor_fixture(qtbot: QtBot, portfolio) -> Iterator:
    opened: list[VisitEditor] = []

    def do(store: LocalStore, user, visit_id: str, page: str | None = None) -> VisitEditor:
        editor = VisitEditor(store, user, visit_id, today=portfolio.today, page=page)
        opened.append(editor)
        editor.resize(1366, 700)  # a 1366×768 laptop screen, less the taskbar
        editor.show()
        qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
        qtbot.waitUntil(lambda: editor.ctx.item_comments.ready, timeout=5000)
        sections = [p for p in editor.pages if isinstance(p, ChecklistPage)]
        qtbot.waitUntil(lambda: all(p.ready for p in sections), timeout=5000)
        return editor

    yield do
    for editor in opened:
        if not editor.isHidden():
            editor.close()
        editor.ctx.wait_for_saves()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def write_comment(qtbot: QtBot, box: CommentBox, text: str) -> None:
    """Click the box's Comment… button, replace the text in its dialog, press OK."""
    assert box.button.isVisibleTo(box.window()), "no Comment… button offered"
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    dialog = box.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    dialog.text_edit.selectAll()
    dialog.text_edit.insertPlainText(text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def answer_row_box(editor: VisitEditor, code: str) -> CommentBox:
    page = next(p for p in editor.pages if isinstance(p, ChecklistPage) and code in p.rows)
    box = page.rows[code].comment_box
    assert isinstance(box, CommentBox)
    return box


def draft_comments(s: Submitted) -> set[tuple[str, str, str]]:
    draft = s.store.draft_review(s.visit.visit_id, s.portfolio.supervisor)  # type: ignore[attr-defined]
    return set() if draft is None else {(c.target, c.ref, c.text) for c in draft.comments}


def test_supervisor_comments_at_each_item_and_the_draft_keeps_them(
    qtbot: QtBot, submitted: Submitted, open_editor
) -> None:
    i18n.install("en")
    s, supervisor = submitted, submitted.portfolio.supervisor  # type: ignore[attr-defined]
    editor = open_editor(s.store, supervisor, s.visit.visit_id)
    comments = editor.ctx.item_comments
    assert comments.mode is Mode.WRITE
    assert editor.read_only  # the visit itself stays unchangeable: only comments are written

    # A checklist item.
    box = answer_row_box(editor, s.item_code)
    assert editor.show_target(f"item:{s.item_code}")
    assert box.button.text() == "Comment…"
    write_comment(qtbot, box, "与合同约定不一致，请核实")
    assert box.text.text() == "与合同约定不一致，请核实"
    assert box.button.text() == "Edit comment…"

    # The photo: the selected one's details, and its tile is marked.
    assert editor.show_page("photos")
    photos = editor.current_page()
    assert isinstance(photos, VisitPhotosPage)
    qtbot.waitUntil(lambda: photos.model.rowCount() == 1 and not photos.loading, timeout=5000)
    photos.grid.setCurrentIndex(photos.model.index(0))
    write_comment(qtbot, photos.comment_box, "照片看不清铭牌")
    index = photos.model.index(0)
    assert index.data(Qt.ItemDataRole.DisplayRole).startswith("✎ ")

    # The collateral observation.
    assert editor.show_page("collateral")
    collateral = editor.current_page()
    assert isinstance(collateral, CollateralPage)
    qtbot.waitUntil(lambda: bool(collateral.rows) and not collateral.busy, timeout=5000)
    assert collateral.focus_target(f"collateral:{s.visit.collateral_id}")
    write_comment(qtbot, collateral.comment_box, "请补充评估价值")
    row = collateral.row_of(s.visit.collateral_id)
    assert collateral.table.item(row, 0).text().startswith("✎ ")

    # The signal.
    assert editor.show_page("signals")
    signals = editor.current_page()
    assert isinstance(signals, SignalsPage)
    qtbot.waitUntil(lambda: bool(signals.rows) and not signals.busy, timeout=5000)
    assert signals.focus_target(f"signal:{s.signal_id}")
    write_comment(qtbot, signals.comment_box, "说明客户流失的金额")

    qtbot.waitUntil(lambda: editor.ctx.pending_saves == 0, timeout=5000)
    assert draft_comments(s) == {
        ("answer", s.item_code, "与合同约定不一致，请核实"),
        ("photo", s.photo_sha, "照片看不清铭牌"),
        ("observation", s.visit.collateral_id, "请补充评估价值"),
        ("signal", s.signal_id, "说明客户流失的金额"),
    }

    # Emptied: the comment goes, on screen and in the draft.
    assert editor.show_target(f"item:{s.item_code}")
    write_comment(qtbot, box, "   ")
    assert box.text.isHidden() or not box._body.isVisibleTo(box)
    qtbot.waitUntil(lambda: editor.ctx.pending_saves == 0, timeout=5000)
    assert ("answer", s.item_code, "与合同约定不一致，请核实") not in draft_comments(s)
    assert len(draft_comments(s)) == 3
    # The officer's comments page is not the reviewer's: not listed while writing.
    comments_page = editor.page("comments")
    assert comments_page is not None
    assert editor.page_list.item(editor.pages.index(comments_page)).isHidden()


def test_a_comment_too_long_is_not_accepted(
    qtbot: QtBot, submitted: Submitted, open_editor
) -> None:
    i18n.install("en")
    s, supervisor = submitted, submitted.portfolio.supervisor  # type: ignore[attr-defined]
    editor = open_editor(s.store, supervisor, s.visit.visit_id)
    box = answer_row_box(editor, s.item_code)
    assert editor.show_target(f"item:{s.item_code}")
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    dialog = box.dialog
    assert dialog is not None
    dialog.text_edit.setPlainText("长" * 2001)
    assert not dialog.ok_button.isEnabled()
    assert "2000" in dialog._hint.text()
    dialog.reject()
    assert box.text.isHidden() or not box._body.isVisibleTo(box)
    assert draft_comments(s) == set()


def test_the_officer_reads_no_comment_box_and_offers_none_before_a_return(
    qtbot: QtBot, submitted: Submitted, open_editor
) -> None:
    s = submitted
    editor = open_editor(s.store, s.visit.officer, s.visit.visit_id)
    assert editor.ctx.item_comments.mode is Mode.READ
    assert editor.ctx.item_comments.comments() == []
    assert answer_row_box(editor, s.item_code).isHidden()
    page = editor.page("comments")
    assert page is not None and editor.page_list.item(editor.pages.index(page)).isHidden()


def return_with_comments(s: Submitted) -> None:
    store, supervisor, visit_id = s.store, s.portfolio.supervisor, s.visit.visit_id  # type: ignore[attr-defined]
    store.set_review_comment(visit_id, supervisor, "answer", s.item_code, "与合同约定不一致")
    store.set_review_comment(visit_id, supervisor, "photo", s.photo_sha, "照片看不清铭牌")
    store.set_review_comment(visit_id, supervisor, "observation", s.visit.collateral_id,
                             "请补充评估价值")
    store.set_review_comment(visit_id, supervisor, "signal", s.signal_id, "说明客户流失的金额")
    store.return_visit(visit_id, supervisor, WHOLE)


def test_the_officer_revises_a_returned_visit_and_finds_the_comments_at_their_items(
    qtbot: QtBot, submitted: Submitted, open_editor
) -> None:
    i18n.install("en")
    s, officer = submitted, submitted.visit.officer
    return_with_comments(s)

    visits = BorrowerVisitsDialog(s.store, officer, s.borrower_id)
    qtbot.addWidget(visits)
    visits.show()
    qtbot.waitUntil(lambda: bool(visits.rows) and not visits.busy, timeout=5000)
    visits.select_visit(s.visit.visit_id)
    assert visits.revise_button.isVisible() and visits.revise_button.isEnabled()
    qtbot.mouseClick(visits.revise_button, Qt.MouseButton.LeftButton)
    dialog = visits.revise_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # a reason is required
    dialog.reason_edit.setPlainText("按主管意见修改")
    with qtbot.waitSignal(visits.visit_revised, timeout=5000) as revised:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    new_id = revised.args[0]
    assert new_id != s.visit.visit_id
    qtbot.waitUntil(lambda: not visits.busy, timeout=5000)
    visits.close()

    editor = open_editor(s.store, officer, new_id, page="comments")
    assert not editor.read_only  # the new revision is a draft
    page = editor.current_page()
    assert isinstance(page, CommentsPage)
    row = editor.pages.index(page)
    assert not editor.page_list.item(row).isHidden()
    assert editor.page_list.item(row).text() == "Supervisor's comments (4)"
    assert page.overall.text() == WHOLE
    assert "previous revision was returned by 张华" in page.heading.text()
    texts = page.row_texts()
    assert len(texts) == 4
    # Named by the question, not by the item's code.
    assert any(t.startswith(s.item_question) and t.endswith("与合同约定不一致")
               and s.item_code not in t for t in texts)

    # At the checklist item: the supervisor's words in the amber box, nothing to write.
    box = answer_row_box(editor, s.item_code)
    assert not box.isHidden() and box.text.text() == "与合同约定不一致"
    assert box.button.isHidden()
    assert "张华" in box.heading.text()

    # A jump from the list to the item.
    answer_row = next(i for i, t in enumerate(texts) if t.startswith(s.item_question))
    page.list.setCurrentRow(answer_row)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    current = editor.current_page()
    assert isinstance(current, ChecklistPage) and s.item_code in current.rows

    # And to the photo, by its SHA-256 (the new revision's photo has a new id).
    assert editor.show_page("comments")
    photo_row = next(i for i, t in enumerate(page.row_texts()) if "照片看不清铭牌" in t)
    page.list.setCurrentRow(photo_row)
    qtbot.mouseClick(page.go_button, Qt.MouseButton.LeftButton)
    photos = editor.current_page()
    assert isinstance(photos, VisitPhotosPage)
    qtbot.waitUntil(lambda: photos.selected_row() is not None, timeout=5000)
    assert photos.selected_row().sha256 == s.photo_sha
    assert photos.comment_box.text.text() == "照片看不清铭牌"

    # The signal raised on the returned revision is still open: listed among the earlier
    # ones, where the comment shows.
    assert editor.show_page("comments")
    signal_row = next(i for i, t in enumerate(page.row_texts()) if "客户流失" in t)
    page.list.setCurrentRow(signal_row)
    qtbot.mouseClick(page.go_button, Qt.MouseButton.LeftButton)
    signals = editor.current_page()
    assert isinstance(signals, SignalsPage)
    qtbot.waitUntil(lambda: not signals.busy and signals.selected() is not None, timeout=5000)
    assert signals.selected().id == s.signal_id
    assert signals.comment_box.text.text() == "说明客户流失的金额"

    # An item no page has (a comment on something since gone): the page says so, and stays.
    assert editor.show_page("comments")
    page.list.currentItem().setData(Qt.ItemDataRole.UserRole, "signal:no-such-signal")
    qtbot.mouseClick(page.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.current_page() is page, timeout=5000)
    assert page.missing.isVisible() and "not in this revision" in page.missing.text()

    # A second Revise of the same returned visit is refused: the history does not fork.
    again = BorrowerVisitsDialog(s.store, officer, s.borrower_id)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: bool(again.rows) and not again.busy, timeout=5000)
    again.select_visit(s.visit.visit_id)
    qtbot.mouseClick(again.revise_button, Qt.MouseButton.LeftButton)
    assert again.revise_dialog is not None
    again.revise_dialog.reason_edit.setPlainText("再来一次")
    qtbot.mouseClick(again.revise_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.message_box is not None and again.message_box.isVisible(),
                    timeout=5000)
    assert "already has a new revision" in again.message_box.text()
    again.message_box.close()
    again.close()


def test_work_list_counts_the_comments_of_a_returned_visit(
    qtbot: QtBot, submitted: Submitted, sign_in
) -> None:
    return_with_comments(submitted)
    i18n.install("zh_CN")
    window = sign_in("wang")
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).code == "C1002")
    assert model.index(row, Column.PROGRESS).data() == "已退回：4 条意见"
    others = [model.index(r, Column.PROGRESS).data() for r in range(model.rowCount()) if r != row]
    assert set(others) == {""}


def test_a_supervisor_writes_nothing_on_a_visit_not_submitted(
    qtbot: QtBot, photo_visit: PhotoVisit, portfolio, open_editor
) -> None:
    editor = open_editor(photo_visit.store, portfolio.supervisor, photo_visit.visit_id)
    assert portfolio.supervisor.role is Role.SUPERVISOR
    assert editor.ctx.item_comments.mode is Mode.READ
    code = next(iter(photo_visit.store.visit_checklist(photo_visit.visit_id).items())).code
    assert answer_row_box(editor, code).isHidden()
    with pytest.raises(RuntimeError):
        editor.ctx.item_comments.set_comment("answer", code, "x")
    assert QApplication.activeModalWidget() is None
