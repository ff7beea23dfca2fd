"""The programme results report as a PDF: headline figures with their method notes, tables by year and sponsor, charts.

Laid out like pretix's invoice renderer: constants first, a story of flowables, one SimpleDocTemplate into memory.
Its size depends on the number of programme years and sponsors, never on the number of engagements.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from consultant_app.domain.aggregates import ProgrammeReport
from consultant_app.domain.codes import Capability, label
from consultant_app.domain.report_view import ProgrammeReportView
from consultant_app.report_text import LABELS, TEXT, count, filter_text, krw, pct, year_label
from consultant_app.reports.fonts import BOLD, register_fonts
from consultant_app.reports.layout import (
    ACCENT,
    BASELINE_COLOUR,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    INK,
    MARGIN,
    MUTED,
    PAGE_SIZE,
    POST_COLOUR,
    RULE,
    SHADE,
    TARGET_COLOUR,
    Styles,
    canvas_class,
    day,
    number,
    styles,
)

# -- layout constants -----------------------------------------------------------------------------------------

FRAME_PADDING = 6  # SimpleDocTemplate's frame pads each side by 6 pt: flowables get the frame width less 12 pt
CONTENT_WIDTH = FRAME_WIDTH - 2 * FRAME_PADDING
HEADLINE_COLUMNS = (0.24, 0.22, 0.54)  # item, value, method note: shares of the content width
# Breakdown tables: the first column's (preferred, minimum) width; the eight figure columns fit their content.
YEAR_COLUMN = (58.0, 48.0)
SPONSOR_COLUMN = (100.0, 72.0)  # a long sponsor name wraps here (CJK wrapping breaks between any two characters)
CELL_PADDING = 3
NUMBER_FONT_SIZE = 8
CHART_HEIGHT = 185
HALF_CHART_GAP = 12
CHART_LABEL_SIZE = 7
CHART_TITLE_SIZE = 9
MAX_LABELLED_BARS = 10  # beyond this the value labels on the bars would collide; the tables carry the figures
MILLION = 1_000_000

AUTHOR = ("산업혁신운동 중앙추진본부", "Industrial Innovation Movement")
CREATOR = "consultant-app"

# Words of the PDF that the terminal report (report_text) has no use for.
WORDS: dict[str, tuple[str, str]] = {
    "subject": ("산업혁신운동 사업 성과 보고서", "Industrial Innovation Movement programme results report"),
    "generated": ("작성일", "generated on"),
    "headline": ("주요 성과", "Headline figures"),
    "by_year": ("차수별 성과", "Results by programme year"),
    "by_sponsor": ("후원기업별 성과", "Results by sponsor"),
    "charts": ("그래프", "Charts"),
    "total": ("전체", "All"),
    "no_sponsor": ("(후원기업 없음)", "(no sponsor)"),
    "per_engagement_m": ("건당 재무적 효과", "Financial effect per engagement"),
    "million_won": ("백만원", "KRW million"),
    "breakdown_note": (
        "각 행은 맨 끝 ‘산출 방법’의 규칙을 그 차수(또는 후원기업)의 참여에만 적용한 값입니다. "
        "금액은 백만원 단위로 반올림했고(건당은 소수 첫째 자리), 정확한 합계는 주요 성과 표에 있습니다. "
        "‘전체’ 행은 모든 참여에 대한 값입니다.",
        "Each row applies the rules under “How each figure was computed” to that year's (or sponsor's) engagements "
        "only. Amounts are rounded to KRW million (per engagement to one decimal); the exact totals are in the "
        "headline table. The “All” row covers every engagement."),
    "chart_distribution": ("참여별 KPI 평균 개선율 분포", "Distribution of engagements' mean KPI improvement"),
    "axis_improvement": ("KPI 평균 개선율(%)", "Mean KPI improvement (%)"),
    "axis_engagements": ("참여 건수(건)", "Engagements"),
    "left_out": ("개선율을 계산할 수 없어 제외한 참여: {n}건 (KPI 없음 또는 계산 가능한 KPI 없음)",
                 "Left out, no mean improvement computable: {n} engagements (no KPI, or no computable KPI)"),
    "chart_hires": ("차수별 신규 채용", "New hires by programme year"),
    "axis_year": ("차수", "Programme year"),
    "axis_hires": ("신규 채용(명)", "New hires (people)"),
    "chart_effect": ("차수별 재무적 효과", "Financial effect by programme year"),
    "axis_effect": ("재무적 효과(백만원/년)", "Financial effect (KRW million per year)"),
    "chart_survey": ("만족도 조사 결과", "Satisfaction survey results"),
    "axis_share": ("응답 비율(%)", "Share of responses (%)"),
    "bins": ("분포 그래프의 구간", "Bins of the distribution chart"),
    "bins_note": ("구간은 하한 이상 상한 미만이며, 참여 1건은 자신의 KPI 평균 개선율로 한 구간에 들어갑니다.",
                  "Each bin holds values from its lower bound up to but not including its upper bound; an "
                  "engagement falls into one bin by its own mean KPI improvement."),
    "chart_note": ("분포 그래프에서 제외", "Left out of the distribution chart"),
}

HEADLINE_KEYS = ("engagements", "companies", "kpi_improvement_mean_pct", "financial_effect_total_krw",
                 "financial_effect_per_company_krw", "new_hires_total", "new_hires_by_year", "smart_factories_built")
SURVEY_KEYS = ("survey.responses", "survey.satisfied_pct", "survey.continue_pct", "survey.recommend_pct")
KOREAN_UNITS = {"engagements": "건", "companies": "개", "new_hires_total": "명", "smart_factories_built": "개",
                "survey.responses": "건"}


# -- words and numbers ----------------------------------------------------------------------------------------

def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _word(key: str, lang: str) -> str:
    return _pick(WORDS[key], lang)


def _label(key: str, lang: str) -> str:
    return _pick(LABELS[key], lang)


def _text(key: str, lang: str) -> str:
    return _pick(TEXT[key], lang)


def _counted(key: str, value: int, lang: str) -> str:
    """``48건`` in Korean, ``48`` in English (the row label says what is counted)."""
    return count(value) + ("" if lang == "en" else KOREAN_UNITS[key])


def _millions(value: float | None, lang: str, *, decimals: int = 0) -> str:
    """Won as millions for the breakdown tables, ``계산 불가`` when there is no value."""
    if value is None:
        return _text("undefined", lang)
    return f"{value / MILLION:,.{decimals}f}"


def _hires_by_year(report: ProgrammeReport, lang: str) -> str:
    if not report.new_hires_by_year:
        return _text("none", lang)
    unit = "" if lang == "en" else "명"
    return "\n".join(f"{year_label(y, lang)} {count(n)}{unit}" for y, n in report.new_hires_by_year.items())


def headline_values(report: ProgrammeReport, lang: str) -> dict[str, str]:
    """The headline figures as printed, by figure key."""
    return {
        "engagements": _counted("engagements", report.engagements, lang),
        "companies": _counted("companies", report.companies, lang),
        "kpi_improvement_mean_pct": pct(report.kpi_improvement_mean_pct, lang),
        "financial_effect_total_krw": krw(report.financial_effect_total_krw, lang),
        "financial_effect_per_company_krw": krw(report.financial_effect_per_company_krw, lang),
        "new_hires_total": _counted("new_hires_total", report.new_hires_total, lang),
        "new_hires_by_year": _hires_by_year(report, lang),
        "smart_factories_built": _counted("smart_factories_built", report.smart_factories_built, lang),
    }


def survey_values(report: ProgrammeReport, lang: str) -> dict[str, str]:
    """The survey figures as printed, by figure key."""
    survey = report.survey
    return {
        "survey.responses": _counted("survey.responses", survey["responses"], lang),
        "survey.satisfied_pct": pct(survey["satisfied_pct"], lang),
        "survey.continue_pct": pct(survey["continue_pct"], lang),
        "survey.recommend_pct": pct(survey["recommend_pct"], lang),
    }


# -- tables ---------------------------------------------------------------------------------------------------

class _Cells:
    """Paragraph factories for table cells; every text is escaped (names may hold ``&`` or ``<``)."""

    def __init__(self, sheet: Styles):
        self.sheet = sheet
        self.number = ParagraphStyle("number", parent=sheet.cell_right, fontSize=NUMBER_FONT_SIZE, leading=10.5)
        self.number_bold = ParagraphStyle("number_bold", parent=self.number, fontName=BOLD)
        self.text_bold = ParagraphStyle("cell_bold", parent=sheet.cell, fontName=BOLD)
        self.note = sheet.small
        self.header_words = ParagraphStyle("header_words", parent=sheet.header_cell, wordWrap=None)

    def header(self, text: str, width: float) -> Paragraph:
        """A header cell that breaks at spaces when every word fits ``width`` (``KPI 평균 / 개선율``), else anywhere."""
        style = self.sheet.header_cell
        room = width - 2 * CELL_PADDING
        words_fit = all(stringWidth(word, style.fontName, style.fontSize) <= room for word in text.split())
        if words_fit:
            style = self.header_words
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def text(self, text: str, *, bold: bool = False) -> Paragraph:
        return Paragraph(escape(text), self.text_bold if bold else self.sheet.cell)

    def figure(self, text: str, *, bold: bool = False) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), self.number_bold if bold else self.number)

    def small(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.note)


def _cell_font() -> tuple:
    # A Table sets its cell style's font before every cell, Paragraph or not, and that font defaults to
    # Helvetica (read when reportlab was imported): an un-embedded font in the file unless named here.
    return ("FONT", (0, 0), (-1, -1), register_fonts(), NUMBER_FONT_SIZE)


def _table_style(*, total_row: bool) -> TableStyle:
    commands = [
        _cell_font(),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if total_row:
        commands += [("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#dde5ef")),
                     ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT)]
    return TableStyle(commands)


def _notes_table(cells: _Cells, rows: Sequence[tuple[str, str, str]], lang: str) -> Table:
    """Item | value | how it was computed."""
    widths = [CONTENT_WIDTH * share for share in HEADLINE_COLUMNS]
    body = [[cells.header(_text(key, lang), width) for key, width in zip(("item", "value", "method"), widths)]]
    body += [[cells.text(name, bold=True), cells.figure(value), cells.small(note)] for name, value, note in rows]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style(total_row=False))
    return table


def _breakdown_headers(first: str, lang: str) -> list[str]:
    """Column headers of the tables by year and by sponsor; a line break puts the unit on a line of its own."""
    million = _word("million_won", lang)
    return [
        first,
        _label("engagements", lang),
        _label("companies", lang),
        _label("kpi_improvement_mean_pct", lang),
        f"{_label('financial_effect_total_krw', lang)}\n({million})",
        f"{_word('per_engagement_m', lang)}\n({million})",
        _label("new_hires_total", lang),
        _label("smart_factories_built", lang),
        _label("survey.satisfied_pct", lang),
    ]


def _breakdown_figures(report: ProgrammeReport, lang: str) -> list[str]:
    """One row's figures as printed: money in millions of won."""
    return [
        count(report.engagements),
        count(report.companies),
        pct(report.kpi_improvement_mean_pct, lang),
        _millions(report.financial_effect_total_krw, lang),
        _millions(report.financial_effect_per_company_krw, lang, decimals=1),
        count(report.new_hires_total),
        count(report.smart_factories_built),
        pct(report.survey["satisfied_pct"], lang),
    ]


def _column_widths(first: tuple[float, float], needs: Sequence[float]) -> list[float]:
    """The first column's preferred width if the figure columns fit beside it, else down to its minimum."""
    preferred, minimum = first
    spare = CONTENT_WIDTH - preferred - sum(needs)
    if spare >= 0:  # the figures fit: share out the rest evenly
        return [preferred, *(n + spare / len(needs) for n in needs)]
    first_width = max(minimum, CONTENT_WIDTH - sum(needs))
    scale = (CONTENT_WIDTH - first_width) / sum(needs)  # below 1 only for huge figures: those cells then wrap
    return [first_width, *(n * scale for n in needs)]


def _breakdown_table(cells: _Cells, first: str, first_width: tuple[float, float],
                     rows: Sequence[tuple[str, ProgrammeReport]], overall: ProgrammeReport, lang: str) -> Table:
    """One row per year or sponsor, then the row for all engagements; figure columns as wide as their content."""
    headers = _breakdown_headers(first, lang)
    figures = [_breakdown_figures(report, lang) for _, report in rows]
    totals = _breakdown_figures(overall, lang)
    header_font, size = cells.sheet.header_cell.fontName, cells.sheet.header_cell.fontSize
    needs = []
    for column, header in enumerate(headers[1:]):
        # Headers break between words, so the widest word counts; figures never break.
        widest_word = max(stringWidth(word, header_font, size) for word in header.split())
        widest_figure = max(stringWidth(row[column], BOLD, NUMBER_FONT_SIZE) for row in [*figures, totals])
        needs.append(max(widest_word, widest_figure) + 2 * CELL_PADDING + 1)
    widths = _column_widths(first_width, needs)
    body = [[cells.header(h, w) for h, w in zip(headers, widths)]]
    body += [[cells.text(name), *(cells.figure(f) for f in row)] for (name, _), row in zip(rows, figures)]
    body.append([cells.text(_word("total", lang), bold=True), *(cells.figure(f, bold=True) for f in totals)])
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style(total_row=True))
    return table


def _capability_table(cells: _Cells, report: ProgrammeReport, lang: str) -> Table:
    """Capability | share of responses that chose it."""
    widths = [CONTENT_WIDTH * 0.3, CONTENT_WIDTH * 0.16]
    rows = [[cells.header(_text("capability", lang), widths[0]), cells.header(_text("share", lang), widths[1])]]
    rows += [[cells.text(label(Capability(code), lang)), cells.figure(pct(value, lang))]
             for code, value in report.survey["improved_pct"].items()]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style(total_row=False))
    return table


# -- charts ---------------------------------------------------------------------------------------------------

def _nice_top(largest: float) -> tuple[float, float]:
    """An axis maximum above ``largest`` (room for the bar labels) and a round step giving 4–6 ticks."""
    if largest <= 0:
        return 1.0, 1.0
    rough = largest * 1.12 / 5
    magnitude = 10 ** len(str(int(rough))) / 10 if rough >= 1 else 1.0
    while magnitude > rough:
        magnitude /= 10
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    top = step * -(-largest * 1.12 // step)
    return top, step


def _string(x: float, y: float, text: str, *, size: float = CHART_LABEL_SIZE, bold: bool = False,
            anchor: str = "middle", colour=INK) -> String:
    # fontName on every string: graphics otherwise fall back to a default font that is not embedded
    return String(x, y, text, fontName=BOLD if bold else register_fonts(), fontSize=size, textAnchor=anchor,
                  fillColor=colour)


def _style_axis_labels(chart, *, value_format: Callable[[float], str]) -> None:
    font = register_fonts()
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = CHART_LABEL_SIZE
        axis.labels.fillColor = INK
        axis.strokeColor = MUTED
    chart.valueAxis.labelTextFormat = value_format
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = CHART_LABEL_SIZE - 0.5
    chart.barLabels.fillColor = INK


def _axis_number(value: float) -> str:
    return number(value, decimals=1)


def column_chart(title: str, categories: Sequence[str], values: Sequence[float], bar_labels: Sequence[str], *,
                 x_title: str, y_title: str, width: float, height: float = CHART_HEIGHT,
                 note: str = "", colour=POST_COLOUR) -> Drawing:
    """A titled vertical bar chart with axis titles (units in them) and a value over each bar."""
    drawing = Drawing(width, height)
    topmost, step = _nice_top(max(values, default=0))
    ticks = [_axis_number(step * i) for i in range(int(round(topmost / step)) + 1)]
    # Room on the left for the rotated axis title and the widest tick label, so the two never touch.
    left = 16 + max(stringWidth(t, register_fonts(), CHART_LABEL_SIZE) for t in ticks) + 8
    bottom, top = 34 + (11 if note else 0), 24
    chart = VerticalBarChart()
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - 8, height - bottom - top
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = list(categories)
    chart.bars[0].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.barWidth = 10
    chart.groupSpacing = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, topmost, step
    _style_axis_labels(chart, value_format=_axis_number)
    if len(values) <= MAX_LABELLED_BARS:
        chart.barLabelFormat = "values"  # print barLabelArray: the figures formatted as in the tables
        chart.barLabelArray = [list(bar_labels)]
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.nudge = 3
    drawing.add(chart)
    drawing.add(_string(width / 2, height - 12, title, size=CHART_TITLE_SIZE, bold=True, colour=ACCENT))
    drawing.add(_string(left + chart.width / 2, bottom - 24, x_title, colour=MUTED))
    y_axis_title = Group(_string(0, 0, y_title, colour=MUTED))
    y_axis_title.translate(8, bottom + chart.height / 2)
    y_axis_title.rotate(90)
    drawing.add(y_axis_title)
    if note:
        drawing.add(_string(left, 4, note, anchor="start", colour=MUTED))
    return drawing


def bar_chart(title: str, categories: Sequence[str], values: Sequence[float], bar_labels: Sequence[str],
              bar_colours: Sequence, *, value_title: str, width: float, height: float) -> Drawing:
    """A titled horizontal bar chart of percentages (0–100), first category on top."""
    drawing = Drawing(width, height)
    left = max(stringWidth(c, register_fonts(), CHART_LABEL_SIZE) for c in categories) + 12
    bottom, top = 32, 24
    chart = HorizontalBarChart()
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - 40, height - bottom - top
    # The chart draws its first category at the bottom: reverse so the list reads top-down.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(categories))
    chart.barLabelFormat = "values"
    chart.barLabelArray = [list(reversed(bar_labels))]
    for index, colour in enumerate(reversed(bar_colours)):
        chart.bars[(0, index)].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    _style_axis_labels(chart, value_format=_axis_number)
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.nudge = 3
    drawing.add(chart)
    drawing.add(_string(width / 2, height - 12, title, size=CHART_TITLE_SIZE, bold=True, colour=ACCENT))
    drawing.add(_string(left + chart.width / 2, bottom - 24, value_title, colour=MUTED))
    return drawing


def _charts(view: ProgrammeReportView) -> list[Flowable]:
    """The distribution, hires and effect by year side by side, then the survey."""
    lang, overall = view.lang, view.overall
    half = (CONTENT_WIDTH - HALF_CHART_GAP) / 2
    distribution = column_chart(
        _word("chart_distribution", lang), [name for name, _ in view.improvement_bins],
        [n for _, n in view.improvement_bins], [count(n) for _, n in view.improvement_bins],
        x_title=_word("axis_improvement", lang), y_title=_word("axis_engagements", lang), width=CONTENT_WIDTH,
        note=_word("left_out", lang).format(n=count(view.engagements_without_improvement)))
    years = [str(year) for year, _ in view.by_year]
    hires = column_chart(
        _word("chart_hires", lang), years, [r.new_hires_total for _, r in view.by_year],
        [count(r.new_hires_total) for _, r in view.by_year], x_title=_word("axis_year", lang),
        y_title=_word("axis_hires", lang), width=half, colour=TARGET_COLOUR)
    effect = column_chart(
        _word("chart_effect", lang), years, [r.financial_effect_total_krw / MILLION for _, r in view.by_year],
        [_millions(r.financial_effect_total_krw, lang) for _, r in view.by_year], x_title=_word("axis_year", lang),
        y_title=_word("axis_effect", lang), width=half, colour=ACCENT)
    pair = Table([[hires, effect]], colWidths=[half + HALF_CHART_GAP / 2] * 2)
    pair.setStyle(TableStyle([_cell_font(), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    survey = overall.survey
    questions = [("survey.satisfied_pct", survey["satisfied_pct"]), ("survey.continue_pct", survey["continue_pct"]),
                 ("survey.recommend_pct", survey["recommend_pct"])]
    capabilities = [(label(Capability(code), lang), value) for code, value in survey["improved_pct"].items()]
    names = [_label(key, lang) for key, _ in questions] + [name for name, _ in capabilities]
    shares = [value for _, value in questions] + [value for _, value in capabilities]
    responses = _counted("survey.responses", survey["responses"], lang)
    survey_chart = bar_chart(
        f"{_word('chart_survey', lang)} ({_label('survey.responses', lang)} {responses})", names,
        [value or 0.0 for value in shares], [pct(value, lang) for value in shares],  # an undefined share: no bar
        [POST_COLOUR] * len(questions) + [BASELINE_COLOUR] * len(capabilities),
        value_title=_word("axis_share", lang), width=CONTENT_WIDTH, height=40 + 17 * len(names))
    return [distribution, Spacer(1, 4 * mm), pair, Spacer(1, 4 * mm), survey_chart]


# -- the document ---------------------------------------------------------------------------------------------

def _title(view: ProgrammeReportView) -> str:
    return f"{_text('title', view.lang)} ({filter_text(view.report_filter, view.lang)})"


def _sponsor_name(name: str, lang: str) -> str:
    return name or _word("no_sponsor", lang)


def _method_section(sheet: Styles, view: ProgrammeReportView) -> list[Flowable]:
    """Every method note of the figures, then what the charts leave out and how they bin."""
    lang = view.lang
    story: list[Flowable] = [Paragraph(escape(_text("method", lang)), sheet.heading)]
    notes = [(_label(key, lang) if key in LABELS else key, note) for key, note in view.overall.method.items()]
    notes.append((_word("chart_note", lang),
                  _word("left_out", lang).format(n=count(view.engagements_without_improvement))))
    notes.append((_word("bins", lang), _word("bins_note", lang)))
    # The bullet has a font of its own, Helvetica unless told.
    note_style = ParagraphStyle("method_note", parent=sheet.body, fontSize=8.5, leading=12, leftIndent=8,
                                bulletIndent=0, spaceAfter=3, bulletFontName=register_fonts())
    for name, note in notes:
        story.append(Paragraph(f"<b>{escape(name)}</b>: {escape(note)}", note_style, bulletText="•"))
    return story


def _heading_and_table(sheet: Styles, heading: str, table: Table) -> list[Flowable]:
    """A heading that moves to the next page with its table unless the table's header and first row fit under it.

    KeepTogether would push a table longer than a page to a new page whole; this only asks for its first rows.
    """
    table.wrap(CONTENT_WIDTH, FRAME_HEIGHT)
    first_rows = sum(table._rowHeights[:2])  # noqa: SLF001 - reportlab computes row heights only in wrap
    style = sheet.heading
    room = style.spaceBefore + style.leading + style.spaceAfter + first_rows + 2 * mm
    return [CondPageBreak(room), Paragraph(escape(heading), style), table]


def _story(view: ProgrammeReportView) -> list[Flowable]:
    """Title, headline figures, tables by year and sponsor, survey, charts, method."""
    sheet = styles()
    cells = _Cells(sheet)
    lang, overall = view.lang, view.overall
    subtitle = f"{filter_text(view.report_filter, lang)} · {_word('generated', lang)} {day(view.generated_on)}"
    story: list[Flowable] = [
        Paragraph(escape(_text("title", lang)), sheet.title),
        Paragraph(escape(subtitle), sheet.subtitle),
        Spacer(1, 5 * mm),
        Paragraph(escape(_word("headline", lang)), sheet.heading),
    ]
    values = headline_values(overall, lang)
    story.append(_notes_table(cells, [(_label(k, lang), values[k], overall.method[k]) for k in HEADLINE_KEYS], lang))

    years = [(year_label(year, lang), report) for year, report in view.by_year]
    story += _heading_and_table(sheet, _word("by_year", lang),
                                _breakdown_table(cells, _text("year", lang), YEAR_COLUMN, years, overall, lang))
    story += [Spacer(1, 2 * mm), Paragraph(escape(_word("breakdown_note", lang)), sheet.small)]
    sponsors = [(_sponsor_name(name, lang), report) for name, report in view.by_sponsor]
    sponsor_table = _breakdown_table(cells, _text("sponsor", lang), SPONSOR_COLUMN, sponsors, overall, lang)
    story += _heading_and_table(sheet, _word("by_sponsor", lang), sponsor_table)

    survey = survey_values(overall, lang)
    story += [KeepTogether([
        Paragraph(escape(_text("survey", lang)), sheet.heading),
        _notes_table(cells, [(_label(k, lang), survey[k], overall.method[k]) for k in SURVEY_KEYS], lang),
        Spacer(1, 3 * mm),
        Paragraph(escape(_label("survey.improved_pct", lang)), sheet.body),
        Spacer(1, 1.5 * mm),
        _capability_table(cells, overall, lang),
        Spacer(1, 1.5 * mm),
        Paragraph(escape(overall.method["survey.improved_pct"]), sheet.small),
    ])]
    first, *others = _charts(view)
    story += [KeepTogether([Paragraph(escape(_word("charts", lang)), sheet.heading), first]), *others]
    story += _method_section(sheet, view)
    return story


def render_programme_report(view: ProgrammeReportView) -> bytes:
    """The programme results report as PDF bytes, in ``view.lang`` (Korean unless "en")."""
    register_fonts()
    lang = view.lang
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=_title(view), author=_pick(AUTHOR, lang),
        subject=f"{_word('subject', lang)} · {filter_text(view.report_filter, lang)} · {day(view.generated_on)}",
        creator=CREATOR, keywords=_text("title", lang), lang="en" if lang == "en" else "ko",
    )
    # The footer is one unwrapped line: no filter in it, since a sponsor's name may be long.
    footer = f"{_text('title', lang)} · {day(view.generated_on)}"
    doc.build(_story(view), canvasmaker=canvas_class(footer=footer))
    return buffer.getvalue()
