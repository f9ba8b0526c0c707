"""Qt's own words that Qt's Chinese catalogue (qtbase_zh_CN.qm, shipped by tools/build_qt.py)
lacks: its file dialog's labels were reworded, and the kinds in its file list moved to
another context, after the catalogue was made; they showed in English in a Chinese file
dialog.

Listed here, in Qt's contexts, so lupdate puts them into the app's .ts files to be translated
like the app's own; Qt finds them there when its catalogue has no entry.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

MISSING_FROM_QT = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Folder"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "File"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "%1 File"),
)
