"""The sync dialog's server address (deployed by IT, remembered) and a server it cannot reach:
said at once, with why, in the officer's language, over real sockets on this machine."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit
from test_sync_dialog import FAST, WAIT_MS, fake_server

from inspector_app import wire
from inspector_app.gui import i18n
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.sync.sync_dialog import SyncDialog
from inspector_app.gui.workers import TaskRunner
from inspector_app.sync.client import SyncClient

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn

DEPLOYED = "https://hq.bank.test:8443"


@pytest.fixture
def hq(portfolio: Portfolio) -> object:
    server = fake_server.FakeHQ()
    officer = portfolio.officer
    server.add_user(wire.UserRecord(id=officer.id, username=officer.username,
                                    display_name=officer.display_name,
                                    role=officer.role.value), portfolio.passwords["wang"])
    return server


def deploy(address: str) -> Path:
    """The settings file the bank's IT puts in the machine-wide folder (the conftest points
    $XDG_CONFIG_DIRS at a temporary one)."""
    import os

    folder = Path(os.environ["XDG_CONFIG_DIRS"]) / "inspector-app"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "inspector-app.ini"
    path.write_text(f"; deployed by IT\n[sync]\nserver_address = {address}\n", encoding="utf-8")
    return path


def open_dialog(qtbot: QtBot, portfolio: Portfolio, transport: object = None,
                **options: object) -> SyncDialog:
    """The sync dialog as the app opens it, on its own (a new start of the app each time)."""
    user = portfolio.store.authenticate("wang", portfolio.passwords["wang"])
    dialog = SyncDialog(portfolio.store, user, TaskRunner(), LaptopSettings(),
                        transport=transport, client_options={**FAST, **options})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.start_button.isEnabled, timeout=WAIT_MS)
    return dialog


def run(qtbot: QtBot, dialog: SyncDialog, password: str = "") -> str:
    if dialog.registration_box.isVisible():
        dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    return dialog.result_view.toPlainText()


def test_the_deployed_address_is_offered_and_the_one_used_is_remembered(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, hq: object
) -> None:
    deploy(DEPLOYED)
    sign_in("wang")
    dialog = open_dialog(qtbot, portfolio, hq.transport)
    assert dialog.address_edit.text() == DEPLOYED  # nothing to type on a new laptop
    text = run(qtbot, dialog, portfolio.passwords["wang"])
    assert dialog.report is not None and dialog.report.ok, text
    assert dialog.stage_label.text().startswith("Sync complete at ")
    # The deployed address is not copied: one IT deploys later applies here too.
    assert LaptopSettings().last_server_address == ""
    dialog.close()

    deploy("https://hq-new.bank.test")
    dialog = open_dialog(qtbot, portfolio, hq.transport)
    assert dialog.address_edit.text() == "https://hq-new.bank.test"
    dialog.address_edit.setText("hq2.bank.test:9443")  # typed by hand, without https://
    run(qtbot, dialog)
    assert dialog.report is not None and dialog.report.ok
    dialog.close()

    dialog = open_dialog(qtbot, portfolio, hq.transport)
    assert dialog.address_edit.text() == "https://hq2.bank.test:9443"  # remembered


@pytest.fixture
def nothing_listening() -> str:
    """A port on this machine with nothing listening: the connection is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"127.0.0.1:{port}"


@pytest.fixture
def not_answering() -> Iterator[str]:
    """A server whose connections never complete, as a non-routable address (10.255.255.1)
    behaves: a listening socket whose backlog is full drops further SYNs, so a connect waits
    until it times out."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filled = []
    for _ in range(8):
        client = socket.socket()
        client.settimeout(0.2)
        try:
            client.connect(("127.0.0.1", port))
        except OSError:
            client.close()
            break
        filled.append(client)
    else:
        pytest.skip("this system never fills a listening socket's backlog")
    yield f"127.0.0.1:{port}"
    for client in filled:
        client.close()
    server.close()


CASES = {
    "refused": (
        "无法连接总行服务器：{host} 拒绝连接：服务器未在运行，或端口不对",
        "Cannot reach the headquarters server: {host} refused the connection: the server is "
        "not running there, or the port is wrong",
    ),
    "timeout": (
        "无法连接总行服务器：0.5秒内未能连接到 {host}：网络不通，或地址不对",
        "Cannot reach the headquarters server: no connection to {host} within 0.5 s: the "
        "network does not reach it, or the address is wrong",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_unreachable_server_is_said_with_why_in_the_officers_language(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, case: str,
    request: pytest.FixtureRequest,
) -> None:
    host = request.getfixturevalue("nothing_listening" if case == "refused"
                                   else "not_answering")
    zh, en = (line.format(host=host) for line in CASES[case])
    sign_in("wang")
    i18n.install("zh_CN")
    timeout = {"connect_timeout": 0.5} if case == "timeout" else {}  # the default is 4 s
    dialog = open_dialog(qtbot, portfolio, **timeout)
    assert dialog.registration_box.isVisible()  # the first sync registers this laptop
    qtbot.keyClicks(dialog.address_edit, f"http://{host}")

    text = run(qtbot, dialog, portfolio.passwords["wang"])

    assert text == zh
    assert dialog.stage_label.text().startswith("无法连接服务器")
    assert dialog.registration_box.isVisible() and dialog.start_button.isEnabled()
    assert texts_fit(dialog) == []
    save(dialog, f"sync_unreachable_{case}_zh_CN")
    i18n.install("en")
    assert dialog.result_view.toPlainText() == en
    assert dialog.stage_label.text().startswith("The server could not be reached at ")
    save(dialog, f"sync_unreachable_{case}_en")
    assert LaptopSettings().last_server_address == ""  # an address that did not answer


def test_a_registered_laptop_that_cannot_reach_the_server_says_why_above_what_waits(
    qtbot: QtBot, sign_in: SignIn, portfolio: Portfolio, hq: object, nothing_listening: str
) -> None:
    with SyncClient(portfolio.store, "http://hq.test", transport=hq.transport) as client:
        client.register("wang", portfolio.passwords["wang"], "laptop-test")
    sign_in("wang")
    dialog = open_dialog(qtbot, portfolio)
    dialog.address_edit.setText(f"http://{nothing_listening}")

    lines = run(qtbot, dialog).splitlines()

    assert lines[0].startswith("Sync not fully done")
    assert lines[1] == CASES["refused"][1].format(host=nothing_listening)
    assert lines[2].startswith("Updates from headquarters could not be received")
    assert dialog.stage_label.text().startswith("The server could not be reached at ")
