"""pyqtgraph charts over plain lists; import this module lazily (pyqtgraph with numpy takes about half a second)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from consultant_app.services.kpis import ChartEntry, TrendPoint

BASELINE_COLOUR = QColor("#9e9e9e")
TARGET_COLOUR = QColor("#90caf9")
BETTER_COLOUR = QColor("#2e7d32")
WORSE_COLOUR = QColor("#c62828")
UNCHANGED_COLOUR = QColor("#546e7a")
POST_LINE_COLOUR = QColor("#1f4e9c")  # a trend's post values: neither good nor bad by colour alone
MAX_COLUMNS = 6

Formatter = Callable[[float], str]


def _height(value: float | None) -> float:
    return 0.0 if value is None or not math.isfinite(value) else value


TEXT_COLOUR = "#222222"


def _plot_widget(parent=None) -> pg.PlotWidget:
    """A small read-only chart, dark on white (set here, not in pyqtgraph's global options other charts share)."""
    widget = pg.PlotWidget(parent, background="w")
    widget.setAntialiasing(True)
    plot = widget.getPlotItem()
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    for axis in ("left", "bottom"):
        item = plot.getAxis(axis)
        item.setPen(TEXT_COLOUR)
        item.setTextPen(TEXT_COLOUR)
        item.enableAutoSIPrefix(False)  # "12,500 KRW/unit", never "12.5 kKRW/unit"
    return widget


@dataclass
class _KpiPlot:
    """The items of one KPI's chart, created once and updated with setOpts / setText."""

    cell: QWidget
    caption: QLabel
    plot: pg.PlotItem
    bars: pg.BarGraphItem
    labels: list[pg.TextItem]


class KpiBarCharts(QWidget):
    """One small chart per KPI, in the KPI's own unit: baseline, target and post side by side.

    Each KPI's items are made once and kept (hidden) when it leaves the list, so typing, switching
    engagements and undo only update data.
    """

    def __init__(self, bar_names: Sequence[str], format_value: Formatter, missing: str, parent=None):
        super().__init__(parent)
        self.setObjectName("kpi_bar_charts")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        self.setStyleSheet("background: white;")
        self._bar_names = list(bar_names)
        self._format = format_value
        self._missing = missing
        self._plots: dict[str, _KpiPlot] = {}
        self._shown: list[str] = []

    def _make(self, code: str) -> _KpiPlot:
        cell = QWidget(self)
        cell.setObjectName(f"kpi_chart_{code}")
        # The KPI's name in a Qt label above the plot: it wraps, where a pyqtgraph title would widen the plot
        # past its share of the row (long English names).
        caption = QLabel(cell)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setWordWrap(True)
        caption.setStyleSheet(f"color: {TEXT_COLOUR}; background: white;")
        widget = _plot_widget(cell)
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(caption)
        box.addWidget(widget, 1)
        cell.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        cell.setMinimumWidth(120)
        plot = widget.getPlotItem()
        plot.getAxis("bottom").setTicks([list(enumerate(self._bar_names))])
        plot.setXRange(-0.6, 2.6, padding=0)
        bars = pg.BarGraphItem(x=[0, 1, 2], height=[0, 0, 0], width=0.6, pen=None,
                               brushes=[BASELINE_COLOUR, TARGET_COLOUR, UNCHANGED_COLOUR])
        plot.addItem(bars)
        labels = []
        for x in range(3):
            label = pg.TextItem(anchor=(0.5, 1.0), color=TEXT_COLOUR)
            label.setPos(x, 0)
            plot.addItem(label)
            labels.append(label)
        item = _KpiPlot(cell, caption, plot, bars, labels)
        self._plots[code] = item
        return item

    def set_entries(self, entries: list[ChartEntry]) -> None:
        """Show these KPIs, in this order; a KPI seen before reuses its items."""
        codes = [entry.code for entry in entries]
        if codes != self._shown:
            for code in self._shown:
                self._grid.removeWidget(self._plots[code].cell)
                self._plots[code].cell.hide()
            # One row up to six KPIs, then two even rows.
            columns = max(1, len(codes) if len(codes) <= MAX_COLUMNS else math.ceil(len(codes) / 2))
            for number, code in enumerate(codes):
                item = self._plots.get(code) or self._make(code)
                self._grid.addWidget(item.cell, number // columns, number % columns)
                item.cell.show()
            self._shown = codes
        for entry in entries:
            self._update(self._plots[entry.code], entry)

    def _update(self, item: _KpiPlot, entry: ChartEntry) -> None:
        item.caption.setText(entry.name)
        item.plot.setLabel("left", entry.unit)
        values = (entry.baseline, entry.target, entry.post)
        post_colour = UNCHANGED_COLOUR if entry.better is None else BETTER_COLOUR if entry.better else WORSE_COLOUR
        item.bars.setOpts(height=[_height(v) for v in values],
                          brushes=[BASELINE_COLOUR, TARGET_COLOUR, post_colour])
        for label, value in zip(item.labels, values):
            label.setText(self._missing if value is None else self._format(value))
            label.setPos(label.pos().x(), _height(value))
        top = max([_height(v) for v in values] + [0.0])
        # Headroom for the value written above the tallest bar.
        item.plot.setYRange(0, top * 1.4 if top > 0 else 1.4, padding=0)

    # -- what is drawn, for tests and for screen readers' summaries -------------------------------------------
    def shown_codes(self) -> list[str]:
        return list(self._shown)

    def bar_heights(self, code: str) -> list[float]:
        """The heights the bars of ``code`` are drawn with (baseline, target, post)."""
        return [float(h) for h in self._plots[code].bars.opts["height"]]

    def bar_labels(self, code: str) -> list[str]:
        return [label.textItem.toPlainText() for label in self._plots[code].labels]

    def title(self, code: str) -> str:
        return self._plots[code].caption.text()

    def unit(self, code: str) -> str:
        return self._plots[code].plot.getAxis("left").labelText


class TrendChart(QWidget):
    """A KPI over the company's programme years: baseline, target and post as lines."""

    def __init__(self, series_names: Sequence[str], year_label: Callable[[int], str], parent=None):
        super().__init__(parent)
        self.setObjectName("kpi_trend_chart")
        self.view = _plot_widget(self)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        plot = self.view.getPlotItem()
        plot.showGrid(y=True, alpha=0.15)
        plot.addLegend(offset=(5, 1), colCount=3, brush=(255, 255, 255, 210), labelTextColor=TEXT_COLOUR)
        self._year_label = year_label
        styles = ((BASELINE_COLOUR, Qt.PenStyle.SolidLine, "o"), (TARGET_COLOUR, Qt.PenStyle.DashLine, "t"),
                  (POST_LINE_COLOUR, Qt.PenStyle.SolidLine, "s"))
        self._lines = [
            plot.plot([], [], name=name, pen=pg.mkPen(colour, width=2, style=style), symbol=symbol,
                      symbolBrush=colour, symbolPen=None, symbolSize=7, connect="finite")
            for name, (colour, style, symbol) in zip(series_names, styles)
        ]

    def set_trend(self, title: str, unit: str, points: list[TrendPoint]) -> None:
        """Draw ``points`` (one per programme year)."""
        plot = self.view.getPlotItem()
        plot.setTitle(f"{title} ({unit})", size="10pt", color=TEXT_COLOUR)
        plot.setLabel("left", unit)
        years = [float(p.year) for p in points]
        for line, values in zip(self._lines, ([p.baseline for p in points], [p.target for p in points],
                                              [p.post for p in points])):
            line.setData(years, [math.nan if v is None else v for v in values])
        plot.getAxis("bottom").setTicks([[(float(p.year), self._year_label(p.year)) for p in points]])
        if years:
            plot.setXRange(min(years) - 0.3, max(years) + 0.3, padding=0)
        values = [v for p in points for v in (p.baseline, p.target, p.post) if v is not None and math.isfinite(v)]
        if values:
            low, high = min(values), max(values)
            span = (high - low) or abs(high) or 1.0
            plot.setYRange(low - 0.1 * span, high + 0.5 * span, padding=0)  # room for the legend on top

    def series(self) -> list[tuple[list[float], list[float]]]:
        """Each line's (x, y) data as drawn: baseline, target, post."""
        result = []
        for line in self._lines:
            xs, ys = line.getData()
            result.append(([] if xs is None else [float(x) for x in xs], [] if ys is None else [float(y) for y in ys]))
        return result
