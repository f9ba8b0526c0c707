"""Importing a signing certificate and the trusted root, through the settings dialog."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from test_screens import save, texts_fit

from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.settings.certificates import CertificateSettingsDialog
from inspector_app.reports.certificate_files import (
    certificate_path,
    certs_dir,
    imported_certificate,
    trust_roots,
)
from inspector_app.reports.certs import TestCA, make_test_ca

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import Portfolio, SignIn


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return make_test_ca(tmp_path_factory.mktemp("ca"), [("wang", "王明")])


@pytest.fixture
def dialog(qtbot: QtBot, portfolio: Portfolio) -> CertificateSettingsDialog:
    widget = CertificateSettingsDialog(portfolio.store.data_dir, portfolio.officer)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def try_import(qtbot: QtBot, dialog: CertificateSettingsDialog, path: Path, password: str) -> None:
    dialog.file_edit.setText(str(path))
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def test_wrong_password_imports_nothing_then_the_right_one_does(
    qtbot: QtBot, dialog: CertificateSettingsDialog, portfolio: Portfolio, ca: TestCA
) -> None:
    i18n.install("zh_CN")
    data_dir = portfolio.store.data_dir
    issued = ca.user("wang")
    assert imported_certificate(data_dir, "wang") is None
    assert "还没有导入证书" in dialog._own_status.text()

    try_import(qtbot, dialog, issued.p12_path, "not the password")
    assert dialog.message() == "证书密码错误"
    assert imported_certificate(data_dir, "wang") is None
    assert dialog.password_edit.text() == ""
    assert dialog.subject_label.isHidden()

    try_import(qtbot, dialog, issued.p12_path, issued.password)
    assert dialog.message() == "证书已导入。"
    kept = imported_certificate(data_dir, "wang")
    assert kept == certs_dir(data_dir) / "wang.p12"
    assert kept.read_bytes() == issued.p12_path.read_bytes()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert dialog.subject_label.isVisible()
    assert dialog.subject_label.text() == "王明, 演示银行 Demo Bank"
    assert "至" in dialog.validity_label.text()
    # The password is not kept anywhere: not in a field, not in any file beside the copy.
    assert dialog.password_edit.text() == ""
    for path in certs_dir(data_dir).iterdir():
        assert issued.password.encode() not in path.read_bytes()
    assert sorted(p.name for p in certs_dir(data_dir).iterdir()) == ["wang.cert.pem", "wang.p12"]

    # Shown again when the dialog next opens, without the password.
    again = CertificateSettingsDialog(data_dir, portfolio.officer)
    qtbot.addWidget(again)
    assert again.subject_label.text() == "王明, 演示银行 Demo Bank"


def test_a_file_that_is_no_certificate_is_refused_by_its_own_name(
    qtbot: QtBot, dialog: CertificateSettingsDialog, portfolio: Portfolio, tmp_path: Path
) -> None:
    i18n.install("en")
    bogus = tmp_path / "notes.p12"
    bogus.write_text("not a certificate")
    try_import(qtbot, dialog, bogus, "whatever")
    assert dialog.message() == f"not a PKCS#12 certificate file: {bogus}"
    data_dir = portfolio.store.data_dir
    assert imported_certificate(data_dir, "wang") is None
    assert list(certs_dir(data_dir).iterdir()) == []  # no temporary copy left behind

    i18n.install("zh_CN")  # the message follows the language (the path is on the English side)
    assert dialog.message() == "不是 PKCS#12 证书文件"


def test_import_waits_for_both_fields(dialog: CertificateSettingsDialog) -> None:
    assert not dialog.import_button.isEnabled()
    dialog.file_edit.setText("/some/file.p12")
    assert not dialog.import_button.isEnabled()
    dialog.password_edit.setText("x")
    assert dialog.import_button.isEnabled()


def test_trusted_root_is_imported_from_the_file_dialog(
    qtbot: QtBot, dialog: CertificateSettingsDialog, portfolio: Portfolio, ca: TestCA,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    i18n.install("en")
    data_dir = portfolio.store.data_dir
    assert trust_roots(data_dir) == []
    assert dialog.ca_subject_label.isHidden()

    bogus = tmp_path / "root.pem"
    bogus.write_text("hello")
    chosen = [str(bogus)]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: (chosen[0], "")
    )
    qtbot.mouseClick(dialog.import_ca_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.ca_message() == f"not a certificate file: {bogus}"
    assert trust_roots(data_dir) == []

    chosen[0] = str(ca.ca_cert_path)
    with qtbot.waitSignal(dialog.trusted_ca_imported):
        qtbot.mouseClick(dialog.import_ca_button, Qt.MouseButton.LeftButton)
    assert trust_roots(data_dir) == [certs_dir(data_dir) / "trusted-ca.pem"]
    assert dialog.ca_message() == "Trusted root certificate imported."
    assert dialog.ca_subject_label.text().startswith("演示银行 测试根证书")


def test_the_pkcs12_file_dialog_fills_the_path(
    qtbot: QtBot, dialog: CertificateSettingsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    filters: list[str] = []

    def choose(parent, caption, folder, filter_text):
        filters.append(filter_text)
        return "/media/usb/wang.pfx", filter_text

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.file_edit.text() == "/media/usb/wang.pfx"
    assert "*.p12 *.pfx" in filters[0]


def test_the_main_windows_tools_menu_opens_the_settings(qtbot: QtBot, sign_in: SignIn) -> None:
    i18n.install("zh_CN")
    window = sign_in("zhang")
    [menu] = [action.menu() for action in window.menuBar().actions()]
    assert menu.title() == "工具(&T)"
    # Certificate settings first, then Handovers, then Tools → Language.
    action, handovers, language = menu.actions()
    assert handovers.text() == "责任移交(&H)…"
    assert language.menu() is window.language_menu
    assert action.text() == "证书设置(&C)…"
    action.trigger()
    dialog = window.findChild(CertificateSettingsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog._own_group.title() == "我的签名证书（张华）"
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(CertificateSettingsDialog) is None)


@pytest.mark.parametrize("name", ["../wang", "", ".hidden", "a/b", "a\\b"])
def test_a_user_name_cannot_lead_out_of_the_certificate_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        certificate_path(tmp_path, name)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_certificate_screen(
    qtbot: QtBot, qapp: QApplication, portfolio: Portfolio, ca: TestCA, lang: str
) -> None:
    use_bundled_font(qapp)
    i18n.install(lang)
    data_dir = portfolio.store.data_dir
    widget = CertificateSettingsDialog(data_dir, portfolio.officer)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert texts_fit(widget) == []
    save(widget, f"certificates_empty_{lang}")

    issued = ca.user("wang")
    try_import(qtbot, widget, issued.p12_path, issued.password)
    widget.import_trusted_ca_file(str(ca.ca_cert_path))
    qtbot.waitUntil(lambda: not widget.busy)
    widget.resize(widget.sizeHint().expandedTo(widget.size()))
    assert texts_fit(widget) == []
    save(widget, f"certificates_{lang}")
