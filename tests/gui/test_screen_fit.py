"""Every window fits a 1366×768 laptop, title bar and all, nothing in it cut off, and opens
again at the size it was left at.

INSPECTOR_SCREENSHOTS=/some/folder saves each window as a PNG (the whole screen under X11).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from review_support import borrower_id, ca_fixture  # noqa: F401 (a fixture)
from screen_checks import fit_problems
from window_tour import Tour, build_world, snapshot

from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.screen_fit import FRAME_ALLOWANCE, fit_window
from inspector_app.reports.certs import TestCA

if TYPE_CHECKING:  # fixture types, from this folder's conftest
    from conftest import SignIn

LAPTOP = QSize(1366, 768)


@pytest.fixture(autouse=True)
def _bundled_font(qapp: QApplication) -> None:
    use_bundled_font(qapp)


def test_the_suite_runs_on_a_laptop_screen(qapp: QApplication) -> None:
    assert qapp.primaryScreen().availableGeometry().size() == LAPTOP


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_window_fits_the_laptop_screen(
    qtbot: QtBot, portfolio, ca: TestCA, tmp_path: Path, lang: str
) -> None:
    i18n.install(lang)
    tour = Tour(qtbot, build_world(portfolio, ca, tmp_path))
    problems, seen = [], []
    try:
        for stop in tour.stops():
            seen.append(stop.name)
            problems += [f"{stop.name}: {p}" for p in fit_problems(stop.window)]
            snapshot(stop.window, f"{stop.name}_{lang}")
    finally:
        tour.close_all()
    assert len(seen) > 30  # the tour went everywhere
    assert problems == []


def test_a_window_opens_at_the_size_it_was_left_at(qtbot: QtBot) -> None:
    first = QDialog()
    first.resize(500, 300)
    fit_window(first, "example")
    first.show()
    qtbot.waitExposed(first)
    first.resize(640, 410)
    first.close()

    again = QDialog()
    again.resize(500, 300)  # its default, as the code that makes it says
    fit_window(again, "example")
    qtbot.addWidget(again)
    assert again.size() == QSize(640, 410)
    assert LaptopSettings().window_size("example") == QSize(640, 410)


@pytest.mark.parametrize("opens", ["open_brief", "open_borrower", "open_certificate_settings"])
def test_the_officers_windows_open_again_at_the_size_left(
    qtbot: QtBot, sign_in: SignIn, portfolio, opens: str
) -> None:
    main = sign_in("wang")

    def reopen() -> QWidget:
        if opens == "open_certificate_settings":
            return main.open_certificate_settings()
        return getattr(main, opens)(borrower_id(portfolio.store, "C1001"))

    first = reopen()
    qtbot.waitExposed(first)
    left = QSize(first.width() - 40, first.height() - 30)
    first.resize(left)
    first.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))  # closed for good (deleted)

    again = reopen()
    qtbot.waitExposed(again)
    assert again.size() == left
    again.close()


def test_a_size_left_on_a_bigger_monitor_is_shrunk_to_the_laptop(qtbot: QtBot) -> None:
    LaptopSettings().set_window_size("example", QSize(1900, 1150))
    dialog = QDialog()
    fit_window(dialog, "example")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    area = dialog.screen().availableGeometry()
    # Placed a moment after it shows (once Qt has centred it).
    qtbot.waitUntil(lambda: area.contains(dialog.geometry().marginsAdded(FRAME_ALLOWANCE)))
    assert dialog.width() == LAPTOP.width() - FRAME_ALLOWANCE.left() - FRAME_ALLOWANCE.right()
