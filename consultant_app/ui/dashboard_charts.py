"""The dashboard's bar charts (pyqtgraph, imported only when a chart is built); they take plain lists."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QGridLayout, QVBoxLayout, QWidget

from consultant_app.services.dashboard import ChartData
from consultant_app.ui.i18n import format_number, format_percent, translate

BAR_COLOUR = "#2f6db5"
NEGATIVE_COLOUR = "#c0504d"
TEXT_COLOUR = "#222222"
MAX_LABELLED_BARS = 40  # beyond this, names and values would overlap: the bars alone show the spread
BAR_PITCH_PX = 15


class BarChart(QWidget):
    """Bars over categories with the value written at each bar's end; horizontal for long category names."""

    def __init__(self, *, title: str, value_axis: str, category_axis: str, horizontal: bool = False,
                 value_text: Callable[[float], str] = lambda v: format_number(v), parent: QWidget | None = None):
        super().__init__(parent)
        import pyqtgraph as pg  # heavy: loaded when the dashboard first draws a chart

        self._pg = pg
        self.horizontal = horizontal
        self.value_text = value_text
        self.labels: list[str] = []
        self.values: list[float] = []
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        item = self.plot.getPlotItem()
        font = QFont(QApplication.font())
        item.setTitle(title, color=TEXT_COLOUR, size=f"{font.pointSize() + 1}pt")
        value_side, category_side = ("bottom", "left") if horizontal else ("left", "bottom")
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(TEXT_COLOUR))
            axis.setTextPen(pg.mkPen(TEXT_COLOUR))
            axis.setStyle(tickFont=font, maxTickLevel=1)  # major and minor ticks: a calmer grid
            axis.enableAutoSIPrefix(False)  # "k%" or "M원" would confuse: units stay as the label says
        # pyqtgraph writes 1e+06 and 15000; people read 1,000,000 and 15,000.
        item.getAxis(value_side).tickStrings = _tick_strings
        self.title = title
        label_style = {"color": TEXT_COLOUR, "font-size": f"{font.pointSize()}pt"}
        self._label_style = label_style
        self._value_side = value_side
        item.setLabel(value_side, value_axis, **label_style)
        item.setLabel(category_side, category_axis, **label_style)
        item.showGrid(x=horizontal, y=not horizontal, alpha=0.3)
        self.category_axis = item.getAxis(category_side)
        # Each orientation sets its own keys: BarGraphItem keeps every key it was ever given.
        if horizontal:
            self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=[], pen=None, brushes=[])
        else:
            self.bars = pg.BarGraphItem(x=[], y0=[], width=[], height=[], pen=None, brushes=[])
        item.addItem(self.bars)
        self._texts: list = []
        self.empty_text = pg.TextItem(translate("DashboardCharts", "자료 없음"), color=TEXT_COLOUR, anchor=(0.5, 0.5))
        item.addItem(self.empty_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_bars(self, labels: list[str], values: list[float]) -> None:
        """Draw one bar per label, in order (first at the top of a horizontal chart, left of a vertical one)."""
        pg = self._pg
        self.labels, self.values = list(labels), [float(v) for v in values]
        item = self.plot.getPlotItem()
        for text in self._texts:
            item.removeItem(text)
        self._texts = []
        n = len(self.values)
        positions = [float(n - 1 - i) for i in range(n)] if self.horizontal else [float(i) for i in range(n)]
        brushes = [pg.mkBrush(NEGATIVE_COLOUR if v < 0 else BAR_COLOUR) for v in self.values]
        zeros = [0.0] * n  # bars start at 0; a negative length (a KPI that got worse) points the other way
        labelled = n <= MAX_LABELLED_BARS
        # Hundreds of bars thinner than a pixel alias into stripes: touching bars draw the distribution's shape.
        thickness = (0.7 if self.horizontal else 0.6) if labelled else 1.0
        if self.horizontal:
            self.bars.setOpts(x0=zeros, y=positions, width=self.values, height=[thickness] * n, brushes=brushes)
        else:
            self.bars.setOpts(x=positions, y0=zeros, height=self.values, width=[thickness] * n, brushes=brushes)
        self.bars.setVisible(n > 0)
        self.empty_text.setVisible(n == 0)
        self.category_axis.setTicks([[(p, label) for p, label in zip(positions, self.labels)] if labelled else []])
        if labelled:
            for position, value in zip(positions, self.values):
                anchor = ((0, 0.5) if value >= 0 else (1, 0.5)) if self.horizontal else (0.5, 1 if value >= 0 else 0)
                text = pg.TextItem(self.value_text(value), color=QColor(TEXT_COLOUR), anchor=anchor)
                text.setPos(value, position) if self.horizontal else text.setPos(position, value)
                item.addItem(text)
                self._texts.append(text)
        self._fit(positions)

    def set_titles(self, title: str, value_axis: str | None = None) -> None:
        """Change the chart's title (and its value axis label, units included)."""
        item = self.plot.getPlotItem()
        item.setTitle(title, color=TEXT_COLOUR, size=item.titleLabel.opts.get("size"))
        if value_axis is not None:
            item.setLabel(self._value_side, value_axis, **self._label_style)

    def _fit(self, positions: list[float]) -> None:
        item = self.plot.getPlotItem()
        low = min([0.0, *self.values])
        high = max([0.0, *self.values]) or 1.0
        span = high - low or 1.0
        # Room past the longest bar for its value label.
        value_range = (low - (0.18 * span if low < 0 else 0), high + 0.18 * span)
        category_range = (-0.6, max(len(positions), 1) - 0.4)
        if self.horizontal:
            item.setXRange(*value_range, padding=0)
            item.setYRange(*category_range, padding=0)
        else:
            item.setYRange(*value_range, padding=0)
            item.setXRange(*category_range, padding=0)
        if not positions:
            self.empty_text.setPos(sum(category_range) / 2, sum(value_range) / 2) if not self.horizontal else \
                self.empty_text.setPos(sum(value_range) / 2, sum(category_range) / 2)

    def drawn(self) -> list[tuple[float, float]]:
        """(position, value) of every bar as drawn, for tests and checks."""
        opts = self.bars.opts
        if self.horizontal:
            return [(float(y), float(x0 + w)) for x0, y, w in zip(opts["x0"], opts["y"], opts["width"])]
        return [(float(x), float(y0 + h)) for x, y0, h in zip(opts["x"], opts["y0"], opts["height"])]


class DashboardCharts(QWidget):
    """Improvement per company, new hires by year and financial effect by year."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.improvement = BarChart(
            title=translate("DashboardCharts", "기업별 KPI 평균 개선율"),
            value_axis=translate("DashboardCharts", "평균 개선율 (%)"),
            category_axis=translate("DashboardCharts", "기업 (개선율 순)"),
            horizontal=True, value_text=lambda v: format_percent(v, 1))
        self.improvement.setObjectName("chart_improvement")
        self.hires = BarChart(
            title=translate("DashboardCharts", "차수별 신규 채용"),
            value_axis=translate("DashboardCharts", "신규 채용 (명)"),
            category_axis=translate("DashboardCharts", "참여 차수"))
        self.hires.setObjectName("chart_hires")
        self.effect = BarChart(
            title=translate("DashboardCharts", "차수별 재무적 효과"),
            value_axis=translate("DashboardCharts", "재무적 효과 (백만원/년)"),
            category_axis=translate("DashboardCharts", "참여 차수"),
            value_text=lambda v: format_number(v, 0 if v >= 100 else 1))
        self.effect.setObjectName("chart_effect")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.improvement, 0, 0, 2, 1)
        grid.addWidget(self.hires, 0, 1)
        grid.addWidget(self.effect, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

    def set_data(self, data: ChartData) -> None:
        """Draw the charts from plain lists."""
        self.improvement.set_bars(data.improvement_labels, data.improvement_values)
        n = len(data.improvement_values)
        self.improvement.set_titles(translate("DashboardCharts", "기업별 KPI 평균 개선율 (기업 %1개)")
                                    .replace("%1", format_number(n)))
        shown = min(n, MAX_LABELLED_BARS)
        self.improvement.setMinimumHeight(max(320, shown * BAR_PITCH_PX + 90))
        self.hires.set_bars([_year(y) for y in data.hires_years], data.hires_values)
        # Money in millions of won, or in 억 (hundred millions) once millions would run to six digits.
        if max(data.effect_values, default=0) >= 100_000_000_000:
            self.effect_scale = 100_000_000
            self.effect.set_titles(self.effect.title, translate("DashboardCharts", "재무적 효과 (억원/년)"))
        else:
            self.effect_scale = 1_000_000
            self.effect.set_titles(self.effect.title, translate("DashboardCharts", "재무적 효과 (백만원/년)"))
        self.effect.set_bars([_year(y) for y in data.effect_years], [v / self.effect_scale for v in data.effect_values])
        for chart in (self.hires, self.effect):
            chart.setMinimumHeight(max(160, self.improvement.minimumHeight() // 2 - 4))


def _tick_strings(values: list[float], scale: float, spacing: float) -> list[str]:
    """Axis numbers in the user's locale, with as many decimals as the tick spacing needs."""
    decimals = 0 if spacing * scale >= 1 else (1 if spacing * scale >= 0.1 else 2)
    return [format_number(v * scale, decimals) for v in values]


def _year(year: int) -> str:
    return translate("DashboardCharts", "%1차년도").replace("%1", str(year))

