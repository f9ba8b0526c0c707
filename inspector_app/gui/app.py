"""Start the desktop app: font, language, sign-in, then the main window.

The sign-in dialog is the first window and shows at once; the local store (SQLAlchemy,
models, the migrations check: most of a cold start) opens behind it on a worker thread, so
this module and the dialog import nothing of the store (tests/gui/test_app.py checks it).
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from inspector_app import InspectorWarning
from inspector_app.gui import i18n
from inspector_app.gui.laptop_settings import APPLICATION, ORGANISATION, LaptopSettings
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import keep_windows_on_screen
from inspector_app.gui.signin.login_dialog import LoginDialog
from inspector_app.gui.ui_thread_gc import UiThreadCollector
from inspector_app.gui.workers import TaskRunner
from inspector_app.resources import cjk_font_path

if TYPE_CHECKING:
    from inspector_app.gui.editor.window import VisitEditor
    from inspector_app.gui.worklist.main_window import MainWindow
    from inspector_app.store.facade import LocalStore, UserRow

log = logging.getLogger(__name__)

FONT_FILE = cjk_font_path()
# Chinese at the common 9 pt default is hard to read on a laptop screen.
MIN_POINT_SIZE = 10.0
_bundled_family: str | None = None

StoreOpener = Callable[[], "LocalStore"]


def run(data_dir: Path, lang: str | None = None) -> int:
    """Run the desktop app on data_dir until its window closes; returns the exit code.

    lang is "zh_CN" (the default) or "en" (aliases such as "zh" are accepted; others raise
    ValueError); without it the language last chosen on this laptop is used. The exit code is
    1 when the data folder cannot be opened (the user has been told why).
    """
    chosen = i18n.normalise(lang) if lang else None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    UiThreadCollector(app)  # lives with the app: from now on gc runs on this thread only
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    use_bundled_font(app)
    settings = LaptopSettings()
    i18n.install(chosen or settings.language, app)

    launcher = Launcher(lambda: open_local_store(data_dir), settings, data_dir=data_dir)
    try:
        # Quit explicitly: between the dialog closing and the main window showing there is
        # briefly no window, which must not end the app.
        app.setQuitOnLastWindowClosed(False)
        launcher.finished.connect(lambda: app.exit(launcher.exit_code))
        launcher.start()
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone()  # no worker may outlive the store
        launcher.close_store()


class Launcher(QObject):
    """Shows the sign-in dialog, then the main window; finished when either is closed, or
    when the store cannot open (exit_code 1, after a message box saying why).

    store is an open LocalStore, or a function that opens one: it is then called on a worker
    thread while the sign-in dialog already shows. data_dir names the folder in that message.
    """

    finished = Signal()

    def __init__(
        self,
        store: LocalStore | StoreOpener,
        settings: LaptopSettings,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
        *,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._opener: StoreOpener | None = store if callable(store) else None
        self._store: LocalStore | None = None if callable(store) else store
        self._opened: LocalStore | None = None  # set by the worker; see close_store()
        self._data_dir = data_dir
        self._settings = settings
        self._today = today
        self.exit_code = 0
        # Top-level windows have no Qt parent, so the launcher holds them.
        self.login_dialog: LoginDialog | None = None
        self.main_window: MainWindow | None = None
        self.visit_editor: VisitEditor | None = None  # the draft reopened at start, if any
        self._runner = TaskRunner(self)

    @property
    def store(self) -> LocalStore | None:
        """The open store, None while it opens (or if it could not)."""
        return self._store

    def start(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            keep_windows_on_screen(app)  # Qt's own dialogs too, such as its file dialog
        self.login_dialog = LoginDialog(self._store, self._settings)
        self.login_dialog.accepted.connect(self._signed_in)
        self.login_dialog.rejected.connect(self.finished)
        self.login_dialog.show()
        if self._opener is not None:
            # Once the dialog has painted: the worker's imports hold the GIL much of the time
            # and would otherwise slow the first window they are meant to stay out of.
            QTimer.singleShot(0, self._begin_opening)

    def _begin_opening(self) -> None:
        self._runner.submit(self._open, self._store_opened, self._store_failed)

    def close_store(self) -> None:
        """Close the store this launcher opened (not one it was given), once no worker uses
        it: also one that finished opening after the user had cancelled."""
        store, self._opened = self._opened, None
        if store is not None:
            self._store = None
            store.close()

    def _open(self) -> LocalStore:
        # Worker thread: no widget here.
        assert self._opener is not None
        self._opened = self._opener()
        return self._opened

    def _store_opened(self, store: LocalStore) -> None:
        self._store = store
        if self.login_dialog is not None:
            self.login_dialog.set_store(store)
        # The main window's modules load on the other worker while the password is checked
        # (Argon2 releases the GIL), not after it: a tenth of a second off the sign-in.
        self._runner.submit(_import_main_window, lambda _none: None,
                            lambda error: log.error("could not load the main window",
                                                    exc_info=error))

    def _store_failed(self, error: Exception) -> None:
        if self.login_dialog is not None:
            self.login_dialog.deleteLater()  # only the message box remains
            self.login_dialog.hide()
            self.login_dialog = None
        self.exit_code = 1
        report_store_failure(self._data_dir, error)
        emit(self.finished)

    def _signed_in(self) -> None:
        from inspector_app.gui.worklist.main_window import MainWindow

        assert self.login_dialog is not None and self.login_dialog.user is not None
        assert self._store is not None  # sign-in waits for it
        store = self._store
        user = self.login_dialog.user
        self.login_dialog.deleteLater()
        self.login_dialog = None
        self.main_window = MainWindow(store, user, self._settings, self._today)
        self.main_window.closed.connect(self.finished)
        self.main_window.show()
        # Back to the visit and page the officer was on (after a crash too), if still a draft.
        self._runner.submit(
            lambda: store.last_place(user.id),
            lambda place: self._resume(user, place),
            lambda error: log.error("could not find the last visit", exc_info=error),
        )

    def _resume(self, user: UserRow, place: tuple[str, str] | None) -> None:
        from inspector_app.gui.editor.window import VisitEditor

        if place is None or self.main_window is None:
            return
        visit_id, page = place
        # Through the main window, which keeps one editor per visit.
        editor = self.main_window.open_visit(visit_id, page or None)
        assert isinstance(editor, VisitEditor)
        self.visit_editor = editor


def _import_main_window() -> None:
    # Worker thread: defines classes, makes no widget.
    import inspector_app.gui.worklist.main_window  # noqa: F401


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


def open_local_store(data_dir: Path) -> LocalStore:
    """LocalStore.open(data_dir), importing the store only now (see the module docstring)."""
    from inspector_app.store.facade import LocalStore

    return LocalStore.open(data_dir)


def report_store_failure(data_dir: Path | None, error: Exception) -> None:
    """Tell the user plainly why the data folder cannot be used (no traceback)."""
    from PySide6.QtWidgets import QMessageBox

    from inspector_app.store.facade import MigrationError, StoreError

    if isinstance(error, MigrationError):
        headline = QCoreApplication.translate(
            "StartUp", "The local database could not be upgraded to this version of the app."
        )
    elif isinstance(error, OSError | StoreError) and data_dir is not None:
        headline = QCoreApplication.translate(
            "StartUp", "The data folder {folder} could not be opened."
        ).format(folder=data_dir)
    else:
        log.error("the local store could not be opened", exc_info=error)
        headline = QCoreApplication.translate("StartUp", "The local database could not be opened.")
    advice = QCoreApplication.translate(
        "StartUp", "Nothing was changed. Please contact your IT support with this message."
    )
    title = QCoreApplication.translate("StartUp", "Cannot open the data")
    QMessageBox.critical(None, title, f"{headline}\n\n{error}\n\n{advice}")
