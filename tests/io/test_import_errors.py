"""Broken sheets: each problem at the right file, row and column with the right rule; all or nothing by default."""

from __future__ import annotations

import pytest

from consultant_app.domain.validation import Rule
from consultant_app.io import ImportFailed, import_path
from tests.io.sample import A, C, counts, dashed, query, sample, set_cell, write_csvs, wrong_check_digit


def _drop_column(sheets, sheet, column):
    index = sheets[sheet][0].index(column)
    for row in sheets[sheet]:
        del row[index]


def _append(sheets, sheet, row):
    sheets[sheet].append(row)


# (how to break the sample, file, row, column, rule)
BROKEN = {
    "wrong check digit": (lambda s: set_cell(s, "kpis", 3, "business_no", wrong_check_digit(A)),
                          "kpis.csv", 3, "business_no", Rule.BUSINESS_NO_CHECKSUM),
    "text in a number column": (lambda s: set_cell(s, "engagements", 2, "support_krw", "삼천만원"),
                                "engagements.csv", 2, "support_krw", Rule.NOT_A_NUMBER),
    "fraction in an integer column": (lambda s: set_cell(s, "companies", 3, "employees", "12.5"),
                                      "companies.csv", 3, "employees", Rule.NOT_AN_INTEGER),
    "bad date": (lambda s: set_cell(s, "kpis", 2, "baseline_date", "2018-13-45"),
                 "kpis.csv", 2, "baseline_date", Rule.NOT_A_DATE),
    "bad boolean": (lambda s: set_cell(s, "surveys", 3, "continue", "아마도"),
                    "surveys.csv", 3, "continue", Rule.NOT_A_BOOLEAN),
    "unknown code": (lambda s: set_cell(s, "engagements", 4, "field", "우주항공"),
                     "engagements.csv", 4, "field", Rule.UNKNOWN_CODE),
    "% KPI over 100": (lambda s: set_cell(s, "kpis", 3, "post", "120"), "kpis.csv", 3, "post", Rule.PERCENT_RANGE),
    "post date before baseline date": (lambda s: set_cell(s, "kpis", 2, "post_date", "2017-12-31"),
                                       "kpis.csv", 2, "post_date", Rule.POST_BEFORE_BASELINE),
    "end before start": (lambda s: set_cell(s, "engagements", 2, "end_date", "2017-12-31"),
                         "engagements.csv", 2, "end_date", Rule.END_BEFORE_START),
    "level without a smart factory": (lambda s: set_cell(s, "engagements", 4, "smart_factory_level", "2"),
                                      "engagements.csv", 4, "smart_factory_level", Rule.LEVEL_WITHOUT_SMART_FACTORY),
    "satisfaction out of range": (lambda s: set_cell(s, "surveys", 2, "satisfaction", "6"),
                                  "surveys.csv", 2, "satisfaction", Rule.OUT_OF_CHOICES),
    "unknown KPI": (lambda s: set_cell(s, "kpis", 5, "kpi", "불량없음"), "kpis.csv", 5, "kpi", Rule.UNKNOWN_KPI),
    "empty required cell": (lambda s: set_cell(s, "companies", 2, "name", ""),
                            "companies.csv", 2, "name", Rule.REQUIRED),
    "engagement for an unknown company": (
        lambda s: _append(s, "engagements", [C, "1", "1", "", "", "", "", "", "", "", ""]),
        "engagements.csv", 5, "business_no", Rule.UNKNOWN_COMPANY),
    "KPI for an unknown engagement": (
        lambda s: _append(s, "kpis", [A, "3", "oee", "60", "", "", "", ""]),
        "kpis.csv", 6, "year", Rule.UNKNOWN_ENGAGEMENT),
    "duplicate row": (lambda s: _append(s, "kpis", [dashed(A), "1차", "공정불량률", "3", "", "", "", ""]),
                      "kpis.csv", 6, "kpi", Rule.DUPLICATE_ROW),
    "missing required column": (lambda s: _drop_column(s, "companies", "name"),
                                "companies.csv", None, "name", Rule.REQUIRED),
}


@pytest.fixture
def loaded(store, tmp_path):
    """A store that already holds the sample, so an import that wrote anything would show."""
    import_path(store, write_csvs(tmp_path / "first", sample()))
    return store


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_problem_is_placed_and_nothing_is_written(loaded, tmp_path, case):
    breaks, file, row, column, rule = BROKEN[case]
    sheets = sample()
    set_cell(sheets, "companies", 3, "region", "서울")  # a good change that must not be written either
    breaks(sheets)
    before = counts(loaded)
    with pytest.raises(ImportFailed) as caught:
        import_path(loaded, write_csvs(tmp_path / "broken", sheets))
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.issue.rule) == (file, row, column, rule)
    assert problem.issue.is_error
    assert counts(loaded) == before  # data rows and journal (audit, outbox) alike
    assert query(loaded, "SELECT region FROM companies ORDER BY business_no") == [("경기",), ("부산",)]


@pytest.mark.parametrize("case", list(BROKEN))
def test_every_problem_has_a_sentence_in_both_languages(loaded, tmp_path, case):
    breaks = BROKEN[case][0]
    sheets = sample()
    breaks(sheets)
    with pytest.raises(ImportFailed) as caught:
        import_path(loaded, write_csvs(tmp_path / "broken", sheets))
    (problem,) = caught.value.problems
    ko, en = problem.message("ko"), problem.message("en")
    assert ko.startswith(problem.file) and en.startswith(problem.file)
    assert "{" not in ko + en
    assert caught.value.message("ko") and caught.value.message("en")


def test_a_message_names_file_row_and_column_as_written(store, tmp_path):
    sheets = sample()
    sheets["kpis"][0][4] = "기준일"
    set_cell(sheets, "kpis", 5, "기준일", "어제")
    with pytest.raises(ImportFailed) as caught:
        import_path(store, write_csvs(tmp_path / "files", sheets))
    (problem,) = caught.value.problems
    assert problem.column == "기준일"
    assert problem.message("ko") == "kpis.csv 5행 기준일: 기준일은(는) 2018-06-26 또는 2018.06.26 형식의 날짜여야 합니다: '어제'"
    assert problem.message("en").startswith("kpis.csv row 5, 기준일: baseline date must be a date")
    assert counts(store) == dict.fromkeys(counts(store), 0)


def test_all_problems_of_all_files_are_reported_at_once(store, tmp_path):
    sheets = sample()
    set_cell(sheets, "companies", 2, "employees", "많음")
    set_cell(sheets, "kpis", 2, "post", "120")
    set_cell(sheets, "kpis", 3, "baseline", "abc")
    set_cell(sheets, "surveys", 3, "improved", "행복")
    with pytest.raises(ImportFailed) as caught:
        import_path(store, write_csvs(tmp_path / "files", sheets))
    placed = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert placed == {("companies.csv", 2, "employees"), ("kpis.csv", 2, "post"), ("kpis.csv", 3, "baseline"),
                      ("surveys.csv", 3, "improved")}
    assert counts(store)["outbox"] == 0


def test_keep_good_rows_writes_the_good_and_reports_the_bad(store, tmp_path):
    sheets = sample()
    set_cell(sheets, "kpis", 3, "post", "120")  # one bad KPI
    set_cell(sheets, "companies", 3, "employees", "-5")  # company B is bad, so its rows depend on nothing
    result = import_path(store, write_csvs(tmp_path / "files", sheets), keep_good_rows=True)
    assert result.written
    placed = {(p.file, p.row, p.column, p.issue.rule) for p in result.problems}
    assert placed == {
        ("kpis.csv", 3, "post", Rule.PERCENT_RANGE),
        ("companies.csv", 3, "employees", Rule.MUST_NOT_BE_NEGATIVE),
        ("engagements.csv", 4, "business_no", Rule.PARENT_REJECTED),
        ("kpis.csv", 5, "business_no", Rule.PARENT_REJECTED),
        ("surveys.csv", 3, "business_no", Rule.PARENT_REJECTED),
    }
    skipped = next(p for p in result.problems if p.file == "engagements.csv")
    assert "companies.csv row 3" in skipped.message("en") and "companies.csv 3행" in skipped.message("ko")
    assert result.created == {"sponsors": 1, "companies": 1, "engagements": 2, "kpi_measurements": 2,
                              "outcomes": 1, "survey_responses": 1}
    assert query(store, "SELECT kpi_code FROM kpi_measurements ORDER BY kpi_code") == [("defect_rate",), ("lead_time",)]
    rows = counts(store)
    assert rows["outbox"] == rows["audit_log"] == sum(result.created.values())


def test_keep_good_rows_children_of_a_rejected_engagement_are_skipped(store, tmp_path):
    sheets = sample()
    set_cell(sheets, "engagements", 2, "phase", "7")
    result = import_path(store, write_csvs(tmp_path / "files", sheets), keep_good_rows=True)
    placed = {(p.file, p.row, p.column, p.issue.rule) for p in result.problems}
    assert placed == {
        ("engagements.csv", 2, "phase", Rule.OUT_OF_CHOICES),
        ("kpis.csv", 2, "year", Rule.PARENT_REJECTED),
        ("kpis.csv", 3, "year", Rule.PARENT_REJECTED),
        ("surveys.csv", 2, "year", Rule.PARENT_REJECTED),
    }
    assert result.created["engagements"] == 2 and result.created["kpi_measurements"] == 2


def test_keep_good_rows_with_a_stored_parent_keeps_the_children(loaded, tmp_path):
    sheets = sample()
    set_cell(sheets, "companies", 2, "employees", "-1")  # A's row is bad, but A is already in the store
    set_cell(sheets, "kpis", 2, "post", "1.5")
    result = import_path(loaded, write_csvs(tmp_path / "files", sheets), keep_good_rows=True)
    assert [(p.file, p.row) for p in result.problems] == [("companies.csv", 2)]
    assert result.updated["kpi_measurements"] == 1
    assert query(loaded, "SELECT employees FROM companies ORDER BY business_no") == [(45,), (120,)]


def test_keep_good_rows_with_a_sheet_missing_a_column(store, tmp_path):
    sheets = sample()
    _drop_column(sheets, "companies", "name")
    result = import_path(store, write_csvs(tmp_path / "files", sheets), keep_good_rows=True)
    assert ("companies.csv", None, "name") in {(p.file, p.row, p.column) for p in result.problems}
    engagement_rows = {p.row for p in result.problems if p.file == "engagements.csv"}
    assert engagement_rows == {2, 3, 4}
    assert not result.written and counts(store)["outbox"] == 0
