"""The visit editor's own actions: undo and redo across every page (their text names what
they would undo), next and previous page; in the Edit and Go menus and on the toolbar."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow, QToolBar

from inspector_app.gui.editor.pages import without_mnemonic


class EditorActions(QObject):
    """Made on window; undo/redo/step call back into it."""

    def __init__(self, window: QMainWindow, stack: QUndoStack, *, undo: Callable[[], None],
                 redo: Callable[[], None], step: Callable[[int], None],
                 read_only: Callable[[], bool]) -> None:
        super().__init__(window)
        self._stack = stack
        self._read_only = read_only
        # Own actions rather than QUndoStack.createUndoAction: their "Undo <what>" text must
        # follow a language switch, which the stack's fixed prefix would not.
        self.undo = QAction(window)
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo.triggered.connect(undo)
        self.redo = QAction(window)
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.triggered.connect(redo)
        for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged,
                       stack.redoTextChanged):
            signal.connect(self.show_undo_texts)
        self.next = QAction(window)
        self.next.setShortcuts([QKeySequence("Alt+Down"), QKeySequence("PgDown")])
        self.next.triggered.connect(lambda: step(1))
        self.previous = QAction(window)
        self.previous.setShortcuts([QKeySequence("Alt+Up"), QKeySequence("PgUp")])
        self.previous.triggered.connect(lambda: step(-1))
        self._edit_menu = window.menuBar().addMenu("")
        self._edit_menu.addActions([self.undo, self.redo])
        self._go_menu = window.menuBar().addMenu("")
        self._go_menu.addActions([self.next, self.previous])
        self.toolbar: QToolBar = window.addToolBar("")
        self.toolbar.setObjectName("editorToolBar")
        self.toolbar.setMovable(False)
        self.toolbar.addActions([self.undo, self.redo])

    def show_undo_texts(self) -> None:
        stack = self._stack
        # The stack goes before these actions when the editor closes, telling as it goes
        # that nothing is left to undo: no texts to show then.
        if not shiboken6.isValid(stack) or not shiboken6.isValid(self.undo):
            return
        undo, redo = stack.undoText(), stack.redoText()
        self.undo.setText(self.tr("&Undo {what}").format(what=undo).strip()
                          if undo else self.tr("&Undo"))
        self.redo.setText(self.tr("&Redo {what}").format(what=redo).strip()
                          if redo else self.tr("&Redo"))
        self.undo.setIconText(self.tr("Undo"))  # the toolbar: no "(&U)", no command
        self.redo.setIconText(self.tr("Redo"))
        self.undo.setToolTip(without_mnemonic(self.undo.text()))
        self.redo.setToolTip(without_mnemonic(self.redo.text()))
        self.undo.setEnabled(stack.canUndo() and not self._read_only())
        self.redo.setEnabled(stack.canRedo() and not self._read_only())

    def retranslate(self) -> None:
        """Called by the window on a language change (a QObject gets no LanguageChange)."""
        self._edit_menu.setTitle(self.tr("&Edit"))
        self._go_menu.setTitle(self.tr("&Go"))
        self.toolbar.setWindowTitle(self.tr("Toolbar"))
        self.next.setText(self.tr("&Next page"))
        self.previous.setText(self.tr("&Previous page"))
        self.show_undo_texts()
