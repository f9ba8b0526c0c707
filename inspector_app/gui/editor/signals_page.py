"""The visit editor's risk signals page: this visit's signals (raised automatically from answers
and collateral findings, showing where they came from, or by the officer's hand) and the
borrower's signals still open from earlier visits, which the officer handles, monitors or
clears with a reason. Every step of a signal's life is listed: who, when, why.

A supervisor reading a team member's submitted or reviewed visit follows its signals up
instead: escalates one (a higher severity), hands it over to another officer of the team, or
clears it, each with a reason (store.follow_up_signal); these are steps of the signal too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.enums import Role, Severity, SignalStatus, VisitStatus
from inspector_app.domain.lifecycle import SIGNAL_STEPS
from inspector_app.gui.editor.comment_box import CommentBox
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.page_parts import (
    error_style,
    label_language,
    quiet_style,
    refusal_text,
)
from inspector_app.gui.editor.signal_history import SignalHistory
from inspector_app.gui.editor.signals_dialogs import (
    AddSignalDialog,
    FollowUp,
    FollowUpAction,
    FollowUpDialog,
    ManualSignal,
    ManualSignalStep,
    SignalHandle,
)
from inspector_app.gui.editor.signals_tree import SignalsTree
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.reason_dialog import ReasonDialog
from inspector_app.store.facade import (
    NOTHING,
    Changes,
    Created,
    LocalStore,
    SignalRow,
    UserRow,
)

TARGET_PREFIX = "signal:"
# The steps an officer takes on an earlier signal, in the order of the buttons.
FOLLOW_UP = (SignalStatus.HANDLED, SignalStatus.MONITORED, SignalStatus.CLEARED)


# A supervisor follows up the signals of a team member's visit in these states.
REVIEWED = (VisitStatus.SUBMITTED, VisitStatus.APPROVED, VisitStatus.RETURNED)


@dataclass(frozen=True)
class _Read:
    rows: list[SignalRow]
    editable: bool
    # A supervisor on a team member's visit: follows its signals up (else None), and hands
    # them over to one of these officers (the team, but the visit's own officer).
    team: list[UserRow] | None


def read_signals(store: LocalStore, user: UserRow, visit_id: str) -> _Read:
    """Worker: the signals, whether the visit is editable, and the supervisor's team."""
    rows = store.signals_of(visit_id)
    header = store.visit_header(visit_id)
    team = None
    if user.role is Role.SUPERVISOR and header.status in REVIEWED:
        visits = store.borrower_visits(header.borrower_id).visits
        officer = next((v.officer_id for v in visits if v.id == visit_id), None)
        officers = store.team_officers(user)
        if officer not in (None, user.id) and any(o.id == officer for o in officers):
            team = [o for o in officers if o.id != officer]
    return _Read(rows, header.editable, team)


class SignalsPage(EditorPage):
    """Page "signals" of the visit editor; owns the targets "signal:<id>"."""

    edited = Signal()
    loaded = Signal()

    def __init__(self, ctx: VisitContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[SignalRow] = []
        self.editable = True
        self._read_only = False
        # Each hand-raised signal's handle by its id now, so the undo steps of one signal
        # (added, withdrawn, added again) all follow its current id.
        self._handles: dict[str, SignalHandle] = {}
        self._generation = 0
        self._loading = 0
        self._wanted: str | None = None
        self._acting: tuple[str, SignalStatus] | None = None  # signal and step being asked
        # The supervisor's team to hand signals over to; None: no follow-ups here.
        self.team: list[UserRow] | None = None

        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addSignalButton")
        self.message = QLabel(self)
        self.message.setObjectName("signalsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(error_style())
        self.message.hide()
        self.tree = SignalsTree(self)
        self.this_visit_group, self.earlier_group = self.tree.groups()

        self.history = SignalHistory(self)
        # Its parts by the names the page has always given them.
        self.detail_title, self.detail_text = self.history.title, self.history.text
        self.steps_table = self.history.steps_table
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeSignalButton")
        self.step_buttons = {step: QPushButton(self) for step in FOLLOW_UP}
        for step, button in self.step_buttons.items():
            button.setObjectName(f"{step.value}SignalButton")
            button.clicked.connect(partial(self._ask_step, step))
        self.follow_up_buttons = {
            action: QPushButton(self) for action in FollowUpAction.ALL
        }
        for action, button in self.follow_up_buttons.items():
            button.setObjectName(f"{action}FollowUpButton")
            button.clicked.connect(partial(self._ask_follow_up, action))
            button.hide()
        self.add_dialog = AddSignalDialog(self)
        self.reason_dialog = ReasonDialog(self)
        self.follow_up_dialog = FollowUpDialog(self)

        top = QHBoxLayout()
        top.addWidget(self._intro, 1)
        top.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        for button in self.step_buttons.values():
            buttons.addWidget(button)
        for button in self.follow_up_buttons.values():
            buttons.addWidget(button)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.history, 1)
        self.comment_box = CommentBox(ctx.item_comments, "signal", None,
                                      label=self._selected_label, parent=detail)
        detail_layout.addWidget(self.comment_box)
        ctx.item_comments.changed.connect(self._mark_comments)
        detail_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.tree.itemSelectionChanged.connect(self._show_selected)
        self.add_button.clicked.connect(self.add_dialog.ask)
        self.add_dialog.accepted.connect(self._add_dialog_done)
        self.remove_button.clicked.connect(self._remove_selected)
        self.reason_dialog.accepted.connect(self._reason_given)
        self.follow_up_dialog.submitted.connect(self._follow_up_given)
        self._retranslate()
        self.refresh()

    # -- Page (gui/editor/page.py) ---------------------------------------------------------

    def page_key(self) -> str:
        return "signals"

    def page_title(self) -> str:
        return self.tr("Risk signals")

    @property
    def busy(self) -> bool:
        return self._loading > 0

    def refresh(self) -> None:
        self._generation += 1
        self._loading += 1
        generation, store, visit_id = self._generation, self.ctx.store, self.ctx.visit_id
        user = self.ctx.user
        self.ctx.reads.submit(
            lambda: read_signals(store, user, visit_id),
            lambda answer: self._loaded(generation, answer),
            self._load_failed,
        )

    def set_read_only(self, read_only: bool) -> None:
        """Show, never change (a signed visit); the list and histories stay browsable."""
        self._read_only = read_only
        self.editable = self.editable and not read_only
        self.add_button.setEnabled(self.editable)
        self._show_selected()

    def focus_target(self, target: str) -> bool:
        if not target.startswith(TARGET_PREFIX):
            return False
        signal_id = target.removeprefix(TARGET_PREFIX)
        if self.busy:
            self._wanted = signal_id
            return True
        return self._select_signal(signal_id)

    # -- public helpers ------------------------------------------------------------------------

    def selected(self) -> SignalRow | None:
        signal_id = self.tree.selected_id()
        return next((r for r in self.rows if r.id == signal_id), None)

    def group_texts(self, this_visit: bool) -> list[list[str]]:
        """The rows of one group as the officer reads them."""
        return self.tree.group_texts(this_visit)

    # -- loading -------------------------------------------------------------------------------

    def _loaded(self, generation: int, answer: _Read) -> None:
        self._loading -= 1
        if generation != self._generation:
            return
        rows, self.team = answer.rows, answer.team
        self._show_intro()
        self.editable = answer.editable and not self._read_only
        self.add_button.setEnabled(self.editable)
        current = self._wanted or (self.selected().id if self.selected() else None)
        self._wanted = None
        self.rows = rows
        self._fill()
        if current is not None:
            self._select_signal(current)
        self._show_selected()
        emit(self.loaded)

    def _load_failed(self, error: Exception) -> None:
        self._loading -= 1
        self._show_message(refusal_text(error))

    def _fill(self) -> None:
        self.tree.fill(self.rows)
        self._mark_comments()

    def _select_signal(self, signal_id: str) -> bool:
        return self.tree.select(signal_id)

    def _mark_comments(self) -> None:
        """Signals the supervisor commented on read amber, with the comment as a tooltip."""
        comments = self.ctx.item_comments
        self.tree.mark_comments(lambda signal_id: comments.comment_on("signal", signal_id))

    def _selected_label(self) -> str:
        row = self.selected()
        return "" if row is None else self.tr("signal “{title}”").format(
            title=row.title_in(label_language()))

    def _show_selected(self) -> None:
        row = self.selected()
        self.comment_box.set_ref(None if row is None else row.id)
        self.remove_button.setEnabled(
            row is not None and row.this_visit and not row.automatic and self.editable
        )
        for step, button in self.step_buttons.items():
            button.setEnabled(
                row is not None and not row.this_visit and self.editable
                and step in SIGNAL_STEPS[row.status]
            )
        self._show_follow_up_buttons(row)
        self.history.show_signal(row)

    # -- adding and withdrawing ------------------------------------------------------------------

    def _add_dialog_done(self) -> None:
        signal = self.add_dialog.signal()
        text = self.tr("Add signal “{title}”").format(title=signal.title)
        self.ctx.undo_stack.push(ManualSignalStep(
            text, signal, SignalHandle(), True, self._store_add, self._store_remove
        ))

    def _remove_selected(self) -> None:
        row = self.selected()
        if row is None or not row.this_visit or row.automatic:
            return
        signal = ManualSignal(row.category, row.severity, row.title, row.description)
        handle = self._handles.setdefault(row.id, SignalHandle(row.id))
        text = self.tr("Withdraw signal “{title}”").format(title=row.title)
        self.ctx.undo_stack.push(
            ManualSignalStep(text, signal, handle, False, self._store_add, self._store_remove)
        )

    def _store_add(self, signal: ManualSignal, handle: SignalHandle) -> None:
        ctx = self.ctx

        def add() -> Created:
            created = ctx.store.create_manual_signal(
                ctx.visit_id, ctx.user, category=signal.category, severity=signal.severity,
                title=signal.title, description=signal.description, event=signal.event)
            handle.id = created.id
            return created

        def added(created: Created) -> None:
            self._handles[created.id] = handle
            self._wanted = created.id
            self._saved(created)

        ctx.save(add, on_done=added, what="signals", on_error=self._save_failed)

    def _store_remove(self, handle: SignalHandle) -> None:
        ctx = self.ctx

        def remove() -> Changes:
            if handle.id is None:
                return NOTHING
            return ctx.store.remove_manual_signal(handle.id, ctx.user)

        ctx.save(remove, on_done=self._saved, what="signals", on_error=self._save_failed)

    # -- earlier signals: handle, monitor, clear ---------------------------------------------------

    def _ask_step(self, step: SignalStatus) -> None:
        row = self.selected()
        if row is None:
            return
        self._acting = (row.id, step)
        title = row.title
        prompts = {
            SignalStatus.HANDLED: (
                lambda: self.tr("Handle the signal"),
                lambda: self.tr("What was done about “{title}”? A reason is required.")
                .format(title=title),
            ),
            SignalStatus.MONITORED: (
                lambda: self.tr("Monitor the signal"),
                lambda: self.tr("Why is “{title}” now only monitored? A reason is required.")
                .format(title=title),
            ),
            SignalStatus.CLEARED: (
                lambda: self.tr("Clear the signal"),
                lambda: self.tr("Why is “{title}” cleared? A reason is required.")
                .format(title=title),
            ),
        }
        self.reason_dialog.ask(*prompts[step])

    def _reason_given(self) -> None:
        if self._acting is None:
            return
        (signal_id, step), self._acting = self._acting, None
        ctx, reason = self.ctx, self.reason_dialog.reason()
        self._wanted = signal_id
        ctx.save(
            lambda: ctx.store.advance_signal(signal_id, ctx.user, step, reason),
            on_done=self._saved, what=f"{TARGET_PREFIX}{signal_id}",
            on_error=self._save_failed,
        )

    # -- the supervisor's follow-ups ------------------------------------------------------------

    def _show_intro(self) -> None:
        if self.team is not None:
            self._intro.setText(self.tr(
                "The signals of this visit and the borrower's signals still open from earlier "
                "visits. As the supervisor you may escalate a signal, hand it over to another "
                "officer of your team or clear it, with a reason."))
            return
        self._intro.setText(
            self.tr("Signals raised automatically by answers and collateral findings, signals "
                    "you add by hand, and the borrower's signals still open from earlier "
                    "visits, which you handle, monitor or clear with a reason.")
        )

    def _show_follow_up_buttons(self, row: SignalRow | None) -> None:
        """Offered to a supervisor on a team member's visit (the officer's own buttons are
        not theirs, so hidden); none of them on a cleared signal."""
        following = self.team is not None
        for button in (self.add_button, self.remove_button, *self.step_buttons.values()):
            button.setVisible(not following)
        open_signal = row is not None and row.status is not SignalStatus.CLEARED
        for action, button in self.follow_up_buttons.items():
            button.setVisible(following)
            enabled = open_signal
            tip = "" if open_signal or row is None else self.tr("The signal is cleared.")
            if row is not None and enabled and action == FollowUpAction.ESCALATE \
                    and row.severity is max(Severity, key=lambda v: v.rank):
                enabled, tip = False, self.tr("The signal is already at the highest severity.")
            if enabled and action == FollowUpAction.REASSIGN and not self._hand_over_to(row):
                enabled = False
                tip = self.tr("There is no other officer in your team to hand it over to.")
            button.setEnabled(enabled)
            button.setToolTip(tip)

    def _hand_over_to(self, row: SignalRow | None) -> list[UserRow]:
        """The team's officers but the visit's and the one the signal was last handed to."""
        handed = [st for st in row.steps if st.follow_up == FollowUpAction.REASSIGN] if row else []
        last = handed[-1].officer_id if handed else None
        return [o for o in self.team or [] if o.id != last]

    def _ask_follow_up(self, action: str) -> None:
        row = self.selected()
        if row is None or self.team is None:
            return
        self.follow_up_dialog.ask(action, row.id, row.title_in(label_language()),
                                  row.severity, self._hand_over_to(row))

    def _follow_up_given(self, follow_up: FollowUp) -> None:
        ctx, dialog = self.ctx, self.follow_up_dialog
        self._wanted = follow_up.signal_id

        def done(result: object) -> None:
            dialog.done_saving()
            self._saved(result)

        def failed(error: Exception) -> None:
            dialog.refused(refusal_text(error))
            self.refresh()

        ctx.save(
            lambda: ctx.store.follow_up_signal(
                follow_up.signal_id, ctx.user, follow_up.action, follow_up.reason,
                severity=follow_up.severity, officer_id=follow_up.officer_id),
            on_done=done, what=f"{TARGET_PREFIX}{follow_up.signal_id}", on_error=failed,
        )

    def _saved(self, _result: object) -> None:
        self.message.hide()
        emit(self.edited)
        self.refresh()

    def _save_failed(self, error: Exception) -> None:
        self._show_message(refusal_text(error))
        self.refresh()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- language ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self._show_intro()
        self._intro.setStyleSheet(quiet_style())
        self.add_button.setText(self.tr("&Add signal…"))
        self.remove_button.setText(self.tr("&Withdraw"))
        self.step_buttons[SignalStatus.HANDLED].setText(self.tr("&Handled…"))
        self.step_buttons[SignalStatus.MONITORED].setText(self.tr("&Monitor…"))
        self.step_buttons[SignalStatus.CLEARED].setText(self.tr("&Clear…"))
        self.follow_up_buttons[FollowUpAction.ESCALATE].setText(self.tr("&Escalate…"))
        self.follow_up_buttons[FollowUpAction.REASSIGN].setText(self.tr("Hand &over…"))
        self.follow_up_buttons[FollowUpAction.CLEAR].setText(self.tr("&Clear…"))
        self._fill()
        self._show_selected()
