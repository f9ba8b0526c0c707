"""A supervisor's follow-up of the signals of a team member's visit, on the editor's signals
page: escalate (a higher severity), hand over (another officer of the team) or clear, each with
a reason, through the real dialog and store; listed as steps of the signal for the supervisor
and for the officer; refusals said in the dialog with nothing changed; never offered to the
officer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from editor_support import visit_fixture  # noqa: F401 (fixture)
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from visit_pages_support import type_into

from inspector_app.domain.enums import Role, Severity, SignalCategory, SignalStatus, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.editor.signals_dialogs import FollowUpDialog
from inspector_app.gui.editor.signals_page import SignalsPage
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.store.local import LocalStore
from inspector_app.store.models import User, Visit
from inspector_app.store.rows import UserRow


@dataclass(frozen=True)
class TeamVisit:
    """王明's visit of 宏达房地产 with a hand-raised orange signal, in some state; 张华
    supervises 王明 and 赵敏."""

    store: LocalStore
    officer: User
    supervisor: User
    colleague: UserRow
    visit_id: str
    signal_id: str


def make_team_visit(portfolio, visit, monkeypatch: pytest.MonkeyPatch,
                    status: VisitStatus) -> TeamVisit:
    # The completion rules are not under test: the visit counts as complete.
    monkeypatch.setattr(LocalStore, "_require_complete", lambda self, s, v: None)
    store: LocalStore = visit.store
    colleague = store.create_user("zhao", "pw-123456", "赵敏", Role.OFFICER,
                                  supervisor_id=portfolio.supervisor.id)
    signal = store.create_manual_signal(visit.visit_id, visit.officer,
                                        category=SignalCategory.OPERATIONAL,
                                        severity=Severity.ORANGE, title="主要客户流失")
    path = [VisitStatus.COMPLETED, VisitStatus.SIGNED, VisitStatus.SUBMITTED]
    for step in path[:path.index(status) + 1] if status in path else path:
        store.transition(visit.visit_id, visit.officer, step)
    if status is VisitStatus.RETURNED:
        store.return_visit(visit.visit_id, portfolio.supervisor, "请补充说明")
    elif status is VisitStatus.APPROVED:  # countersigning is not under test
        with store.write() as s:
            s.get_one(Visit, visit.visit_id).status = status
    return TeamVisit(store, visit.officer, portfolio.supervisor, colleague, visit.visit_id,
                     signal.id)


@pytest.fixture(name="team_visit")
def team_visit_fixture(portfolio, visit, monkeypatch: pytest.MonkeyPatch) -> TeamVisit:
    return make_team_visit(portfolio, visit, monkeypatch, VisitStatus.SUBMITTED)


@pytest.fixture(name="open_signals")
def open_signals_fixture(qtbot: QtBot, portfolio) -> Iterator:
    """Opens the editor for a user on the signals page, the signal selected; closes it after."""
    opened: list[VisitEditor] = []

    def do(tv: TeamVisit, user) -> tuple[VisitEditor, SignalsPage]:
        editor = VisitEditor(tv.store, user, tv.visit_id, today=portfolio.today,
                             page="signals")
        opened.append(editor)
        editor.resize(1366, 700)  # a 1366×768 laptop screen, less the taskbar
        editor.show()
        qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
        page = editor.page("signals")
        assert isinstance(page, SignalsPage)
        assert editor.show_page("signals")
        qtbot.waitUntil(lambda: bool(page.rows) and not page.busy, timeout=5000)
        assert page.focus_target(f"signal:{tv.signal_id}")
        return editor, page

    yield do
    for editor in opened:
        if not editor.isHidden():
            editor.close()
        editor.ctx.wait_for_saves()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def follow_up(qtbot: QtBot, page: SignalsPage, action: str, reason: str,
              choose: int | None = None) -> FollowUpDialog:
    """Click the action's button, choose the severity/officer at index choose, write the
    reason, press OK; the dialog (open still if refused)."""
    button = page.follow_up_buttons[action]
    assert button.isVisible() and button.isEnabled(), f"{action} not offered"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.follow_up_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    if choose is not None:
        combo = dialog.severity_combo if action == "escalate" else dialog.officer_combo
        combo.setCurrentIndex(choose)
    type_into(qtbot, dialog.reason_edit, reason)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.ctx.pending_saves == 0, timeout=5000)
    qtbot.waitUntil(lambda: not page.busy, timeout=5000)
    return dialog


def steps(page: SignalsPage) -> list[tuple[str, str, str]]:
    """The signal's steps as listed: step, who, why."""
    table = page.steps_table
    return [tuple(table.item(r, c).text() for c in (1, 2, 3))  # type: ignore[misc]
            for r in range(table.rowCount())]


def stored(tv: TeamVisit) -> tuple[Severity, SignalStatus]:
    row = next(r for r in tv.store.signals_of(tv.visit_id) if r.id == tv.signal_id)
    return row.severity, row.status


def fully_shown(button: QPushButton) -> bool:
    return button.visibleRegion().boundingRect().size() == button.size()


def test_supervisor_escalates_hands_over_and_clears_with_reasons(
    qtbot: QtBot, team_visit: TeamVisit, open_signals
) -> None:
    i18n.install("en")
    tv = team_visit
    editor, page = open_signals(tv, tv.supervisor)
    assert editor.read_only
    buttons = page.follow_up_buttons
    assert [b.text() for b in buttons.values()] == ["&Escalate…", "Hand &over…", "&Clear…"]
    assert all(b.isVisible() and b.isEnabled() and fully_shown(b) for b in buttons.values())
    # The officer's own buttons are not the supervisor's.
    assert not any(b.isVisible() for b in page.step_buttons.values())
    assert not page.remove_button.isVisible() and not page.add_button.isVisible()
    assert "As the supervisor" in page._intro.text()

    # Escalate: only a higher severity is offered; without a reason nothing goes.
    qtbot.mouseClick(buttons["escalate"], Qt.MouseButton.LeftButton)
    dialog = page.follow_up_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    combo = dialog.severity_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Red"]
    assert dialog.officer_combo.isHidden()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Give the reason."
    assert stored(tv) == (Severity.ORANGE, SignalStatus.RAISED)
    dialog.reject()

    dialog = follow_up(qtbot, page, "escalate", "库存一月内下降六成", choose=0)
    assert not dialog.isVisible()
    assert stored(tv) == (Severity.RED, SignalStatus.RAISED)
    assert steps(page)[-1] == ("Supervisor escalated to Red", "张华", "库存一月内下降六成")
    assert page.detail_title.text().count("Red") == 1
    # Red is the highest: nothing left to escalate to.
    assert not buttons["escalate"].isEnabled()
    assert buttons["escalate"].toolTip() == "The signal is already at the highest severity."

    # Hand over: another officer of the team, never the visit's own.
    qtbot.mouseClick(buttons["reassign"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    officers = dialog.officer_combo
    assert [officers.itemText(i) for i in range(officers.count())] == ["赵敏"]
    assert dialog.severity_combo.isHidden()
    dialog.reject()
    follow_up(qtbot, page, "reassign", "由赵敏跟进催收", choose=0)
    assert steps(page)[-1] == ("Supervisor handed over to 赵敏", "张华", "由赵敏跟进催收")
    assert "Handed over to 赵敏 by the supervisor." in page.detail_text.text()
    # Handed to the team's only other officer: no one left to hand it to.
    assert not buttons["reassign"].isEnabled()

    # Clear.
    follow_up(qtbot, page, "clear", "客户已补充担保")
    assert stored(tv) == (Severity.RED, SignalStatus.CLEARED)
    assert steps(page)[-1] == ("Supervisor cleared", "张华", "客户已补充担保")
    assert [step for step, _, _ in steps(page)] == [
        "Raised", "Supervisor escalated to Red", "Supervisor handed over to 赵敏",
        "Supervisor cleared",
    ]
    # A cleared signal: nothing more to follow up.
    assert not any(b.isEnabled() for b in buttons.values())
    assert buttons["clear"].toolTip() == "The signal is cleared."
    # Each went up as its own follow-up; the visit itself is untouched.
    assert tv.store.visit_header(tv.visit_id).status is VisitStatus.SUBMITTED


def test_a_refusal_is_said_in_the_dialog_and_nothing_changes(
    qtbot: QtBot, team_visit: TeamVisit, open_signals
) -> None:
    i18n.install("en")
    tv = team_visit
    _, page = open_signals(tv, tv.supervisor)
    # Meanwhile 王明 has moved to another team: his borrowers' signals are no longer ours.
    with tv.store.write() as s:
        s.get_one(User, tv.officer.id).supervisor_id = None
    dialog = follow_up(qtbot, page, "clear", "已核实")
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "your own team" in dialog.error_label.text()
    assert dialog.reason_edit.toPlainText() == "已核实"  # kept, to try again or cancel
    assert stored(tv) == (Severity.ORANGE, SignalStatus.RAISED)
    assert [step for step, _, _ in steps(page)] == ["Raised"]
    dialog.reject()


def test_the_officer_sees_the_follow_ups_and_is_offered_none(
    qtbot: QtBot, portfolio, visit, monkeypatch: pytest.MonkeyPatch, open_signals
) -> None:
    tv = make_team_visit(portfolio, visit, monkeypatch, VisitStatus.RETURNED)
    sup = tv.supervisor
    tv.store.follow_up_signal(tv.signal_id, sup, "escalate", "库存骤降", severity=Severity.RED)
    tv.store.follow_up_signal(tv.signal_id, sup, "reassign", "转交赵敏",
                              officer_id=tv.colleague.id)
    i18n.install("zh_CN")
    _, page = open_signals(tv, tv.officer)
    assert page.team is None
    assert not any(b.isVisible() for b in page.follow_up_buttons.values())
    assert page.add_button.isVisible()
    assert "主管" not in page._intro.text()
    assert steps(page)[1:] == [("主管升级为红色", "张华", "库存骤降"),
                               ("主管移交给赵敏", "张华", "转交赵敏")]
    assert "已由主管移交给赵敏" in page.detail_text.text()


@pytest.mark.parametrize("status", [VisitStatus.SIGNED, VisitStatus.APPROVED])
def test_offered_on_a_reviewed_visit_only(
    qtbot: QtBot, portfolio, visit, monkeypatch: pytest.MonkeyPatch, open_signals,
    status: VisitStatus
) -> None:
    tv = make_team_visit(portfolio, visit, monkeypatch, status)
    _, page = open_signals(tv, tv.supervisor)
    offered = status is VisitStatus.APPROVED
    assert (page.team is not None) is offered
    assert all(b.isVisible() is offered for b in page.follow_up_buttons.values())
