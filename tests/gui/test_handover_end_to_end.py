"""The handover record signed through the app's windows, against a real headquarters server
process (`inspector-hq serve` on SQLite, tests/e2e/e2e_support): off_a 李明 hands C001 and
C002 over to off_b 王芳. Their supervisor sup1 starts it on his laptop: Tools > Handovers…,
Start a handover…, the two officers, C001 and C002 of off_a's four, confirmed.

On off_a's laptop, after the sync that lets go: the notice, the two rows marked, the handovers
window, Sign… — a wrong password keeps the window open and sends nothing; the right one signs
off the UI thread and headquarters keeps the certified record. On off_b's laptop after its
sync: Countersign…, the preview fetching the certified record from headquarters, the
countersignature kept. On sup1's laptop after its sync: Confirm the handover…, the preview of
the record both signed (brought by the sync), a wrong password refused in the window, then the
confirmation, which headquarters verifies and on which it completes the handover. After both
officers' syncs the notice is gone, C001 and C002 are on off_b's work list and off off_a's, and
the file headquarters keeps verifies with the three signatures.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QThreadPool
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from test_signature_pad import draw

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from e2e_support import (
    ACTOR,
    PASSWORD,
    HqServer,
    build_hq_world,
    free_port,
    sqlite_url,
)

from inspector_app import wire
from inspector_app.domain.enums import Role
from inspector_app.gui import i18n
from inspector_app.gui.handover.list_dialog import HandoversDialog
from inspector_app.gui.handover.sign_dialog import SignHandoverDialog
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.gui.worklist.portfolio_model import Column
from inspector_app.hq import admin
from inspector_app.hq import models as hq_models
from inspector_app.hq.db import Database
from inspector_app.reports.certificate_files import import_certificate, import_trusted_ca
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.reports.verify import verify_bytes
from inspector_app.store.facade import HandoverState
from inspector_app.store.local import LocalStore, user_row
from inspector_app.store.models import User
from inspector_app.sync import handover_desk
from inspector_app.sync.client import SyncClient
from inspector_app.sync.handover import HandoverStartError

STROKE = [QPoint(30 + 18 * i, 50 + (22 if i % 2 else -22)) for i in range(14)]
HANDED = ["C001", "C002"]


@dataclass
class World:
    server: HqServer
    hq_dir: Path
    ca: TestCA
    a: LocalStore
    b: LocalStore
    sup: LocalStore

    def sync(self, laptop: LocalStore) -> None:
        with SyncClient(laptop, self.server.url, retries=1, backoff=0.01) as client:
            report = client.sync()
        assert report.ok, report.messages()

    def handover(self, handover_id: str) -> hq_models.Handover:
        db = Database.open(sqlite_url(self.hq_dir))
        try:
            with db.read() as s:
                h = s.get(hq_models.Handover, handover_id)
                assert h is not None
                s.expunge(h)
                return h
        finally:
            db.dispose()


def _laptop(root: Path, server: HqServer, username: str, ca: TestCA) -> LocalStore:
    data = root / username
    store = LocalStore.open(data)
    with SyncClient(store, server.url, retries=1, backoff=0.01) as client:
        client.register(username, PASSWORD, f"{username} 笔记本")
        assert client.sync().ok
    import_certificate(data, username, ca.user(username).p12_path, ca.user(username).password)
    import_trusted_ca(data, ca.ca_cert_path)
    return store


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    hq_dir = tmp_path / "hq"
    build_hq_world(hq_dir)
    db = Database.open(sqlite_url(hq_dir))
    try:
        admin.add_user(db, "off_b", "王芳", Role.OFFICER, PASSWORD, ACTOR, branch_code="B01",
                       supervisor_username="sup1")
    finally:
        db.dispose()
    server = HqServer(hq_dir, free_port())
    ca = make_test_ca(tmp_path / "ca",
                      [("off_a", "李明"), ("off_b", "王芳"), ("sup1", "张主任")])
    laptops: list[LocalStore] = []
    try:
        server.start()
        laptops.append(_laptop(tmp_path, server, "off_a", ca))
        laptops.append(_laptop(tmp_path, server, "off_b", ca))
        laptops.append(_laptop(tmp_path, server, "sup1", ca))
        yield World(server, hq_dir, ca, *laptops)
        assert server.unexpected_errors() == []
    finally:
        assert QThreadPool.globalInstance().waitForDone(20_000)
        server.kill()
        for laptop in laptops:
            laptop.close()


def _user(store: LocalStore, username: str) -> User:
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        s.expunge(user)
        return user


def _window(qtbot: QtBot, store: LocalStore, username: str) -> MainWindow:
    window = MainWindow(store, user_row(_user(store, username)), LaptopSettings(), date.today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading and not window.handover_notice.loading,
                    timeout=10_000)
    return window


def _reload(qtbot: QtBot, window: MainWindow) -> None:
    window.reload()
    qtbot.waitUntil(lambda: not window.loading and not window.handover_notice.loading,
                    timeout=10_000)


def _codes(window: MainWindow) -> dict[str, str]:
    """Each borrower on the work list, with its Progress cell."""
    model = window.model
    return {model.row_at(r).code: model.text(r, Column.PROGRESS) for r in range(model.rowCount())}


def _open_signing(qtbot: QtBot, window: MainWindow) -> tuple[HandoversDialog, SignHandoverDialog]:
    assert window.handover_notice.isVisible()
    window.handover_notice.open_button.click()
    listing = window.handover_notice.dialog
    assert listing is not None
    qtbot.waitExposed(listing)
    button = next(b for b in (listing.confirm_button, listing.countersign_button,
                              listing.sign_button) if b.isVisible())
    assert button.isEnabled()
    button.click()
    signing = listing.signing.dialog
    assert signing is not None
    qtbot.waitExposed(signing)
    listing.signing.client_options = {"retries": 1, "backoff": 0.01}
    return listing, signing


def _supervisor_starts(qtbot: QtBot, world: World) -> wire.HandoverRecord:
    sup = _window(qtbot, world.sup, "sup1")
    assert not sup.handover_notice.isVisible()
    sup._handover_action.trigger()
    listing = sup.handover_notice.dialog
    assert listing is not None
    listing.start_button.click()
    dialog = listing.start_dialog
    assert dialog is not None
    dialog.client_options = {"retries": 1, "backoff": 0.01}
    qtbot.waitUntil(lambda: not dialog.loading and dialog.from_combo.count() == 3)
    names = [dialog.from_combo.itemText(i) for i in range(3)]
    assert sorted(names[1:]) == ["李明", "王芳"]
    dialog.from_combo.setCurrentIndex(names.index("李明"))
    dialog.to_combo.setCurrentIndex(names.index("王芳"))
    qtbot.waitUntil(lambda: not dialog.loading and dialog.borrower_list.count() == 4)
    dialog.none_button.click()
    for code in HANDED:
        dialog.search_edit.setText(code)
        dialog.all_button.click()
    assert dialog.chosen_codes() == HANDED
    dialog.submit()
    assert dialog.confirm_box is not None
    dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    # Kept on the supervisor's laptop at once, and at headquarters.
    qtbot.waitUntil(lambda: not listing.loading and len(listing.rows) == 1)
    row = listing.rows[0]
    assert (row.from_name, row.to_name, row.state) == ("李明", "王芳", HandoverState.RELEASE)
    # The band follows from its own reload, a moment after the list (on a loaded machine the
    # first handover read also loads the wire models).
    qtbot.waitUntil(sup.handover_notice.isVisible, timeout=10_000)
    kept = world.handover(row.id)
    assert kept.status == "pending" and kept.started_by == "sup1"
    record = pulled_handover_of(world.sup, row.id)
    assert len(record.borrower_ids) == 2
    # Again for C001: headquarters refuses, each reason said; nothing more is started.
    with pytest.raises(HandoverStartError) as refused:
        handover_desk.start_handover(world.sup, "", wire.HandoverStart(
            from_officer="off_a", to_officer="off_b", borrower_codes=["C001"]), retries=1)
    assert "pending handover" in refused.value.text.en, refused.value.text
    assert len(world.sup.handovers()) == 1
    sup.close()
    return record


def pulled_handover_of(store: LocalStore, handover_id: str) -> wire.HandoverRecord:
    from inspector_app.sync.handover import pulled_handover

    found = pulled_handover(store, handover_id)
    assert found is not None
    return found


def _sign(qtbot: QtBot, signing: SignHandoverDialog, password: str) -> None:
    signing.password_edit.clear()
    qtbot.keyClicks(signing.password_edit, password)
    signing.sign_button.click()
    qtbot.waitUntil(lambda: not signing.busy, timeout=60_000)


def test_both_officers_sign_the_record_in_the_app_and_the_borrowers_move(
        qtbot: QtBot, world: World) -> None:
    i18n.install("en")
    started = _supervisor_starts(qtbot, world)
    world.sync(world.a)  # nothing left to upload: off_a's laptop lets go
    world.sync(world.b)

    # off_a: the notice, the rows, the handovers window, the signing.
    a = _window(qtbot, world.a, "off_a")
    codes = _codes(a)
    assert {c: codes[c] for c in HANDED} == {"C001": "Being handed over",
                                             "C002": "Being handed over"}
    assert codes["C003"] == ""
    listing, signing = _open_signing(qtbot, a)
    assert listing.chosen() is not None
    assert listing.chosen().state is HandoverState.GIVER_SIGNATURE  # type: ignore[union-attr]
    assert not signing.countersign
    signing.preview_button.click()  # the record rendered as it will be signed
    views_a = lambda: listing.signing._views  # noqa: E731
    qtbot.waitUntil(lambda: views_a() is not None and views_a().last_preview is not None
                    and views_a().last_preview.dialog is not None, timeout=30_000)
    views_a().last_preview.dialog.reject()  # type: ignore[union-attr]
    draw(signing.pad, STROKE)
    _sign(qtbot, signing, "not the password")
    assert signing.isVisible() and signing.message.text().startswith(
        "The handover record was not signed: ")
    assert world.handover(started.id).signed_sha256 is None  # nothing sent
    _sign(qtbot, signing, world.ca.user("off_a").password)
    assert not signing.isVisible(), signing.message.text()
    assert listing.message.text() == "Headquarters has kept your signature."
    signed_sha = world.handover(started.id).signed_sha256
    assert signed_sha is not None
    qtbot.waitUntil(lambda: not listing.loading)
    assert listing.rows[0].state is HandoverState.TAKER_SIGNATURE  # as headquarters answered
    assert not listing.sign_button.isEnabled()  # signed once

    # off_b: after a sync, the countersigning, the preview fetched from headquarters first.
    world.sync(world.b)
    b = _window(qtbot, world.b, "off_b")
    assert "your signature is needed on 1 handover record" in b.handover_notice.label.text()
    assert not set(HANDED) & set(_codes(b))  # not theirs yet
    listing_b, countersigning = _open_signing(qtbot, b)
    assert countersigning.countersign
    countersigning.preview_button.click()
    views = lambda: listing_b.signing._views  # noqa: E731
    qtbot.waitUntil(lambda: views() is not None and views().last_preview is not None
                    and views().last_preview.dialog is not None, timeout=30_000)
    fetched = world.b.data_dir / "handovers" / f"{started.id}-certified.pdf"
    assert fetched.is_file()
    views().last_preview.dialog.reject()  # type: ignore[union-attr]
    draw(countersigning.pad, STROKE)
    _sign(qtbot, countersigning, world.ca.user("off_b").password)
    assert not countersigning.isVisible(), countersigning.message.text()
    kept = world.handover(started.id)
    assert kept.signed_sha256 == signed_sha and kept.countersigned_sha256 is not None

    # sup1 confirms: after a sync, Confirm the handover…, the record both signed previewed
    # from this laptop, a wrong password refused, then the third signature: completed.
    world.sync(world.sup)
    sup = _window(qtbot, world.sup, "sup1")
    listing_s, confirming = _open_signing(qtbot, sup)
    assert confirming.confirm
    confirming.preview_button.click()
    views_s = lambda: listing_s.signing._views  # noqa: E731
    qtbot.waitUntil(lambda: views_s() is not None and views_s().last_preview is not None
                    and views_s().last_preview.dialog is not None, timeout=30_000)
    views_s().last_preview.dialog.reject()  # type: ignore[union-attr]
    draw(confirming.pad, STROKE)
    _sign(qtbot, confirming, "not the password")
    assert confirming.isVisible() and confirming.message.text() == (
        "The handover was not confirmed: wrong certificate password")
    assert world.handover(started.id).status == "pending"
    _sign(qtbot, confirming, world.ca.user("sup1").password)
    assert not confirming.isVisible(), confirming.message.text()
    assert listing_s.message.text().startswith("Headquarters has checked the three signatures "
                                               "and completed the handover")
    kept = world.handover(started.id)
    assert kept.status == "completed" and kept.confirmed_sha256 is not None
    sup.close()
    world.sync(world.a)
    world.sync(world.b)
    _reload(qtbot, a)
    _reload(qtbot, b)
    assert not set(HANDED) & set(_codes(a))
    assert {c: _codes(b)[c] for c in HANDED} == {"C001": "", "C002": ""}
    assert not a.handover_notice.isVisible() and not b.handover_notice.isVisible()
    with SyncClient(world.b, world.server.url) as client:
        client._use_token()
        blob = client._send("GET", f"{wire.API}/blobs/{kept.confirmed_sha256}")
    verified = verify_bytes(blob.content, [world.ca.ca_cert_path])
    assert verified.verdict and [x.signer for x in verified.signatures] == \
        ["李明", "王芳", "张主任"]
    for window in (a, b):
        window.close()
