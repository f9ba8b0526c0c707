"""The visits window's column of report actions, and what the selected visit allows.

Only what the user's role can ever do is offered (the rest would be forever grey); of that,
what the selected visit's state and officer allow is enabled.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.store.facade import UserRow, VisitSummary


def may_sign(user: UserRow, row: VisitSummary) -> bool:
    """An officer signs a completed visit of their own."""
    return (
        user.role is Role.OFFICER and row.officer_id == user.id
        and row.status is VisitStatus.COMPLETED
    )


def may_submit(user: UserRow, row: VisitSummary) -> bool:
    """An officer submits a signed visit of their own for review."""
    return (
        user.role is Role.OFFICER and row.officer_id == user.id
        and row.status is VisitStatus.SIGNED
    )


def may_revise(user: UserRow, row: VisitSummary) -> bool:
    """An officer revises a returned visit of a borrower they look after now: their own, or
    one a handover passed to them (not one of a borrower they handed over)."""
    return (
        user.role is Role.OFFICER and row.borrower_officer_id == user.id
        and row.status is VisitStatus.RETURNED
    )


def may_review(user: UserRow, row: VisitSummary) -> bool:
    """A supervisor approves or returns a submitted visit."""
    return user.role is Role.SUPERVISOR and row.status is VisitStatus.SUBMITTED


class ReportButtons(QWidget):
    """Preview, print, sign, submit, revise, approve, return and verify, one under the
    other."""

    def __init__(self, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user = user
        self.preview_button = self._button("previewButton")
        self.print_button = self._button("printButton")
        self.sign_button = self._button("signButton")
        self.submit_button = self._button("submitButton")
        self.revise_button = self._button("reviseButton")
        self.approve_button = self._button("approveButton")
        self.return_button = self._button("returnButton")
        self.verify_button = self._button("verifyButton")
        officer = user.role is Role.OFFICER
        supervisor = user.role is Role.SUPERVISOR
        self.sign_button.setVisible(officer)
        self.submit_button.setVisible(officer)
        self.revise_button.setVisible(officer)
        self.approve_button.setVisible(supervisor)
        self.return_button.setVisible(supervisor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.preview_button, self.print_button, self.sign_button,
                       self.submit_button, self.revise_button, self.approve_button,
                       self.return_button, self.verify_button):
            layout.addWidget(button)
        layout.addStretch(1)
        self._retranslate()

    def allow(self, row: VisitSummary | None) -> None:
        """Enable what row allows; row None (nothing selected, or the window busy): nothing."""
        user = self._user
        self.preview_button.setEnabled(row is not None)
        self.print_button.setEnabled(row is not None)
        self.sign_button.setEnabled(row is not None and may_sign(user, row))
        self.submit_button.setEnabled(row is not None and may_submit(user, row))
        self.revise_button.setEnabled(row is not None and may_revise(user, row))
        self.approve_button.setEnabled(row is not None and may_review(user, row))
        self.return_button.setEnabled(row is not None and may_review(user, row))
        self.verify_button.setEnabled(row is not None and row.report_sha256 is not None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _button(self, name: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter in the list must not sign or return a visit
        return button

    def _retranslate(self) -> None:
        texts: list[tuple[QPushButton, str, str]] = [
            (self.preview_button, self.tr("Pre&view report"),
             self.tr("Show the report as it prints: the signed report once there is one, "
                     "otherwise a draft")),
            (self.print_button, self.tr("&Print…"), self.tr("Print the report")),
            (self.sign_button, self.tr("&Sign report…"),
             self.tr("Sign a completed visit of yours: your handwritten signature and your "
                     "certificate")),
            (self.submit_button, self.tr("Su&bmit"),
             self.tr("Mark a signed visit as submitted for review")),
            (self.revise_button, self.tr("R&evise…"),
             self.tr("A returned visit: make a new draft revision of it, with the "
                     "supervisor's comments at their items")),
            (self.approve_button, self.tr("&Approve and countersign…"),
             self.tr("Approve a submitted visit and countersign its report with your "
                     "certificate")),
            (self.return_button, self.tr("&Return…"),
             self.tr("Return a submitted visit to its officer, with the reason")),
            (self.verify_button, self.tr("Verify si&gnatures"),
             self.tr("Check that the stored report is unchanged since it was signed")),
        ]
        for button, text, tip in texts:
            button.setText(text)
            button.setToolTip(tip)
