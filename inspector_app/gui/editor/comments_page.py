"""The visit editor's page of the supervisor's comments: why the visit (or the revision it
replaces) was returned, and every comment on a single item, each a step away from its item.

It lists what the editor's ItemComments holds. In the page list only while there is a return
to read (the officer's side); a supervisor's draft comments are listed by the review pages.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui import i18n
from inspector_app.gui.editor.comment_box import COMMENT_EDGE, COMMENT_FILL, COMMENT_INK
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.item_comments import Mode, jump_target
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.page_parts import quiet_style
from inspector_app.gui.qt_compat import emit
from inspector_app.store.facade import ReviewCommentRow

TARGET_ROLE = Qt.ItemDataRole.UserRole


class CommentsPage(EditorPage):
    """Page "comments": the return's comment on the whole visit and the item comments."""

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentsPage")
        self.ctx = ctx
        self.comments = ctx.item_comments
        self.heading = QLabel(self)
        self.heading.setObjectName("returnHeading")
        self.heading.setWordWrap(True)
        self.overall = QLabel(self)
        self.overall.setObjectName("returnComment")
        self.overall.setWordWrap(True)
        self.overall.setTextFormat(Qt.TextFormat.PlainText)
        self.overall.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.overall.setStyleSheet(
            f"QLabel {{ color: {COMMENT_INK}; background: {COMMENT_FILL}; "
            f"border: 1px solid {COMMENT_EDGE}; border-left: 4px solid {COMMENT_EDGE}; "
            "padding: 6px; }")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(quiet_style())
        self.list = QListWidget(self)
        self.list.setObjectName("commentList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)
        self.list.itemActivated.connect(self._activated)
        self.list.currentRowChanged.connect(self._update_button)
        self.go_button = QPushButton(self)
        self.go_button.setObjectName("goToItemButton")
        self.go_button.clicked.connect(self.go_to_selected)
        self.empty = QLabel(self)
        self.empty.setStyleSheet(quiet_style())
        self.missing = QLabel(self)
        self.missing.setObjectName("missingItem")
        self.missing.setWordWrap(True)
        self.missing.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.missing, 1)
        buttons.addWidget(self.go_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.overall)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.comments.changed.connect(self._fill)
        self._fill()

    # -- Page (gui/editor/page.py) ---------------------------------------------------------

    def page_key(self) -> str:
        return "comments"

    def page_title(self) -> str:
        count = self.comments.count()
        if count:
            return self.tr("Supervisor's comments (%n)", "", count)
        return self.tr("Supervisor's comments")

    def listed(self) -> bool:
        return self.comments.mode is Mode.READ and self.comments.review is not None

    def refresh(self) -> None:
        self.comments.reload()

    def focus_target(self, target: str) -> bool:
        if target != "comments":
            return False
        self.list.setFocus()
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        return True

    def set_read_only(self, read_only: bool) -> None:
        """Nothing here is edited."""

    # -- public helpers ------------------------------------------------------------------------

    def row_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def go_to_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._activated(item)

    # -- slots ---------------------------------------------------------------------------------

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if not target:
            return
        self.missing.hide()
        emit(self.jump_requested, target)
        # The editor shows the item's page at once; still here, no page has the item (a
        # manual signal of the returned revision, say, is not copied into this one).
        if self.isVisible():
            self.missing.setText(self.tr("That item is not in this revision of the visit; "
                                         "the comment is for your information."))
            self.missing.show()

    def _update_button(self) -> None:
        self.go_button.setEnabled(self.list.currentItem() is not None)

    def _fill(self) -> None:
        review = self.comments.review
        keep = self.list.currentRow()
        self.list.clear()
        for comment in self.comments.comments():
            item = QListWidgetItem(f"{self._label(comment)}\n{comment.text}", self.list)
            item.setData(TARGET_ROLE, jump_target(comment.target, comment.ref))
            item.setToolTip(self.tr("Enter or double-click: go to the item"))
        if 0 <= keep < self.list.count():
            self.list.setCurrentRow(keep)
        if review is None:
            self.heading.setText(self.tr("No comments from a supervisor on this visit."))
            self.overall.hide()
        else:
            when = review.decided_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if review.visit_id == self.ctx.visit_id:
                heading = self.tr("Returned by {name} on {when}. The comment on the "
                                  "whole visit:")
            else:
                heading = self.tr("The previous revision was returned by {name} on {when}. "
                                  "The comment on the whole visit:")
            self.heading.setText(heading.format(name=review.reviewer_name, when=when))
            self.overall.setText(review.comment)
            self.overall.setVisible(bool(review.comment))
        self.hint.setText(self.tr("Each comment below is on one item; go to it, correct it, "
                                  "then complete and sign the visit again."))
        self.hint.setVisible(self.list.count() > 0)
        self.empty.setText(self.tr("No comments on single items."))
        self.empty.setVisible(review is not None and self.list.count() == 0)
        self.go_button.setText(self.tr("&Go to item"))
        self._update_button()

    def _label(self, comment: ReviewCommentRow) -> str:
        label = comment.label_in(i18n.domain_language(i18n.current()))
        if label:
            return label
        # What it is on, in words: its ref is an item code, a digest or an id.
        kinds = {
            "answer": self.tr("A checklist item"),
            "photo": self.tr("A photo"),
            "observation": self.tr("A collateral item"),
            "signal": self.tr("A signal"),
        }
        return kinds.get(comment.target, self.tr("An item"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._fill()
        super().changeEvent(event)
