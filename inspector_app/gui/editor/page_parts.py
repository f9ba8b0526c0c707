"""Small pieces the collateral, signals, conclusion and completion pages share: how a refusal
from the store is shown, severity colours, a text debouncer, a reason dialog and the undo
command that replays a store edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QUndoCommand

from inspector_app.domain.enums import Severity
from inspector_app.gui import i18n
from inspector_app.gui.palette import BAD, QUIET

# Text typed into a field is stored this long after the last keystroke: well within the
# second the officer may lose, and not a write per key.
TEXT_DEBOUNCE_MS = 400

# Severity as colour AND word (a colour-blind officer reads the word). Dark enough to be read
# as text on white; yellow is an amber for that reason.
SEVERITY_COLOURS: dict[Severity, QColor] = {
    Severity.RED: QColor("#c62828"),
    Severity.ORANGE: QColor("#ef6c00"),
    Severity.YELLOW: QColor("#b28704"),
}
ERROR_COLOUR = BAD
QUIET_COLOUR = QUIET
GOOD_COLOUR = QColor("#1b5e20")


def label_language() -> str:
    """The language ("zh"/"en") of domain labels for the GUI language now installed."""
    return i18n.domain_language(i18n.current())


def is_refusal(error: Exception) -> bool:
    """True for errors whose message is meant for the officer: the core's refusals
    (UserError, a ValueError; a locked visit among them) and other ValueErrors."""
    return isinstance(error, ValueError)


def refusal_text(error: Exception) -> str:
    """What the officer reads for an error: in the GUI language, never a traceback."""
    if is_refusal(error):
        return i18n.error_text(error)
    return QCoreApplication.translate(
        "VisitPageParts", "Something went wrong and nothing was saved. Please try again."
    )


def error_style() -> str:
    return f"color: {ERROR_COLOUR.name()};"


def quiet_style() -> str:
    return f"color: {QUIET_COLOUR.name()};"


def severity_icon(severity: Severity, size: int = 12) -> QIcon:
    """A filled dot in the severity's colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(SEVERITY_COLOURS[severity])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


class Debouncer(QObject):
    """Calls `action` once typing has paused for TEXT_DEBOUNCE_MS; flush() calls it now."""

    def __init__(self, action: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_DEBOUNCE_MS)
        self._timer.timeout.connect(self._action)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def poke(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._action()

    def cancel(self) -> None:
        self._timer.stop()


class StoreEdit(QUndoCommand):
    """An edit as (old, new) values and the function that stores one of them.

    redo() stores `new` (QUndoStack.push calls it, so pushing is saving); undo() stores `old`.
    Consecutive edits with the same merge key (one text field of one item) merge into one
    step, so undo takes back a whole burst of typing, not a character.
    """

    _ids: ClassVar[dict[str, int]] = {}  # merge key -> the int id() Qt compares

    def __init__(
        self, text: str, apply: Callable[[Any], None], old: Any, new: Any, merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self._apply = apply
        self.old = old
        self.new = new
        self.merge_key = merge_key

    def id(self) -> int:
        if not self.merge_key:
            return -1
        return StoreEdit._ids.setdefault(self.merge_key, len(StoreEdit._ids) + 1)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, StoreEdit) or other.merge_key != self.merge_key:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


