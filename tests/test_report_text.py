"""Terminal tables: Hangul takes two columns, numbers are formatted the way the office reads them."""

from __future__ import annotations

from consultant_app.domain.aggregates import ReportFilter
from consultant_app.report_text import (
    display_width,
    filter_text,
    krw,
    pad,
    pct,
    render_table,
    wrap,
)


def test_hangul_and_full_width_take_two_columns():
    assert display_width("abc") == 3
    assert display_width("참여 건수") == 9
    assert display_width("１２") == 4  # full-width digits
    assert display_width("e\u0301") == 1  # a combining accent takes none
    assert pad("원", 4, ">") == "  원"
    assert pad("기업", 6) == "기업  "


def test_table_columns_line_up_with_mixed_scripts():
    lines = render_table(["항목", "값"], [("참여 건수", "48건"), ("KPI mean", "36.8%"), ("재무적 효과", "1,234,000원")], "<>")
    assert len({display_width(line) for line in lines}) == 1
    value_starts = [display_width(line) - display_width(line.split("  ")[-1].strip()) for line in lines[2:]]
    assert value_starts == sorted(value_starts, reverse=True)  # shorter values start further right


def test_numbers_money_and_percentages():
    assert krw(1_234_000, "ko") == "1,234,000원"
    assert krw(116_851_063.8, "en") == "KRW 116,851,064"
    assert pct(36.849, "ko") == "36.8%"
    assert pct(None, "ko") == "계산 불가" and pct(None, "en") == "undefined"


def test_filter_words():
    assert filter_text(ReportFilter(), "ko") == "전체 참여"
    assert filter_text(ReportFilter(year=1, sponsor="한빛전자", phase=2), "ko") == "1차년도 · 후원기업 한빛전자 · 2단계"
    assert filter_text(ReportFilter(year=3), "en") == "year 3"


def test_wrap_by_display_width_keeps_every_word():
    note = "참여 건마다 계산 가능한 지표의 개선율을 단순 평균하고 그 값을 다시 단순 평균했습니다 " * 3
    lines = wrap(note, 40, first="- ", rest="  ")
    assert all(display_width(line) <= 40 for line in lines)
    assert lines[0].startswith("- ") and all(line.startswith("  ") for line in lines[1:])
    assert " ".join(line[2:] for line in lines).split() == note.split()
