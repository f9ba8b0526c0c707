"""Tools → Language: switch the GUI between Chinese and English after sign-in too.

The sign-in dialog offers the same choice; this menu makes it a setting one can change
without signing out. Choosing installs the translators (every open window, visit editors
included, retranslates on the LanguageChange event that sends) and remembers the choice on
this laptop for the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from inspector_app.gui import i18n
from inspector_app.gui.laptop_settings import LaptopSettings


class LanguageMenu(QMenu):
    """One checkable entry per language, each named in itself; the current one is checked."""

    def __init__(self, settings: LaptopSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageMenu")
        self._settings = settings
        self._group = QActionGroup(self)  # exclusive: exactly one language is checked
        self.language_actions: dict[str, QAction] = {}
        for code, endonym in i18n.ENDONYMS.items():
            action = QAction(endonym, self)  # never translated: readable whatever is shown
            action.setCheckable(True)
            action.setData(code)
            self._group.addAction(action)
            self.addAction(action)
            self.language_actions[code] = action
        self._group.triggered.connect(self._chosen)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _chosen(self, action: QAction) -> None:
        code = str(action.data())
        self._settings.language = code
        if code != i18n.current():
            i18n.install(code)

    def _retranslate(self) -> None:
        self.setTitle(self.tr("&Language"))
        # Also when the language was switched elsewhere (the sign-in dialog, a test).
        current = self.language_actions.get(i18n.current())
        if current is not None:
            current.setChecked(True)
