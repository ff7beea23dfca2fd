"""The programme report: figures over a small dataset computed by hand, filters, method notes, the JSON shape."""

from __future__ import annotations

import json

import pytest

from consultant_app.domain.aggregates import ReportFilter, programme_report
from consultant_app.domain.codes import Capability
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.records import EngagementRecord, KpiValues, SurveyAnswers

CATALOGUE = default_catalogue()
A, B, C, D = "1248100998", "2208112342", "1018600001", "3058102013"
HANBIT, SEJIN = "한빛자동차", "세진전자"

RECORDS = [
    # E1: company A, year 1, phase 1. KPIs 50% and 25% → engagement mean 37.5
    EngagementRecord("e1", A, "대명정밀", 1, 1, HANBIT,
                     kpis=(KpiValues("defect_rate", 4.0, 2.0, 2.0),      # (4 − 2) ÷ 4 = 50%
                           KpiValues("oee", 60.0, 80.0, 75.0)),          # (75 − 60) ÷ 60 = 25%
                     financial_effect_krw=100_000_000, new_hires=3, smart_factory_built=True,
                     survey=SurveyAnswers(5, True, True, ("productivity", "quality"))),
    # E2: company B, year 1, phase 1. setup time 25%; safety incidents from 0 → excluded → mean 25
    EngagementRecord("e2", B, "한빛금속", 1, 1, SEJIN,
                     kpis=(KpiValues("setup_time", 40.0, 20.0, 30.0),    # (40 − 30) ÷ 40 = 25%
                           KpiValues("safety_incidents", 0.0, 0.0, 0.0)),  # zero baseline: undefined
                     financial_effect_krw=None, new_hires=0, smart_factory_built=False,
                     survey=SurveyAnswers(3, False, True, ("quality", "quality"))),
    # E3: company A again, year 2, phase 1. on-time delivery 15% → mean 15
    EngagementRecord("e3", A, "대명정밀", 2, 1, HANBIT,
                     kpis=(KpiValues("on_time_delivery", 80.0, 95.0, 92.0),),  # (92 − 80) ÷ 80 = 15%
                     financial_effect_krw=50_000_000, new_hires=2, smart_factory_built=True,
                     survey=SurveyAnswers(4, None, True, ("mindset", "productivity"))),
    # E4: company C, year 2, phase 2. no KPI at all; no survey; hires not recorded
    EngagementRecord("e4", C, "서진테크", 2, 2, SEJIN,
                     financial_effect_krw=30_000_000, new_hires=None, smart_factory_built=True),
    # E5: company D, year 2, phase 2, no sponsor. only a zero-baseline KPI → no computable KPI; effect 0 recorded
    EngagementRecord("e5", D, "우리산업", 2, 2, None,
                     kpis=(KpiValues("safety_incidents", 0.0, 0.0, 1.0),),
                     financial_effect_krw=0, new_hires=5, smart_factory_built=None,
                     survey=SurveyAnswers(None, True, False, ())),
]

FIGURES = ("engagements", "companies", "kpi_improvement_mean_pct", "financial_effect_total_krw",
           "financial_effect_per_company_krw", "new_hires_total", "new_hires_by_year", "smart_factories_built")
SURVEY_FIGURES = ("responses", "satisfied_pct", "continue_pct", "recommend_pct", "improved_pct")


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_whole_programme_figures_match_the_hand_computation():
    report = programme_report(RECORDS, CATALOGUE)
    assert report.engagements == 5
    assert report.companies == 4                                  # A, B, C, D (A twice)
    # engagement means 37.5 (E1), 25 (E2), 15 (E3); E4 has no KPI, E5 none computable: (37.5 + 25 + 15) ÷ 3
    assert report.kpi_improvement_mean_pct == pytest.approx(77.5 / 3)
    # recorded effects: E1 100M + E3 50M + E4 30M + E5 0 = 180M; E2 recorded none and is not a zero
    assert report.financial_effect_total_krw == 180_000_000
    assert report.financial_effect_per_company_krw == pytest.approx(180_000_000 / 4)
    # hires: year 1: E1 3 + E2 0 = 3; year 2: E3 2 + E5 5 = 7 (E4 not recorded)
    assert report.new_hires_total == 10
    assert report.new_hires_by_year == {"1": 3, "2": 7}
    assert report.smart_factories_built == 2                      # A (E1 and E3) and C


def test_survey_percentages_use_their_own_denominators():
    survey = programme_report(RECORDS, CATALOGUE).survey
    assert survey["responses"] == 4                               # E1, E2, E3, E5
    # satisfied: 5 and 4 of the 3 rated responses (E5 gave no rating) → 2 ÷ 3
    assert survey["satisfied_pct"] == pytest.approx(200 / 3)
    # continue: yes from E1 and E5 of the 3 that answered (E3 blank) → 2 ÷ 3
    assert survey["continue_pct"] == pytest.approx(200 / 3)
    # recommend: yes from E1, E2, E3 of the 4 that answered → 3 ÷ 4
    assert survey["recommend_pct"] == pytest.approx(75.0)
    # improved: over all 4 responses; E2 chose quality twice, counted once
    assert survey["improved_pct"] == {
        "productivity": pytest.approx(50.0), "quality": pytest.approx(50.0), "mindset": pytest.approx(25.0),
        "cost": 0.0, "delivery": 0.0, "safety": 0.0}
    assert set(survey["improved_pct"]) == {c.value for c in Capability}


def test_year_filter_keeps_that_programme_year_only():
    report = programme_report(RECORDS, CATALOGUE, ReportFilter(year=1))
    assert (report.engagements, report.companies) == (2, 2)
    assert report.kpi_improvement_mean_pct == pytest.approx(31.25)      # (37.5 + 25) ÷ 2
    assert report.financial_effect_total_krw == 100_000_000
    assert report.financial_effect_per_company_krw == pytest.approx(100_000_000)  # only E1 recorded one
    assert (report.new_hires_total, report.new_hires_by_year) == (3, {"1": 3})
    assert report.smart_factories_built == 1
    assert report.survey["satisfied_pct"] == pytest.approx(50.0)         # 5 of (5, 3)
    assert report.survey["continue_pct"] == pytest.approx(50.0)
    assert report.survey["recommend_pct"] == pytest.approx(100.0)


def test_sponsor_filter_keeps_that_sponsors_companies_only():
    report = programme_report(RECORDS, CATALOGUE, ReportFilter(sponsor=SEJIN))
    assert (report.engagements, report.companies) == (2, 2)             # E2 (B) and E4 (C)
    assert report.kpi_improvement_mean_pct == pytest.approx(25.0)       # E2 only; E4 has no KPI
    assert (report.financial_effect_total_krw, report.financial_effect_per_company_krw) == (30_000_000, 30_000_000)
    assert (report.new_hires_total, report.new_hires_by_year) == (0, {"1": 0})  # a recorded 0 is still a year
    assert report.smart_factories_built == 1
    assert report.survey["responses"] == 1 and report.survey["satisfied_pct"] == 0.0


def test_phase_filter_keeps_that_phase_only():
    report = programme_report(RECORDS, CATALOGUE, ReportFilter(phase=2))
    assert (report.engagements, report.companies) == (2, 2)             # E4 and E5
    assert report.kpi_improvement_mean_pct is None                      # no KPI / no computable KPI
    assert report.financial_effect_total_krw == 30_000_000
    assert report.financial_effect_per_company_krw == pytest.approx(15_000_000)  # (30M + 0) ÷ 2
    assert (report.new_hires_total, report.new_hires_by_year) == (5, {"2": 5})
    assert report.smart_factories_built == 1
    survey = report.survey
    assert (survey["responses"], survey["satisfied_pct"], survey["continue_pct"], survey["recommend_pct"]) == (
        1, None, 100.0, 0.0)


def test_filters_combine():
    report = programme_report(RECORDS, CATALOGUE, ReportFilter(year=2, sponsor=HANBIT, phase=1))
    assert report.engagements == 1 and report.kpi_improvement_mean_pct == pytest.approx(15.0)


def test_filter_matching_nothing_gives_an_empty_report():
    report = programme_report(RECORDS, CATALOGUE, ReportFilter(year=9))
    assert report.engagements == 0 and report.kpi_improvement_mean_pct is None


def test_empty_input_gives_zeros_and_nones_without_an_exception():
    report = programme_report([], CATALOGUE)
    data = report.as_dict()
    assert {k: data[k] for k in FIGURES} == {
        "engagements": 0, "companies": 0, "kpi_improvement_mean_pct": None, "financial_effect_total_krw": 0,
        "financial_effect_per_company_krw": None, "new_hires_total": 0, "new_hires_by_year": {},
        "smart_factories_built": 0}
    assert data["survey"] == {"responses": 0, "satisfied_pct": None, "continue_pct": None, "recommend_pct": None,
                              "improved_pct": {c.value: None for c in Capability}}


def test_as_dict_has_exactly_the_reports_keys_and_is_json():
    data = programme_report(RECORDS, CATALOGUE).as_dict()
    assert list(data) == [*FIGURES, "survey", "method"]
    assert list(data["survey"]) == list(SURVEY_FIGURES)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == json.loads(json.dumps(data))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_method_has_a_note_for_every_figure_and_survey_figure(lang):
    method = programme_report(RECORDS, CATALOGUE, lang=lang).method
    expected = set(FIGURES) | {f"survey.{name}" for name in SURVEY_FIGURES}
    assert set(method) == expected
    for key, note in method.items():
        assert note.strip() and "{" not in note, key
        assert _has_hangul(note) is (lang == "ko"), key


def test_method_notes_say_what_was_counted_and_excluded():
    en = programme_report(RECORDS, CATALOGUE, lang="en").method
    assert "3 engagements" in en["kpi_improvement_mean_pct"]
    assert "1 engagements with no KPI" in en["kpi_improvement_mean_pct"]
    assert "1 with no computable KPI" in en["kpi_improvement_mean_pct"]
    assert "4 engagements" in en["financial_effect_total_krw"] and "not counted as 0" in en["financial_effect_total_krw"]
    assert "3 responses that rated" in en["survey.satisfied_pct"] and "1 without a rating" in en["survey.satisfied_pct"]
    ko = programme_report(RECORDS, CATALOGUE, lang="ko").method
    assert "참여 3건" in ko["kpi_improvement_mean_pct"] and "참여 4건" in ko["financial_effect_total_krw"]


def test_default_language_of_the_method_is_korean():
    assert programme_report(RECORDS, CATALOGUE).method == programme_report(RECORDS, CATALOGUE, lang="ko").method
