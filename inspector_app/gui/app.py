"""Start the desktop app: font, language, the local store, sign-in, then the main window."""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from inspector_app import InspectorWarning
from inspector_app.gui import i18n
from inspector_app.gui.login_dialog import LoginDialog
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.settings import APPLICATION, ORGANISATION, LaptopSettings
from inspector_app.gui.visit_editor import VisitEditor
from inspector_app.gui.workers import TaskRunner
from inspector_app.paths import cjk_font_path
from inspector_app.store.local import LocalStore
from inspector_app.store.migrate import MigrationError
from inspector_app.store.models import User

log = logging.getLogger(__name__)

FONT_FILE = cjk_font_path()
# Chinese at the common 9 pt default is hard to read on a laptop screen.
MIN_POINT_SIZE = 10.0
_bundled_family: str | None = None


def run(data_dir: Path, lang: str | None = None) -> int:
    """Run the desktop app on data_dir until its window closes; returns the exit code.

    lang is "zh_CN" (the default) or "en" (aliases such as "zh" are accepted; others raise
    ValueError); without it the language last chosen on this laptop is used.
    """
    chosen = i18n.normalise(lang) if lang else None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    use_bundled_font(app)
    settings = LaptopSettings()
    i18n.install(chosen or settings.language, app)

    store = open_store(data_dir)
    if store is None:
        return 1
    try:
        launcher = Launcher(store, settings)
        # Quit explicitly: between the dialog closing and the main window showing there is
        # briefly no window, which must not end the app.
        app.setQuitOnLastWindowClosed(False)
        launcher.finished.connect(app.quit)
        launcher.start()
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone()  # no worker may outlive the store
        store.close()


class Launcher(QObject):
    """Shows the sign-in dialog, then the main window; finished when either is closed."""

    finished = Signal()

    def __init__(
        self,
        store: LocalStore,
        settings: LaptopSettings,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._today = today
        # Top-level windows have no Qt parent, so the launcher holds them.
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None
        self.visit_editor: VisitEditor | None = None  # the draft reopened at start, if any
        self._runner = TaskRunner(self)

    def start(self) -> None:
        self.login_dialog = LoginDialog(self._store, self._settings)
        self.login_dialog.accepted.connect(self._signed_in)
        self.login_dialog.rejected.connect(self.finished)
        self.login_dialog.show()

    def _signed_in(self) -> None:
        assert self.login_dialog is not None and self.login_dialog.user is not None
        user = self.login_dialog.user
        self.login_dialog.deleteLater()
        self.login_dialog = None
        self.main_window = MainWindow(self._store, user, self._settings, self._today)
        self.main_window.closed.connect(self.finished)
        self.main_window.show()
        # Back to the visit and page the officer was on (after a crash too), if still a draft.
        self._runner.submit(
            lambda: self._store.last_place(user.id),
            lambda place: self._resume(user, place),
            lambda error: log.error("could not find the last visit", exc_info=error),
        )

    def _resume(self, user: User, place: tuple[str, str] | None) -> None:
        if place is None or self.main_window is None:
            return
        visit_id, page = place
        # Through the main window, which keeps one editor per visit.
        editor = self.main_window.open_visit(visit_id, page or None)
        assert isinstance(editor, VisitEditor)
        self.visit_editor = editor


def use_bundled_font(app: QApplication) -> str | None:
    """Make the shipped Chinese font the application font; returns its family name.

    Laptops differ in which Chinese fonts they have (some none at all, showing boxes), so the
    app brings its own and looks the same everywhere.
    """
    global _bundled_family
    if _bundled_family is None:  # register the file once per process, however often called
        font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            warnings.warn(
                f"could not load the bundled font {FONT_FILE}; Chinese may not display",
                InspectorWarning,
                stacklevel=2,
            )
            return None
        _bundled_family = families[0]
    font = QFont(app.font())
    font.setFamilies([_bundled_family])
    font.setPointSizeF(max(font.pointSizeF(), MIN_POINT_SIZE))
    app.setFont(font)
    return _bundled_family


def open_store(data_dir: Path) -> LocalStore | None:
    """The LocalStore of data_dir, or None after telling the user plainly why it cannot open."""
    try:
        return LocalStore.open(data_dir)
    except MigrationError as exc:
        detail = str(exc)
        headline = QCoreApplication.translate(
            "StartUp", "The local database could not be upgraded to this version of the app."
        )
    except (OSError, SQLAlchemyError) as exc:
        detail = str(exc)
        headline = QCoreApplication.translate(
            "StartUp", "The data folder {folder} could not be opened."
        ).format(folder=data_dir)
    advice = QCoreApplication.translate(
        "StartUp", "Nothing was changed. Please contact your IT support with this message."
    )
    title = QCoreApplication.translate("StartUp", "Cannot open the data")
    QMessageBox.critical(None, title, f"{headline}\n\n{detail}\n\n{advice}")
    return None
