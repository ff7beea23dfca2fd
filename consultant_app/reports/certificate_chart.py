"""The certificate's chart: baseline, target and post of each KPI as bars, each KPI on its own scale."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String

from consultant_app.domain.summary import KpiFigures
from consultant_app.reports.fonts import register_fonts
from consultant_app.reports.layout import (
    BASELINE_COLOUR,
    MUTED,
    POST_COLOUR,
    RULE,
    TARGET_COLOUR,
    fit_text,
    number,
)

PER_ROW = 4
GROUP_HEIGHT = 84
LEGEND_HEIGHT = 18
BARS = (("기준값", "baseline", BASELINE_COLOUR), ("목표값", "target", TARGET_COLOUR), ("개선값", "post", POST_COLOUR))


def kpi_chart(kpis: tuple[KpiFigures, ...], *, width: float) -> Drawing:
    """One small bar group per KPI (KPIs have different units, so no shared axis), four to a row."""
    font = register_fonts()
    rows = max(1, -(-len(kpis) // PER_ROW))
    height = LEGEND_HEIGHT + rows * GROUP_HEIGHT
    drawing = Drawing(width, height)
    x = 0.0
    for text, _, colour in BARS:
        drawing.add(Rect(x, height - 10, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 11, height - 9, text, fontName=font, fontSize=8, fillColor=MUTED))
        x += 60
    group_width = width / PER_ROW
    for index, kpi in enumerate(kpis):
        row, column = divmod(index, PER_ROW)
        top = height - LEGEND_HEIGHT - row * GROUP_HEIGHT
        _group(drawing, kpi, x=column * group_width, top=top, width=group_width, font=font)
    return drawing


def _group(drawing: Drawing, kpi: KpiFigures, *, x: float, top: float, width: float, font: str) -> None:
    values = [getattr(kpi.values, name) for _, name, _ in BARS]
    plot_bottom = top - GROUP_HEIGHT + 34
    plot_height = GROUP_HEIGHT - 34 - 22
    peak = max((abs(v) for v in values if v is not None), default=0.0) or 1.0
    bar_width = min(22.0, (width - 30) / 3)
    left = x + (width - 3 * bar_width - 2 * 6) / 2
    drawing.add(Line(x + 8, plot_bottom, x + width - 8, plot_bottom, strokeColor=RULE, strokeWidth=0.6))
    for slot, ((_, _, colour), value) in enumerate(zip(BARS, values)):
        bar_x = left + slot * (bar_width + 6)
        if value is None:
            drawing.add(String(bar_x + bar_width / 2, plot_bottom + 3, "–", fontName=font, fontSize=7,
                               fillColor=MUTED, textAnchor="middle"))
            continue
        bar_height = max(0.5, abs(value) / peak * plot_height)
        drawing.add(Rect(bar_x, plot_bottom, bar_width, bar_height, fillColor=colour, strokeColor=None))
        drawing.add(String(bar_x + bar_width / 2, plot_bottom + bar_height + 3, number(value, decimals=2),
                           fontName=font, fontSize=6.5, fillColor=MUTED, textAnchor="middle"))
    name = f"{kpi.definition.name_ko} ({kpi.definition.unit})"
    drawing.add(String(x + width / 2, plot_bottom - 12, fit_text(name, width - 6, font, 7.5), fontName=font,
                       fontSize=7.5, fillColor=MUTED, textAnchor="middle"))
