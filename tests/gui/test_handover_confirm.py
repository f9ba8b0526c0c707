"""The supervisor's confirmation of a handover (the third signature) on the laptop's screens:
once both officers have signed, the handover waits for the supervisor of the officer handing
over; the band asks for it, the list offers Confirm the handover… (to the supervisor only),
whose window previews the record both signed (the file the last sync brought: no network
needed), refuses a wrong password saying so and keeping everything, and with headquarters out
of reach keeps the confirmation on the laptop, which the list says as waiting for sync (in
Chinese 已签署，待同步). A handover an administrator completed without it says so."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Portfolio
from handover_support import pull_handover
from PySide6.QtCore import QPoint, QThreadPool
from pytestqt.qtbot import QtBot
from review_support import give_certificate
from test_signature_pad import draw
from window_tour import snapshot

from inspector_app import wire
from inspector_app.gui import i18n
from inspector_app.gui.handover.list_dialog import HandoversDialog
from inspector_app.gui.handover.sign_dialog import SignHandoverDialog
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.handover_signing import countersign_handover, sign_handover
from inspector_app.reports.verify import verify_bytes
from inspector_app.store import outbox
from inspector_app.store.facade import HandoverState
from inspector_app.store.handovers import HANDOVER_ENTITY
from inspector_app.store.local import user_row
from inspector_app.store.models import ReferenceDoc, SyncState, User
from inspector_app.sync.handover import pulled_handover
from inspector_app.sync.handover_signatures import TO_CONFIRM, records_dir

STROKE = [QPoint(30 + 18 * i, 50 + (22 if i % 2 else -22)) for i in range(14)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def ca(tmp_path: Path, portfolio: Portfolio) -> TestCA:
    made = make_test_ca(tmp_path / "ca", [("wang", "王明"), ("li", "李强"), ("zhang", "张华")])
    give_certificate(portfolio.store.data_dir, made, "zhang")
    return made


def _both_signed(portfolio: Portfolio, ca: TestCA, tmp_path: Path) -> wire.HandoverRecord:
    """wang hands C1001 over to li; both have signed (real signatures), and the supervisor's
    last sync brought the record both signed."""
    pulled = pull_handover(portfolio.store, portfolio.officer, portfolio.other_officer,
                           ["C1001"], released=True, signed=True, countersigned=True)
    when = datetime.now(UTC) - timedelta(minutes=30)
    signed = sign_handover(pulled, {}, ca.user("wang").p12_path, ca.user("wang").password,
                           tmp_path / "signed.pdf", signed_at=when)
    both = countersign_handover(signed.path, ca.user("li").p12_path, ca.user("li").password,
                                tmp_path / "both.pdf", signed_at=when + timedelta(minutes=10))
    record = pulled.model_copy(update={"signed_sha256": signed.sha256,
                                       "countersigned_sha256": both.sha256})
    with outbox.quiet_write(portfolio.store) as s:  # as the sync after both signed brought it
        s.get_one(ReferenceDoc, (HANDOVER_ENTITY, record.id)).data = \
            record.model_dump(mode="json")
    (records_dir(portfolio.store.data_dir) / TO_CONFIRM.format(id=record.id)).write_bytes(
        both.path.read_bytes())
    # Registered with a headquarters that is not running now: out of reach.
    with portfolio.store.write() as s:
        s.add(SyncState(id=1, server_url=f"http://127.0.0.1:{free_port()}", device_id="d1",
                        token="t" * 40, user_id=portfolio.supervisor.id))
    return record


def _window(qtbot: QtBot, portfolio: Portfolio, user: User) -> MainWindow:
    window = MainWindow(portfolio.store, user_row(user), LaptopSettings(), portfolio.today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading and not window.handover_notice.loading,
                    timeout=5000)
    return window


def _list(qtbot: QtBot, window: MainWindow) -> HandoversDialog:
    window._handover_action.trigger()
    dialog = window.handover_notice.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.loading)
    return dialog


def _confirm(qtbot: QtBot, dialog: SignHandoverDialog, password: str) -> None:
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, password)
    dialog.sign_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)


def test_the_supervisor_confirms_offline_and_it_waits_for_sync(
        qtbot: QtBot, portfolio: Portfolio, ca: TestCA, tmp_path: Path) -> None:
    i18n.install("en")
    record = _both_signed(portfolio, ca, tmp_path)
    window = _window(qtbot, portfolio, portfolio.supervisor)
    notice = window.handover_notice
    assert notice.isVisible()
    assert notice.label.text() == ("Handover pending: 1 borrower being handed over — your "
                                   "signature is needed on 1 handover record")
    listing = _list(qtbot, window)
    assert listing.chosen() is not None and listing.chosen().id == record.id  # type: ignore[union-attr]
    assert listing.table.item(0, 4).text() == ("Signed by both; waiting for the supervisor's "
                                               "confirmation")
    assert listing.confirm_button.isVisible() and listing.confirm_button.isEnabled()
    assert not listing.sign_button.isVisible() and not listing.countersign_button.isVisible()
    listing.signing.client_options = {"retries": 0}
    listing.confirm_button.click()
    confirming = listing.signing.dialog
    assert isinstance(confirming, SignHandoverDialog) and confirming.confirm
    qtbot.waitExposed(confirming)
    assert confirming.windowTitle() == "Confirm the handover"
    assert confirming.sign_button.text() == "C&onfirm"
    assert "王明 hands 1 borrower over to 李强" in confirming.purpose.text()

    # The record both signed, from this laptop (no network).
    confirming.preview_button.click()
    views = lambda: listing.signing._views  # noqa: E731
    qtbot.waitUntil(lambda: views() is not None and views().last_preview is not None
                    and views().last_preview.dialog is not None, timeout=30_000)
    views().last_preview.dialog.reject()  # type: ignore[union-attr]

    # A wrong password: the window stays open and says so; nothing is made or queued.
    draw(confirming.pad, STROKE)
    _confirm(qtbot, confirming, "not the password")
    assert confirming.isVisible()
    assert confirming.message.isVisible()
    assert confirming.message.text() == ("The handover was not confirmed: wrong certificate "
                                         "password")
    snapshot(confirming, "confirm_handover_wrong_password_en")
    assert confirming.password_edit.selectedText() == "not the password"
    assert not confirming.pad.is_empty()
    assert not portfolio.store.handover_signature_waiting(record.id)
    confirmed = records_dir(portfolio.store.data_dir) / f"{record.id}-confirmed.pdf"
    assert not confirmed.exists()

    # The right one, headquarters out of reach: confirmed here, waiting for the next sync.
    _confirm(qtbot, confirming, ca.user("zhang").password)
    assert not confirming.isVisible(), confirming.message.text()
    assert "goes to headquarters with the next sync" in listing.message.text()
    qtbot.waitUntil(lambda: not listing.loading and listing.rows[0].queued, timeout=10_000)
    assert listing.table.item(0, 4).text() == "Signed on this laptop, waiting for sync"
    snapshot(listing, "handovers_waiting_for_sync_en")  # INSPECTOR_SCREENSHOTS, to look at
    assert not listing.confirm_button.isEnabled()
    assert pulled_handover(portfolio.store, record.id) == record  # not completed here
    report = verify_bytes(confirmed.read_bytes(), [ca.ca_cert_path])
    assert report.verdict and [s.signer for s in report.signatures] == ["王明", "李强", "张华"]
    i18n.install("zh_CN")  # the same in Chinese
    assert listing.table.item(0, 4).text() == "已签署，待同步"
    assert listing.confirm_button.text() == "确认移交(&o)…"
    assert listing.message.text().startswith(
        "已签署。签署保存在本机，下次同步时发送至总行（无法连接总行服务器"), listing.message.text()
    snapshot(listing, "handovers_waiting_for_sync_zh_CN")
    i18n.install("en")
    window.close()
    assert QThreadPool.globalInstance().waitForDone(20_000)


def test_only_the_supervisor_of_the_officer_handing_over_confirms(
        qtbot: QtBot, portfolio: Portfolio) -> None:
    i18n.install("en")
    wang, li, zhang = portfolio.officer, portfolio.other_officer, portfolio.supervisor
    pull_handover(portfolio.store, wang, li, ["C1001"], released=True, signed=True,
                  countersigned=True)
    pull_handover(portfolio.store, wang, li, ["C1003"], released=True, signed=True,
                  completed=True, override_reason="监交人长期病假",
                  started=datetime(2025, 3, 1, tzinfo=UTC))
    rows = portfolio.store.handovers()
    assert [r.state for r in rows] == [HandoverState.CONFIRMATION, HandoverState.COMPLETE]
    assert rows[0].may_confirm(zhang.id) and not rows[0].may_confirm(wang.id)
    assert not rows[0].may_confirm(li.id)
    window = _window(qtbot, portfolio, wang)  # the officer: the supervisor confirms
    listing = _list(qtbot, window)
    assert not listing.confirm_button.isVisible()
    assert listing.table.item(0, 4).text() == ("Signed by both; waiting for the supervisor's "
                                               "confirmation")
    assert listing.table.item(1, 4).text() == (
        "Complete, without the supervisor's confirmation (an administrator's decision: "
        "监交人长期病假)")
    window.close()
    window = _window(qtbot, portfolio, zhang)
    listing = _list(qtbot, window)
    listing.table.selectRow(1)  # completed: nothing to confirm
    assert listing.confirm_button.isVisible() and not listing.confirm_button.isEnabled()
    listing.table.selectRow(0)
    assert listing.confirm_button.isEnabled()
    window.close()
