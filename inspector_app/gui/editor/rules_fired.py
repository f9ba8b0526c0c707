"""The conclusion page's list of the classification rules that fired: each with what it found,
the minimum it sets and where the rule comes from (regulation, bank policy, training case); the
one that decided the recommendation marked; and, when the officer chooses a lighter
classification, which rules that choice sets aside (issue #14 item 3).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from inspector_app.domain.classification import FiredRule, Recommendation, override_summary
from inspector_app.domain.enums import Classification
from inspector_app.gui.editor.page_parts import (
    ERROR_COLOUR,
    QUIET_COLOUR,
    label_language,
    quiet_style,
)

DECIDING_MARK = "★"


class RulesFiredView(QWidget):
    """Every rule that fired on the visit's facts, the deciding one first in weight."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesFired")
        self.heading = QLabel(self)
        self.heading.setObjectName("rulesFiredHeading")
        self.heading.setStyleSheet(quiet_style())
        self.heading.setWordWrap(True)
        self.rules_label = QLabel(self)
        self.rules_label.setObjectName("rulesFiredList")
        self.rules_label.setWordWrap(True)
        self.rules_label.setTextFormat(Qt.TextFormat.RichText)
        self.rules_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.override_label = QLabel(self)
        self.override_label.setObjectName("rulesOverridden")
        self.override_label.setWordWrap(True)
        self.override_label.setStyleSheet(f"color: {ERROR_COLOUR.name()};")
        self.override_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.rules_label)
        layout.addWidget(self.override_label)
        self._rec: Recommendation | None = None
        self._chosen: Classification | None = None
        self._retranslate()

    def show_rules(self, rec: Recommendation, chosen: Classification) -> None:
        """Show `rec`'s fired rules; `chosen` is the classification on screen now."""
        self._rec, self._chosen = rec, chosen
        self._fill()

    # -- what it shows --------------------------------------------------------------------------

    def _fill(self) -> None:
        rec, chosen, lang = self._rec, self._chosen, label_language()
        if rec is None or chosen is None:
            return
        self.rules_label.setVisible(bool(rec.fired))
        set_aside = set(rec.overridden_by(chosen))
        self.rules_label.setText("".join(self._line(rule, rule is rec.deciding,
                                                    rule in set_aside, lang)
                                         for rule in rec.fired))
        if not rec.fired:
            self.heading.setText(self.tr("No classification rule fired."))
        elif rec.deciding is None:
            self.heading.setText(self.tr("Rules that fired (none asks for worse than the "
                                         "current classification):"))
        else:
            self.heading.setText(self.tr("Rules that fired ({mark} decided the "
                                         "recommendation):").format(mark=DECIDING_MARK))
        overriding = chosen.rank < rec.classification.rank
        self.override_label.setVisible(overriding)
        if overriding:
            self.override_label.setText(override_summary(rec, chosen).in_(lang))

    def _line(self, rule: FiredRule, deciding: bool, set_aside: bool, lang: str) -> str:
        text = escape(rule.reason.in_(lang))
        if deciding:
            text = f"<b>{DECIDING_MARK} {text}</b>"
        if set_aside:
            note = escape(self.tr("(set aside)"))
            text += f' <span style="color:{ERROR_COLOUR.name()}">{note}</span>'
        source = escape(self.tr("Source: {source}").format(source=rule.source.label(lang)))
        return (f'<p style="margin:0 0 4px 0">{text}<br/>'
                f'<span style="color:{QUIET_COLOUR.name()}">{source}</span></p>')

    # -- language --------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("No classification rule fired."))
        self._fill()
