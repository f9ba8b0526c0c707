"""The pages a reviewer gets in the visit editor besides the officer's: the report and its
signatures, the visit's history, what changed since the returned revision, and the comments.

Each is an EditorPage (gui/editor/page.py): read-only by nature, reading the store off the UI
thread each time it is shown. A comment or a difference names the part of the visit it is on
(an answer by item code, a photo by SHA-256, an observation by collateral item, a signal by
id); double-click or Enter on it shows that part on its page (jump_requested).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.item_comments import TARGETS, jump_target
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.page_parts import error_style, quiet_style
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reports.verdict import ReportVerdictWidget
from inspector_app.gui.tables import make_roomy
from inspector_app.store.facade import (
    AuditRow,
    ReportRow,
    ReviewCommentRow,
    ReviewRow,
)

log = logging.getLogger(__name__)

TARGET_ROLE = Qt.ItemDataRole.UserRole


def editor_target(area: str, ref: str) -> str:
    """The editor's target (see EditorPage.focus_target) for the part of the visit a comment
    (answer, photo, observation, signal) or a difference (those, a note, the classification,
    a header field) is on; "" if no page shows it."""
    if area in TARGETS:
        return jump_target(area, ref)
    match area:
        case "note":
            return jump_target("answer", ref)
        case "classification":
            return "conclusion:final"
        case "header":
            return f"header:{ref}" if ref in ("place", "people_met") else "header"
    return ""


def heading(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def read_only_table(parent: QWidget, columns: int, name: str) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    make_roomy(table)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def cell(text: str, target: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if target:
        item.setData(TARGET_ROLE, target)
    return item


class ReviewPage(EditorPage):
    """What the reviewer's pages share: a heading, a note, a failure line; read-only."""

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.heading = heading(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(quiet_style())
        self.failure = QLabel(self)
        self.failure.setWordWrap(True)
        self.failure.setStyleSheet(error_style())
        self.failure.hide()
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.note)
        self.body.addWidget(self.failure)

    def focus_target(self, target: str) -> bool:
        return False  # the reviewer's pages own no part of the visit

    def set_read_only(self, read_only: bool) -> None:
        """Nothing here is ever edited."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        raise NotImplementedError

    def _load_failed(self, error: Exception) -> None:
        log.error("a review page could not load visit %s", self.ctx.visit_id, exc_info=error)
        # translate(), not tr(): this runs on the subclasses, whose context tr() would use.
        self.failure.setText(QCoreApplication.translate(
            "ReviewPage", "Could not be loaded: {error}").format(error=i18n.error_text(error)))
        self.failure.show()

    def _jump_from(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)
        target = item.data(TARGET_ROLE) if item is not None else None
        if target:
            emit(self.jump_requested, target)


# -- the report and its signatures ---------------------------------------------------------------


@dataclass(frozen=True)
class ReportView:
    report: ReportRow | None
    path: Path | None
    trust_roots: tuple[Path, ...]


class ReportPage(ReviewPage):
    """The stored report (the officer's signed one, or the countersigned one), whether its
    signatures hold, and a button to open the PDF."""

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("reviewReportPage")
        self.view: ReportView | None = None
        self._verified: str | None = None  # the SHA-256 whose verdict shows
        self.facts = QLabel(self)
        self.facts.setObjectName("reportFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openPdfButton")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_pdf)
        self.verify_button = QPushButton(self)
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.setAutoDefault(False)
        self.verify_button.clicked.connect(self.verify)
        self.verdict = ReportVerdictWidget(self)
        self.verdict.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        self.body.addWidget(self.facts)
        self.body.addLayout(buttons)
        self.body.addWidget(self.verdict)
        self.body.addStretch(1)
        self._retranslate()
        self._show()

    def page_key(self) -> str:
        return "review:report"

    def page_title(self) -> str:
        return self.tr("Report and signatures")

    def refresh(self) -> None:
        from inspector_app.reports.certificate_files import trust_roots
        from inspector_app.reports.report_actions import report_file

        self._generation += 1
        generation, store, visit_id = self._generation, self.ctx.store, self.ctx.visit_id

        def load() -> ReportView:
            report = store.latest_report(visit_id)
            path = report_file(store, report.sha256) if report is not None else None
            return ReportView(report, path, tuple(trust_roots(store.data_dir)))

        self.ctx.reads.submit(load, lambda view: self._loaded(generation, view),
                              self._load_failed)

    def open_pdf(self) -> None:
        """Open the stored report in the laptop's PDF viewer."""
        if self.view is not None and self.view.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.view.path)))

    def verify(self) -> None:
        view = self.view
        if view is None or view.path is None or view.report is None:
            return
        self._verified = view.report.sha256
        self.verdict.show()
        self.verdict.verify_file(view.path, view.trust_roots)

    def _loaded(self, generation: int, view: ReportView) -> None:
        if generation != self._generation:
            return
        self.failure.hide()
        self.view = view
        self._show()
        # Checked once per report shown: a countersigning makes a new one.
        if view.report is not None and view.report.sha256 != self._verified:
            self.verify()

    def _show(self) -> None:
        view = self.view
        report = view.report if view is not None else None
        self.open_button.setEnabled(report is not None)
        self.verify_button.setEnabled(report is not None)
        if view is None:
            self.facts.setText(self.tr("Loading…"))
        elif report is None:
            self.facts.setText(self.tr("No signed report is stored for this visit."))
        else:
            stage = (self.tr("Countersigned report") if report.stage == "countersigned"
                     else self.tr("Report signed by the officer"))
            self.facts.setText(self.tr("{stage}\nSigned by {signer} at {when}").format(
                stage=stage, signer=report.signer_name,
                when=report.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")))

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("Report and signatures"))
        self.note.setText(self.tr("The report as the officer signed it. The check below says "
                                  "whether it is unchanged since."))
        self.open_button.setText(self.tr("&Open PDF"))
        self.verify_button.setText(self.tr("&Check signatures again"))
        self._show()


# -- the visit's history -------------------------------------------------------------------------


class HistoryPage(ReviewPage):
    """Every step of the visit and its earlier revisions: who, when, what, why."""

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("reviewHistoryPage")
        self.rows: list[AuditRow] = []
        self.table = read_only_table(self, 4, "historyTable")
        self.body.addWidget(self.table, 1)
        self._retranslate()

    def page_key(self) -> str:
        return "review:history"

    def page_title(self) -> str:
        return self.tr("History")

    def refresh(self) -> None:
        self._generation += 1
        generation, store, visit_id = self._generation, self.ctx.store, self.ctx.visit_id
        self.ctx.reads.submit(lambda: store.audit_trail(visit_id),
                              lambda rows: self._loaded(generation, rows), self._load_failed)

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]

    def _loaded(self, generation: int, rows: Sequence[AuditRow]) -> None:
        if generation != self._generation:
            return
        self.failure.hide()
        self.rows = list(rows)
        self._fill()

    def _fill(self) -> None:
        lang = i18n.domain_language(i18n.current())
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            self.table.setItem(n, 0, cell(row.at.astimezone().strftime("%Y-%m-%d %H:%M")))
            self.table.setItem(n, 1, cell(row.user_name or self.tr("Headquarters")))
            self.table.setItem(n, 2, cell(row.summary.in_(lang)))
            self.table.setItem(n, 3, cell(row.reason))
        self.table.resizeRowsToContents()

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("History of the visit"))
        self.note.setText(self.tr("Every step of this visit and of its earlier revisions, "
                                  "oldest first."))
        self.table.setHorizontalHeaderLabels([
            self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Reason or comment")])
        self._fill()


# -- the comments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentsView:
    draft: ReviewRow | None  # the reviewer's comments not yet sent with a decision
    decided: ReviewRow | None  # the decision that stands or waits, if any


class DraftCommentsPage(ReviewPage):
    """The reviewer's comments on single items (the draft that goes with a return), or the
    comments of the decision already made; each line jumps to its item. (The officer's side
    lists a return's comments on the editor's own comments page.)"""

    title_changed = Signal()

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("reviewCommentsPage")
        self.view: CommentsView | None = None
        self.whole = QLabel(self)
        self.whole.setObjectName("wholeComment")
        self.whole.setWordWrap(True)
        self.whole.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.whole.hide()
        self.table = read_only_table(self, 2, "commentsTable")
        self.table.cellActivated.connect(lambda row, _col: self._jump_from(self.table, row))
        self.table.cellDoubleClicked.connect(lambda row, _col: self._jump_from(self.table, row))
        scroll = QScrollArea(self)  # a long comment on the whole visit must stay readable
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.whole)
        scroll.setMaximumHeight(160)
        self.body.addWidget(scroll)
        self.body.addWidget(self.table, 1)
        ctx.changed.connect(self._visit_changed)
        ctx.item_comments.changed.connect(self.refresh)  # a comment written at its item
        self._retranslate()

    def page_key(self) -> str:
        return "review:comments"

    def page_title(self) -> str:
        count = len(self.comments())
        return self.tr("Comments ({count})").format(count=count) if count \
            else self.tr("Comments")

    def comments(self) -> tuple[ReviewCommentRow, ...]:
        view = self.view
        if view is None:
            return ()
        if view.decided is not None and view.decided.decision == "returned":
            return view.decided.comments
        return view.draft.comments if view.draft is not None else ()

    def refresh(self) -> None:
        self._generation += 1
        generation, store = self._generation, self.ctx.store
        visit_id, user = self.ctx.visit_id, self.ctx.user

        def load() -> CommentsView:
            return CommentsView(store.draft_review(visit_id, user), store.review_of(visit_id))

        self.ctx.reads.submit(load, lambda view: self._loaded(generation, view),
                              self._load_failed)

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]

    def _visit_changed(self, _changes: object) -> None:
        self.refresh()  # a comment added at an item, or the decision made

    def _loaded(self, generation: int, view: CommentsView) -> None:
        if generation != self._generation:
            return
        self.failure.hide()
        self.view = view
        self._fill()

    def _fill(self) -> None:
        view = self.view
        comments = self.comments()
        self.table.setRowCount(len(comments))
        for n, comment in enumerate(comments):
            target = editor_target(comment.target, comment.ref)
            label = comment.label_in(i18n.domain_language(i18n.current()))
            self.table.setItem(n, 0, cell(label or comment.ref, target))
            self.table.setItem(n, 1, cell(comment.text))
        self.table.resizeRowsToContents()
        decided = view.decided if view is not None else None
        if decided is not None and decided.decision == "returned":
            self.whole.setText(self.tr("Returned by {name} on {date}: {comment}").format(
                name=decided.reviewer_name,
                date=decided.decided_at.astimezone().strftime("%Y-%m-%d"),
                comment=decided.comment))
            self.whole.show()
            self.note.setText(self.tr("The comments sent to the officer with the return."))
        else:
            self.whole.hide()
            self.note.setText(self.tr(
                "Your comments on single items, kept as a draft until you return the visit "
                "(they go to the officer with it). Add one with \"Comment…\" beside an item; "
                "double-click a line here to go to its item."))
        self.table.setHidden(not comments and decided is not None)
        emit(self.title_changed)  # the page list shows how many comments there are

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("Review comments"))
        self.table.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Comment")])
        self._fill()
