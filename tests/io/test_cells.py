"""Parsing single cells: dates, booleans, numbers, codes, KPIs, business numbers; and writing them back."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from consultant_app.domain.codes import Capability, GrowthStage, SupportField
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.validation import Rule
from consultant_app.io.cells import (
    CellError,
    code_parser,
    codes_parser,
    format_text,
    integer_parser,
    kpi_parser,
    number_parser,
    parse_bool,
    parse_business_no,
    parse_date,
)
from tests.io.sample import A, dashed, wrong_check_digit


@pytest.mark.parametrize("text", ["2018-06-26", "2018.06.26", "2018/06/26", "2018.6.26", "2018. 6. 26.",
                                  "2018-06-26 00:00:00"])
def test_dates_in_every_accepted_spelling(text):
    assert parse_date(text) == date(2018, 6, 26)


def test_date_cells_from_a_workbook_are_dates():
    assert parse_date(datetime(2018, 6, 26, 0, 0)) == date(2018, 6, 26)
    assert parse_date(date(2018, 6, 26)) == date(2018, 6, 26)


@pytest.mark.parametrize("text", ["2018-13-01", "2018-02-30", "26/06/2018", "yesterday", "2018-06", "2018-06.26"])
def test_bad_dates_are_not_a_date(text):
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert caught.value.rule is Rule.NOT_A_DATE
    assert caught.value.value == text


@pytest.mark.parametrize("text", ["true", "TRUE", "True", "yes", "Y", "y", "1", "예", "O", "o"])
def test_true_in_every_spelling(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["false", "False", "no", "NO", "n", "N", "0", "아니오", "아니요", "X", "x"])
def test_false_in_every_spelling(text):
    assert parse_bool(text) is False


def test_boolean_and_number_cells_are_booleans():
    assert parse_bool(True) is True and parse_bool(0) is False and parse_bool(1.0) is True


@pytest.mark.parametrize("text", ["maybe", "2", "참"])
def test_other_words_are_not_booleans(text):
    with pytest.raises(CellError) as caught:
        parse_bool(text)
    assert caught.value.rule is Rule.NOT_A_BOOLEAN


def test_money_takes_thousands_separators_and_won():
    money = integer_parser((), ())
    won = integer_parser(("원",), ("₩",))
    assert money("1,234,000") == 1_234_000
    assert won("30,000,000원") == 30_000_000
    assert won("30000000 원") == 30_000_000
    assert won("₩1,000") == 1000
    assert money(1234.0) == 1234 and money(1234) == 1234


@pytest.mark.parametrize("text", ["1,5", "12,34", "1,234,56", "1_000", "삼천만원", "12a", "nan", "inf", "--1"])
def test_malformed_numbers_are_not_numbers(text):
    with pytest.raises(CellError) as caught:
        integer_parser((), ())(text)
    assert caught.value.rule is Rule.NOT_A_NUMBER


def test_fractions_in_integer_columns_are_not_integers():
    with pytest.raises(CellError) as caught:
        integer_parser((), ())("12.5")
    assert caught.value.rule is Rule.NOT_AN_INTEGER
    assert integer_parser((), ())("12.0") == 12


def test_decimal_numbers():
    parse = number_parser(())
    assert parse("2.93") == 2.93
    assert parse("1,234.5") == 1234.5
    assert parse("-3") == -3.0 and isinstance(parse("3"), float)
    assert parse(".5") == 0.5 and parse("1e3") == 1000.0
    with pytest.raises(CellError):
        parse(True)


def test_year_and_unit_suffixes():
    year = integer_parser(("차년도", "년차", "차"))
    assert year("2차") == 2 and year("3차년도") == 3 and year("1") == 1
    assert integer_parser(("명",))("1,200명") == 1200


def test_codes_accept_the_english_code_or_the_korean_word():
    assert code_parser(SupportField)("스마트공장") == "smart_factory"
    assert code_parser(SupportField)("Smart_Factory") == "smart_factory"
    assert code_parser(GrowthStage)("기초") == "basic"
    with pytest.raises(CellError) as caught:
        code_parser(SupportField)("우주항공")
    assert (caught.value.rule, caught.value.value) == (Rule.UNKNOWN_CODE, "우주항공")


def test_capability_lists_are_stored_as_codes_in_order_without_repeats():
    parse = codes_parser(Capability)
    assert parse("생산성 혁신; 품질수준 향상") == "productivity;quality"
    assert parse("quality,mindset;quality") == "quality;mindset"
    with pytest.raises(CellError) as caught:
        parse("quality;행복")
    assert (caught.value.rule, caught.value.value) == (Rule.UNKNOWN_CODE, "행복")


def test_kpis_by_code_korean_or_english_name():
    parse = kpi_parser(default_catalogue())
    assert parse("defect_rate") == "defect_rate"
    assert parse("공정불량률") == "defect_rate"
    assert parse("process defect rate") == "defect_rate"
    with pytest.raises(CellError) as caught:
        parse("불량없음")
    assert (caught.value.rule, caught.value.value) == (Rule.UNKNOWN_KPI, "불량없음")


def test_business_numbers_with_dashes_are_stored_as_ten_digits():
    assert parse_business_no(dashed(A)) == A
    assert parse_business_no(int(A)) == A
    with pytest.raises(CellError) as caught:
        parse_business_no(wrong_check_digit(A))
    assert caught.value.rule is Rule.BUSINESS_NO_CHECKSUM
    with pytest.raises(CellError) as caught:
        parse_business_no("12345")
    assert caught.value.rule is Rule.BUSINESS_NO_FORMAT


def test_values_are_written_back_plainly():
    assert format_text(None) == ""
    assert format_text(True) == "true" and format_text(False) == "false"
    assert format_text(date(2018, 6, 26)) == "2018-06-26"
    assert format_text(100.0) == "100" and format_text(2.93) == "2.93" and format_text(1e20) == "1e+20"
    assert format_text(30_000_000) == "30000000"
