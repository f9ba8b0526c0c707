"""The fund recipient's answer (who actually received the loan funds): a name, and the
credit code and account number when the officer has them from the statement or the voucher.

Three fields, one answer: stored as the recipient's JSON text (domain.fund_recipient) once
the officer pauses or leaves a field. A credit code whose check character is wrong is said at
once and nothing is saved, as for any other answer the item cannot take.
"""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLineEdit, QWidget

from inspector_app.domain.checklist import AnswerError, Item, parse_answer
from inspector_app.domain.fund_recipient import RecipientError, parse_recipient
from inspector_app.gui import i18n
from inspector_app.gui.editor.answer_widgets import AnswerInput
from inspector_app.gui.qt_compat import emit


class RecipientInput(AnswerInput):
    """Name, 统一社会信用代码 and account of whoever received the funds."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("recipient_name")
        self.uscc_edit = QLineEdit(self)
        self.uscc_edit.setObjectName("recipient_uscc")
        self.uscc_edit.setMaxLength(22)  # 18 characters, room for spaces typed between
        self.account_edit = QLineEdit(self)
        self.account_edit.setObjectName("recipient_account")
        layout = self.layout()
        layout.addWidget(self.name_edit, 5)
        layout.addWidget(self.uscc_edit, 3)
        layout.addWidget(self.account_edit, 3)
        self.setFocusProxy(self.name_edit)
        for edit in (self.name_edit, self.uscc_edit, self.account_edit):
            edit.textEdited.connect(lambda _t: self._typed())
            edit.editingFinished.connect(self.flush)
        self.retranslate()

    def retranslate(self) -> None:
        self.name_edit.setPlaceholderText(self.tr("Recipient's name"))
        self.uscc_edit.setPlaceholderText(self.tr("Credit code (if known)"))
        self.account_edit.setPlaceholderText(self.tr("Account no. (if known)"))

    def _display(self, raw: str) -> None:
        try:
            shown = parse_recipient(raw) if raw.strip() else None
        except RecipientError:
            shown = None
        for edit, text in ((self.name_edit, shown.name if shown else ""),
                           (self.uscc_edit, shown.uscc if shown else ""),
                           (self.account_edit, shown.account if shown else "")):
            if edit.text() != text:
                edit.setText(text)
        emit(self.invalid, "")

    def _current(self) -> str | None:
        parts = {"name": self.name_edit.text(), "uscc": self.uscc_edit.text(),
                 "account": self.account_edit.text()}
        if not any(v.strip() for v in parts.values()):
            emit(self.invalid, "")
            return ""
        try:
            stored = parse_answer(self.item, json.dumps(parts, ensure_ascii=False))
        except AnswerError as error:
            emit(self.invalid, i18n.error_text(error))
            return None
        emit(self.invalid, "")
        return str(stored)

    def _same(self, a: str, b: str) -> bool:
        return a == b  # both are the canonical text (or "")
