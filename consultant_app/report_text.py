"""Plain-text tables for the terminal, aligned for Hangul (East Asian wide characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from consultant_app.domain.aggregates import ReportFilter
from consultant_app.domain.codes import Capability, label
from consultant_app.domain.validation import format_business_no
from consultant_app.store.queries import CompanyRow

NOTE_WIDTH = 78

# Row labels of the programme report; the method notes use the same keys.
LABELS: dict[str, tuple[str, str]] = {
    "engagements": ("참여 건수", "Engagements"),
    "companies": ("참여 기업", "Companies"),
    "kpi_improvement_mean_pct": ("KPI 평균 개선율", "Mean KPI improvement"),
    "financial_effect_total_krw": ("재무적 효과 합계(연간)", "Financial effect, total (per year)"),
    "financial_effect_per_company_krw": ("재무적 효과 평균(건당)", "Financial effect per engagement"),
    "new_hires_total": ("신규 채용 합계", "New hires, total"),
    "new_hires_by_year": ("차수별 신규 채용", "New hires by programme year"),
    "smart_factories_built": ("스마트공장 구축 기업", "Companies that built a smart factory"),
    "survey.responses": ("응답 수", "Responses"),
    "survey.satisfied_pct": ("만족(4점 이상)", "Satisfied (4 or 5)"),
    "survey.continue_pct": ("계속 참여 의향", "Want to continue"),
    "survey.recommend_pct": ("추천 의향", "Would recommend"),
    "survey.improved_pct": ("향상된 역량(복수 선택)", "Capabilities improved (several may be chosen)"),
}
TEXT: dict[str, tuple[str, str]] = {
    "title": ("산업혁신운동 성과 보고", "Industrial Innovation Movement: programme results"),
    "all": ("전체 참여", "all engagements"),
    "item": ("항목", "Item"),
    "value": ("값", "Value"),
    "year": ("차수", "Programme year"),
    "survey": ("만족도 조사", "Satisfaction survey"),
    "capability": ("역량", "Capability"),
    "share": ("비율", "Share"),
    "method": ("산출 방법", "How each figure was computed"),
    "undefined": ("계산 불가", "undefined"),
    "none": ("없음", "none"),
    "business_no": ("사업자등록번호", "Business no."),
    "name": ("기업명", "Company"),
    "sponsor": ("후원기업", "Sponsor"),
    "region": ("지역", "Region"),
    "engagement_count": ("참여 건수", "Engagements"),
    "latest_year": ("최근 차수", "Latest year"),
    "no_companies": ("기업이 없습니다.", "No companies."),
}

# Table names as people read them (check, demo, import and export summaries).
TABLE_NAMES = {
    "sponsors": ("후원기업", "sponsors"), "companies": ("기업", "companies"),
    "engagements": ("참여", "engagements"), "kpi_measurements": ("KPI 측정", "KPI measurements"),
    "kpis": ("KPI 측정", "KPI measurements"), "visits": ("현장 방문", "visits"),
    "attachments": ("첨부 파일", "attachments"), "outcomes": ("성과", "outcomes"),
    "survey_responses": ("만족도 조사", "survey responses"), "surveys": ("만족도 조사", "survey responses"),
}


def table_label(table: str, lang: str) -> str:
    """A table or sheet name as people read it."""
    ko, en = TABLE_NAMES.get(table, (table, table))
    return en if lang == "en" else ko


def text(key: str, lang: str) -> str:
    """A fixed word of the tables in the given language."""
    ko, en = TEXT[key]
    return en if lang == "en" else ko


def _label(key: str, lang: str) -> str:
    ko, en = LABELS[key]
    return en if lang == "en" else ko


# -- widths and tables --------------------------------------------------------

def display_width(value: str) -> int:
    """Terminal columns: wide and full-width characters (Hangul, CJK) take two, combining marks none."""
    width = 0
    for char in value:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(value: str, width: int, align: str = "<") -> str:
    """``value`` padded with spaces to ``width`` columns, left (``<``) or right (``>``) aligned."""
    fill = " " * max(0, width - display_width(value))
    return value + fill if align == "<" else fill + value


def render_table(headers: Sequence[str], rows: Iterable[Sequence[str]], aligns: str, *,
                 indent: str = "") -> list[str]:
    """Lines of a table with a header rule; ``aligns`` holds one ``<`` or ``>`` per column."""
    rows = [list(r) for r in rows]
    widths = [max(display_width(cell) for cell in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        return indent + "  ".join(pad(c, w, a) for c, w, a in zip(cells, widths, aligns)).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def wrap(value: str, width: int, *, first: str = "", rest: str = "") -> list[str]:
    """Word-wrap ``value`` to ``width`` display columns (Korean separates words with spaces)."""
    lines, prefix, current = [], first, ""
    for word in value.split():
        candidate = f"{current} {word}" if current else word
        if current and display_width(prefix + candidate) > width:
            lines.append(prefix + current)
            prefix, current = rest, word
        else:
            current = candidate
    if current:
        lines.append(prefix + current)
    return lines


# -- numbers --------------------------------------------------------------------

def count(value: int) -> str:
    """``12345`` → ``12,345``."""
    return f"{value:,}"


def krw(value: float | None, lang: str) -> str:
    """Money in whole won with thousands separators: ``1,234,000원`` or ``KRW 1,234,000``."""
    if value is None:
        return text("undefined", lang)
    amount = f"{round(value):,}"
    return f"KRW {amount}" if lang == "en" else f"{amount}원"


def pct(value: float | None, lang: str) -> str:
    """A percentage with one decimal, or why there is none."""
    return text("undefined", lang) if value is None else f"{value:.1f}%"


def year_label(year: str | int, lang: str) -> str:
    return f"year {year}" if lang == "en" else f"{year}차년도"


# -- the programme report -----------------------------------------------------

def filter_text(report_filter: ReportFilter, lang: str) -> str:
    """What the report covers, e.g. ``1차년도 · 후원기업 한빛전자 · 2단계``."""
    parts = []
    if report_filter.year is not None:
        parts.append(year_label(report_filter.year, lang))
    if report_filter.sponsor is not None:
        parts.append(f"sponsor {report_filter.sponsor}" if lang == "en" else f"후원기업 {report_filter.sponsor}")
    if report_filter.phase is not None:
        parts.append(f"phase {report_filter.phase}" if lang == "en" else f"{report_filter.phase}단계")
    return " · ".join(parts) if parts else text("all", lang)


def programme_report_text(report: dict[str, Any], report_filter: ReportFilter, lang: str = "ko") -> str:
    """The programme report as aligned tables: main figures, hires by year, survey, then the method notes."""
    unit = {"engagements": "건", "companies": "개", "new_hires_total": "명", "smart_factories_built": "개"}

    def number(key: str) -> str:
        return count(report[key]) + ("" if lang == "en" else unit[key])

    main_rows = [
        ("engagements", number("engagements")),
        ("companies", number("companies")),
        ("kpi_improvement_mean_pct", pct(report["kpi_improvement_mean_pct"], lang)),
        ("financial_effect_total_krw", krw(report["financial_effect_total_krw"], lang)),
        ("financial_effect_per_company_krw", krw(report["financial_effect_per_company_krw"], lang)),
        ("new_hires_total", number("new_hires_total")),
        ("smart_factories_built", number("smart_factories_built")),
    ]
    lines = [f"{text('title', lang)} ({filter_text(report_filter, lang)})", ""]
    lines += render_table([text("item", lang), text("value", lang)],
                          [(_label(k, lang), v) for k, v in main_rows], "<>")

    lines += ["", _label("new_hires_by_year", lang)]
    by_year = report["new_hires_by_year"]
    if by_year:
        lines += render_table([text("year", lang), _label("new_hires_total", lang)],
                              [(year_label(y, lang), count(n)) for y, n in by_year.items()], "<>", indent="  ")
    else:
        lines.append("  " + text("none", lang))

    survey = report["survey"]
    lines += ["", text("survey", lang)]
    lines += render_table([text("item", lang), text("value", lang)], [
        (_label("survey.responses", lang), count(survey["responses"]) + ("" if lang == "en" else "건")),
        (_label("survey.satisfied_pct", lang), pct(survey["satisfied_pct"], lang)),
        (_label("survey.continue_pct", lang), pct(survey["continue_pct"], lang)),
        (_label("survey.recommend_pct", lang), pct(survey["recommend_pct"], lang)),
    ], "<>", indent="  ")
    lines += ["", "  " + _label("survey.improved_pct", lang)]
    lines += render_table([text("capability", lang), text("share", lang)],
                          [(label(Capability(code), lang), pct(value, lang))
                           for code, value in survey["improved_pct"].items()], "<>", indent="    ")

    lines += ["", text("method", lang)]
    for key, note in report["method"].items():
        name = _label(key, lang) if key in LABELS else key
        lines += wrap(f"{name}: {note}", NOTE_WIDTH, first="- ", rest="  ")
    return "\n".join(lines)


# -- company list ---------------------------------------------------------------

def companies_text(rows: Sequence[CompanyRow], lang: str = "ko") -> str:
    """The company list as a table."""
    if not rows:
        return text("no_companies", lang)
    headers = [text(k, lang) for k in ("business_no", "name", "sponsor", "region", "engagement_count",
                                        "latest_year")]
    body = [(format_business_no(r.business_no), r.name, r.sponsor or "", r.region or "", count(r.engagements),
             "" if r.latest_year is None else str(r.latest_year)) for r in rows]
    return "\n".join(render_table(headers, body, "<<<<>>"))
