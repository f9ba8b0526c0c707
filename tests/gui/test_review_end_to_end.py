"""The supervisor's review end to end: a real headquarters server process (`inspector-hq serve`
on SQLite), an officer's laptop and a supervisor's laptop (tests/gui/review_world.py).

The supervisor's side is driven through the app's windows as a user drives them: signing in,
the review queue, the visit opened read-only, Comment… at an item, the approve and return
dialogs (signature drawn on the pad with the mouse, the certificate's password typed). The
officer's side uses the work list, the visits window's Revise and the editor's comment boxes;
the officer's edits of the new revision are store calls. Between the steps each laptop syncs
with headquarters through SyncClient, as the sync dialog does. The countersigned report the
officer's laptop receives is checked with `inspector-app verify`, poppler's pdfsig and
pdftotext, and what headquarters stores is read from its database.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool
from PySide6.QtWidgets import QAbstractButton, QDialog, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from review_world import PASSWORD, ReviewWorld, review_world_fixture  # noqa: F401 (fixture)
from sqlalchemy import select, update
from test_signature_pad import draw

from inspector_app import wire
from inspector_app.domain.enums import Classification, Role, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.gui import i18n
from inspector_app.gui.app import Launcher
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.comment_box import COMMENT_FILL, CommentBox
from inspector_app.gui.editor.comments_page import CommentsPage
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.review.approve_dialog import ApproveDialog
from inspector_app.gui.review.diff_page import DiffPage
from inspector_app.gui.review.extras import ReviewExtras
from inspector_app.gui.review.queue_model import CONFLICT_FILL, Column
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column as WorkColumn
from inspector_app.hq import models as hq_models
from inspector_app.hq.db import Database
from inspector_app.reports import files as report_files
from inspector_app.reports.data import REPORT_TZ
from inspector_app.store import outbox
from inspector_app.store.facade import ReviewState
from inspector_app.store.local import LocalStore
from inspector_app.store.models import OutboxEntry, User, Visit
from inspector_app.store.visit_checks import visit_checklist

pytestmark = pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdfsig, pdftotext) is not installed")

# A signature as a hand writes it: a zigzag across the pad, in the pad's own coordinates.
STROKE = [QPoint(30 + 18 * i, 50 + (22 if i % 2 else -22)) for i in range(14)]

# -- the supervisor's app ------------------------------------------------------------------------


class SupervisorApp:
    """The app on the supervisor's laptop: signed in through the sign-in dialog."""

    def __init__(self, qtbot: QtBot, world: ReviewWorld) -> None:
        self.qtbot = qtbot
        self.world = world
        self.store = world.supervisor_laptop
        self.launcher: Launcher | None = None
        self.window: MainWindow | None = None

    def sign_in(self, username: str = "sup1", laptop: LocalStore | None = None) -> MainWindow:
        """The app started on the laptop (the supervisor's by default), the user signed in."""
        qtbot = self.qtbot
        self.store = laptop or self.world.supervisor_laptop
        self.launcher = launcher = Launcher(self.store, LaptopSettings())
        launcher.start()
        dialog = launcher.login_dialog
        assert dialog is not None
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.ui.usernameEdit, username)
        qtbot.keyClicks(dialog.ui.passwordEdit, PASSWORD)
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: launcher.main_window is not None, timeout=5000)
        window = launcher.main_window
        assert window is not None and window.review_queue is not None
        assert window.home_tabs is not None
        assert window.home_tabs.currentWidget() is window.review_queue  # a supervisor's home
        self.window = window
        self.wait_queue()
        return window

    @property
    def queue(self):  # -> ReviewQueue
        assert self.window is not None and self.window.review_queue is not None
        return self.window.review_queue

    def wait_queue(self) -> None:
        queue = self.queue
        self.qtbot.waitUntil(lambda: not queue.loading, timeout=5000)

    def refresh(self, tab: int = 0) -> None:
        """The queue's tab, read again (after a sync) with its Refresh button."""
        queue = self.queue
        if queue.tabs.currentIndex() != tab:
            queue.tabs.setCurrentIndex(tab)
        click(self.qtbot, queue.refresh_button)
        self.wait_queue()

    def row_texts(self, visit_id: str) -> list[str]:
        row = self.queue.model.row_of(visit_id)
        assert row >= 0, f"visit {visit_id} is not in the queue's tab"
        return self.queue.model.row_texts(row)

    def open(self, visit_id: str) -> VisitEditor:
        """Select the visit's row and press Enter: the editor opens read-only with the
        reviewer's extras."""
        queue, qtbot = self.queue, self.qtbot
        assert queue.select_visit(visit_id)
        queue.view.setFocus()
        qtbot.keyClick(queue.view, Qt.Key.Key_Return)
        assert self.window is not None
        editor = self.window.visit_editors.get(visit_id)
        assert isinstance(editor, VisitEditor), "Enter opened no editor"
        qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
        extras = extras_of(editor)
        qtbot.waitUntil(lambda: extras.situation is not None, timeout=10_000)
        qtbot.waitUntil(lambda: editor.ctx.item_comments.ready, timeout=5000)
        return editor

    def close_editor(self, editor: VisitEditor) -> None:
        editor.ctx.wait_for_saves()
        editor.close()  # deleted on close: the main window forgets it
        self.qtbot.waitUntil(lambda: editor.ctx.visit_id not in self.window.visit_editors,
                             timeout=5000)

    def close(self) -> None:
        if self.window is not None:
            for editor in list(self.window.visit_editors.values()):
                if isinstance(editor, VisitEditor):
                    editor.ctx.wait_for_saves()
        if self.launcher is None:
            return
        for window in (self.launcher.login_dialog, self.launcher.main_window):
            if window is not None:
                window.close()
                window.deleteLater()


@pytest.fixture
def supervisor(qtbot: QtBot, review_world: ReviewWorld) -> Iterator[SupervisorApp]:
    i18n.install("zh_CN")
    app = SupervisorApp(qtbot, review_world)
    yield app
    app.close()
    assert QThreadPool.globalInstance().waitForDone(20_000)


# -- helpers ---------------------------------------------------------------------------------------


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def extras_of(editor: VisitEditor) -> ReviewExtras:
    extras = editor.findChild(ReviewExtras)
    assert isinstance(extras, ReviewExtras), "no reviewer's extras on this editor"
    return extras


def type_in(edit: QPlainTextEdit | QLineEdit, text: str) -> None:
    """Chinese text as an input method commits it into the focused box (QTest cannot type
    characters that are not on a keyboard)."""
    edit.setFocus()
    if isinstance(edit, QPlainTextEdit):
        edit.insertPlainText(text)
    else:
        edit.insert(text)


def checklist_row(editor: VisitEditor, code: str):  # -> ItemRow
    page = next(p for p in editor.pages if isinstance(p, ChecklistPage) and code in p.rows)
    return page, page.rows[code]


def first_item(store: LocalStore, visit_id: str) -> str:
    with store.read() as s:
        visit = s.get_one(Visit, visit_id)
        return next(iter(visit_checklist(visit).items())).code


def status(store: LocalStore, visit_id: str) -> VisitStatus:
    with store.read() as s:
        return s.get_one(Visit, visit_id).status


def approve(qtbot: QtBot, world: ReviewWorld, editor: VisitEditor, opinion: str,
            classification: Classification | None = None, reason: str = "") -> ApproveDialog:
    """签字认定… on the toolbar; the classification (and why), 复核意见, the signature drawn on
    the pad with the mouse, the certificate's password; OK; the countersigning job ends."""
    extras = extras_of(editor)
    assert extras.approve_action.isVisible() and extras.approve_action.isEnabled()
    extras.approve_action.trigger()
    dialog = extras.approve_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    if classification is not None:
        combo = dialog.classification_combo
        combo.setCurrentIndex(combo.findData(classification.value))
        assert dialog.reason_edit.isVisible()
        type_in(dialog.reason_edit, reason)
    type_in(dialog.opinion_edit, opinion)
    assert dialog.pad.is_empty()
    draw(dialog.pad, STROKE)
    assert not dialog.pad.is_empty()
    qtbot.keyClicks(dialog.password_edit, world.ca.user("sup1").password)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60_000)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message.text()
    qtbot.waitUntil(lambda: not extras.approve_action.isEnabled(), timeout=5000)
    return dialog


def return_visit(qtbot: QtBot, editor: VisitEditor, comment: str) -> list[tuple[str, str]]:
    """退回… on the toolbar; the comment on the whole visit; OK. The item comments the
    dialog listed."""
    extras = extras_of(editor)
    assert extras.return_action.isVisible() and extras.return_action.isEnabled()
    extras.return_action.trigger()
    qtbot.waitUntil(lambda: extras.return_dialog is not None
                    and extras.return_dialog.isVisible(), timeout=5000)
    dialog = extras.return_dialog
    assert dialog is not None
    listed = dialog.comment_rows()
    type_in(dialog.comment_edit, comment)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: not extras.return_action.isEnabled(), timeout=5000)
    return listed


def hq_reviews(world: ReviewWorld, visit_id: str) -> list[hq_models.Review]:
    db = Database.open(world.server.db_url)
    try:
        with db.read() as s:
            return list(s.scalars(select(hq_models.Review)
                                  .where(hq_models.Review.visit_id == visit_id)))
    finally:
        db.dispose()


def hq_visit(world: ReviewWorld, visit_id: str) -> hq_models.Visit:
    db = Database.open(world.server.db_url)
    try:
        with db.read() as s:
            return s.get_one(hq_models.Visit, visit_id)
    finally:
        db.dispose()


def outbox_rows(store: LocalStore) -> set[tuple[str, str]]:
    with store.read() as s:
        return {(row.entity, row.ref) for row in s.scalars(select(OutboxEntry))}


def other_device(world: ReviewWorld) -> httpx.Client:
    """sup1 on a second device, registered at headquarters: a client with its token."""
    token = world.server.token("sup1")
    return httpx.Client(base_url=world.server.url, timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


def cli(name: str) -> str:
    """The installed console script next to this Python (the venv's bin)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found is not None, f"{name} is not installed"
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


# -- (1) approve -------------------------------------------------------------------------------


def test_approve_from_the_queue_and_the_officer_gets_a_report_both_signatures_verify(
    qtbot: QtBot, review_world: ReviewWorld, supervisor: SupervisorApp
) -> None:
    world = review_world
    visit_id = world.officer_signs_visit("C001")
    world.synced(world.supervisor_laptop)
    supervisor.sign_in()

    # The queue: the officer's visit, waiting.
    texts = supervisor.row_texts(visit_id)
    assert texts[Column.OFFICER] == "李明"
    assert texts[Column.BORROWER].endswith("(C001)")
    assert texts[Column.VISIT_DATE] == "2026-11-20"
    assert texts[Column.REVISION] == "1"
    assert supervisor.queue.count_label.text() == "1 次检查等待您复核"

    # Opened with Enter: read-only, the officer's answers not editable, the reviewer's pages.
    editor = supervisor.open(visit_id)
    assert editor.read_only
    code = first_item(world.supervisor_laptop, visit_id)
    _page, row = checklist_row(editor, code)
    assert row.input.findChildren(QWidget) and not any(
        w.isEnabled() for w in row.input.findChildren(QWidget))
    assert row.note_edit.isReadOnly()
    keys = [page.page_key() for page in editor.pages]
    assert {"review:report", "review:history", "review:comments"} <= set(keys)
    extras = extras_of(editor)
    assert "待您复核" in extras.banner.text()

    approve(qtbot, world, editor, "同意。关注应收账款回收情况",
            Classification.SPECIAL_MENTION, "主要客户回款放缓")
    assert status(world.supervisor_laptop, visit_id) is VisitStatus.APPROVED
    decision = world.supervisor_laptop.review_of(visit_id)
    assert decision is not None and decision.state is ReviewState.PENDING
    qtbot.waitUntil(lambda: "尚未发送到总行" in extras.banner.text(), timeout=5000)

    # The supervisor's sync sends the approval with its report; the officer's brings it back.
    up = world.synced(world.supervisor_laptop)
    assert up.approvals_sent == 1, up.messages()
    down = world.synced(world.officer_laptop)
    assert down.reports_received == 1, down.messages()
    latest = report_files.latest_report(world.officer_laptop, visit_id)
    assert latest is not None and latest.stage == "countersigned"
    pdf = report_files.report_path(world.officer_laptop.data_dir, latest.sha256)
    assert status(world.officer_laptop, visit_id) is VisitStatus.APPROVED

    # Both signatures verify: the app's own check (the test CA as the trusted root) ...
    verified = run(cli("inspector-app"), "verify", str(pdf), "--trust",
                   str(world.ca.ca_cert_path), "--lang", "en")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    out = verified.stdout
    assert "Signature 1: OfficerSignature  [PASS]" in out, out
    assert "Signature 2: SupervisorSignature  [PASS]" in out, out
    assert "Signer: 李明" in out and "Signer: 张主任" in out, out
    assert out.count("Valid: yes") == 2 and out.count("Trusted: yes") == 2, out
    assert "Verdict: all signatures verified" in out, out
    # ... and poppler's.
    sig = run("pdfsig", str(pdf))
    assert sig.stdout.count("Signature is Valid.") == 2, sig.stdout + sig.stderr
    assert "Signer Certificate Common Name: 张主任" in sig.stdout

    # The 复核确认 block: name, date, opinion, final classification.
    text = flat(run("pdftotext", "-layout", str(pdf), "-").stdout)
    review_date = decision.decided_at.astimezone(REPORT_TZ).date().isoformat()
    for shown in ("张主任", review_date, "同意。关注应收账款回收情况", "关注", "主要客户回款放缓"):
        assert shown in text, shown

    # What headquarters holds.
    [stored] = hq_reviews(world, visit_id)
    assert stored.decision == "approved"
    assert stored.final_classification == Classification.SPECIAL_MENTION.value
    assert stored.classification_reason == "主要客户回款放缓"
    assert stored.comment == "同意。关注应收账款回收情况"
    assert stored.report is not None and stored.report["sha256"] == latest.sha256
    # (The visit's own row keeps the status the officer pushed; the decision is the review.)


# -- (2) return → revise → what changed → re-approve ------------------------------------------


def comment_at_item(qtbot: QtBot, editor: VisitEditor, code: str, text: str) -> CommentBox:
    """At the checklist item: Comment…, the text, OK; stored in the review's draft."""
    assert editor.show_target(f"item:{code}")
    _page, row = checklist_row(editor, code)
    box = row.comment_box
    assert isinstance(box, CommentBox)
    assert box.button.isVisibleTo(editor) and box.button.text() == "添加意见…"
    click(qtbot, box.button)
    dialog = box.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    type_in(dialog.text_edit, text)
    click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: editor.ctx.pending_saves == 0, timeout=5000)
    assert box.text.text() == text
    return box


def officer_window(qtbot: QtBot, world: ReviewWorld) -> MainWindow:
    officer = world.user(world.officer_laptop, "off_a")
    window = MainWindow(world.officer_laptop, officer, LaptopSettings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() > 0, timeout=5000)
    return window


def test_return_with_an_item_comment_revise_see_what_changed_and_approve_revision_2(
    qtbot: QtBot, review_world: ReviewWorld, supervisor: SupervisorApp
) -> None:
    world = review_world
    first = world.officer_signs_visit("C002", note="经营正常")
    world.synced(world.supervisor_laptop)
    supervisor.sign_in()
    editor = supervisor.open(first)
    code = first_item(world.supervisor_laptop, first)
    comment_at_item(qtbot, editor, code, "请说明资金实际去向")
    listed = return_visit(qtbot, editor, "证据不足，请补充后重新提交")
    assert [text for _what, text in listed] == ["请说明资金实际去向"]
    assert status(world.supervisor_laptop, first) is VisitStatus.RETURNED

    up = world.synced(world.supervisor_laptop)
    assert up.returns_sent == 1, up.messages()
    [stored] = hq_reviews(world, first)
    assert (stored.decision, stored.comment) == ("returned", "证据不足，请补充后重新提交")
    assert stored.comments == [{"target": "answer", "ref": code, "text": "请说明资金实际去向"}]
    world.synced(world.officer_laptop)

    # The officer's work list: returned, one comment.
    officers = officer_window(qtbot, world)
    model = officers.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).code == "C002")
    assert model.index(row, WorkColumn.PROGRESS).data() == "已退回：1 条意见"

    # Revise, from the borrower's visits window: the new draft opens on the comments.
    borrower_id = world.borrower_id(world.officer_laptop, "C002")
    visits = officers.open_borrower(borrower_id)
    qtbot.waitUntil(lambda: bool(visits.rows) and not visits.busy, timeout=5000)
    visits.select_visit(first)
    click(qtbot, visits.revise_button)
    reason = visits.revise_dialog
    assert reason is not None and reason.isVisible()
    type_in(reason.reason_edit, "按负责人意见补充资金去向")
    with qtbot.waitSignal(visits.visit_revised, timeout=10_000) as revised:
        click(qtbot, reason.ok_button)
    second = revised.args[0]
    assert second != first
    revision = officers.visit_editors.get(second)
    assert isinstance(revision, VisitEditor)
    qtbot.waitUntil(lambda: revision.loaded and revision.ctx.item_comments.ready, timeout=5000)
    assert not revision.read_only
    comments_page = revision.current_page()
    assert isinstance(comments_page, CommentsPage)
    assert comments_page.overall.text() == "证据不足，请补充后重新提交"
    _page, officer_row = checklist_row(revision, code)
    box = officer_row.comment_box
    assert isinstance(box, CommentBox)
    assert revision.show_target(f"item:{code}")
    assert box.isVisible() and box.text.text() == "请说明资金实际去向"
    assert "张主任" in box.heading.text() and not box.button.isVisible()
    assert COMMENT_FILL in box._body.styleSheet()  # the amber box
    revision.ctx.wait_for_saves()
    revision.close()
    visits.close()

    # The officer answers the comment on that item, completes, signs and syncs.
    officer = world.user(world.officer_laptop, "off_a")
    world.officer_laptop.set_item_note(second, officer, code, "资金用于支付设备款，附合同")
    world.officer_laptop.transition(second, officer, VisitStatus.COMPLETED)
    world.sign(second)
    sent = world.synced(world.officer_laptop)
    assert sent.visits_sent >= 1, sent.messages()

    # The supervisor: revision 2 waits; it opens on what changed, the commented row marked.
    world.synced(world.supervisor_laptop)
    supervisor.close_editor(editor)
    supervisor.refresh()
    assert supervisor.row_texts(second)[Column.REVISION] == "2"
    assert supervisor.queue.model.row_of(first) < 0  # the returned revision waits no more
    again = supervisor.open(second)
    diff = again.page("review:diff")
    assert isinstance(diff, DiffPage)
    qtbot.waitUntil(lambda: again.current_page() is diff and diff.table.rowCount() > 0,
                    timeout=5000)
    rows = [diff.row_texts(r) for r in range(diff.table.rowCount())]
    changed = [r for r in rows if "资金用于支付设备款，附合同" in r[3]]
    assert len(changed) == 1, rows
    assert "经营正常" in changed[0][2] and changed[0][4] == "★ 有意见"
    assert "第 1 版已退回，这是第 2 版" in diff.note.text()

    approve(qtbot, world, again, "补充材料已核实，同意")
    up = world.synced(world.supervisor_laptop)
    assert up.approvals_sent == 1, up.messages()
    [approved] = hq_reviews(world, second)
    assert (approved.decision, approved.comment) == ("approved", "补充材料已核实，同意")
    assert approved.report is not None
    held = hq_visit(world, second)
    assert held.revision == 2 and held.payload.get("previous_revision_id") == first
    assert [r.decision for r in hq_reviews(world, first)] == ["returned"]


# -- (3) offline ---------------------------------------------------------------------------------


def test_a_return_made_offline_waits_and_goes_at_the_next_sync(
    qtbot: QtBot, review_world: ReviewWorld, supervisor: SupervisorApp
) -> None:
    world = review_world
    visit_id = world.officer_signs_visit("C003")
    world.synced(world.supervisor_laptop)
    supervisor.sign_in()
    editor = supervisor.open(visit_id)

    world.server.stop()
    return_visit(qtbot, editor, "现场照片不全，请补拍")
    extras = extras_of(editor)
    qtbot.waitUntil(lambda: "尚未发送到总行" in extras.banner.text(), timeout=5000)
    cut_off = world.sync(world.supervisor_laptop)
    assert not cut_off.ok and cut_off.returns_sent == 0
    said = "\n".join(cut_off.messages())
    # Why, and that it is the decision (a return, not a "countersigned approval") that waits.
    assert ("1项复核决定未能发送：无法连接服务器，下次同步时将继续发送 / 1 review decision "
            "could not be sent: the server is unreachable; it will be sent next time") in said, said
    decision = world.supervisor_laptop.review_of(visit_id)
    assert decision is not None and decision.state is ReviewState.PENDING
    assert (outbox.VISIT, visit_id) in outbox_rows(world.supervisor_laptop)
    assert hq_reviews(world, visit_id) == []

    world.server.start()
    later = world.synced(world.supervisor_laptop)
    assert later.returns_sent == 1, later.messages()
    [stored] = hq_reviews(world, visit_id)
    assert (stored.decision, stored.comment) == ("returned", "现场照片不全，请补拍")
    assert stored.decided_at == decision.decided_at and stored.received_at > decision.decided_at
    confirmed = world.supervisor_laptop.review_of(visit_id)
    assert confirmed is not None and confirmed.state is ReviewState.CONFIRMED
    assert outbox_rows(world.supervisor_laptop) == set()
    extras.reload()
    qtbot.waitUntil(lambda: "尚未发送到总行" not in extras.banner.text(), timeout=5000)


# -- (4) self-review -----------------------------------------------------------------------------


def test_nobody_reviews_their_own_visit_in_the_app_or_at_headquarters(
    qtbot: QtBot, review_world: ReviewWorld, supervisor: SupervisorApp
) -> None:
    """Through the app a supervisor never gets a submitted visit of their own (a supervisor
    may not complete a visit, nor push one; a signed visit's row is locked): it happens when
    an officer becomes a supervisor. On the officer's laptop off_a is made a supervisor and
    signs in; at headquarters off_a's visit is made sup1's and sup1 decides on it."""
    world = review_world
    laptop = world.officer_laptop
    own = world.officer_signs_visit("C004")
    assert status(laptop, own) is VisitStatus.SUBMITTED
    with laptop.write() as s:
        s.get_one(User, world.user(laptop, "off_a").id).role = Role.SUPERVISOR
    me = world.user(laptop, "off_a")
    assert me.role is Role.SUPERVISOR

    # The app: the queue (a supervisor's home) does not list it; opened, no decision is
    # offered and the banner says why; the store refuses.
    window = supervisor.sign_in("off_a", laptop)
    assert supervisor.queue.model.row_of(own) < 0
    editor = window.open_visit(own)
    assert isinstance(editor, VisitEditor)
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    extras = extras_of(editor)
    qtbot.waitUntil(lambda: extras.situation is not None, timeout=10_000)
    assert editor.read_only
    assert not extras.approve_action.isVisible() and not extras.return_action.isVisible()
    assert extras.approve() is None  # nothing opens either
    assert extras.banner.isVisible() and "这是您本人的检查" in extras.banner.text()
    with pytest.raises(TransitionError):
        laptop.return_visit(own, me, "自己退回")
    assert status(laptop, own) is VisitStatus.SUBMITTED and laptop.review_of(own) is None

    # Headquarters, asked directly with a device token of sup1's on a visit that is sup1's
    # own there: 403 own_visit, nothing stored.
    db = Database.open(world.server.db_url)
    try:
        with db.write() as s:
            sup1 = s.scalar(select(hq_models.User.id).where(hq_models.User.username == "sup1"))
            s.execute(update(hq_models.Visit).where(hq_models.Visit.id == own)
                      .values(officer_id=sup1))
    finally:
        db.dispose()
    with other_device(world) as http:
        for body in ({"decision": "returned", "comment": "自己退回"},
                     {"decision": "approved", "comment": "自己通过"}):
            answer = http.post(f"{wire.API}/visits/{own}/review", json=body)
            assert answer.status_code == 403, answer.text
            refused = wire.ErrorBody.model_validate(answer.json())
            assert refused.code == "own_visit"
            assert "本人" in refused.message and "your own visit" in refused.message
    assert hq_reviews(world, own) == []


# -- (5) conflict --------------------------------------------------------------------------------


def test_a_decision_headquarters_refused_is_shown_in_the_queue_and_the_visit(
    qtbot: QtBot, review_world: ReviewWorld, supervisor: SupervisorApp
) -> None:
    world = review_world
    visit_id = world.officer_signs_visit("C001")
    world.synced(world.supervisor_laptop)
    supervisor.sign_in()
    editor = supervisor.open(visit_id)
    approve(qtbot, world, editor, "同意")
    supervisor.close_editor(editor)

    # Meanwhile sup1 returned the same visit from another device, straight at headquarters.
    with other_device(world) as http:
        there = http.post(f"{wire.API}/visits/{visit_id}/review",
                          json={"decision": "returned", "comment": "另一台电脑上退回"})
    assert there.status_code in (200, 201), there.text

    report = world.sync(world.supervisor_laptop)
    assert not report.ok and report.approvals_sent == 0 and report.conflicts == 1
    assert any("张主任" in line for line in report.messages()), report.messages()
    assert [(r.decision, r.comment) for r in hq_reviews(world, visit_id)] == [
        ("returned", "另一台电脑上退回")]

    # The decided tab: the row marked, a banner over the list.
    supervisor.refresh(tab=1)
    queue = supervisor.queue
    texts = supervisor.row_texts(visit_id)
    assert texts[Column.DECISION] == "⚠ 与总行的决定冲突"
    row = queue.model.row_of(visit_id)
    assert queue.model.data(queue.model.index(row, Column.BORROWER),
                            Qt.ItemDataRole.BackgroundRole).color() == CONFLICT_FILL
    assert queue.banner.isVisible() and "总行未接受您的 1 个决定" in queue.banner.text()

    # Opened: the banner says headquarters did not accept it, and what headquarters holds.
    opened = supervisor.open(visit_id)
    extras = extras_of(opened)
    banner = extras.banner.text()
    assert extras.banner.isVisible() and "总行未接受本机的决定" in banner
    assert "已由张主任退回" in banner, banner
    assert not extras.approve_action.isVisible() and not extras.return_action.isVisible()
    assert status(world.supervisor_laptop, visit_id) is VisitStatus.RETURNED
