"""The handover (责任移交) on the laptops' screens, from what the last sync brought (the
"handover" documents, written into the store as sync keeps them): the notice over the work
list, the borrowers' rows marked, the handovers window with each one's step, Sign… and
Countersign… for the officer whose turn it is, and the signing window refusing a wrong
password (changing nothing) and, with headquarters out of reach, keeping the signature on the
laptop, which the list says as waiting for sync."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Portfolio
from handover_support import pull_handover
from PySide6.QtCore import QPoint, QThreadPool
from pytestqt.qtbot import QtBot
from review_support import give_certificate
from test_signature_pad import draw

from inspector_app.gui import i18n
from inspector_app.gui.handover.list_dialog import HandoversDialog
from inspector_app.gui.handover.sign_dialog import SignHandoverDialog
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store.facade import HandoverState
from inspector_app.store.local import user_row
from inspector_app.store.models import SyncState, User
from inspector_app.sync.handover import pulled_handover


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])

STROKE = [QPoint(30 + 18 * i, 50 + (22 if i % 2 else -22)) for i in range(14)]


def _window(qtbot: QtBot, portfolio: Portfolio, user: User,
            settings: LaptopSettings | None = None) -> MainWindow:
    i18n.install("en")  # the English catalogue: its plurals
    window = MainWindow(portfolio.store, user_row(user), settings or LaptopSettings(),
                        portfolio.today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading and not window.handover_notice.loading
                    and window.model.rowCount() > 0, timeout=5000)
    return window


def _row(window: MainWindow, code: str) -> int:
    model = window.model
    return next(r for r in range(model.rowCount()) if model.row_at(r).code == code)


def _list(qtbot: QtBot, window: MainWindow) -> HandoversDialog:
    window._handover_action.trigger()
    dialog = window.handover_notice.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_a_pending_handover_shows_over_the_list_and_on_its_rows(
        qtbot: QtBot, portfolio: Portfolio) -> None:
    wang, li = portfolio.officer, portfolio.other_officer
    window = _window(qtbot, portfolio, wang)
    assert not window.handover_notice.isVisible()  # nothing pulled: no band
    assert window.model.text(_row(window, "C1001"), Column.PROGRESS) == ""

    pull_handover(portfolio.store, wang, li, ["C1001", "C1003"])
    window.reload()  # as after a sync
    qtbot.waitUntil(lambda: not window.loading and not window.handover_notice.loading)
    notice = window.handover_notice
    assert notice.isVisible()
    assert notice.label.text() == ("Handover pending: 2 borrowers being handed over — your "
                                   "signature is needed on 1 handover record")
    for code in ("C1001", "C1003"):
        assert window.model.text(_row(window, code), Column.PROGRESS) == "Being handed over"
        assert window.model.handing_over(_row(window, code))
    assert window.model.text(_row(window, "C1004"), Column.PROGRESS) == ""
    assert not window.model.handing_over(_row(window, "C1002"))

    notice.open_button.click()
    dialog = notice.dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(4)] == ["王明", "李强", "2",
                                                          "2025-03-08 " + table.item(0, 3)
                                                          .text()[11:]]
    assert table.item(0, 4).text() == (
        "Waiting for 王明's laptop to upload everything and let go; your signature is still "
        "needed")
    # The one handing over may sign before their laptop lets go; nothing to countersign.
    assert dialog.sign_button.isVisible() and dialog.sign_button.isEnabled()
    assert not dialog.countersign_button.isVisible()


def test_each_step_is_said_and_only_the_officer_whose_turn_it_is_may_sign(
        qtbot: QtBot, portfolio: Portfolio) -> None:
    wang, li, store = portfolio.officer, portfolio.other_officer, portfolio.store
    day = [datetime(2025, 3, d, 9, tzinfo=UTC) for d in (1, 2, 3, 4)]
    pull_handover(store, wang, li, ["C1001"], released=True, started=day[3])
    pull_handover(store, wang, li, ["C1003"], released=True, signed=True, started=day[2])
    pull_handover(store, wang, li, ["C1004"], released=True, signed=True, countersigned=True,
                  started=day[1])
    pull_handover(store, li, wang, ["C2001"], released=True, signed=True, countersigned=True,
                  completed=True, started=day[3])  # the newest, but done: last
    expected = [HandoverState.GIVER_SIGNATURE, HandoverState.TAKER_SIGNATURE,
                HandoverState.CONFIRMATION, HandoverState.COMPLETE]
    words = {
        HandoverState.GIVER_SIGNATURE: "Waiting for 王明's signature",
        HandoverState.TAKER_SIGNATURE: "Waiting for 李强's countersignature",
        HandoverState.CONFIRMATION: "Signed by both; waiting for the supervisor's confirmation",
        HandoverState.COMPLETE: "Complete",
    }
    rows = store.handovers()
    assert [r.state for r in rows] == expected  # pending first; the completed one last

    window = _window(qtbot, portfolio, wang)
    dialog = _list(qtbot, window)
    assert [dialog.table.item(r, 4).text() for r in range(4)] == [words[s] for s in expected]
    # wang hands over the first three: he signs the first, nothing more to do on the others.
    for r, sign in enumerate([True, False, False]):
        dialog.table.selectRow(r)
        assert dialog.sign_button.isVisible() and dialog.sign_button.isEnabled() is sign
        assert not dialog.countersign_button.isVisible()
    dialog.table.selectRow(3)  # complete: wang took over; nothing to sign
    assert dialog.countersign_button.isVisible() and not dialog.countersign_button.isEnabled()
    assert not dialog.confirm_button.isVisible()  # an officer confirms nothing
    window.close()

    # li takes over: the second waits for his countersignature.
    other = _window(qtbot, portfolio, li)
    assert other.handover_notice.isVisible()
    dialog = _list(qtbot, other)
    assert dialog.chosen() == rows[1]  # the one waiting for him is chosen
    assert dialog.countersign_button.isEnabled() and not dialog.sign_button.isVisible()
    dialog.countersign_button.click()
    signing = dialog.signing.dialog
    assert isinstance(signing, SignHandoverDialog) and signing.isVisible()
    assert signing.countersign and signing.handover == rows[1]
    assert signing.sign_button.text() == "&Countersign"
    assert "from 王明" in signing.purpose.text()
    signing.reject()


@pytest.fixture
def ca(tmp_path: Path, portfolio: Portfolio) -> TestCA:
    made = make_test_ca(tmp_path / "ca", [("wang", "王明"), ("li", "李强")])
    for username in ("wang", "li"):
        give_certificate(portfolio.store.data_dir, made, username)
    return made


def _sign_dialog(qtbot: QtBot, portfolio: Portfolio, settings: LaptopSettings
                 ) -> tuple[MainWindow, SignHandoverDialog]:
    window = _window(qtbot, portfolio, portfolio.officer, settings)
    dialog = _list(qtbot, window)
    dialog.sign_button.click()
    signing = dialog.signing.dialog
    assert signing is not None
    qtbot.waitExposed(signing)
    draw(signing.pad, STROKE)
    return window, signing


def test_a_wrong_password_keeps_the_window_open_and_changes_nothing(
        qtbot: QtBot, portfolio: Portfolio, ca: TestCA) -> None:
    record = pull_handover(portfolio.store, portfolio.officer, portfolio.other_officer,
                           ["C1001"], released=True)
    settings = LaptopSettings()
    settings.last_server_address = f"http://127.0.0.1:{free_port()}"
    window, signing = _sign_dialog(qtbot, portfolio, settings)
    signing.sign_button.click()
    assert signing.message.text() == "Enter your certificate's password."  # nothing typed yet
    qtbot.keyClicks(signing.password_edit, "not the password")
    signing.sign_button.click()
    qtbot.waitUntil(lambda: not signing.busy, timeout=20_000)
    assert signing.isVisible()
    assert signing.message.isVisible()
    assert signing.message.text().startswith("The handover record was not signed: ")
    assert "password" in signing.message.text()
    assert signing.password_edit.selectedText() == "not the password"  # to be typed again
    assert not signing.pad.is_empty()  # the drawing is kept
    assert pulled_handover(portfolio.store, record.id) == record
    assert not (portfolio.store.data_dir / "handovers" / f"{record.id}-signed.pdf").exists()
    window.close()


def test_out_of_reach_the_signature_waits_for_the_next_sync(
        qtbot: QtBot, portfolio: Portfolio, ca: TestCA) -> None:
    record = pull_handover(portfolio.store, portfolio.officer, portfolio.other_officer,
                           ["C1001"], released=True)
    with portfolio.store.write() as s:  # registered with a server that is not running now
        s.add(SyncState(id=1, server_url=f"http://127.0.0.1:{free_port()}", device_id="d1",
                        token="t" * 40, user_id=portfolio.officer.id))
    window, signing = _sign_dialog(qtbot, portfolio, LaptopSettings())
    listing = window.handover_notice.dialog
    assert listing is not None
    listing.signing.client_options = {"retries": 0}
    qtbot.keyClicks(signing.password_edit, ca.user("wang").password)
    signing.sign_button.click()
    qtbot.waitUntil(lambda: not signing.busy, timeout=30_000)
    assert not signing.isVisible(), signing.message.text()  # signed: kept on the laptop
    assert listing.message.text().startswith(
        "Signed. It is kept on this laptop and goes to headquarters with the next sync "
        "(cannot reach the headquarters server"), listing.message.text()
    qtbot.waitUntil(lambda: not listing.loading and listing.rows[0].queued, timeout=10_000)
    assert listing.table.item(0, 4).text() == "Signed on this laptop, waiting for sync"
    assert not listing.sign_button.isEnabled()  # signed once; it waits to be sent
    assert pulled_handover(portfolio.store, record.id) == record  # headquarters has nothing
    assert portfolio.store.handover_signature_waiting(record.id)
    assert (portfolio.store.data_dir / "handovers" / f"{record.id}-signed.pdf").is_file()
    # The band no longer asks for the signature.
    window.reload()
    qtbot.waitUntil(lambda: not window.loading and not window.handover_notice.loading)
    assert window.handover_notice.label.text() == (
        "Handover pending: 1 borrower being handed over")
    window.close()
    assert QThreadPool.globalInstance().waitForDone(20_000)
