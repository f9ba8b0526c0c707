"""The editor's pages that other modules write, loaded so that a missing one does not stop
the editor: until a module is in the build its page is a placeholder.
"""

from __future__ import annotations

import importlib
import logging
import re

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from inspector_app.gui.visit_context import VisitContext

log = logging.getLogger(__name__)

# (module, class, page key), in the order the page list shows them after the sections.
# (The guard in other_page is for work in progress; integration may import them directly.)
OTHER_PAGES = (
    ("inspector_app.gui.visit_photos", "VisitPhotosPage", "photos"),
    ("inspector_app.gui.visit_collateral", "CollateralPage", "collateral"),
    ("inspector_app.gui.visit_signals", "SignalsPage", "signals"),
    ("inspector_app.gui.visit_conclusion", "ConclusionPage", "conclusion"),
    ("inspector_app.gui.visit_completion", "CompletionPage", "completion"),
)


def other_page(
    ctx: VisitContext, module_name: str, class_name: str, key: str, parent: QWidget
) -> QWidget:
    """The page class_name(ctx) from module_name, or a placeholder if it cannot be made."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        log.info("page %s is not in this build yet", key)
        return PlaceholderPage(key, parent)
    try:
        page: QWidget = getattr(module, class_name)(ctx)
    except Exception:  # another module's page, unfinished: the editor still opens
        log.warning("page %s could not be made", key, exc_info=True)
        return PlaceholderPage(key, parent)
    return page


class PlaceholderPage(QWidget):
    """Stands in for a page whose module is not in this build yet."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = key
        self._label = QLabel(self)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(self._label)
        self._retranslate()

    def page_key(self) -> str:
        return self._key

    def page_title(self) -> str:
        return {
            "photos": self.tr("Photos"), "collateral": self.tr("Collateral"),
            "signals": self.tr("Risk signals"), "conclusion": self.tr("Conclusion"),
            "completion": self.tr("Completion check"),
        }.get(self._key, self._key)

    def refresh(self) -> None:
        pass

    def focus_target(self, target: str) -> bool:
        return False

    def _retranslate(self) -> None:
        self._label.setText(self.tr("This page is not available yet."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def without_mnemonic(text: str) -> str:
    """"撤销(&U)" -> "撤销", "&Undo" -> "Undo": for tooltips."""
    return re.sub(r"\(&\w\)|&", "", text)
