"""A supervisor starts a handover from the app (发起责任移交): the team's officers to choose
from, the officer's borrowers in a checkable list with a search, what is missing said before
anything is asked of headquarters, and headquarters out of reach said with nothing started.
(Started against a real server: test_handover_end_to_end.py.)"""

from __future__ import annotations

import socket

from conftest import Portfolio
from handover_support import pull_handover
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from inspector_app.gui import i18n
from inspector_app.gui.handover.start_dialog import StartHandoverDialog
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.store.local import user_row
from inspector_app.store.models import SyncState, User


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_dialog(qtbot: QtBot, portfolio: Portfolio) -> tuple[MainWindow, StartHandoverDialog]:
    i18n.install("en")
    store = portfolio.store
    with store.write() as s:  # 李强 joins 张华's team
        s.get_one(User, portfolio.other_officer.id).supervisor_id = portfolio.supervisor.id
    window = MainWindow(store, user_row(portfolio.supervisor), LaptopSettings(),
                        portfolio.today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading and not window.handover_notice.loading,
                    timeout=5000)
    window._handover_action.trigger()
    listing = window.handover_notice.dialog
    assert listing is not None and listing.start_button.isVisible()
    assert not listing.sign_button.isVisible() and not listing.countersign_button.isVisible()
    listing.start_button.click()
    dialog = listing.start_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=5000)
    return window, dialog


def _choose(qtbot: QtBot, dialog: StartHandoverDialog, giver: str, taker: str) -> None:
    names = [dialog.from_combo.itemText(i) for i in range(dialog.from_combo.count())]
    dialog.from_combo.setCurrentIndex(names.index(giver))
    dialog.to_combo.setCurrentIndex(names.index(taker))
    qtbot.waitUntil(lambda: not dialog.loading, timeout=5000)


def _shown(dialog: StartHandoverDialog) -> list[str]:
    items = [dialog.borrower_list.item(i) for i in range(dialog.borrower_list.count())]
    return [str(item.data(Qt.ItemDataRole.UserRole)) for item in items if not item.isHidden()]


def test_the_team_its_borrowers_the_search_and_what_is_missing(
        qtbot: QtBot, portfolio: Portfolio) -> None:
    window, dialog = _start_dialog(qtbot, portfolio)
    assert [dialog.from_combo.itemText(i) for i in range(dialog.from_combo.count())] == [
        "(choose)", "李强", "王明"]  # the team, by name
    dialog.submit()
    assert dialog.message.text() == "Choose the officer handing over."
    _choose(qtbot, dialog, "王明", "王明")
    assert _shown(dialog) == ["C1001", "C1002", "C1003", "C1004"]  # all his, all chosen
    assert dialog.chosen_codes() == ["C1001", "C1002", "C1003", "C1004"]
    assert dialog.count_label.text() == "4 of 4 borrowers chosen"
    dialog.submit()
    assert dialog.message.text() == "The officer taking over must be another officer."
    _choose(qtbot, dialog, "王明", "李强")

    dialog.search_edit.setText("绿野")  # by name (QTest types no Chinese)
    assert _shown(dialog) == ["C1003"]
    dialog.none_button.click()  # only what is shown
    assert dialog.chosen_codes() == ["C1001", "C1002", "C1004"]
    dialog.search_edit.clear()
    dialog.none_button.click()
    assert dialog.chosen_codes() == []
    dialog.submit()
    assert dialog.message.text() == "Choose at least one borrower to hand over."
    dialog.search_edit.setText("c1002")  # by customer no., any case
    dialog.all_button.click()
    assert dialog.chosen_codes() == ["C1002"]
    assert dialog.count_label.text() == "1 of 4 borrowers chosen"
    assert dialog.confirm_box is None  # nothing asked yet
    window.close()


def test_a_borrower_in_a_pending_handover_cannot_be_chosen_again(
        qtbot: QtBot, portfolio: Portfolio) -> None:
    pull_handover(portfolio.store, portfolio.officer, portfolio.other_officer, ["C1003"])
    window, dialog = _start_dialog(qtbot, portfolio)
    _choose(qtbot, dialog, "王明", "李强")
    items = {str(dialog.borrower_list.item(i).data(Qt.ItemDataRole.UserRole)):
             dialog.borrower_list.item(i) for i in range(dialog.borrower_list.count())}
    busy = items["C1003"]
    assert busy.text().endswith("(being handed over already)")
    assert not busy.flags() & Qt.ItemFlag.ItemIsEnabled
    dialog.all_button.click()
    assert dialog.chosen_codes() == ["C1001", "C1002", "C1004"]
    window.close()


def test_headquarters_out_of_reach_is_said_and_nothing_is_started(
        qtbot: QtBot, portfolio: Portfolio) -> None:
    with portfolio.store.write() as s:  # registered with a server that is not running now
        s.add(SyncState(id=1, server_url=f"http://127.0.0.1:{free_port()}", device_id="d1",
                        token="t" * 40, user_id=portfolio.supervisor.id))
    window, dialog = _start_dialog(qtbot, portfolio)
    dialog.client_options = {"retries": 0}
    _choose(qtbot, dialog, "王明", "李强")
    dialog.submit()
    box = dialog.confirm_box
    assert box is not None and box.isVisible()
    assert box.text().startswith("Hand over 4 borrowers of 王明 to 李强?")
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.busy, timeout=30_000)
    assert dialog.isVisible() and dialog.start_button.isEnabled()
    text = dialog.message.text()
    assert text.startswith("The handover was not started: cannot reach the headquarters "
                           "server"), text
    assert text.endswith("Nothing has changed. Start it again once this laptop can reach "
                         "headquarters.")
    assert portfolio.store.handovers() == []
    window.close()
    assert QThreadPool.globalInstance().waitForDone(20_000)
