"""A horizontal bar chart (pyqtgraph) whose bars are clicked through: one row per category
(an officer, a signal category, an age), its series side by side or stacked, a count at the
end of each row, the legend above it as coloured text (legible, translatable, never over a
bar). bar_clicked(category, series) names the keys the chart was given.

Horizontal, because the categories are names: Chinese officers' names and category labels
read on the left axis without being turned or cut.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from inspector_app.gui.qt_compat import emit

BAR_THICKNESS = 0.7  # of a row's height
ROW_PIXELS = 34  # the least height a row gets; the chart asks for rows x this
ROW_MOST_PIXELS = 90  # and the most: three officers' bars are not slabs
AXIS_PADDING = 14


class CountAxis(pg.AxisItem):
    """Ticks at whole numbers only: half a borrower is no count."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> Any:
        levels = super().tickSpacing(minVal, maxVal, size)
        whole = [(float(max(1, round(spacing))), offset) for spacing, offset in levels
                 if spacing >= 1]
        return whole or [(1.0, 0.0)]


@dataclass(frozen=True)
class Series:
    key: Any
    label: str
    color: str


@dataclass(frozen=True)
class _Bar:
    rect: QRectF  # in the plot's coordinates: x the count, y the row
    category: Any
    series: Any
    tip: str  # "李明 · 已逾期: 2", shown on hover


class BarChart(QWidget):
    """Title, legend and the plot; set_data() draws, bar_clicked(category, series) reports."""

    bar_clicked = Signal(object, object)

    def __init__(self, object_name: str, *, stacked: bool, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._stacked = stacked
        self._bars: list[_Bar] = []
        self.title = QLabel(self)
        self.title.setObjectName(f"{object_name}Title")
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.plot = pg.PlotWidget(self, background="w",
                                  axisItems={"bottom": CountAxis("bottom")})
        self.plot.setObjectName(f"{object_name}Plot")
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.plot.setMinimumHeight(140)
        item = self.plot.getPlotItem()
        # A chart to read and click, not to pan or zoom.
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showGrid(x=True, y=False, alpha=0.25)
        item.invertY(True)  # the first category at the top, as a list reads
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setTextPen(pg.mkPen("#202124"))
            axis.setPen(pg.mkPen("#9aa0a6"))
            axis.setStyle(tickFont=self.font())
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.plot.scene().sigMouseMoved.connect(self._hovered)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        self.empty = QLabel(self)
        self.empty.setStyleSheet("color: #5f6368;")
        self.empty.hide()
        layout.addWidget(self.empty)
        layout.addStretch(0)

    def set_data(self, categories: list[tuple[Any, str]], series: list[Series],
                 counts: dict[tuple[Any, Any], float], *, value_format: str = "{:,.0f}",
                 empty_text: str = "", legend: bool = True, least: float = 0.0) -> None:
        """Draw one row per (key, label) of categories; counts[(category, series)]. A count
        given as 0 is drawn ``least`` wide (an average of 0 days is a figure, to be clicked)."""
        item = self.plot.getPlotItem()
        item.clear()
        self._bars = []
        # Non-breaking spaces as characters: an entity would read as an English word to the
        # one-language check (tests/gui/test_one_language.py).
        self.legend.setText(("\u00a0" * 3).join(
            f"<span style='color:{s.color}; font-size:large'>■</span>\u00a0{html.escape(s.label)}"
            for s in series))
        self.legend.setVisible(legend and len(series) > 1)
        rows = len(categories)
        thickness = BAR_THICKNESS / (1 if self._stacked else max(1, len(series)))
        widest = 0.0
        for row, (key, name) in enumerate(categories):
            left = 0.0
            for n, s in enumerate(series):
                value = float(counts.get((key, s.key), 0) or 0)
                top = row - BAR_THICKNESS / 2 + (0 if self._stacked else n * thickness)
                drawn = value if value > 0 or (key, s.key) not in counts else least
                if drawn > 0:
                    item.addItem(pg.BarGraphItem(
                        x0=[left], width=[drawn], y0=[top], height=[thickness],
                        brush=pg.mkBrush(s.color), pen=pg.mkPen("w", width=1)))
                    tip = f"{name} · {s.label}: {value_format.format(value)}"
                    self._bars.append(_Bar(QRectF(left, top, drawn, thickness), key, s.key,
                                           tip))
                if self._stacked:
                    left += value
                else:
                    widest = max(widest, value)
                    self._value_label(item, value_format.format(value) if drawn else "",
                                      drawn, top + thickness / 2)
            if self._stacked:
                widest = max(widest, left)
                shown = any((key, s.key) in counts for s in series) and least > 0
                self._value_label(item, value_format.format(left) if left or shown else "",
                                  max(left, least if shown else 0.0), row)
        axis = item.getAxis("left")
        axis.setTicks([[(row, label) for row, (_k, label) in enumerate(categories)], []])
        metrics = QFontMetrics(self.font())
        axis.setWidth(max([metrics.horizontalAdvance(label) for _k, label in categories] or [0])
                      + AXIS_PADDING)
        # Room at the right for the count printed after the longest bar.
        item.setXRange(0, max(1.0, widest * 1.15), padding=0)
        item.setYRange(-0.6, max(0, rows - 1) + 0.6, padding=0)
        # A big team's rows stay legible: the page scrolls (team_view) rather than squeeze.
        self.plot.setMinimumHeight(max(140, rows * ROW_PIXELS + 40))
        self.plot.setMaximumHeight(max(200, rows * ROW_MOST_PIXELS + 40))
        self.empty.setText(empty_text)
        nothing = not self._bars and bool(empty_text)
        self.empty.setVisible(nothing)
        self.plot.setVisible(not nothing)  # an empty frame of axes says less than the words

    # -- for tests and keyboard users: where a bar is ----------------------------------------

    def bar_keys(self) -> list[tuple[Any, Any]]:
        return [(b.category, b.series) for b in self._bars]

    def tip(self, category: Any, series: Any) -> str:
        """What hovering the bar says."""
        return next(b.tip for b in self._bars if (b.category, b.series) == (category, series))

    def bar_point(self, category: Any, series: Any) -> QPoint:
        """The middle of a bar, in the plot's viewport coordinates (a click there opens it)."""
        bar = next(b for b in self._bars if (b.category, b.series) == (category, series))
        scene = self.plot.getPlotItem().vb.mapViewToScene(bar.rect.center())
        return self.plot.mapFromScene(scene)

    # -- slots ---------------------------------------------------------------------------------

    def _clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point: QPointF = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        for bar in self._bars:
            if bar.rect.contains(point):
                emit(self.bar_clicked, bar.category, bar.series)
                return

    def _hovered(self, scene_pos: QPointF) -> None:
        """A stacked bar's parts carry no number: hovering one says it."""
        point = self.plot.getPlotItem().vb.mapSceneToView(scene_pos)
        bar = next((b for b in self._bars if b.rect.contains(point)), None)
        if bar is None:
            QToolTip.hideText()
            return
        where = self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos))
        QToolTip.showText(where, bar.tip, self.plot)

    @staticmethod
    def _value_label(item: Any, text: str, x: float, y: float) -> None:
        if not text:
            return
        label = pg.TextItem(text, color=QColor("#202124"), anchor=(0, 0.5))
        label.setPos(x, y)
        item.addItem(label)
