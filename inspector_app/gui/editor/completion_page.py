"""The visit editor's completion page: one list of everything still missing, each line a jump
to where it is fixed, and "Mark as completed" once the list is empty — and "Sign report…"
right there, so the officer goes from a complete visit to a signed report in one flow
(report_signing.py; a draft is marked completed on the way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.page_parts import (
    GOOD_COLOUR,
    error_style,
    label_language,
    quiet_style,
    refusal_text,
)
from inspector_app.gui.editor.report_signing import ReportSigning
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import Changes, LocalStore, Missing, ReportRow

TARGET_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class CompletionView:
    missing: tuple[Missing, ...]
    status: VisitStatus
    visit_date: date


def load_completion(store: LocalStore, visit_id: str) -> CompletionView:
    header = store.visit_header(visit_id)
    return CompletionView(tuple(store.completion_list(visit_id)), header.status,
                          header.visit_date)


# Where "Sign report…" is offered (with nothing missing): a completed visit, and a draft,
# which is marked completed first.
SIGNABLE = (VisitStatus.DRAFT, VisitStatus.COMPLETED)


class CompletionPage(EditorPage):
    """Page "completion" of the visit editor; it owns no target, it points at the others'."""

    edited = Signal()
    loaded = Signal()
    completed = Signal()
    signed = Signal()

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: CompletionView | None = None
        self._generation = 0
        self._loading = 0
        self._completing = False
        self._sign_after_completing = False
        self._read_only = False
        self.signing = ReportSigning(ctx, self)
        self.signing.signed.connect(self._signed)

        self.summary = QLabel(self)
        self.summary.setObjectName("completionSummary")
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(quiet_style())
        self.list = QListWidget(self)
        self.list.setObjectName("missingList")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.message = QLabel(self)
        self.message.setObjectName("completionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.complete_button = QPushButton(self)
        self.complete_button.setObjectName("completeButton")
        self.complete_button.setEnabled(False)
        self.sign_button = QPushButton(self)
        self.sign_button.setObjectName("signReportButton")
        self.sign_button.hide()

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.complete_button)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.list.itemActivated.connect(self._jump)  # Enter, a double click (or a click)
        if not self.style().styleHint(QStyle.StyleHint.SH_ItemView_ActivateItemOnSingleClick):
            self.list.itemClicked.connect(self._jump)
        self.complete_button.clicked.connect(self.complete)
        self.sign_button.clicked.connect(self.sign)
        ctx.changed.connect(self._changed_elsewhere)
        self._retranslate()
        self.refresh()

    # -- Page (gui/editor/page.py) ---------------------------------------------------------

    def page_key(self) -> str:
        return "completion"

    def page_title(self) -> str:
        return self.tr("Completion check")

    @property
    def busy(self) -> bool:
        return self._loading > 0 or self._completing or self.signing.busy

    def refresh(self) -> None:
        self._generation += 1
        self._loading += 1
        generation, store, visit_id = self._generation, self.ctx.store, self.ctx.visit_id
        self.ctx.reads.submit(
            lambda: load_completion(store, visit_id),
            lambda view: self._loaded(generation, view),
            self._load_failed,
        )

    def focus_target(self, target: str) -> bool:
        return False

    def set_read_only(self, read_only: bool) -> None:
        """A signed visit: the list stays readable, nothing can be marked."""
        self._read_only = read_only
        self._fill()

    # -- public helpers ------------------------------------------------------------------------

    def missing_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def complete(self) -> None:
        """Mark the visit completed (the store checks the list once more, in its transaction)."""
        if self._completing or not self.complete_button.isEnabled():
            return
        self._start_completing()

    def sign(self) -> None:
        """Open the signing window; a draft is marked completed first (and the window opens
        only if that goes through)."""
        view = self.view
        if view is None or self._completing or not self.sign_button.isEnabled():
            return
        if view.status is VisitStatus.DRAFT:
            self._sign_after_completing = True
            self._start_completing()
        else:
            self.signing.start(view.visit_date)

    def _start_completing(self) -> None:
        self._completing = True
        self.complete_button.setEnabled(False)
        self.sign_button.setEnabled(False)
        ctx = self.ctx
        ctx.save(
            lambda: ctx.store.complete_visit(ctx.visit_id, ctx.user),
            on_done=self._completed, what="completion", on_error=self._complete_failed,
        )

    # -- internals -----------------------------------------------------------------------------

    def _changed_elsewhere(self, changes: Changes) -> None:
        # Any edit of the visit may fill or open a gap. Its completion (the one status change
        # made in the editor) this page made and shows itself (_completed).
        if self.ctx.visit_id in changes.visits and not changes.status:
            self.refresh()

    def _loaded(self, generation: int, view: CompletionView) -> None:
        self._loading -= 1
        if generation != self._generation:
            return
        self.view = view
        self._fill()
        emit(self.loaded)

    def _load_failed(self, error: Exception) -> None:
        self._loading -= 1
        self._show_message(refusal_text(error), error=True)

    def _fill(self) -> None:
        view, lang = self.view, label_language()
        self.list.clear()
        if view is None:
            return
        for missing in view.missing:
            text = missing.text.in_(lang)
            item = QListWidgetItem(text[:1].upper() + text[1:])  # the store's are clauses
            item.setData(TARGET_ROLE, missing.target)
            self.list.addItem(item)
        if view.status is not VisitStatus.DRAFT:
            self.summary.setText(self.tr("Status of this visit: {status}.").format(
                status=view.status.label(lang)))
        elif view.missing:
            self.summary.setText(self.tr("%n thing(s) still missing", "", len(view.missing)))
        else:
            self.summary.setText(self.tr("Nothing is missing: the visit can be completed."))
        self.hint.setVisible(bool(view.missing))
        self.list.setVisible(bool(view.missing))
        self.complete_button.setEnabled(
            not view.missing and view.status is VisitStatus.DRAFT and not self._completing
            and not self._read_only
        )
        signable = (not view.missing and view.status in SIGNABLE and not self._read_only
                    and self.ctx.user.role is Role.OFFICER)
        self.sign_button.setVisible(signable)
        self.sign_button.setEnabled(signable and not self._completing)

    def _jump(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            emit(self.jump_requested, str(target))

    def _completed(self, _result: object) -> None:
        self._completing = False
        self._show_message(
            self.tr("The visit is marked as completed. You can now sign its report."),
            error=False,
        )
        emit(self.edited)
        emit(self.completed)
        self.refresh()
        if self._sign_after_completing and self.view is not None:
            self._sign_after_completing = False
            self.signing.start(self.view.visit_date)

    def _complete_failed(self, error: Exception) -> None:
        self._completing = False
        self._sign_after_completing = False
        self._show_message(refusal_text(error), error=True)
        self.refresh()

    def _signed(self, _report: ReportRow) -> None:
        self._show_message(
            self.tr("The report is signed and kept. The visit goes to headquarters for review "
                    "at the next sync."),
            error=False,
        )
        emit(self.edited)
        emit(self.signed)
        self.refresh()

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(error_style() if error else
                                   f"color: {GOOD_COLOUR.name()}; font-weight: bold;")
        self.message.setText(text)
        self.message.show()

    # -- language ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.hint.setText(self.tr("Click a line (or select it and press Enter) to go where it "
                                  "is filled in."))
        self.complete_button.setText(self.tr("&Mark as completed"))
        self.sign_button.setText(self.tr("&Sign report…"))
        self.sign_button.setToolTip(self.tr(
            "Preview the report, sign it by hand and with your certificate; a draft is marked "
            "as completed first"))
        self._fill()
