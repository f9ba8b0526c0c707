"""Every window and dialog of the app, opened one after another as a user reaches them, for
the checks that hold for all of them (test_screen_fit.py, test_one_language.py).

The conftest's portfolio, made worth looking at: 华东精密机械 (C1002) has a full file, a red
signal open and a draft visit with a photo; 宏达房地产 (C1001) a visit 王明 (wang) signed and
submitted, which his supervisor 张华 (zhang) reviews. Both have their test certificates.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from brief_support import fill_borrower_file
from handover_support import pull_handover
from photo_support import make_jpeg
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from review_support import borrower_id, give_certificate, submit_visit

from inspector_app.domain.enums import SignalStatus, VisitKind
from inspector_app.gui.app import Launcher
from inspector_app.gui.editor.collateral_page import CollateralPage
from inspector_app.gui.editor.comment_box import CommentDialog
from inspector_app.gui.editor.completion_page import CompletionPage
from inspector_app.gui.editor.photos.photos_page import VisitPhotosPage
from inspector_app.gui.editor.signals_page import SignalsPage
from inspector_app.gui.editor.templates_dialog import TemplatesDialog
from inspector_app.gui.editor.window import VisitEditor
from inspector_app.gui.i18n import ENDONYMS
from inspector_app.gui.laptop_settings import LaptopSettings
from inspector_app.gui.reports.report_dialogs import CertificatePasswordDialog
from inspector_app.gui.reports.signature_pad import SignatureDialog
from inspector_app.gui.review.extras import ReviewExtras
from inspector_app.gui.worklist.main_window import MainWindow
from inspector_app.reports.certs import CA_COMMON_NAME, ORGANIZATION, TestCA
from inspector_app.store.local import LocalStore, user_row
from inspector_app.store.models import User

# The visit's borrowers and people, as the data the screens show (not words of the app).
DRAFT_BORROWER = "C1002"
SUBMITTED_BORROWER = "C1001"


@dataclass(frozen=True)
class Stop:
    name: str
    window: QWidget  # shown, its contents loaded


@dataclass
class TourWorld:
    store: LocalStore
    officer: User
    supervisor: User
    passwords: dict[str, str]
    draft_id: str
    submitted_id: str
    today: Callable
    # Data shown besides what is stored: what the tour types, the test certificates' names,
    # the laptop's name, each language named in itself, and the brief's fixture signal (it
    # names no rule to derive its English title from, as a signal the app raised would).
    typed: frozenset[str] = frozenset({
        "第一项", "not his password", ORGANIZATION, CA_COMMON_NAME, socket.gethostname(),
        *ENDONYMS.values(), "质押存货未找到"})


def build_world(portfolio, ca: TestCA, tmp_path: Path) -> TourWorld:  # portfolio: conftest's
    store: LocalStore = portfolio.store
    officer, supervisor = portfolio.officer, portfolio.supervisor
    fill_borrower_file(store, officer, DRAFT_BORROWER)
    draft = store.start_visit(borrower_id(store, DRAFT_BORROWER), officer, VisitKind.ROUTINE,
                              visit_date=portfolio.today(), place="厂区")
    store.add_photo(draft.id, officer, make_jpeg(tmp_path / "photos" / "gate.jpg"),
                    caption="厂区大门")
    store.set_answer(draft.id, officer, "R-WIL-01", "no", note="利息逾期")  # raises a signal
    submitted = submit_visit(store, ca, SUBMITTED_BORROWER, officer, portfolio.today())
    for user in (officer, supervisor):
        give_certificate(store.data_dir, ca, user.username)
    # 王明 hands two borrowers over to 李强 (his laptop has let go; he signs next), and takes
    # one over from 李强, who has signed (he countersigns).
    other = portfolio.other_officer
    pull_handover(store, officer, other, ["C1003", "C1004"], released=True)
    pull_handover(store, other, officer, ["C2001"], released=True, signed=True)
    # And one both have signed: their supervisor 张华 confirms it.
    pull_handover(store, officer, other, [SUBMITTED_BORROWER], released=True, signed=True,
                  countersigned=True)
    # The folder a failed export names (Tour._export) is the user's, not words of the app.
    typed = TourWorld.typed | {str(store.data_dir / "gone")}
    return TourWorld(store, officer, supervisor, portfolio.passwords, draft.id, submitted,
                     portfolio.today, typed)


class Tour:
    """Opens each stop, hands it to the caller, closes it before the next."""

    def __init__(self, qtbot: QtBot, world: TourWorld) -> None:
        self.qtbot = qtbot
        self.world = world
        self._open: list[QWidget] = []

    def stops(self) -> Iterator[Stop]:
        yield from self._sign_in()
        officer = self._main_window(self.world.officer)
        yield Stop("main_window", officer)
        yield from self._borrower(officer)
        yield from self._tools(officer)
        yield from self._editor(officer)
        officer.close()
        supervisor = self._main_window(self.world.supervisor)
        self.qtbot.waitUntil(lambda: supervisor.review_queue is not None
                             and not supervisor.review_queue.loading, timeout=5000)
        yield Stop("review_queue", supervisor)
        yield from self._start_handover(supervisor)
        yield from self._confirm_handover(supervisor)
        yield from self._dashboard(supervisor)
        yield from self._review(supervisor)
        supervisor.close()

    def close_all(self) -> None:
        for window in reversed(self._open):
            if window.isVisible():
                window.close()
        for window in self._open:
            if isinstance(window, VisitEditor):
                window.ctx.wait_for_saves()
        assert QThreadPool.globalInstance().waitForDone(20_000)

    # -- the stops -----------------------------------------------------------------------------

    def _shown(self, window: QWidget) -> QWidget:
        self.qtbot.waitExposed(window)
        QApplication.processEvents()
        return window

    def _sign_in(self) -> Iterator[Stop]:
        launcher = Launcher(self.world.store, LaptopSettings(), today=self.world.today)
        launcher.start()
        dialog = launcher.login_dialog
        assert dialog is not None
        self._open.append(dialog)
        yield Stop("sign_in", self._shown(dialog))
        self.qtbot.keyClicks(dialog.ui.usernameEdit, "wang")
        self.qtbot.keyClicks(dialog.ui.passwordEdit, "not his password")
        dialog.ui.signInButton.click()
        self.qtbot.waitUntil(lambda: not dialog.busy and dialog.message() != "", timeout=5000)
        yield Stop("sign_in_refused", dialog)
        dialog.close()

    def _main_window(self, user: User) -> MainWindow:
        window = MainWindow(self.world.store, user_row(user), LaptopSettings(), self.world.today)
        self._open.append(window)
        window.show()
        self.qtbot.waitUntil(lambda: not window.loading and window.model.rowCount() > 0,
                             timeout=5000)
        self._shown(window)
        return window

    def _borrower(self, main: MainWindow) -> Iterator[Stop]:
        store = self.world.store
        brief = main.open_brief(borrower_id(store, DRAFT_BORROWER))
        self.qtbot.waitUntil(lambda: not brief.busy, timeout=5000)
        yield Stop("brief", self._shown(brief))
        start = brief.start_visit()
        self.qtbot.waitUntil(lambda: start.start_button.isEnabled(), timeout=5000)
        yield Stop("start_visit", self._shown(start))
        start.close()
        brief.close()

        visits = main.open_borrower(borrower_id(store, SUBMITTED_BORROWER))
        self.qtbot.waitUntil(lambda: bool(visits.rows) and not visits.busy, timeout=5000)
        visits.select_visit(self.world.submitted_id)
        visits.verify_signatures()
        self.qtbot.waitUntil(lambda: visits.verdict.verdict is not None, timeout=20_000)
        yield Stop("borrower_visits", self._shown(visits))
        signature = SignatureDialog(visits)
        signature.open()
        yield Stop("signature", self._shown(signature))
        signature.close()
        password = CertificatePasswordDialog(visits)
        password.ask(lambda: visits.tr("Sign the report of the visit of {date}.").format(
            date="2025-03-10"), None)
        yield Stop("certificate_password", self._shown(password))
        password.close()
        visits.preview_button.click()
        self.qtbot.waitUntil(lambda: visits.last_preview is not None
                             and visits.last_preview.dialog is not None, timeout=30_000)
        preview = visits.last_preview.dialog  # type: ignore[union-attr]
        assert preview is not None
        yield Stop("print_preview", self._shown(preview))
        preview.reject()
        visits.close()

    def _tools(self, main: MainWindow) -> Iterator[Stop]:
        certificates = main.open_certificate_settings()
        self.qtbot.waitUntil(lambda: not certificates.busy, timeout=5000)
        yield Stop("certificate_settings", self._shown(certificates))
        # Qt's own file dialog, as Browse… shows it where the desktop offers none of its own.
        files = QFileDialog(certificates, certificates.tr("Choose your certificate file"))
        files.setOption(QFileDialog.Option.DontUseNativeDialog)
        files.setDirectory(str(self.world.store.data_dir))
        files.open()
        yield Stop("file_dialog", self._shown(files))
        files.reject()
        certificates.close()
        sync = main.open_sync()
        yield Stop("sync", self._shown(sync))
        sync.close()
        yield from self._export(main)
        yield from self._handovers(main)

    def _handovers(self, main: MainWindow) -> Iterator[Stop]:
        """The handovers window from the notice, and the two signing windows."""
        listing = main.handover_notice.open_list()
        yield Stop("handovers", self._shown(listing))
        for row in range(listing.table.rowCount()):
            listing.table.selectRow(row)
            if not listing.rows[row].turn(self.world.officer.id):
                continue  # another's step (the supervisor's confirmation)
            countersign = listing.countersign_button.isVisible()
            listing.sign_chosen()
            dialog = listing.signing.dialog
            assert dialog is not None and dialog.countersign is countersign
            name = "countersign_handover" if countersign else "sign_handover"
            yield Stop(name, self._shown(dialog))
            dialog.reject()
        listing.close()

    def _export(self, main: MainWindow) -> Iterator[Stop]:
        """Export…: its file dialog, and what a failed export says."""
        dialog = main.export.start()
        dialog.setDirectory(str(self.world.store.data_dir))
        yield Stop("export_dialog", self._shown(dialog))
        dialog.reject()
        gone = self.world.store.data_dir / "gone" / "due.xlsx"
        with self.qtbot.waitSignal(main.export.failed, timeout=20_000):
            main.export.export_to(str(gone))
        assert main.export.message is not None
        yield Stop("export_failed", self._shown(main.export.message))
        main.export.message.close()

    def _start_handover(self, main: MainWindow) -> Iterator[Stop]:
        """The supervisor's Start a handover…, 王明's borrowers listed, and its confirmation."""
        listing = main.handover_notice.open_list()
        dialog = listing.start_handover()
        self.qtbot.waitUntil(lambda: not dialog.loading and dialog.from_combo.count() > 1,
                             timeout=5000)
        dialog.from_combo.setCurrentIndex(1)
        self.qtbot.waitUntil(lambda: not dialog.loading and dialog.borrower_list.count() > 0,
                             timeout=5000)
        yield Stop("start_handover", self._shown(dialog))
        dialog.submit()  # no one to take over in this team: said in the window
        yield Stop("start_handover_refused", self._shown(dialog))
        dialog.reject()
        listing.close()

    def _confirm_handover(self, main: MainWindow) -> Iterator[Stop]:
        """The supervisor's handovers window, one waiting for their confirmation, and the
        window that confirms it (the third signature)."""
        listing = main.handover_notice.open_list()
        yield Stop("handovers_supervisor", self._shown(listing))
        me = self.world.supervisor.id
        row = next(i for i, r in enumerate(listing.rows) if r.may_confirm(me))
        listing.table.selectRow(row)
        listing.sign_chosen()
        dialog = listing.signing.dialog
        assert dialog is not None and dialog.confirm
        yield Stop("confirm_handover", self._shown(dialog))
        dialog.reject()
        listing.close()

    def _editor(self, main: MainWindow) -> Iterator[Stop]:
        editor = main.open_visit(self.world.draft_id)
        assert isinstance(editor, VisitEditor)
        self.qtbot.waitUntil(lambda: editor.loaded, timeout=5000)
        dialogs: dict[str, Callable[[VisitEditor], Iterator[Stop]]] = {
            "header": self._templates, "photos": self._photo_dialogs,
            "collateral": self._found_collateral, "signals": self._signal_dialogs,
            "completion": self._sign_report,
        }
        for key in [page.page_key() for page in editor.pages]:
            yield Stop(f"editor_{key}", self._page(editor, key))
            yield from dialogs.get(key, lambda _editor: iter(()))(editor)
        comment = CommentDialog(editor)
        comment.ask("第一项", "")
        yield Stop("comment", self._shown(comment))
        comment.reject()
        editor.close()

    def _page(self, editor: VisitEditor, key: str) -> VisitEditor:
        editor.show_page(key)
        page = editor.current_page()
        self.qtbot.waitUntil(lambda: not getattr(page, "busy", False)
                             and getattr(page, "ready", True), timeout=20_000)
        self._shown(editor)
        return editor

    def _templates(self, editor: VisitEditor) -> Iterator[Stop]:
        header = editor.header_page
        assert header is not None
        # (It opens once the templates in force are read, a moment after the page.)
        self.qtbot.waitUntil(lambda: header.choose_templates()
                             or header.findChild(TemplatesDialog) is not None, timeout=5000)
        dialog = header.findChild(TemplatesDialog)
        assert dialog is not None
        yield Stop("templates", self._shown(dialog))
        dialog.reject()

    def _photo_dialogs(self, editor: VisitEditor) -> Iterator[Stop]:
        photos = editor.current_page()
        assert isinstance(photos, VisitPhotosPage)
        self.qtbot.waitUntil(lambda: photos.model.rowCount() > 0, timeout=5000)
        photos.grid.setCurrentIndex(photos.model.index(0, 0))
        photos.open_selected()
        viewer = photos.viewer
        assert viewer is not None
        self.qtbot.waitUntil(lambda: viewer.image_loaded, timeout=5000)
        yield Stop("photo_viewer", self._shown(viewer))
        viewer.close()
        photos.remove_selected()
        box = photos.findChild(QMessageBox)
        assert box is not None
        yield Stop("remove_photo", self._shown(box))
        box.reject()

    def _sign_report(self, editor: VisitEditor) -> Iterator[Stop]:
        page = editor.current_page()
        assert isinstance(page, CompletionPage)
        # (Its button shows once nothing is missing; the window is the same either way.)
        dialog = page.signing.start(self.world.today())
        yield Stop("sign_report", self._shown(dialog))
        dialog.reject()

    def _found_collateral(self, editor: VisitEditor) -> Iterator[Stop]:
        page = editor.current_page()
        assert isinstance(page, CollateralPage)
        page.found_dialog.ask()
        yield Stop("found_collateral", self._shown(page.found_dialog))
        page.found_dialog.reject()

    def _signal_dialogs(self, editor: VisitEditor) -> Iterator[Stop]:
        page = editor.current_page()
        assert isinstance(page, SignalsPage)
        page.add_button.click()
        yield Stop("add_signal", self._shown(page.add_dialog))
        page.add_dialog.reject()
        page.tree.setCurrentItem(page.earlier_group.child(0))  # the red signal still open
        page.step_buttons[SignalStatus.CLEARED].click()
        yield Stop("reason", self._shown(page.reason_dialog))
        page.reason_dialog.reject()
        row = page.selected()
        assert row is not None
        page.follow_up_dialog.ask("escalate", row.id, row.title_in("zh"), row.severity)
        yield Stop("signal_follow_up", self._shown(page.follow_up_dialog))
        page.follow_up_dialog.reject()

    def _dashboard(self, main: MainWindow) -> Iterator[Stop]:
        assert main.home_tabs is not None and main.home is not None
        main.home_tabs.setCurrentWidget(main.home.dashboard_tab)
        board = main.dashboard
        assert board is not None
        self.qtbot.waitUntil(lambda: board.board is not None and not board.loading,
                             timeout=10_000)
        for page, name in enumerate(("due", "signals", "classification", "workload")):
            board.pages.setCurrentIndex(page)
            yield Stop(f"dashboard_{name}", self._shown(main))
        board.matrix.cell_clicked.emit(*board.matrix.busiest_cell())
        dialog = board.drill_dialog
        assert dialog is not None
        self.qtbot.waitUntil(lambda: not dialog.loading, timeout=5000)
        yield Stop("dashboard_list", self._shown(dialog))
        dialog.close()
        main.home_tabs.setCurrentIndex(0)

    def _review(self, main: MainWindow) -> Iterator[Stop]:
        editor = main.open_visit(self.world.submitted_id)
        assert isinstance(editor, VisitEditor)
        extras = editor.findChild(ReviewExtras)
        assert extras is not None
        self.qtbot.waitUntil(lambda: extras.situation is not None, timeout=10_000)
        for page in list(editor.pages):
            key = page.page_key()
            if key.startswith("section:") and key != editor.pages[1].page_key():
                continue  # one checklist section stands for all
            yield Stop(f"review_{key}", self._page(editor, key))
        approve = extras.approve()
        assert approve is not None
        yield Stop("approve", self._shown(approve))
        approve.reject()
        extras.return_visit()
        self.qtbot.waitUntil(lambda: extras.return_dialog is not None
                             and extras.return_dialog.isVisible(), timeout=5000)
        assert extras.return_dialog is not None
        yield Stop("return", self._shown(extras.return_dialog))
        extras.return_dialog.reject()
        editor.close()


def snapshot(window: QWidget, name: str) -> None:
    """Save what the user sees to $INSPECTOR_SCREENSHOTS/name.png, if that is set: under X11
    the whole screen (title bars, and where the window sits), headless the window itself."""
    folder = os.environ.get("INSPECTOR_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    if QGuiApplication.platformName() == "xcb":
        QTest.qWait(500)  # X11 maps, places and paints a new window after Qt shows it
        image = window.screen().grabWindow(0)
    else:
        image = window.grab()
    assert image.save(str(Path(folder) / f"{name}.png"))
