"""The supervisor's comment on one item, where the item is shown: a checklist row, a photo's
details, a collateral observation, a signal.

Reading (the officer): the comment in an amber box, or nothing. Writing (a supervisor
reviewing): the draft comment, if any, and "Comment…", which opens a small dialog; an empty
comment removes it. Everything comes from and goes to the editor's ItemComments.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.editor.item_comments import MAX_COMMENT, ItemComments, Mode
from inspector_app.gui.palette import BAD, QUIET
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import ReviewCommentRow

COMMENT_INK = "#7a4f01"  # dark amber: read as text on the light amber fill
COMMENT_FILL = "#fff4d6"
COMMENT_EDGE = "#e0a800"


def comment_style(object_name: str) -> str:
    return (f"QFrame#{object_name} {{ background: {COMMENT_FILL}; border: 1px solid "
            f"{COMMENT_EDGE}; border-left: 4px solid {COMMENT_EDGE}; border-radius: 3px; }}")


class CommentDialog(QDialog):
    """One comment's text; OK stores it (empty: the comment is removed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentDialog")
        self._about = QLabel(self)
        self._about.setWordWrap(True)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("commentEdit")
        self.text_edit.setTabChangesFocus(True)
        self._hint = QLabel(self)
        self._hint.setWordWrap(True)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.text_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self._about)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self._hint)
        layout.addWidget(self._buttons)
        self._label = ""
        self.resize(460, 240)
        fit_window(self, "comment")
        self._retranslate()

    def ask(self, label: str, text: str) -> None:
        """Open (window-modal) on the comment about label, showing text."""
        self._label = label
        self.text_edit.setPlainText(text)
        self._retranslate()
        self.text_edit.setFocus()
        self.open()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def accept(self) -> None:
        if len(self.text()) <= MAX_COMMENT:
            super().accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _update(self) -> None:
        too_long = len(self.text()) > MAX_COMMENT
        self.ok_button.setEnabled(not too_long)
        if too_long:
            self._hint.setText(self.tr("At most {n} characters; this is {m}.").format(
                n=MAX_COMMENT, m=len(self.text())))
            self._hint.setStyleSheet(f"color: {BAD.name()};")
        else:
            self._hint.setText(self.tr("The officer reads this at the item when the visit "
                                       "is returned. Leave it empty to remove the comment."))
            self._hint.setStyleSheet(f"color: {QUIET.name()};")

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Comment"))
        self._about.setText(self.tr("Your comment on {item}:").format(item=self._label)
                            if self._label else self.tr("Your comment:"))
        self._update()


class CommentBox(QFrame):
    """The comment on one item (target, ref) of the visit; hidden when there is nothing to
    show or to do."""

    def __init__(
        self,
        comments: ItemComments,
        target: str,
        ref: str | None = None,
        label: Callable[[], str] = str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("commentBox")
        self.comments = comments
        self.target = target
        self.ref = ref
        self._label = label  # what the item is, in words, for the dialog and the store
        self.dialog: CommentDialog | None = None  # made when first needed
        self._may_write = True  # e.g. False for an unanswered item: nothing to comment on yet
        self._button_outside = False  # the button sits in the item's own row of buttons
        self.heading = QLabel(self)
        self.heading.setObjectName("commentHeading")
        self.text = QLabel(self)
        self.text.setObjectName("commentText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton(self)
        self.button.setObjectName("commentButton")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.edit)
        self._body = QFrame(self)
        self._body.setObjectName("commentBody")
        self._body.setStyleSheet(comment_style("commentBody"))
        body = QVBoxLayout(self._body)
        body.setContentsMargins(8, 4, 8, 4)
        body.setSpacing(2)
        body.addWidget(self.heading)
        body.addWidget(self.text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._body, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        comments.changed.connect(self._update)
        self._update()

    def set_ref(self, ref: str | None) -> None:
        """Show the comment on another item of the same kind (None: no item)."""
        self.ref = ref
        self._update()

    def set_may_write(self, may: bool) -> None:
        """Whether a comment may be written on the item now (an unanswered item: not yet)."""
        self._may_write = may
        self._update()

    def take_button(self) -> QPushButton:
        """The Comment… button, for the item to place among its own buttons; the box still
        shows, hides and labels it."""
        self._button_outside = True
        layout = self.layout()
        if layout is not None:
            layout.removeWidget(self.button)
        self._update()
        return self.button

    @property
    def comment_text(self) -> str:
        row = self._row()
        return row.text if row is not None else ""

    def edit(self) -> CommentDialog | None:
        """Open the dialog on this item's comment (write mode only)."""
        if not self._writing():
            return None
        if self.dialog is None:
            self.dialog = CommentDialog(self)
            self.dialog.accepted.connect(self._dialog_accepted)
        self.dialog.ask(self._label(), self.comment_text)
        return self.dialog

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._update()
        super().changeEvent(event)

    def _row(self) -> ReviewCommentRow | None:
        if self.ref is None:
            return None
        return self.comments.comment_on(self.target, self.ref)

    def _writing(self) -> bool:
        return self.comments.mode is Mode.WRITE and self.ref is not None and self._may_write

    def _dialog_accepted(self) -> None:
        if self.dialog is None or self.ref is None or not self.comments.writable:
            return
        self.comments.set_comment(self.target, self.ref, self.dialog.text(), self._label())

    def _update(self) -> None:
        if not shiboken6.isValid(self):
            return
        row = self._row()
        writing = self._writing()
        self.setVisible(row is not None or (writing and not self._button_outside))
        self._body.setVisible(row is not None)
        self.button.setVisible(writing)
        if row is not None:
            review = self.comments.review
            who = review.reviewer_name if review is not None else ""
            if writing:
                heading = self.tr("Your comment:")
            elif who:
                heading = self.tr("Supervisor {name}'s comment:").format(name=who)
            else:
                heading = self.tr("Supervisor's comment:")
            self.heading.setText(heading)
            self.heading.setStyleSheet(f"color: {COMMENT_INK}; font-weight: bold; "
                                       "border: none; background: transparent;")
            self.text.setText(row.text)
            self.text.setStyleSheet(f"color: {COMMENT_INK}; border: none; "
                                    "background: transparent;")
        self.button.setText(self.tr("Edit comment…") if row is not None
                            else self.tr("Comment…"))
        self.button.setToolTip(self.tr("A comment on this item for the officer, sent with "
                                       "the return"))
