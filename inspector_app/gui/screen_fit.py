"""Windows that fit the laptop's screen, title bar included, at the size the user left them.

Officers carry laptops as small as 1366×768, less a taskbar. Every top-level window and
dialog calls fit_window() once it is laid out: it takes the size last left on this laptop (or
its default), shrinks it to the screen's free area less the window's frame, and remembers
the size when the window is hidden. When shown, the window is moved wholly onto the screen:
a dialog centred over a tall parent, or a size restored from a larger monitor, would
otherwise put its title bar or its buttons out of reach.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle, QWidget

from inspector_app.gui.laptop_settings import LaptopSettings

# The frame a window manager puts around a window: before a window is first shown its real
# frame is unknown (X11 and Windows add it on mapping), so at least this much is kept free.
# Windows 10/11 at 100 %: a 31 px title bar and 8 px resize borders; most Linux desktops less.
FRAME_ALLOWANCE = QMargins(8, 32, 8, 8)
# Menus and tips place themselves; the window manager fits maximised and full-screen windows.
_PLACED_ELSEWHERE = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)


def fit_window(window: QWidget, name: str, default: QSize | None = None) -> None:
    """Size window as last left (else default, else the size it was given, else its size
    hint), within the screen.

    name keys the remembered size in the laptop's settings: one per kind of window, shared by
    its instances (every visit editor opens at the size the last one was left at).
    """
    placement = _Placement(window, name)
    window.installEventFilter(placement)
    placement.restore(default)


def keep_windows_on_screen(app: QApplication) -> None:
    """Also move onto the screen the windows made by Qt itself (its file dialog, message
    boxes): each is checked as it becomes the active window. Once per application."""
    if app.property("keeps_windows_on_screen"):
        return
    app.setProperty("keeps_windows_on_screen", True)

    def check(handle: QWindow | None) -> None:
        for widget in app.topLevelWidgets():
            if widget.windowHandle() is handle and widget.isVisible():
                keep_on_screen(widget)

    app.focusWindowChanged.connect(check)


def keep_on_screen(window: QWidget) -> None:
    """Shrink window to the room on its screen if need be, and slide it wholly into it."""
    if window.windowType() in _PLACED_ELSEWHERE or window.windowState() & (
            Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
        return
    room = room_for(window)
    size = window.size().boundedTo(room.size())
    place = QRect(window.geometry().topLeft(), size)
    # Past the right or bottom edge first, then the left or top edge: if the window is
    # larger than the room after all (its minimum size), the title bar stays in reach.
    place.moveRight(min(place.right(), room.right()))
    place.moveBottom(min(place.bottom(), room.bottom()))
    place.moveLeft(max(place.left(), room.left()))
    place.moveTop(max(place.top(), room.top()))
    if place != window.geometry():
        window.setGeometry(place)


def room_for(window: QWidget) -> QRect:
    """Where window's contents may go: its screen's free area less the window's frame."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().marginsRemoved(_frame(window))


def show_whole_placeholder(edit: QLineEdit) -> None:
    """Make edit at least wide enough for its placeholder (a hint cut off says nothing).

    Call again after the placeholder changes (a language switch)."""
    hint = edit.placeholderText()
    if not hint:
        return
    margins = edit.textMargins()
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
    # QLineEdit pads its text 2 px a side inside the style's frame; a few pixels spare so no
    # glyph touches the border.
    needed = (edit.fontMetrics().horizontalAdvance(hint) + margins.left() + margins.right()
              + 2 * frame + 2 * 2 + 6)
    if edit.maximumWidth() < needed:
        edit.setMaximumWidth(needed)
    edit.setMinimumWidth(max(edit.minimumWidth(), needed))


def _frame(window: QWidget) -> QMargins:
    """The window's frame as drawn now, or FRAME_ALLOWANCE where that is larger."""
    frame, inner = window.frameGeometry(), window.geometry()
    drawn = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                     frame.right() - inner.right(), frame.bottom() - inner.bottom())
    return QMargins(max(drawn.left(), FRAME_ALLOWANCE.left()),
                    max(drawn.top(), FRAME_ALLOWANCE.top()),
                    max(drawn.right(), FRAME_ALLOWANCE.right()),
                    max(drawn.bottom(), FRAME_ALLOWANCE.bottom()))


class _Placement(QObject):
    """Keeps one window on screen and its size in the settings (see the module docstring)."""

    def __init__(self, window: QWidget, name: str) -> None:
        super().__init__(window)
        self.setObjectName(f"placement_{name}")
        self._window = window
        self._name = name

    def restore(self, default: QSize | None) -> None:
        window = self._window
        settings = LaptopSettings()
        given = window.size() if window.testAttribute(Qt.WidgetAttribute.WA_Resized) else None
        size = settings.window_size(self._name) or default or given or window.sizeHint()
        window.resize(size.boundedTo(room_for(window).size()))
        if settings.window_maximized(self._name):
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: Qt may deliver an event while the window is being torn down, after
        # Python has let go of this object's attributes.
        if watched is getattr(self, "_window", None):
            if event.type() == QEvent.Type.Show:
                # Its size now, before it is drawn; its place once placed: a dialog is
                # centred over its parent only after this event (and X11 places windows
                # later still), and moving it now would pin it to the corner.
                window = self._window
                window.resize(window.size().boundedTo(room_for(window).size()))
                QTimer.singleShot(0, self, self._slide)
            elif event.type() == QEvent.Type.Hide:
                self._remember()
        return False

    def _slide(self) -> None:
        if self._window.isVisible():
            keep_on_screen(self._window)

    def _remember(self) -> None:
        window = self._window
        if window.windowState() & Qt.WindowState.WindowMinimized:
            return
        maximized = bool(window.windowState() & Qt.WindowState.WindowMaximized)
        settings = LaptopSettings()
        size = window.normalGeometry().size() if maximized else window.size()
        if size.isValid() and not size.isEmpty():
            settings.set_window_size(self._name, size)
        settings.set_window_maximized(self._name, maximized)
