"""Choose a visit's checklist templates: one base template and any supplements."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from inspector_app.domain.checklist import Template, TemplateKind
from inspector_app.gui import i18n
from inspector_app.gui.editor.checklist_row import ABNORMAL_RED
from inspector_app.gui.screen_fit import fit_window


class TemplatesDialog(QDialog):
    """Every shipped template as a check box; OK only with exactly one base template."""

    def __init__(
        self, templates: list[Template], chosen: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templatesDialog")
        # Base templates first: the checklist is built from the base and then supplements.
        self._templates = sorted(
            templates, key=lambda t: (t.kind is not TemplateKind.BASE, t.code)
        )
        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        for template in self._templates:
            box = QCheckBox(self)
            box.setChecked(template.ref in chosen)
            box.toggled.connect(self._check)
            layout.addWidget(box)
            self.boxes[template.ref] = box
        self._problem = QLabel(self)
        self._problem.setStyleSheet(f"color: {ABNORMAL_RED};")
        self._problem.setWordWrap(True)
        layout.addWidget(self._problem)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)
        self._retranslate()
        fit_window(self, "templates")

    def refs(self) -> list[str]:
        """The chosen templates' refs, the base template first."""
        return [t.ref for t in self._templates if self.boxes[t.ref].isChecked()]

    def _bases_chosen(self) -> int:
        return sum(
            1 for t in self._templates
            if t.kind is TemplateKind.BASE and self.boxes[t.ref].isChecked()
        )

    def _check(self) -> None:
        ok = self._bases_chosen() == 1
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self._problem.setText("" if ok else self.tr("Choose exactly one base template."))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Checklist templates"))
        self._intro.setText(
            self.tr("The checklist of this visit is made of one base template and any "
                    "supplements. Choose the ones to use:")
        )
        lang = i18n.domain_language(i18n.current())
        base_word = self.tr("base template")
        for template in self._templates:
            # Supplements say so in their titles; a base template needs saying.
            base = f" — {base_word}" if template.kind is TemplateKind.BASE else ""
            self.boxes[template.ref].setText(f"{template.title.in_(lang)}{base}")
        self._check()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
