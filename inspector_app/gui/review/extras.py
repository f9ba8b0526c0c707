"""What the visit editor adds when a supervisor reads a signed visit: the reviewer's pages,
签字认定… and 退回… on its toolbar, and a banner that says where the decision stands.

The main window gives a supervisor's editor a ReviewExtras (its child); once the editor's pages
are loaded (VisitEditor.pages_loaded) and only if the visit is read-only (signed), it reads,
off the UI thread, who the visit's officer is, the decision that
stands or waits (LocalStore.review_of), the officer's conclusion and, for a resubmission, what
changed; then adds the pages and offers the decisions only where they are allowed: a submitted
visit, not the supervisor's own, with no decision yet. A decision headquarters refused
(CONFLICT) is shown in the banner, with what headquarters holds.

Approving runs report_actions.countersign_report as a gui.jobs job on the editor's one writer
(after any comment still being stored); returning is store.return_visit on the same writer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from inspector_app.common.text import UserError
from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.jobs import Job, run_job
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.review.approve_dialog import (
    ApprovalRequest,
    ApproveDialog,
    OfficerConclusion,
)
from inspector_app.gui.review.diff_page import DiffPage
from inspector_app.gui.review.queue_model import CONFLICT_FILL, CONFLICT_TEXT
from inspector_app.gui.review.return_dialog import ReturnDialog, ReturnRequest
from inspector_app.gui.review.review_pages import (
    DraftCommentsPage,
    HistoryPage,
    ReportPage,
)
from inspector_app.store.facade import (
    Changes,
    LocalStore,
    ReportRow,
    ReviewRow,
    ReviewState,
    RevisionDiff,
    UserRow,
    VisitSummary,
)

if TYPE_CHECKING:
    from inspector_app.gui.editor.window import VisitEditor
    from inspector_app.gui.settings.certificates import CertificateSettingsDialog

log = logging.getLogger(__name__)

INFO_STYLE = ("QLabel { background: #e8f0fe; color: #174ea6; border: 1px solid #aecbfa; "
              "border-radius: 4px; padding: 6px 10px; }")
GOOD_STYLE = ("QLabel { background: #e6f4ea; color: #1b5e20; border: 1px solid #a8dab5; "
              "border-radius: 4px; padding: 6px 10px; }")
WARN_STYLE = (f"QLabel {{ background: {CONFLICT_FILL.name()}; color: {CONFLICT_TEXT.name()}; "
              "border: 1px solid #e0c36c; border-radius: 4px; padding: 6px 10px; "
              "font-weight: bold; }")


@dataclass(frozen=True)
class ReviewSituation:
    """What the extras need to know about the visit, read in one go off the UI thread."""

    summary: VisitSummary | None  # the visit's line in its borrower's list (officer, status)
    decision: ReviewRow | None  # the decision that stands or waits (CONFLICT included)
    conclusion: OfficerConclusion
    diff: RevisionDiff | None  # a resubmission: what changed since the returned revision

    def own_visit(self, user: UserRow) -> bool:
        return self.summary is not None and self.summary.officer_id == user.id

    def may_decide(self, user: UserRow) -> bool:
        """A supervisor decides on a submitted visit of someone else's, not yet decided."""
        return (
            user.role is Role.SUPERVISOR and self.summary is not None
            and not self.own_visit(user) and self.summary.status is VisitStatus.SUBMITTED
            and self.decision is None
        )


def read_situation(store: LocalStore, visit_id: str, borrower_id: str) -> ReviewSituation:
    """The worker's half: every store read the extras need."""
    summary = next((v for v in store.borrower_visits(borrower_id).visits if v.id == visit_id),
                   None)
    conclusion = store.conclusion_of(visit_id)
    diff = store.revision_diff(visit_id)
    return ReviewSituation(
        summary=summary,
        decision=store.review_of(visit_id),
        conclusion=OfficerConclusion(conclusion.current,
                                     conclusion.recommendation.classification,
                                     conclusion.final),
        diff=diff,
    )


class ReviewExtras(QObject):
    """The reviewer's pages, decisions and banner in one visit editor."""

    loaded = Signal()  # the situation is read and the pages are added
    decided = Signal(str)  # "approved" or "returned": a decision was made here

    def __init__(self, editor: VisitEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.ctx = editor.ctx
        self.started = False  # the editor's pages are loaded and the visit is read-only
        self.situation: ReviewSituation | None = None
        self.approve_dialog: ApproveDialog | None = None
        self.return_dialog: ReturnDialog | None = None
        self.certificate_dialog: CertificateSettingsDialog | None = None
        self.job: Job | None = None
        self.report_page: ReportPage | None = None
        self.history_page: HistoryPage | None = None
        self.diff_page: DiffPage | None = None
        self.comments_page: DraftCommentsPage | None = None

        self.banner = QLabel()
        self.banner.setObjectName("reviewBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.approve_action = QAction(editor)
        self.approve_action.setObjectName("approveAction")
        self.approve_action.triggered.connect(self.approve)
        self.return_action = QAction(editor)
        self.return_action.setObjectName("returnAction")
        self.return_action.triggered.connect(self.return_visit)
        editor.installEventFilter(self)
        self._retranslate()
        # A bound method, not a closure holding the editor (see signing_steps.py).
        editor.pages_loaded.connect(self._start)
        if editor.loaded:
            self._start()

    def _start(self) -> None:
        """The editor's pages are loaded: a signed visit gets the reviewer's additions."""
        editor = self.editor
        if self.started or not editor.read_only:
            return  # a draft or a completed visit is no reviewer's business
        self.started = True
        # Above the page list and the page: the editor's central widget, wrapped.
        central = editor.takeCentralWidget()
        wrapper = QWidget(editor)
        layout = QVBoxLayout(wrapper)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(central, 1)
        editor.setCentralWidget(wrapper)
        toolbar = editor.toolbar
        toolbar.addSeparator()
        toolbar.addAction(self.approve_action)
        toolbar.addAction(self.return_action)
        for action in (self.approve_action, self.return_action):
            action.setVisible(False)  # until the situation is known
        self.reload()

    # -- public --------------------------------------------------------------------------------

    @property
    def may_decide(self) -> bool:
        return self.situation is not None and self.situation.may_decide(self.ctx.user)

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.running

    def reload(self) -> None:
        """Read the situation again (after a decision, or a sync)."""
        header = self.editor.header
        assert header is not None
        store, visit_id, borrower_id = self.ctx.store, self.ctx.visit_id, header.borrower_id
        self.ctx.reads.submit(lambda: read_situation(store, visit_id, borrower_id),
                              self._situation_read, self._read_failed)

    def approve(self) -> ApproveDialog | None:
        """签字认定: open the approve window (made once, kept; see signing_steps.py)."""
        situation = self.situation
        if situation is None or not self.may_decide or self.busy:
            return None
        if self.approve_dialog is None:
            self.approve_dialog = ApproveDialog(self.ctx.store.data_dir, self.ctx.user,
                                                situation.conclusion, self.editor)
            self.approve_dialog.requested.connect(self._countersign)
            self.approve_dialog.import_certificate_requested.connect(self._open_certificates)
        self.approve_dialog.open()
        return self.approve_dialog

    def return_visit(self) -> None:
        """退回: read the draft's comments, then open the return window with them."""
        if not self.may_decide or self.busy:
            return
        store, visit_id, user = self.ctx.store, self.ctx.visit_id, self.ctx.user
        self.editor.flush_pages()
        # After the writer: a comment typed a moment ago is in the draft by then.
        self.ctx.writes.submit(lambda: store.draft_review(visit_id, user),
                               self._open_return, self._read_failed)

    # -- Qt ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        return False

    # -- the situation -------------------------------------------------------------------------

    def _situation_read(self, situation: ReviewSituation) -> None:
        first = self.situation is None
        self.situation = situation
        if first:
            self._add_pages(situation)
        self._show_situation()
        if first:
            emit(self.loaded)

    def _read_failed(self, error: Exception) -> None:
        log.error("the review of visit %s could not be read", self.ctx.visit_id,
                  exc_info=error)
        self.banner.setStyleSheet(WARN_STYLE)
        self.banner.setText(self.tr("The review could not be loaded: {error}").format(
            error=i18n.error_text(error)))
        self.banner.show()

    def _add_pages(self, situation: ReviewSituation) -> None:
        editor = self.editor
        pages: list[EditorPage] = []
        if situation.diff is not None:
            self.diff_page = DiffPage(self.ctx, situation.diff, editor)
            pages.append(self.diff_page)
        self.report_page = ReportPage(self.ctx, editor)
        self.history_page = HistoryPage(self.ctx, editor)
        self.comments_page = DraftCommentsPage(self.ctx, editor)
        self.comments_page.title_changed.connect(editor.retitle_pages)
        pages += [self.report_page, self.history_page, self.comments_page]
        for page in pages:
            editor.add_page(page)
        self.comments_page.refresh()  # its title counts the comments, seen or not
        wanted = editor.wanted_page
        if wanted and editor.show_page(wanted):
            return
        if situation.diff is not None and not wanted:
            # A resubmission: what changed is what the supervisor looks at first.
            editor.show_page(self.diff_page.page_key())

    def _show_situation(self) -> None:
        situation, user = self.situation, self.ctx.user
        if situation is None:
            return
        may = situation.may_decide(user)
        for action in (self.approve_action, self.return_action):
            action.setVisible(not situation.own_visit(user) and situation.summary is not None
                              and situation.summary.status is VisitStatus.SUBMITTED)
            action.setEnabled(may and not self.busy)
        text, style = self._banner(situation)
        self.banner.setText(text)
        self.banner.setStyleSheet(style)
        self.banner.setVisible(bool(text))

    def _banner(self, situation: ReviewSituation) -> tuple[str, str]:
        decision, user = situation.decision, self.ctx.user
        if situation.own_visit(user):
            return (self.tr("This is your own visit: another supervisor reviews it."),
                    INFO_STYLE)
        if decision is not None:
            when = decision.decided_at.astimezone().strftime("%Y-%m-%d %H:%M")
            what = (self.tr("approved") if decision.decision == "approved"
                    else self.tr("returned"))
            if decision.state is ReviewState.CONFLICT:
                return (self.tr(
                    "⚠ Headquarters did not accept the decision made here ({what} by {name}, "
                    "{when}): {conflict} The visit follows the decision headquarters holds."
                ).format(what=what, name=decision.reviewer_name, when=when,
                         conflict=decision.conflict or self.tr("another decision stands.")),
                    WARN_STYLE)
            text = self.tr("{name} {what} this visit on {when}.").format(
                name=decision.reviewer_name, what=what, when=when)
            if decision.state is ReviewState.PENDING:
                text += " " + self.tr("Not yet sent to headquarters: it goes at the next sync.")
            return text, GOOD_STYLE if decision.decision == "approved" else INFO_STYLE
        if situation.may_decide(user):
            return (self.tr("Submitted for your review. Read the visit, comment on items if "
                            "needed, then approve or return it."), INFO_STYLE)
        return "", INFO_STYLE

    # -- approving -----------------------------------------------------------------------------

    def _open_certificates(self) -> None:
        from inspector_app.gui.settings.certificates import CertificateSettingsDialog

        if self.certificate_dialog is None:
            self.certificate_dialog = CertificateSettingsDialog(
                self.ctx.store.data_dir, self.ctx.user, parent=self.approve_dialog)
            self.certificate_dialog.finished.connect(self._certificates_closed)
        self.certificate_dialog.open()

    def _certificates_closed(self, _result: int = 0) -> None:
        if self.approve_dialog is not None:
            self.approve_dialog.refresh_certificate()

    def _countersign(self, request: ApprovalRequest) -> None:
        from inspector_app.reports.report_actions import countersign_report

        store, visit_id, user = self.ctx.store, self.ctx.visit_id, self.ctx.user
        self._update_actions_busy(True)
        self.job = run_job(
            lambda _progress: countersign_report(
                store, visit_id, user, request.p12, request.password,
                approval=request.approval, handwritten_png=request.handwritten_png),
            self.approve_dialog, self.tr("Countersigning the report…"),
            title=self.tr("Approve and countersign"),
            on_done=self._countersigned, on_error=self._countersign_failed,
            cancellable=False,  # a signing cannot stop half-way
            submit=self.ctx.writes.submit,  # after any edit (a comment) still being stored
        )

    def _countersigned(self, _report: ReportRow) -> None:
        self._update_actions_busy(False)
        if self.approve_dialog is not None:
            self.approve_dialog.finish()
        self._decided("approved", Changes(visits=frozenset({self.ctx.visit_id}), status=True))

    def _countersign_failed(self, error: Exception) -> None:
        self._update_actions_busy(False)
        if not isinstance(error, UserError | ValueError):
            log.error("countersigning visit %s failed", self.ctx.visit_id, exc_info=error)
        if self.approve_dialog is not None:
            self.approve_dialog.failed(error)

    # -- returning -----------------------------------------------------------------------------

    def _open_return(self, draft: ReviewRow | None) -> None:
        if self.return_dialog is not None:
            self.return_dialog.deleteLater()  # made anew: the draft may have changed
        self.return_dialog = ReturnDialog(draft.comments if draft is not None else (),
                                          self.editor)
        self.return_dialog.return_requested.connect(self._return)
        self.return_dialog.open()

    def _return(self, request: ReturnRequest) -> None:
        store, visit_id, user = self.ctx.store, self.ctx.visit_id, self.ctx.user

        def work() -> Changes:
            for edit in request.edits:
                store.set_review_comment(visit_id, user, edit.target, edit.ref, edit.text)
            return store.return_visit(visit_id, user, request.comment)

        self._update_actions_busy(True)
        self.ctx.writes.submit(work, self._returned, self._return_failed)

    def _returned(self, changes: Changes) -> None:
        self._update_actions_busy(False)
        if self.return_dialog is not None:
            self.return_dialog.finish()
        self._decided("returned", changes)

    def _return_failed(self, error: Exception) -> None:
        self._update_actions_busy(False)
        if not isinstance(error, ValueError):
            log.error("returning visit %s failed", self.ctx.visit_id, exc_info=error)
        if self.return_dialog is not None:
            self.return_dialog.failed(error)

    # -- after a decision ------------------------------------------------------------------------

    def _decided(self, decision: str, changes: Changes) -> None:
        emit(self.ctx.changed, changes)  # the pages (and the comments page) read again
        self.ctx.item_comments.reload()  # no longer a draft to write: the comment boxes read
        self.reload()
        page = self.editor.current_page()
        if page is not None:
            page.refresh()
        emit(self.decided, decision)

    def _update_actions_busy(self, busy: bool) -> None:
        for action in (self.approve_action, self.return_action):
            action.setEnabled(not busy and self.may_decide)

    def _retranslate(self) -> None:
        self.approve_action.setText(self.tr("&Approve and countersign…"))
        self.approve_action.setIconText(self.tr("Approve…"))
        self.approve_action.setToolTip(self.tr(
            "Confirm or change the classification, write your review opinion, sign by hand "
            "and countersign the report"))
        self.return_action.setText(self.tr("&Return to officer…"))
        self.return_action.setIconText(self.tr("Return…"))
        self.return_action.setToolTip(self.tr(
            "Return the visit to its officer with your comments, for a new revision"))
        self._show_situation()
