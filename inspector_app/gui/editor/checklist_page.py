"""A page of the visit editor for one checklist section: every item of it, answered in place.

Each answer and note the officer finishes becomes a QUndoCommand on the visit's undo stack;
doing (and undoing, and redoing) it stores the value through the context's one-thread writer,
so the database follows the screen within a second and in the order the edits were made.

A page's rows are made when it is first needed (shown, asked for a target or its rows), not
when the editor opens: a visit opens on one page, and making every section's rows took most
of the time to its first page (bench/review_open.py). Until then the page keeps the answers
read for it, and counts from them what the page list shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent, QUndoCommand
from PySide6.QtWidgets import QMessageBox, QScrollArea, QVBoxLayout, QWidget

from inspector_app.domain.checklist import (
    AnswerError,
    AnswerState,
    Item,
    Section,
    format_answer,
)
from inspector_app.gui import i18n
from inspector_app.gui.editor.checklist_row import ItemRow, evidence_missing, tick
from inspector_app.gui.editor.comment_box import CommentBox
from inspector_app.gui.editor.context import VisitContext
from inspector_app.gui.editor.page import EditorPage
from inspector_app.gui.qt_compat import emit

log = logging.getLogger(__name__)

ANSWER, NOTE = "answer", "note"
UNDO_QUESTION_CHARS = 24  # of a question, in "Undo answer “…”"


@dataclass(frozen=True)
class SectionCount:
    """What the page list shows for a section: "answered/total", red while evidence lacks."""

    answered: int
    total: int
    lacking_evidence: bool


def raw_answer(row: ItemRow | Item, state: AnswerState) -> str:
    """The stored value in the form the input shows (and set_answer accepts)."""
    item = row.item if isinstance(row, ItemRow) else row
    if state.value is None:
        return ""
    try:
        return format_answer(item, state.value)
    except AnswerError:  # a value the template no longer accepts: show it, let them fix it
        return str(state.value)


def store_edit(ctx: VisitContext, code: str, field: str, value: str, **callbacks: object) -> None:
    """Queue one answer or note for the store."""
    store, visit_id, user = ctx.store, ctx.visit_id, ctx.user
    if field == ANSWER:
        call = lambda: store.set_answer(visit_id, user, code, value or None)  # noqa: E731
    else:
        call = lambda: store.set_item_note(visit_id, user, code, value)  # noqa: E731
    ctx.save(call, what=f"item:{code}", **callbacks)  # type: ignore[arg-type]


def item_label(item: Item) -> str:
    """An item in words, as a comment names it: "实际用途与合同约定一致"."""
    return item.question.in_(i18n.domain_language(i18n.current()))


class ItemEdit(QUndoCommand):
    """One answer or note changed from old to new; (re)doing it stores the value shown."""

    def __init__(self, page: ChecklistPage, code: str, field: str, old: str, new: str) -> None:
        super().__init__()
        self._page, self._ctx = page, page.ctx
        self._code, self._field, self._old, self._new = code, field, old, new
        self._first = True
        self.setText(page.edit_title(code, field))

    def redo(self) -> None:
        self._apply(self._new, reveal=not self._first)
        self._first = False

    def undo(self) -> None:
        self._apply(self._old, reveal=True)

    def _apply(self, value: str, reveal: bool) -> None:
        if shiboken6.isValid(self._page):
            self._page.apply(self._code, self._field, value, reveal=reveal)
        else:  # the page was rebuilt (templates changed); the store still follows
            store_edit(self._ctx, self._code, self._field, value)


class ChecklistPage(EditorPage):
    """The items of one section, scrolling, with fast keyboard entry and autosave."""

    edited = Signal()  # after one of its edits is stored
    counts_changed = Signal()  # the answered count or the missing evidence changed on screen
    section_finished = Signal()  # Enter on the last item: the editor moves to the next page

    def __init__(self, ctx: VisitContext, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.section = section
        self._generation = 0
        self.ready = False  # True once the stored answers are read (and shown, once built)
        self.built = False  # the rows are made (build())
        self._rows: dict[str, ItemRow] = {}
        self._codes = {item.code for item in section.items}
        self._answers: dict[str, AnswerState] = {}  # the last read, for rows not made yet
        self._count: SectionCount | None = None  # counted from _answers, rows not made yet
        self._read_only = False
        self.setObjectName(f"section_{section.code}")

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Rows wrap their questions to the page's width; only vertical scrolling is needed.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    @property
    def rows(self) -> dict[str, ItemRow]:
        """The section's rows by item code (made now if they were not yet)."""
        self.build()
        return self._rows

    def build(self) -> None:
        """Make the rows, showing the answers read so far and the read-only state."""
        if self.built:
            return
        self.built = True
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(10)
        for item in self.section.items:
            row = ItemRow(item, body)
            row.answer_changed.connect(self._answer_changed)
            row.note_changed.connect(self._note_changed)
            row.advance.connect(lambda r=row: self.focus_after(r))
            row.attach_photo.connect(self._attach_photo)
            row.add_comment_box(CommentBox(self.ctx.item_comments, "answer", item.code,
                                           label=lambda i=item: item_label(i), parent=row))
            if self._read_only:
                row.set_read_only(True)
            column.addWidget(row)
            self._rows[item.code] = row
        column.addStretch(1)
        if self.ready:
            self._show_answers(self._answers, 0)
        self.scroll.setWidget(body)  # last: the rows are polished and laid out once

    # -- Page (gui/editor/page.py) ---------------------------------------------------------

    def page_key(self) -> str:
        return f"section:{self.section.code}"

    def page_title(self) -> str:
        return self.section.title.in_(i18n.current())

    def refresh(self) -> None:
        """Reload answers, notes and photo counts from the store, off the UI thread."""
        self._generation += 1
        generation, since = self._generation, tick()
        store, visit_id = self.ctx.store, self.ctx.visit_id
        self.ctx.reads.submit(
            lambda: store.answers_of(visit_id),
            lambda answers: self._loaded(generation, answers, since),
            self._load_failed,
        )

    def focus_target(self, target: str) -> bool:
        kind, _, code = target.partition(":")
        if kind != "item" or code not in self._codes:
            return False  # asked without making the rows: the editor asks every page
        row = self.rows[code]
        self.scroll.ensureWidgetVisible(row)
        if row.missing_evidence()[0]:
            row.focus_note()
        else:
            row.focus_answer()
        return True

    # -- used by the editor --------------------------------------------------------------------

    def edit_title(self, code: str, field: str) -> str:
        """How the undo history names an edit of this page."""
        question = next((item_label(i) for i in self.section.items if i.code == code), code)
        if len(question) > UNDO_QUESTION_CHARS:  # a menu entry, not the whole question
            question = question[:UNDO_QUESTION_CHARS - 1] + "…"
        if field == ANSWER:
            return self.tr("answer “{question}”").format(question=question)
        return self.tr("note on “{question}”").format(question=question)

    def counts(self) -> SectionCount:
        if not self.built:  # from the answers read, as the rows would show them
            if self._count is None:
                self._count = self._count_answers()
            return self._count
        rows = self._rows.values()
        return SectionCount(
            sum(row.answered for row in rows),
            len(self._rows),
            any(any(row.missing_evidence()) for row in rows),
        )

    def _count_answers(self) -> SectionCount:
        answered, lacking = 0, False
        for item in self.section.items:
            state = self._answers.get(item.code, AnswerState())
            raw = raw_answer(item, state)
            answered += bool(raw.strip())
            lacking = lacking or any(evidence_missing(item, raw, state.note, state.photo_count))
        return SectionCount(answered, len(self.section.items), lacking)

    def load(self, answers: dict[str, AnswerState], since: int) -> None:
        """Show stored answers (read at moment since) except where the officer is ahead."""
        self._answers, self._count = answers, None
        if self.built:
            self._show_answers(answers, since)
        self.ready = True
        emit(self.counts_changed)

    def _show_answers(self, answers: dict[str, AnswerState], since: int) -> None:
        for code, row in self._rows.items():
            state = answers.get(code, AnswerState())
            row.set_photo_count(state.photo_count)
            if row.in_flight or row.typing or row.touched > since:
                continue  # the screen is newer than what was read
            raw = raw_answer(row, state)
            if raw != row.raw:
                row.show_answer(raw)
            if state.note != row.note:
                row.show_note(state.note)

    def flush(self) -> None:
        """Hand over every answer or note still waiting for a typing pause."""
        for row in self._rows.values():  # rows not made yet have nothing typed
            row.flush()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for row in self._rows.values():  # rows made later are made read-only
            row.set_read_only(read_only)

    def focus_first(self) -> None:
        first = next(iter(self.rows.values()), None)
        if first is not None:
            self.scroll.ensureWidgetVisible(first)
            first.focus_answer()

    def focus_after(self, row: ItemRow) -> None:
        """Move the keyboard to the question after row (or on to the next page)."""
        rows = list(self.rows.values())
        index = rows.index(row)
        if index + 1 < len(rows):
            following = rows[index + 1]
            self.scroll.ensureWidgetVisible(following)
            following.focus_answer()
        else:
            emit(self.section_finished)

    def apply(self, code: str, field: str, value: str, *, reveal: bool = False) -> None:
        """Show value in the item's row and store it (an edit, an undo or a redo)."""
        row = self.rows[code]
        row.touched = tick()
        if field == ANSWER:
            row.show_answer(value, on_screen=not reveal)
        else:
            row.show_note(value, on_screen=not reveal)
        row.in_flight += 1

        def finished(_result: object) -> None:
            if shiboken6.isValid(row):
                row.in_flight -= 1
                row.touched = tick()
                emit(self.edited)

        def refused(error: Exception) -> None:
            if shiboken6.isValid(row):
                row.in_flight -= 1
                row.touched = tick()
                row.show_problem(i18n.error_text(error))
                self.refresh()  # show what the store kept

        store_edit(self.ctx, code, field, value, on_done=finished, on_error=refused)
        emit(self.counts_changed)
        if reveal:
            emit(self.reveal_requested, f"item:{code}")

    def showEvent(self, event: QShowEvent) -> None:
        self.build()  # the editor builds a page before showing it; anyone else, here
        super().showEvent(event)

    # -- slots ---------------------------------------------------------------------------------

    def _answer_changed(self, code: str, raw: str) -> None:
        row = self.rows[code]
        self.ctx.undo_stack.push(ItemEdit(self, code, ANSWER, row.raw, raw))

    def _note_changed(self, code: str, note: str) -> None:
        row = self.rows[code]
        self.ctx.undo_stack.push(ItemEdit(self, code, NOTE, row.note, note))

    def _loaded(self, generation: int, answers: dict[str, AnswerState], since: int) -> None:
        if generation == self._generation:
            self.load(answers, since)

    def _load_failed(self, error: Exception) -> None:
        log.error("loading the answers of %s failed", self.ctx.visit_id, exc_info=error)
        emit(self.ctx.save_failed, self.tr("Could not load the answers: {error}").format(
            error=i18n.error_text(error)))

    def _attach_photo(self, code: str) -> None:
        # The photo import is another helper's module (and may be missing in a partial build).
        try:
            from inspector_app.gui.editor.photos.photo_import import attach_photos_to_item
        except ImportError:
            QMessageBox.information(
                self,
                self.tr("Attach photo"),
                self.tr("Attaching photos from here is not available yet; use the Photos page."),
            )
            return
        # The import's Changes name the photos added; the editor then reloads the answers,
        # and this item's photo count and warning follow.
        attach_photos_to_item(self.ctx, code, self)

