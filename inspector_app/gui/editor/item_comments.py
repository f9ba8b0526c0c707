"""A supervisor's comments on single items of a visit, as the visit editor's pages show them.

A comment is keyed so it survives a new revision (wire.ReviewComment): an answer by its item
code, a photo by its SHA-256, a collateral observation by its collateral item's id, a signal
by its id. ``ItemComments`` (one per editor, ``VisitContext.item_comments``) holds them in one
of three modes:

- "write": a supervisor reviewing a submitted visit of someone else's; the comments are the
  draft of their review (LocalStore.draft_review), each change stored at once through the
  editor's writer (LocalStore.set_review_comment; "" removes one).
- "read": everyone else; the comments of the return the officer must address
  (LocalStore.comments_for_revision: the return of this visit or of its previous revision).
- "off": not decided yet (still reading), or nothing to show.

The mode is worked out from the visit and the user when the editor opens; a screen that knows
better (the supervisor's review window) may set it. ``changed`` is emitted whenever what
comment_on() answers may have moved; the pages' comment boxes (comment_box.py) follow it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.gui import i18n
from inspector_app.gui.qt_compat import emit
from inspector_app.gui.workers import TaskRunner
from inspector_app.store.facade import LocalStore, ReviewCommentRow, ReviewRow

log = logging.getLogger(__name__)

# The targets a comment can be on (wire.CommentTarget), in the order a list of them reads.
TARGETS = ("answer", "photo", "observation", "signal")
MAX_COMMENT = 2000  # wire.ReviewComment.text's limit


class Mode(StrEnum):
    OFF = "off"
    READ = "read"
    WRITE = "write"


def jump_target(target: str, ref: str) -> str:
    """The editor target (Page.focus_target) that shows the item a comment is on."""
    prefix = {"answer": "item:", "photo": "photo-sha:", "observation": "collateral:",
              "signal": "signal:"}[target]
    return prefix + ref


@dataclass(frozen=True)
class _Read:
    mode: Mode
    review: ReviewRow | None


def decide_mode(store: LocalStore, user: Any, visit_id: str) -> Mode:
    """Worker: "write" for a supervisor on a submitted visit that is not their own; else
    "read"."""
    if user.role is not Role.SUPERVISOR:
        return Mode.READ
    header = store.visit_header(visit_id)
    if header.status is not VisitStatus.SUBMITTED:
        return Mode.READ
    visits = store.borrower_visits(header.borrower_id).visits
    officer = next((v.officer_id for v in visits if v.id == visit_id), None)
    return Mode.READ if officer in (None, user.id) else Mode.WRITE


def read_comments(store: LocalStore, user: Any, visit_id: str, forced: Mode | None) -> _Read:
    """Worker: the mode (forced, or decided) and the review whose comments it shows."""
    mode = forced or decide_mode(store, user, visit_id)
    if mode is Mode.WRITE:
        return _Read(mode, store.draft_review(visit_id, user))
    if mode is Mode.READ:
        return _Read(mode, store.comments_for_revision(visit_id))
    return _Read(mode, None)


class _Context(Protocol):
    """What ItemComments uses of the editor's VisitContext (context.py, which owns it)."""

    store: LocalStore
    user: Any
    visit_id: str
    reads: TaskRunner

    def save(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        what: str = "",
        on_error: Callable[[Exception], None] | None = None,
    ) -> None: ...


class ItemComments(QObject):
    """The comments on the items of one visit, read or written (see the module's text)."""

    changed = Signal()  # the mode, the comments or the review behind them moved
    # A change could not be stored; the message is in the GUI's language. The comments shown
    # are read again from the store.
    failed = Signal(str)

    def __init__(self, ctx: _Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.mode = Mode.OFF
        self.ready = False  # the first read is on screen
        # The review the comments belong to: the draft ("write") or the return ("read").
        self.review: ReviewRow | None = None
        self._comments: dict[tuple[str, str], ReviewCommentRow] = {}
        self._forced: Mode | None = None
        self._generation = 0
        self._in_flight = 0  # writes queued; a read that started before one is stale

    # -- reading -------------------------------------------------------------------------------

    @property
    def writable(self) -> bool:
        return self.mode is Mode.WRITE

    def comment_on(self, target: str, ref: str) -> ReviewCommentRow | None:
        """The comment on one item, or None."""
        return self._comments.get((target, ref))

    def comments(self) -> list[ReviewCommentRow]:
        """Every comment, in the order they were written (the review's order)."""
        return list(self._comments.values())

    def count(self) -> int:
        return len(self._comments)

    def set_mode(self, mode: Mode | None) -> None:
        """Show this mode's comments (None: decide from the visit and the user again)."""
        self._forced = mode
        self.reload()

    def reload(self) -> None:
        """Read the comments again, off the UI thread."""
        self._generation += 1
        generation, forced = self._generation, self._forced
        store, user, visit_id = self._ctx.store, self._ctx.user, self._ctx.visit_id
        self._ctx.reads.submit(
            lambda: read_comments(store, user, visit_id, forced),
            lambda read: self._loaded(generation, read),
            self._load_failed,
        )

    # -- writing -------------------------------------------------------------------------------

    def set_comment(self, target: str, ref: str, text: str, label: str = "") -> None:
        """Write (text "" removes) the comment on one item: shown at once, stored in order
        through the editor's writer. Only in "write" mode."""
        if not self.writable:
            raise RuntimeError("comments can only be written while reviewing")
        if target not in TARGETS:
            raise ValueError(f"not a comment target: {target}")
        text = text.strip()
        key = (target, ref)
        old = self._comments.get(key)
        if text == (old.text if old else ""):
            return
        if text:
            row = (replace(old, text=text) if old is not None
                   else ReviewCommentRow(target, ref, text, label))
            self._comments[key] = row
        else:
            self._comments.pop(key, None)
        emit(self.changed)
        self._generation += 1  # a read already on its way knows nothing of this edit
        self._in_flight += 1
        store, user, visit_id = self._ctx.store, self._ctx.user, self._ctx.visit_id
        self._ctx.save(
            lambda: store.set_review_comment(visit_id, user, target, ref, text),
            on_done=self._stored, what=f"comment:{target}:{ref}", on_error=self._not_stored,
        )

    # -- slots ---------------------------------------------------------------------------------

    def _loaded(self, generation: int, read: _Read) -> None:
        if generation != self._generation or self._in_flight:
            return  # overtaken by a newer read or by an edit
        self._show(read.mode, read.review)

    def _load_failed(self, error: Exception) -> None:
        log.error("reading the review comments of %s failed", self._ctx.visit_id,
                  exc_info=error)
        self.ready = True
        emit(self.changed)

    def _stored(self, review: ReviewRow | None) -> None:
        self._in_flight -= 1
        if not self._in_flight:
            self._show(self.mode, review)  # labels as the store gives them

    def _not_stored(self, error: Exception) -> None:
        self._in_flight -= 1
        emit(self.failed, i18n.error_text(error))
        self.reload()

    def _show(self, mode: Mode, review: ReviewRow | None) -> None:
        self.mode, self.review, self.ready = mode, review, True
        rows = review.comments if review is not None else ()
        self._comments = {(c.target, c.ref): c for c in rows}
        emit(self.changed)
