"""Export writes what import reads: export → import → export gives the same files, and changes nothing."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from consultant_app.io import SHEETS, export_path, import_path
from consultant_app.store import Store
from tests.benchmarks.programme import generate
from tests.io.sample import A, counts, sample, write_csvs


@pytest.fixture
def filled(store, tmp_path):
    """The sample plus a generated programme: Korean text, empty cells, floats, every column in use."""
    import_path(store, write_csvs(tmp_path / "sample", sample()))
    generate(tmp_path / "programme", 60, seed=3)
    import_path(store, tmp_path / "programme")
    return store


def _csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_export_writes_the_four_files_in_english_with_a_bom(filled, tmp_path):
    rows = export_path(filled, tmp_path / "out")
    assert rows == {"companies": 38, "engagements": 63, "kpis": 244, "surveys": 62}
    for name in SHEETS:
        assert (tmp_path / "out" / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    companies = _csv(tmp_path / "out" / "companies.csv")
    assert companies[0] == ["business_no", "name", "representative", "region", "industry", "manufacturing",
                            "employees", "supplier_tier", "sponsor", "growth_stage"]
    assert [A, "(주)한빛정밀", "김철수", "경기", "자동차부품", "true", "45", "2", "한빛자동차", "basic"] in companies
    engagements = _csv(tmp_path / "out" / "engagements.csv")
    assert [A, "2", "2", "smart_factory", "35000000", "2019-01-10", "2019-10-30", "", "", "", "", ""] in engagements
    kpis = _csv(tmp_path / "out" / "kpis.csv")
    assert [A, "1", "defect_rate", "2.93", "2018-01-15", "1.5", "1.71", "2018-10-20"] in kpis
    surveys = _csv(tmp_path / "out" / "surveys.csv")
    assert [A, "1", "5", "true", "true", "productivity;quality"] in surveys


def test_csv_round_trip_is_byte_identical(filled, tmp_path):
    export_path(filled, tmp_path / "first")
    with Store.open(tmp_path / "empty-store", actor="tester") as fresh:
        result = import_path(fresh, tmp_path / "first")
        assert result.problems == []
        export_path(fresh, tmp_path / "second")
    for name in SHEETS:
        assert (tmp_path / "first" / f"{name}.csv").read_bytes() == (tmp_path / "second" / f"{name}.csv").read_bytes()


def test_xlsx_round_trip_has_equal_content(filled, tmp_path):
    export_path(filled, tmp_path / "first.xlsx")
    with Store.open(tmp_path / "empty-store", actor="tester") as fresh:
        assert import_path(fresh, tmp_path / "first.xlsx").problems == []
        export_path(fresh, tmp_path / "second.xlsx")
    first = load_workbook(tmp_path / "first.xlsx", read_only=True)
    second = load_workbook(tmp_path / "second.xlsx", read_only=True)
    assert first.sheetnames == second.sheetnames == list(SHEETS)
    for name in SHEETS:
        assert list(first[name].values) == list(second[name].values)
    first.close()
    second.close()


def test_xlsx_and_csv_exports_hold_the_same_rows(filled, tmp_path):
    export_path(filled, tmp_path / "out.xlsx")
    export_path(filled, tmp_path / "out")
    workbook = load_workbook(tmp_path / "out.xlsx", read_only=True)
    kpis = list(workbook["kpis"].values)
    workbook.close()
    assert len(kpis) == len(_csv(tmp_path / "out" / "kpis.csv"))
    assert kpis[0] == ("business_no", "year", "kpi", "baseline", "baseline_date", "target", "post", "post_date")
    assert isinstance(kpis[1][0], str) and len(kpis[1][0]) == 10  # business numbers stay text


@pytest.mark.parametrize("target", ["out", "out.xlsx"])
def test_export_then_import_into_the_same_store_changes_nothing(filled, tmp_path, target):
    export_path(filled, tmp_path / target)
    before = counts(filled)
    result = import_path(filled, tmp_path / target)
    assert sum(result.created.values()) == sum(result.updated.values()) == 0
    assert result.unchanged > 0 and not result.written
    assert counts(filled) == before


def test_an_empty_store_exports_headers_only(store, tmp_path):
    assert export_path(store, tmp_path / "out") == dict.fromkeys(SHEETS, 0)
    assert _csv(tmp_path / "out" / "surveys.csv") == [["business_no", "year", "satisfaction", "continue",
                                                       "recommend", "improved"]]


def test_tombstoned_rows_are_not_exported(filled, tmp_path):
    import sqlite3

    with sqlite3.connect(filled.path) as connection:
        connection.execute("UPDATE kpi_measurements SET deleted = 1 WHERE kpi_code = 'defect_rate' "
                           "AND engagement_id IN (SELECT e.id FROM engagements e JOIN companies c "
                           "ON c.id = e.company_id WHERE c.business_no = ?)", (A,))
    export_path(filled, tmp_path / "out")
    kpis = _csv(tmp_path / "out" / "kpis.csv")
    assert not any(row[0] == A and row[2] == "defect_rate" for row in kpis)
