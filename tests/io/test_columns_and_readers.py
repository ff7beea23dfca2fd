"""Header matching (English, Korean, spaces, case, units) and reading CSV folders and workbooks."""

from __future__ import annotations

from datetime import datetime

import pytest

from consultant_app.io import SHEETS, SourceUnreadable
from consultant_app.io.columns import COMPANIES, ENGAGEMENTS, KPIS, SPECS, SURVEYS, match_headers, sheet_for
from consultant_app.io.readers import read_source


def test_the_four_sheets():
    assert SHEETS == ("companies", "engagements", "kpis", "surveys")
    assert tuple(SPECS) == SHEETS


@pytest.mark.parametrize("spec, header, column", [
    (COMPANIES, "사업자등록번호", "business_no"),
    (COMPANIES, "Business No", "business_no"),
    (COMPANIES, "BUSINESS_NO", "business_no"),
    (COMPANIES, "회사명", "name"),
    (COMPANIES, "기업명", "name"),
    (COMPANIES, "제조업 여부", "manufacturing"),
    (COMPANIES, "종업원수 (명)", "employees"),
    (COMPANIES, "협력사 차수", "supplier_tier"),
    (COMPANIES, "후원기업", "sponsor"),
    (COMPANIES, "성장 단계", "growth_stage"),
    (ENGAGEMENTS, "차수", "year"),
    (ENGAGEMENTS, "차년도", "year"),
    (ENGAGEMENTS, "단계", "phase"),
    (ENGAGEMENTS, "지원금액(원)", "support_krw"),
    (ENGAGEMENTS, "재무적 효과", "financial_effect_krw"),
    (ENGAGEMENTS, "스마트공장 구축", "smart_factory_built"),
    (ENGAGEMENTS, "스마트공장수준", "smart_factory_level"),
    (KPIS, "KPI", "kpi"),
    (KPIS, "지표", "kpi"),
    (KPIS, "개선 후 값", "post"),
    (KPIS, "개선값", "post"),
    (KPIS, "측정일", "post_date"),
    (KPIS, "개선 측정일", "post_date"),
    (SURVEYS, "계속참여(의향)", "continue"),
    (SURVEYS, "계속 참여 의향", "continue"),
    (SURVEYS, "추천의향", "recommend"),
    (SURVEYS, "향상역량", "improved"),
    (SURVEYS, "향상된 역량", "improved"),
])
def test_headers_in_korean_or_english_any_case_and_spacing(spec, header, column):
    match = match_headers(spec, ["business_no", header] if column != "business_no" else [header])
    assert column in match.index
    assert match.written[column] == header


def test_unknown_headers_are_ignored_and_missing_required_ones_named():
    match = match_headers(KPIS, ["business_no", "메모", "kpi"])
    assert match.missing == ("year",)
    assert set(match.index) == {"business_no", "kpi"}


def test_sheet_names():
    assert sheet_for("Companies").name == "companies"
    assert sheet_for("KPIs").name == "kpis"
    assert sheet_for("만족도조사").name == "surveys"
    assert sheet_for("notes") is None


def test_cp949_csv_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    text = "사업자등록번호,기업명\r\n\r\n1234567891,한빛정밀\r\n,\r\n2208112341,대성금속\r\n"
    (folder / "companies.csv").write_bytes(text.encode("cp949"))
    (sheet,) = read_source(folder, lambda: False)
    assert sheet.label == "companies.csv"
    assert sheet.headers == ["사업자등록번호", "기업명"]
    assert [(n, list(cells)) for n, cells in sheet.rows] == [(3, ["1234567891", "한빛정밀"]),
                                                              (5, ["2208112341", "대성금속"])]


def test_title_lines_above_the_header_are_skipped(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    text = "2018년 참여기업 현황,\n작성: 중앙추진본부,\n\n사업자등록번호,기업명\n1234567891,한빛정밀\n"
    (folder / "companies.csv").write_text(text, encoding="utf-8")
    (sheet,) = read_source(folder, lambda: False)
    assert (sheet.header_row, sheet.headers) == (4, ["사업자등록번호", "기업명"])
    assert sheet.rows == [(5, ["1234567891", "한빛정밀"])]


def test_without_a_recognisable_header_the_first_row_is_the_header(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "companies.csv").write_text("번호,이름\n1234567891,한빛정밀\n", encoding="utf-8")
    (sheet,) = read_source(folder, lambda: False)
    assert (sheet.header_row, len(sheet.rows)) == (1, 1)


def test_utf8_with_and_without_bom(tmp_path):
    for name, encoding in (("a", "utf-8"), ("b", "utf-8-sig")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "kpis.csv").write_text("business_no,year,kpi\n1234567891,1,공정불량률\n", encoding=encoding)
        (sheet,) = read_source(folder, lambda: False)
        assert sheet.headers[0] == "business_no"
        assert sheet.rows[0][1][2] == "공정불량률"


def test_workbook_sheets_by_name_with_typed_cells(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "notes"
    sheet = workbook.create_sheet("KPIs")
    sheet.append(["business_no", "year", "kpi", "baseline_date"])
    sheet.append([1234567891, 1, "oee", datetime(2018, 6, 26)])
    workbook.save(tmp_path / "book.xlsx")
    (read,) = read_source(tmp_path / "book.xlsx", lambda: False)
    assert (read.spec.name, read.label, read.header_row) == ("kpis", "KPIs", 1)
    assert read.rows == [(2, (1234567891, 1, "oee", datetime(2018, 6, 26)))]


def test_paths_that_are_not_sheets_are_refused(tmp_path):
    with pytest.raises(SourceUnreadable):
        read_source(tmp_path / "missing", lambda: False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceUnreadable):
        read_source(tmp_path / "empty", lambda: False)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(SourceUnreadable) as caught:
        read_source(tmp_path / "broken.xlsx", lambda: False)
    assert "broken.xlsx" in caught.value.message("en")
