"""The visit editor: one window per visit, its pages listed on the left.

Header, one page per checklist section (with its "answered/total" count), photos,
collateral, signals, conclusion and the completion check. Every page stores its own edits
through the shared VisitContext; the window shows whether they are saved, offers undo and
redo across all pages, remembers the page open (so a restart comes back to it) and, when
closed, waits until every edit is in the database.

Opening shows the first page as soon as the visit is read: the page list is complete at once
(titles and counts from what was read), but a page's widgets are made when it is first shown
or asked for (page(), show_target()), or else in short slices once the editor is idle
(bench/review_open.py: making every page up front took most of the time to the first page).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from inspector_app.domain.checklist import AnswerState, Checklist
from inspector_app.gui import i18n
from inspector_app.gui.editor.checklist_page import ChecklistPage
from inspector_app.gui.editor.checklist_row import ABNORMAL_RED, tick
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.editor_actions import EditorActions
from inspector_app.gui.editor.header_page import VisitHeaderPage
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.editor.pages import (
    PendingPage,
    other_pages,
    show_page_titles,
)
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.screen_fit import fit_window
from inspector_app.store.facade import Changes, LocalStore, UserRow, VisitHeader

log = logging.getLogger(__name__)

STATUS_POLL_MS = 150  # how often the "Saving…" line looks at the writer's queue
# After the first page is up, the pages not made yet are made one per turn of the event loop
# (each a few tens of milliseconds), from this long after opening: the first page's reads and
# paint go first.
IDLE_BUILD_DELAY_MS = 300
# Pages are made in the background only once the user has not typed or clicked for this long:
# making one holds the UI thread, and a note's save waits for its typing pause
# (TYPING_PAUSE_MS, 400 ms) to end on that thread — under load, pages made between the last
# keystroke and that save pushed it past the one second every edit is promised.
INPUT_QUIET_MS = 1000
_USER_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                         QEvent.Type.InputMethod, QEvent.Type.Wheel})


class VisitEditor(QMainWindow):
    """Every page of one visit; autosaved, undoable, resumable.

    Others may add to it once its pages are built (pages_loaded): pages after its own
    (add_page) and actions on its toolbar, as the supervisor's review does (gui/review).
    """

    pages_loaded = Signal()  # the visit is read and its pages are in the list

    def __init__(
        self,
        store: LocalStore,
        user: UserRow,
        visit_id: str,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        page: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitEditor")
        self.ctx = VisitContext(store, user, visit_id, today, self)
        self.header: VisitHeader | None = None
        self.checklist: Checklist | None = None
        self.pages: list[EditorPage] = []
        self.header_page: VisitHeaderPage | None = None
        self._counting = True  # False while every section page is given the answers
        self._wanted_page = page
        self._failure = ""
        self._closing = False

        self.page_list = QListWidget(self)
        self.page_list.setObjectName("pageList")
        self.page_list.setIconSize(QSize(16, 16))
        self.page_list.setSpacing(2)
        self.page_list.currentRowChanged.connect(self._page_chosen)
        self.stack = QStackedWidget(self)
        self._loading = QLabel(self)
        self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self._loading)
        splitter = QSplitter(self)
        splitter.addWidget(self.page_list)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 840])
        self.setCentralWidget(splitter)

        self.actions = EditorActions(self, self.ctx.undo_stack, undo=self.undo,
                                     redo=self.redo, step=self.step_page,
                                     read_only=lambda: self.read_only)
        # By the names the window has always given them.
        self.undo_action, self.redo_action = self.actions.undo, self.actions.redo
        self.next_action, self.previous_action = self.actions.next, self.actions.previous

        self.save_status = QLabel(self)
        self.save_status.setObjectName("saveStatus")
        self.statusBar().addWidget(self.save_status, 1)
        self.ctx.changed.connect(self._changed)
        self.ctx.item_comments.changed.connect(self._show_counts)  # the comments page's title
        self.ctx.save_failed.connect(self._save_failed)
        self._poll = QTimer(self)
        self._poll.setInterval(STATUS_POLL_MS)
        self._poll.timeout.connect(self._show_save_status)
        self._poll.start()
        self._idle_build = QTimer(self)  # makes the pages not made yet, one per timeout
        self._idle_build.setSingleShot(True)
        self._idle_build.timeout.connect(self._build_next)
        self._last_input = QElapsedTimer()  # since the user's last key or click, any window
        self._last_input.start()
        self._watching_input = False
        app = QCoreApplication.instance()
        if app is not None:  # quitting the app is closing the editor as far as saves go
            app.aboutToQuit.connect(self.finish_saves)

        self.resize(1100, 760)
        fit_window(self, "visit_editor")
        self._retranslate()
        self.ctx.reads.submit(
            lambda: (store.visit_header(visit_id), store.visit_checklist(visit_id)),
            self._loaded, self._load_failed,
        )

    # -- public --------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return bool(self.pages)

    @property
    def read_only(self) -> bool:
        return self.header is not None and not self.header.editable

    @property
    def toolbar(self) -> QToolBar:
        return self.actions.toolbar

    @property
    def wanted_page(self) -> str | None:
        """The page (or target) the editor was asked to open on, if any."""
        return self._wanted_page

    def add_page(self, page: EditorPage) -> None:
        """Append a page after the others (the reviewer's); read-only if the visit is."""
        self._add_page(page, len(self.pages))
        if self.read_only:
            page.set_read_only(True)
        self.retitle_pages()

    def retitle_pages(self) -> None:
        """Show each page's title in the list again (a page's count moved)."""
        self._show_counts()

    def current_page(self) -> EditorPage | None:
        row = self.page_list.currentRow()
        return self.pages[row] if 0 <= row < len(self.pages) else None

    def page(self, key: str) -> EditorPage | None:
        """The page with this key (made now if it was not yet); None if the visit has none."""
        row = next((row for row, p in enumerate(self.pages) if p.page_key() == key), None)
        return None if row is None else self._made(row)

    def show_page(self, key: str) -> bool:
        """Show the page with this key; False if the visit has none."""
        for row, page in enumerate(self.pages):
            if page.page_key() == key:
                self.page_list.setCurrentRow(row)
                return True
        return False

    def show_target(self, target: str) -> bool:
        """Show the page that owns target (a Missing.target) with the keyboard on it."""
        for row, page in enumerate(self.pages):
            if isinstance(page, PendingPage):
                if not page.spec.owns(target):
                    continue  # not made yet, and no page of its kind owns target
                page = self._made(row)
            # A section page makes its rows only for a target it owns.
            if page.focus_target(target):
                self.page_list.setCurrentRow(row)
                page.focus_target(target)  # again: a hidden page cannot take the focus
                return True
        return False

    def step_page(self, step: int) -> None:
        row = self.page_list.currentRow() + step
        while 0 <= row < len(self.pages) and not self.pages[row].listed():
            row += step
        if 0 <= row < len(self.pages):
            self.page_list.setCurrentRow(row)
            page = self.pages[row]
            if isinstance(page, ChecklistPage):
                page.focus_first()

    def undo(self) -> None:
        # Typing still inside its pause is the latest edit: make it one, so it is undone first.
        self.flush_pages()
        self.ctx.undo_stack.undo()

    def redo(self) -> None:
        self.flush_pages()
        self.ctx.undo_stack.redo()

    def flush_pages(self) -> None:
        """Every page hands over what is typed and still waiting for a pause."""
        for page in self.pages:
            page.flush()

    def finish_saves(self) -> bool:
        """Store whatever is typed and wait for every queued edit; True if all are stored."""
        self.flush_pages()
        done = self.ctx.wait_for_saves()
        if not done:
            log.error("edits of visit %s were still being saved at close", self.ctx.visit_id)
        return done

    # -- building the pages --------------------------------------------------------------------

    def _loaded(self, result: tuple[VisitHeader, Checklist]) -> None:
        self.header, self.checklist = result
        self.header_page = VisitHeaderPage(self.ctx, self)
        self.header_page.templates_changed.connect(self._reload_checklist)
        pages: list[EditorPage] = [self.header_page, *self._section_pages(self.checklist)]
        pages.extend(other_pages(self.ctx))
        for page in pages:
            self._add_page(page, len(self.pages))
        if self.read_only:
            for page in self.pages:
                page.set_read_only(True)
            self._show_undo_texts()
        self._retranslate()
        self._reload_answers()
        wanted = self._wanted_page or "header"
        if not self.show_page(wanted) and not self.show_target(wanted):
            self.show_page("header")
        self._idle_build.start(IDLE_BUILD_DELAY_MS)
        emit(self.pages_loaded)

    def _section_pages(self, checklist: Checklist) -> list[ChecklistPage]:
        pages = [ChecklistPage(self.ctx, section, self) for section in checklist.sections()]
        for page in pages:
            page.counts_changed.connect(self._show_counts)
            page.section_finished.connect(lambda: self.step_page(1))
        return pages

    def _add_page(self, page: EditorPage, row: int) -> None:
        self.pages.insert(row, page)
        self.stack.insertWidget(row + 1, page)  # index 0 is the loading label
        self.page_list.insertItem(row, QListWidgetItem())
        page.reveal_requested.connect(self.show_target)
        page.jump_requested.connect(self.show_target)

    def _made(self, row: int) -> EditorPage:
        """The page at row, made now if it is pending (its rows, for a section page)."""
        page = self.pages[row]
        if isinstance(page, PendingPage):
            pending, page = page, page.spec.make(self.ctx)
            self.pages[row] = page
            self.stack.insertWidget(row + 1, page)  # in its place: index 0 is the loading label
            self.stack.removeWidget(pending)
            pending.deleteLater()
            page.reveal_requested.connect(self.show_target)
            page.jump_requested.connect(self.show_target)
            if self.read_only:
                page.set_read_only(True)
        page.build()
        return page

    def _build_next(self) -> None:
        """Idle: make the first page not made yet; come back for the next one. While the
        user is typing or clicking, wait until they have paused (INPUT_QUIET_MS)."""
        pending = next((row for row, page in enumerate(self.pages)
                        if isinstance(page, PendingPage) or not page.built), None)
        if pending is None:
            self._watch_input(False)
            return
        self._watch_input(True)
        quiet = self._last_input.elapsed()
        if quiet < INPUT_QUIET_MS:
            self._idle_build.start(INPUT_QUIET_MS - quiet)
            return
        self._made(pending)
        self._idle_build.start(0)

    def _watch_input(self, on: bool) -> None:
        app = QCoreApplication.instance()
        if app is None or on == self._watching_input:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching_input = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _USER_INPUT:
            self._last_input.restart()
        return super().eventFilter(watched, event)

    def _remove_page(self, page: EditorPage) -> None:
        row = self.pages.index(page)
        self.pages.pop(row)
        self.page_list.takeItem(row)
        self.stack.removeWidget(page)
        page.deleteLater()

    def _reload_checklist(self) -> None:
        store, visit_id = self.ctx.store, self.ctx.visit_id
        self.ctx.reads.submit(lambda: store.visit_checklist(visit_id), self._rebuild_sections,
                              self._load_failed)

    def _rebuild_sections(self, checklist: Checklist) -> None:
        """Other templates were chosen: replace the section pages, keep the others."""
        self.checklist = checklist
        for page in [p for p in self.pages if isinstance(p, ChecklistPage)]:
            self._remove_page(page)
        for offset, page in enumerate(self._section_pages(checklist)):
            self._add_page(page, 1 + offset)
        self._retranslate()
        self._reload_answers()
        self._idle_build.start(IDLE_BUILD_DELAY_MS)  # their rows too, once idle

    # -- slots ---------------------------------------------------------------------------------

    def _page_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.pages):
            return
        previous = self.stack.currentWidget()
        if isinstance(previous, EditorPage):  # not the loading label
            previous.flush()  # what was typed on the page left is stored now, not after a pause
        page = self._made(row)
        self.stack.setCurrentWidget(page)
        page.refresh()
        if not self.read_only:
            store, user, visit_id = self.ctx.store, self.ctx.user, self.ctx.visit_id
            key = page.page_key()
            self.ctx.save(lambda: store.remember_place(user.id, visit_id, key), what="place")

    def _changed(self, changes: Changes) -> None:
        self._failure = ""
        if changes.photos:
            # A photo linked to an item (or unlinked, or removed): its count changes. Answers
            # and notes the section pages show themselves.
            self._reload_answers()
        elif changes.items and self.current_page() is self.header_page:
            self.header_page.refresh()  # the first answer ends the choice of templates
        if changes.status and self.ctx.visit_id in changes.visits:
            self._reread_header()  # signed here (the completion page): it is locked now
        self._show_save_status()

    def _reread_header(self) -> None:
        store, visit_id = self.ctx.store, self.ctx.visit_id
        self.ctx.reads.submit(lambda: store.visit_header(visit_id), self._header_read,
                              self._load_failed)

    def _header_read(self, header: VisitHeader) -> None:
        was_read_only, self.header = self.read_only, header
        if self.read_only and not was_read_only:
            for page in self.pages:
                page.set_read_only(True)
            self._retranslate()  # "(read only)" in the title, undo and redo off

    def _reload_answers(self) -> None:
        """One query for every section page (their counts show in the list, seen or not)."""
        pages = [page for page in self.pages if isinstance(page, ChecklistPage)]
        since = tick()
        store, visit_id = self.ctx.store, self.ctx.visit_id

        def show(answers: dict[str, AnswerState]) -> None:
            self._counting = False  # the list is retitled once, after every page has them
            try:
                for page in pages:
                    if shiboken6.isValid(page):
                        page.load(answers, since)
            finally:
                self._counting = True
            self._show_counts()

        self.ctx.reads.submit(lambda: store.answers_of(visit_id), show, self._load_failed)

    def _save_failed(self, message: str) -> None:
        self._failure = message  # already in the GUI's language (VisitContext.save_failed)
        self._show_save_status()

    def _show_save_status(self) -> None:
        if self.ctx.pending_saves:
            text, colour = self.tr("Saving…"), ""
        elif self._failure:
            text, colour = self._failure, f"color: {ABNORMAL_RED};"
        else:
            text, colour = self.tr("All changes saved"), ""
        if self.read_only:
            text, colour = self.tr("Signed visit: read only"), ""
        if text != self.save_status.text():
            self.save_status.setText(text)
            self.save_status.setStyleSheet(colour)

    def _load_failed(self, error: Exception) -> None:
        log.error("opening visit %s failed", self.ctx.visit_id, exc_info=error)
        self._loading.setText(
            self.tr("The visit could not be opened: {error}").format(error=i18n.error_text(error))
        )

    def _show_counts(self) -> None:
        if self._counting:
            show_page_titles(self.page_list, self.pages)

    def _show_undo_texts(self) -> None:
        self.actions.show_undo_texts()

    # -- Qt events and texts -------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.actions.retranslate()
        self._loading.setText(self.tr("Opening the visit…"))
        if self.header is None:
            self.setWindowTitle(self.tr("Visit"))
        else:
            lang = i18n.domain_language(i18n.current())
            title = self.tr("{borrower} — {kind}").format(
                borrower=self.header.borrower_name, kind=self.header.kind.label(lang)
            )
            if self.read_only:
                title = self.tr("{title} (read only)").format(title=title)
            self.setWindowTitle(title)
        self._show_counts()
        self._show_save_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing on screen may be lost: store what is typed, then wait for the writer.
        self.finish_saves()
        self._poll.stop()
        self._idle_build.stop()  # pages still pending are made if shown again
        self._watch_input(False)
        app = QCoreApplication.instance()
        if app is not None and not self._closing:
            app.aboutToQuit.disconnect(self.finish_saves)
        self._closing = True
        super().closeEvent(event)


def open_visit_editor(
    store: LocalStore,
    user: UserRow,
    visit_id: str,
    page: str | None = None,
    parent: QWidget | None = None,
    today: Callable[[], date] = date.today,
) -> VisitEditor:
    """Open (and show) the editor of a visit, on page (a page key or a target) if given."""
    editor = VisitEditor(store, user, visit_id, today=today, parent=parent, page=page)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    editor.show()
    return editor
