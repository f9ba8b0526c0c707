"""What a window must be on an officer's laptop, as checks returning the problems found:
it fits the screen with its title bar and nothing in it is cut off (fit_problems); it speaks
one language (foreign_words), the data it shows aside.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QStyle,
    QTabBar,
    QTextEdit,
    QWidget,
)
from sqlalchemy import text

from inspector_app.gui.screen_fit import FRAME_ALLOWANCE
from inspector_app.store.local import LocalStore

# -- fitting ---------------------------------------------------------------------------------


def fit_problems(window: QWidget) -> list[str]:
    """The window off the screen's free area (with a real title bar), squeezed below what its
    contents need, or a text or hint in it cut off."""
    QApplication.processEvents()
    area = window.screen().availableGeometry()
    problems = []
    if not area.contains(window.frameGeometry()):
        problems.append(f"frame {_rect(window.frameGeometry())} is off the screen {_rect(area)}")
    titled = window.geometry().marginsAdded(FRAME_ALLOWANCE)
    if not area.contains(titled):
        problems.append(f"with a title bar {_rect(titled)} is off the screen {_rect(area)}")
    needed = window.minimumSizeHint().expandedTo(window.minimumSize())
    if window.width() < needed.width() or window.height() < needed.height():
        problems.append(f"{window.width()}×{window.height()} is smaller than its contents "
                        f"need ({needed.width()}×{needed.height()})")
    return problems + cut_texts(window)


def cut_texts(window: QWidget) -> list[str]:
    """Labels and buttons narrower than their text; fields narrower than their hint."""
    problems = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if not widget.isVisibleTo(window) or not widget.text() or _in_file_list(widget):
            continue
        wraps = isinstance(widget, QLabel) and widget.wordWrap()
        if not wraps and widget.width() < widget.minimumSizeHint().width():
            problems.append(f"{_who(widget)} {widget.text()!r} is cut off")
    for edit in window.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if not edit.isVisibleTo(window) or not hint or edit.text():
            continue
        frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
        margins = edit.textMargins()
        room = edit.width() - 2 * frame - 2 * 2 - margins.left() - margins.right()
        if QFontMetrics(edit.font()).horizontalAdvance(hint) > room:
            problems.append(f"{_who(edit)} hint {hint!r} is cut off ({edit.width()} px wide)")
    return problems


# -- one language ----------------------------------------------------------------------------

_MNEMONIC = re.compile(r"\(&?[A-Za-z0-9]\)|&(?=\w)")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’.@\-]*[A-Za-z0-9]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e]+")
_TAG = re.compile(r"<[^>]+>")

# Latin a Chinese screen may show: file kinds, keys, units and the example address of a field.
LATIN_IN_CHINESE = frozenset({
    "PDF", "p12", "pfx", "pem", "cer", "crt", "PNG", "JPEG", "JPG", "jpg", "png",
    "Ctrl", "Alt", "Shift", "PgUp", "PgDown", "Enter", "Esc", "Tab", "Del",
    "https", "http", "hq.example.cn", "GPS", "km", "MB", "kB", "KB", "GB",
    "Excel", "CSV", "csv", "xlsx", "UTF-8",  # the export's file kinds ("Excel 工作簿")
})


def visible_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the window shows in words: titles, labels, buttons, hints,
    tabs, menus, list and table cells, header sections and documents."""
    yield "window title", window.windowTitle()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or _in_file_list(widget):
            continue
        who = _who(widget)
        if isinstance(widget, QLabel):
            yield who, _TAG.sub(" ", widget.text())
        elif isinstance(widget, QAbstractButton):
            yield who, widget.text()
            yield f"{who} tooltip", widget.toolTip()
        elif isinstance(widget, QGroupBox):
            yield who, widget.title()
        elif isinstance(widget, QLineEdit):
            yield who, widget.text()
            yield f"{who} hint", widget.placeholderText()
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            yield who, widget.toPlainText()
            yield f"{who} hint", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{who} item", widget.itemText(i)
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield f"{who} tab", widget.tabText(i)
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from ((f"{who} cell", t) for t in _model_texts(widget.model()))
    if isinstance(window, QMainWindow):
        for menu in window.menuBar().findChildren(QMenu):
            yield "menu", menu.title()
            for action in menu.actions():
                yield "menu item", action.text()
    for action in QWidget.actions(window):  # (a window may name something else "actions")
        yield "action", action.text()


def foreign_words(texts: Iterable[tuple[str, str]], lang: str, data: Iterable[str]) -> list[str]:
    """Words of the other language among texts, once data (names, addresses, notes: what
    people typed) is taken out; as "where: word in text"."""
    pieces = sorted({d for d in data if d}, key=len, reverse=True)
    problems = []
    for where, shown in texts:
        if not shown:
            continue
        rest = _MNEMONIC.sub("", shown)
        for piece in pieces:
            rest = rest.replace(piece, " ")
        if lang == "en":
            found = _CJK.findall(rest)
        else:
            found = [w for w in _LATIN_WORD.findall(rest) if w not in LATIN_IN_CHINESE]
        problems += [f"{where}: {word!r} in {shown!r}" for word in found]
    return list(dict.fromkeys(problems))


# Columns holding what people typed or the bank registered, not words of the app.
_DATA_COLUMNS = {
    "branches": ["name"],
    "users": ["username", "display_name"],
    "borrowers": ["code", "name", "id_number", "legal_representative", "address", "phone"],
    "loans": ["contract_no", "purpose"],
    "collateral_items": ["description", "location", "certificate_no"],
    "guarantors": ["name", "id_number", "relation"],
    "visits": ["place", "people_met", "general_note", "override_reason", "measures"],
    "checklist_answers": ["note"],
    "photos": ["original_name", "caption"],
    "collateral_observations": ["condition", "note"],
    "risk_signal_steps": ["reason"],
    "reports": ["signer_name"],
    "reviews": ["reviewer_name", "comment", "classification_reason"],
    "review_comments": ["text"],
}


def data_strings(store: LocalStore) -> set[str]:
    """Every value of the data columns, and the signals an officer wrote himself."""
    found: set[str] = set()
    with store.read() as s:
        for table, columns in _DATA_COLUMNS.items():
            for column in columns:
                found.update(v for (v,) in s.execute(text(f"SELECT {column} FROM {table}"))
                             if isinstance(v, str))
        found.update(v for row in s.execute(text(
            "SELECT title, description FROM risk_signals WHERE source = 'officer'"))
            for v in row if isinstance(v, str))
    return found


# -- helpers ---------------------------------------------------------------------------------


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None,
                 depth: int = 0) -> Iterator[str]:
    parent = parent or QModelIndex()
    columns = _count(model.columnCount, parent)
    if depth == 0:
        for section in range(columns):
            value = model.headerData(section, Qt.Orientation.Horizontal)
            if isinstance(value, str):
                yield value
    for row in range(min(_count(model.rowCount, parent), 200)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str):
                    yield _TAG.sub(" ", value)
            if column == 0 and depth < 3 and _count(model.rowCount, index) > 0:
                yield from _model_texts(model, index, depth + 1)


def _count(method: Callable[..., int], parent: QModelIndex) -> int:
    """rowCount/columnCount of parent; list and table models keep some of these private."""
    try:
        return method(parent)
    except TypeError:
        if parent.isValid():
            return 0
        try:
            return method()
        except TypeError:
            return 1  # a list model's columns: one


def _in_file_list(widget: QWidget) -> bool:
    """Part of a file dialog's list of files or its path: the names there are the user's."""
    dialog = widget.window()
    if not isinstance(dialog, QFileDialog):
        return False
    name = widget.objectName()
    return name in {"listView", "treeView", "sidebar", "lookInCombo", "fileNameEdit"} or (
        widget.parent() is not None and widget.parent().objectName()
        in {"listView", "treeView", "sidebar"})


def _who(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


def _rect(r: QRect) -> str:
    return f"({r.x()},{r.y()} {r.width()}×{r.height()})"
