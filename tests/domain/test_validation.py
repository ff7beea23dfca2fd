"""Validation: typed issues for every rule, errors that block and warnings that only ask."""

from __future__ import annotations

import math
from datetime import date

import pytest

from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.messages import RULE_MESSAGES
from consultant_app.domain.validation import (
    WARNINGS,
    Issue,
    Rule,
    Severity,
    ValidationFailed,
    business_no_check_digit,
    check_business_no,
    check_kpi_value,
    format_business_no,
    normalize_business_no,
    raise_on_errors,
    validate_company,
    validate_engagement,
    validate_measurement,
    validate_outcome,
    validate_survey,
)

CATALOGUE = default_catalogue()
DEFECT = CATALOGUE["defect_rate"]            # %, lower is better
ON_TIME = CATALOGUE["on_time_delivery"]      # %, higher is better
LEAD_TIME = CATALOGUE["lead_time"]           # days, must be > 0
INCIDENTS = CATALOGUE["safety_incidents"]    # count, ≥ 0


def _rules(issues: list[Issue]) -> list[Rule]:
    return [i.rule for i in issues]


def _valid_number(first_nine: str) -> str:
    return first_nine + str(business_no_check_digit(first_nine))


def _company(**overrides):
    values = dict(business_no="124-81-00998", name="대명정밀", employees=45, supplier_tier=2, growth_stage="basic")
    values.update(overrides)
    return validate_company(**values)


def _engagement(**overrides):
    values = dict(year=1, phase=1, field_code="productivity", support_krw=30_000_000,
                  start_date=date(2018, 3, 1), end_date=date(2018, 11, 30))
    values.update(overrides)
    return validate_engagement(**values)


def _outcome(**overrides):
    values = dict(financial_effect_krw=77_000_000, new_hires=2, smart_factory_built=True, smart_factory_level=2)
    values.update(overrides)
    return validate_outcome(**values)


def _measurement(definition=DEFECT, **overrides):
    values = dict(baseline=2.93, baseline_date=date(2018, 3, 5), target=1.5, post=1.71, post_date=date(2018, 11, 20))
    values.update(overrides)
    return validate_measurement(definition, **values)


# --- business registration number -----------------------------------------------------------------------------

def test_check_digit_of_the_public_example_124_81_00998_is_8():
    # 1·1 + 2·3 + 4·7 + 8·1 + 1·3 + 0·7 + 0·1 + 9·3 + 9·5 = 118; + ⌊9·5 ÷ 10⌋ = 122; (10 − 2) mod 10 = 8
    assert business_no_check_digit("124810099") == 8


@pytest.mark.parametrize("number", ["124-81-00998", "1248100998", " 124 81 00998 ", _valid_number("220811234"),
                                    _valid_number("101860000"), _valid_number("000000000")])
def test_valid_business_numbers_pass_with_or_without_dashes(number):
    assert check_business_no(number) == []


def test_computed_check_digits_cover_every_digit_value():
    # the check digit is (10 − s mod 10) mod 10, so it must take all ten values over enough numbers
    digits = {business_no_check_digit(f"{n:09d}") for n in range(0, 200_000, 997)}
    assert digits == set(range(10))


def test_wrong_check_digit_is_a_checksum_error():
    assert _rules(check_business_no("124-81-00997")) == [Rule.BUSINESS_NO_CHECKSUM]
    number = _valid_number("220811234")
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    issues = check_business_no(wrong)
    assert _rules(issues) == [Rule.BUSINESS_NO_CHECKSUM]
    assert issues[0].params == {"value": wrong} and issues[0].field == "business_no"


@pytest.mark.parametrize("number", ["124810099", "12481009981", "124-81-0099", "12A8100998", "124/81/00998",
                                    "\u0661\u0662\u0664\u0668\u0661\u0660\u0660\u0669\u0669\u0668"])
def test_business_number_that_is_not_ten_ascii_digits_is_a_format_error(number):
    assert _rules(check_business_no(number)) == [Rule.BUSINESS_NO_FORMAT]


def test_full_width_digits_typed_in_korean_input_mode_are_read_as_digits():
    assert normalize_business_no("１２４－８１－００９９８") == "1248100998"
    assert check_business_no("１２４－８１－００９９８") == []
    assert _rules(check_business_no("１２４－８１－００９９７")) == [Rule.BUSINESS_NO_CHECKSUM]


def test_empty_business_number_is_required():
    assert _rules(check_business_no("")) == [Rule.REQUIRED]
    assert _rules(check_business_no("  - ")) == [Rule.REQUIRED]


def test_business_number_is_normalized_and_formatted():
    assert normalize_business_no(" 124-81-00998 ") == "1248100998"
    assert format_business_no("1248100998") == "124-81-00998"
    assert format_business_no("12345") == "12345"


# --- KPI values -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [-0.1, 100.01, 250.0])
def test_percent_kpi_outside_0_to_100_is_a_percent_range_error(value):
    assert _rules(check_kpi_value(DEFECT, value, "baseline")) == [Rule.PERCENT_RANGE]


@pytest.mark.parametrize("value", [0.0, 0.5, 100.0])
def test_percent_kpi_within_0_to_100_passes(value):
    assert check_kpi_value(DEFECT, value, "post") == []


def test_count_kpi_may_be_zero_but_not_negative():
    assert check_kpi_value(INCIDENTS, 0, "post") == []
    assert _rules(check_kpi_value(INCIDENTS, -1, "post")) == [Rule.MUST_NOT_BE_NEGATIVE]


@pytest.mark.parametrize("value", [0.0, -3.0])
def test_time_kpi_must_be_positive(value):
    assert LEAD_TIME.minimum_exclusive
    assert _rules(check_kpi_value(LEAD_TIME, value, "baseline")) == [Rule.MUST_BE_POSITIVE]


def test_time_kpi_above_zero_passes():
    assert check_kpi_value(LEAD_TIME, 0.25, "baseline") == []


def test_value_above_a_non_percent_maximum_is_above_maximum():
    from consultant_app.domain.kpi import Category, Direction, KpiDefinition

    score = KpiDefinition("score", "점수", "Score", Category.M, "points", Direction.HIGHER, 0.0, 10.0)
    issues = check_kpi_value(score, 11.0, "post")
    assert _rules(issues) == [Rule.ABOVE_MAXIMUM] and issues[0].params["max"] == 10.0


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_infinite_or_nan_kpi_value_is_not_a_number(value):
    for definition in (DEFECT, LEAD_TIME, INCIDENTS):
        assert _rules(check_kpi_value(definition, value, "post")) == [Rule.NOT_A_NUMBER]


def test_missing_kpi_value_is_not_an_issue():
    assert check_kpi_value(LEAD_TIME, None, "post") == []


def test_post_date_before_baseline_date_is_an_error():
    issues = _measurement(baseline_date=date(2018, 6, 1), post_date=date(2018, 5, 31))
    assert _rules(issues) == [Rule.POST_BEFORE_BASELINE]
    assert issues[0].params == {"earlier": "2018-06-01", "later": "2018-05-31"}


def test_post_date_on_the_baseline_date_is_fine():
    assert _measurement(baseline_date=date(2018, 6, 1), post_date=date(2018, 6, 1)) == []


def test_errors_on_every_value_of_a_measurement_are_all_reported():
    issues = _measurement(baseline=-1.0, target=101.0, post=150.0)
    assert [(i.rule, i.field) for i in issues] == [
        (Rule.PERCENT_RANGE, "baseline"), (Rule.PERCENT_RANGE, "target"), (Rule.PERCENT_RANGE, "post")]


# --- plausibility warnings -------------------------------------------------------------------------------------

def test_improvement_over_90_percent_without_evidence_warns():
    # defect rate 10 → 0.5: (10 − 0.5) ÷ 10 × 100 = 95% > 90%
    issues = _measurement(baseline=10.0, target=1.0, post=0.5)
    assert _rules(issues) == [Rule.IMPLAUSIBLE_IMPROVEMENT]
    assert issues[0].severity is Severity.WARNING and not issues[0].is_error
    assert issues[0].params["improvement"] == pytest.approx(95.0)


def test_improvement_over_90_percent_with_evidence_does_not_warn():
    assert _measurement(baseline=10.0, target=1.0, post=0.5, evidence_count=2) == []


def test_improvement_of_exactly_90_percent_does_not_warn():
    assert _measurement(baseline=10.0, target=1.0, post=1.0) == []


def test_higher_is_better_improvement_over_90_percent_warns():
    # on-time delivery 40 → 90: (90 − 40) ÷ 40 × 100 = 125%
    assert _rules(_measurement(ON_TIME, baseline=40.0, target=95.0, post=90.0)) == [Rule.IMPLAUSIBLE_IMPROVEMENT]


def test_target_worse_than_baseline_warns():
    issues = _measurement(baseline=2.0, target=3.0, post=1.8)
    assert _rules(issues) == [Rule.TARGET_WRONG_WAY]
    assert issues[0].field == "target" and not issues[0].is_error


def test_value_disagreeing_with_its_numerator_and_denominator_warns():
    # 30 defects ÷ 1,000 units × 100 = 3.0%, but 2.93 was typed
    issues = _measurement(baseline_ratio=(30, 1000))
    assert _rules(issues) == [Rule.RATIO_MISMATCH]
    assert issues[0].field == "baseline" and issues[0].params["expected"] == pytest.approx(3.0)


def test_value_agreeing_with_its_numerator_and_denominator_passes():
    assert _measurement(baseline_ratio=(293, 10_000), post_ratio=(171, 10_000)) == []


def test_out_of_range_values_skip_the_plausibility_warnings():
    assert _rules(_measurement(baseline=10.0, post=-1.0)) == [Rule.PERCENT_RANGE]


def test_warnings_do_not_make_raise_on_errors_raise():
    warnings = _measurement(baseline=10.0, target=1.0, post=0.5)
    assert raise_on_errors(warnings) == warnings


def test_errors_make_raise_on_errors_raise_with_only_the_errors_in_errors():
    issues = _measurement(baseline=10.0, target=1.0, post=0.5) + _company(business_no="124-81-00997")
    with pytest.raises(ValidationFailed) as raised:
        raise_on_errors(issues)
    assert raised.value.issues == issues
    assert _rules(raised.value.errors) == [Rule.BUSINESS_NO_CHECKSUM]
    assert "check digit" in str(raised.value) and "evidence" not in str(raised.value)


def test_no_issues_make_raise_on_errors_return_an_empty_list():
    assert raise_on_errors([]) == []


# --- company, engagement, outcome, survey ----------------------------------------------------------------------

def test_a_complete_valid_record_has_no_issues():
    assert _company() == [] and _engagement() == [] and _outcome() == [] and _measurement() == []
    assert validate_survey(satisfaction=5, improved=["productivity", "quality"]) == []


def test_company_needs_a_name_and_a_non_negative_headcount():
    assert _rules(_company(name="  ")) == [Rule.REQUIRED]
    assert _rules(_company(employees=-1)) == [Rule.MUST_NOT_BE_NEGATIVE]


@pytest.mark.parametrize(("tier", "ok"), [(1, True), (2, True), (3, True), (4, False), (0, False), (None, True)])
def test_supplier_tier_is_1_2_or_3(tier, ok):
    assert (_company(supplier_tier=tier) == []) is ok


def test_unknown_growth_stage_is_an_unknown_code():
    issues = _company(growth_stage="expert")
    assert _rules(issues) == [Rule.UNKNOWN_CODE] and issues[0].field == "growth_stage"


def test_engagement_needs_a_year():
    assert _rules(_engagement(year=None)) == [Rule.REQUIRED]
    assert _rules(_engagement(year=0)) == [Rule.OUT_OF_CHOICES]


def test_engagement_phase_is_1_or_2():
    assert _rules(_engagement(phase=3)) == [Rule.OUT_OF_CHOICES]


def test_unknown_support_field_is_an_unknown_code():
    assert _rules(_engagement(field_code="marketing")) == [Rule.UNKNOWN_CODE]


def test_support_amount_may_be_zero_but_not_negative():
    assert _engagement(support_krw=0) == []
    assert _rules(_engagement(support_krw=-1)) == [Rule.MUST_NOT_BE_NEGATIVE]


def test_engagement_ending_before_it_starts_is_an_error():
    issues = _engagement(start_date=date(2018, 3, 1), end_date=date(2018, 2, 28))
    assert _rules(issues) == [Rule.END_BEFORE_START] and issues[0].field == "end_date"


def test_smart_factory_level_without_one_built_is_an_error():
    assert _rules(_outcome(smart_factory_built=False, smart_factory_level=2)) == [Rule.LEVEL_WITHOUT_SMART_FACTORY]
    assert _rules(_outcome(smart_factory_built=None, smart_factory_level=1)) == [Rule.LEVEL_WITHOUT_SMART_FACTORY]
    assert _outcome(smart_factory_built=False, smart_factory_level=None) == []


def test_smart_factory_level_is_1_to_5():
    assert _rules(_outcome(smart_factory_level=6)) == [Rule.OUT_OF_CHOICES]
    assert _outcome(smart_factory_level=5) == []


def test_negative_financial_effect_or_hires_are_errors():
    assert _rules(_outcome(financial_effect_krw=-1)) == [Rule.MUST_NOT_BE_NEGATIVE]
    assert _rules(_outcome(new_hires=-2)) == [Rule.MUST_NOT_BE_NEGATIVE]


@pytest.mark.parametrize(("satisfaction", "ok"), [(1, True), (5, True), (0, False), (6, False), (None, True)])
def test_satisfaction_is_1_to_5(satisfaction, ok):
    assert (validate_survey(satisfaction=satisfaction, improved=[]) == []) is ok


def test_unknown_capability_codes_are_reported_one_by_one():
    issues = validate_survey(satisfaction=4, improved=["quality", "happiness", "luck"])
    assert [(i.rule, i.params["value"]) for i in issues] == [(Rule.UNKNOWN_CODE, "happiness"),
                                                             (Rule.UNKNOWN_CODE, "luck")]


# --- every rule is produced and worded -------------------------------------------------------------------------

# Rules that only the import layer produces (a cell that is not a number, date, yes/no or known KPI, and rules
# over a set of rows): the issue is built as the importer builds it.
_PARSE_RULES = {
    Rule.NOT_A_NUMBER: Issue(Rule.NOT_A_NUMBER, "baseline", {"value": "2,9%"}),
    Rule.NOT_AN_INTEGER: Issue(Rule.NOT_AN_INTEGER, "employees", {"value": "4.5"}),
    Rule.NOT_A_DATE: Issue(Rule.NOT_A_DATE, "start_date", {"value": "18년 3월"}),
    Rule.NOT_A_BOOLEAN: Issue(Rule.NOT_A_BOOLEAN, "smart_factory_built", {"value": "아마"}),
    Rule.UNKNOWN_KPI: Issue(Rule.UNKNOWN_KPI, "kpi", {"value": "행복지수"}),
    Rule.DUPLICATE_ROW: Issue(Rule.DUPLICATE_ROW, "kpi", {"first_row": 3, "key": "defect_rate"}),
    Rule.UNKNOWN_COMPANY: Issue(Rule.UNKNOWN_COMPANY, "business_no", {"value": "1248100998"}),
    Rule.UNKNOWN_ENGAGEMENT: Issue(Rule.UNKNOWN_ENGAGEMENT, "year", {"value": 2, "business_no": "1248100998"}),
    Rule.PARENT_REJECTED: Issue(Rule.PARENT_REJECTED, "business_no", {"parent": "companies.csv", "parent_row": 4}),
    # the text rule, as the importer reports it on a cell
    Rule.CONTROL_CHARACTER: Issue(Rule.CONTROL_CHARACTER, "name", {"char": "U+0000", "position": 3}),
    Rule.TOO_LONG: Issue(Rule.TOO_LONG, "name", {"length": 301, "limit": 300}),
    # a file's structure, and warnings about a file (tests/io/test_hostile_*.py make each from a real file)
    Rule.UNCLOSED_QUOTE: Issue(Rule.UNCLOSED_QUOTE, ""),
    Rule.TEXT_AFTER_QUOTE: Issue(Rule.TEXT_AFTER_QUOTE, ""),
    Rule.CELL_TOO_LARGE: Issue(Rule.CELL_TOO_LARGE, "", {"limit": 131072}),
    Rule.CSV_UNREADABLE: Issue(Rule.CSV_UNREADABLE, "", {"detail": "line contains NUL"}),
    Rule.UNKNOWN_COLUMN: Issue(Rule.UNKNOWN_COLUMN, "", {"value": "reprsentative", "expected_ko": "기업명, 대표자",
                                                          "expected_en": "name, representative",
                                                          "hint_ko": " (혹시 '대표자'?)",
                                                          "hint_en": " (did you mean 'representative'?)"}),
    Rule.DUPLICATE_COLUMN: Issue(Rule.DUPLICATE_COLUMN, "", {"value": "기업명", "first": "name"}),
    Rule.HIDDEN_ROWS: Issue(Rule.HIDDEN_ROWS, "", {"count": 3, "rows": "3, 5–6"}),
    Rule.HIDDEN_SHEET: Issue(Rule.HIDDEN_SHEET, ""),
}


def _issues_from_validators() -> list[Issue]:
    """Inputs chosen so that, together, the domain's validators produce every rule they can."""
    from consultant_app.domain.kpi import Category, Direction, KpiDefinition

    score = KpiDefinition("score", "점수", "Score", Category.M, "points", Direction.HIGHER, 0.0, 10.0)
    return [
        *check_kpi_value(score, 11.0, "post"),
        *check_business_no(""), *check_business_no("12345"), *check_business_no("124-81-00997"),
        *check_kpi_value(DEFECT, 120.0, "post"), *check_kpi_value(LEAD_TIME, 0.0, "baseline"),
        *check_kpi_value(INCIDENTS, -1.0, "post"), *check_kpi_value(INCIDENTS, math.nan, "post"),
        *_measurement(baseline_date=date(2018, 6, 1), post_date=date(2018, 5, 1)),
        *_engagement(start_date=date(2018, 6, 1), end_date=date(2018, 5, 1), phase=3, field_code="x"),
        *_outcome(smart_factory_built=False, smart_factory_level=3),
        *validate_survey(satisfaction=9, improved=["luck"]),
        *_measurement(baseline=10.0, target=11.0, post=0.5, baseline_ratio=(1, 20)),
    ]


def test_every_rule_is_produced_by_some_input():
    produced = {i.rule for i in _issues_from_validators()} | set(_PARSE_RULES)
    assert produced == set(Rule)


def test_rule_messages_cover_every_rule_in_korean_and_english():
    assert set(RULE_MESSAGES) == set(Rule)
    for rule, (ko, en) in RULE_MESSAGES.items():
        assert any("\uac00" <= ch <= "\ud7a3" for ch in ko), rule
        assert en and ko != en, rule


def test_every_produced_issue_formats_in_both_languages_with_its_own_params():
    issues = _issues_from_validators() + list(_PARSE_RULES.values())
    for issue in issues:
        ko, en = issue.message("ko"), issue.message("en")
        assert "{" not in ko and "{" not in en, issue
        assert any("\uac00" <= ch <= "\ud7a3" for ch in ko), issue
        if "value" in issue.params and issue.rule not in WARNINGS:
            assert str(issue.params["value"]) in ko and str(issue.params["value"]) in en, issue


def test_messages_name_the_field_in_the_users_language():
    issue = _outcome(financial_effect_krw=-5)[0]
    assert issue.message("ko") == "재무적 효과은(는) 0 이상이어야 합니다 (입력: -5)."
    assert issue.message("en") == "financial effect must be 0 or more (got -5)."


def test_warnings_are_exactly_the_plausibility_rules_and_the_file_warnings():
    assert WARNINGS == {Rule.IMPLAUSIBLE_IMPROVEMENT, Rule.TARGET_WRONG_WAY, Rule.RATIO_MISMATCH,
                        Rule.UNKNOWN_COLUMN, Rule.DUPLICATE_COLUMN, Rule.HIDDEN_ROWS, Rule.HIDDEN_SHEET}
    assert all(Issue(rule, "post").is_error for rule in set(Rule) - WARNINGS)
