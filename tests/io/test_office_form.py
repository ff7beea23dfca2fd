"""The office's form (Korean headers and words) and the consultant column, both ways; the import reads either form."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from consultant_app import cli
from consultant_app.domain.certificate import Gap, certificate_gaps
from consultant_app.domain.kpi import default_catalogue
from consultant_app.io import SHEETS, Form, export_path, import_path
from consultant_app.io.columns import SPECS, match_headers
from consultant_app.io.export_form import header
from consultant_app.io.exporter import sheet_rows
from consultant_app.services.certificates import certificate_sources
from consultant_app.store import Store
from tests.benchmarks.programme import generate
from tests.io import libreoffice
from tests.io.sample import A, B, counts, dashed, query, sample, write_csvs

OFFICE_HEADERS = {
    "companies": ["사업자등록번호", "기업명", "대표자", "지역", "업종", "제조업 여부", "종업원 수", "협력사 차수", "후원기업",
                  "성장단계"],
    "engagements": ["사업자등록번호", "차수", "단계", "지원분야", "지원금액", "시작일", "종료일", "담당 컨설턴트", "재무적 효과",
                    "신규 채용", "스마트공장 구축", "스마트공장 수준"],
    "kpis": ["사업자등록번호", "차수", "지표", "기준값", "기준일", "목표값", "개선값", "개선 측정일"],
    "surveys": ["사업자등록번호", "차수", "만족도", "계속 참여 의향", "추천 의향", "향상된 역량"],
}


def with_consultants() -> dict[str, list[list[str]]]:
    """The sample with a consultant on two of its three engagements."""
    sheets = sample()
    engagements = sheets["engagements"]
    engagements[0].append("담당 컨설턴트")
    for row, name in zip(engagements[1:], ("박전문", "", "최현장")):
        row.append(name)
    return sheets


@pytest.fixture
def filled(store, tmp_path):
    """The sample with consultants plus a generated programme: every sheet and every column kind in use."""
    import_path(store, write_csvs(tmp_path / "sample", with_consultants()))
    generate(tmp_path / "programme", 40, seed=5)
    import_path(store, tmp_path / "programme")
    return store


def _csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _stored(store: Store) -> dict[str, list[tuple]]:
    with store.engine.connect() as connection:
        return sheet_rows(connection)


# -- headers and cells -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", list(Form))
def test_every_exported_header_is_one_the_importer_matches_to_its_column(form):
    for name, spec in SPECS.items():
        headers = [header(column, form) for column in spec.columns]
        assert match_headers(spec, headers).index == {c.name: i for i, c in enumerate(spec.columns)}
        if form is Form.OFFICE:
            assert headers == OFFICE_HEADERS[name]


def test_the_office_csvs_have_korean_headers_words_yes_no_and_dashed_numbers(filled, tmp_path):
    export_path(filled, tmp_path / "out", form=Form.OFFICE)
    sheets = {name: _csv(tmp_path / "out" / f"{name}.csv") for name in SHEETS}
    for name in SHEETS:
        assert sheets[name][0] == OFFICE_HEADERS[name]
    assert [dashed(A), "(주)한빛정밀", "김철수", "경기", "자동차부품", "예", "45", "2", "한빛자동차", "기초"] \
        in sheets["companies"]
    assert [dashed(B), "1", "1", "기술혁신", "20000000", "2018-02-01", "2018-11-30", "최현장", "12000000", "1",
            "아니오", ""] in sheets["engagements"]
    assert [dashed(A), "1", "공정불량률", "2.93", "2018-01-15", "1.5", "1.71", "2018-10-20"] in sheets["kpis"]
    assert [dashed(A), "1", "5", "예", "예", "생산성 혁신, 품질수준 향상"] in sheets["surveys"]


def test_the_office_workbook_freezes_the_header_sizes_columns_and_keeps_numbers_and_dates(filled, tmp_path):
    export_path(filled, tmp_path / "book.xlsx", form=Form.OFFICE)
    workbook = load_workbook(tmp_path / "book.xlsx")
    assert workbook.sheetnames == list(SHEETS)  # sheet names stay English: one name per sheet, in both forms
    for name in SHEETS:
        worksheet = workbook[name]
        assert worksheet.freeze_panes == "A2"
        assert [c.value for c in worksheet[1]] == OFFICE_HEADERS[name]
        widths = [worksheet.column_dimensions[c.column_letter].width for c in worksheet[1]]
        assert all(8 <= w <= 50 for w in widths)
        assert widths[0] >= len(dashed(A)) + 2  # the business number shows whole
    engagements = workbook["engagements"]
    row = next(r for r in engagements.iter_rows(min_row=2) if r[0].value == dashed(A) and r[1].value == 1)
    cells = {OFFICE_HEADERS["engagements"][i]: cell for i, cell in enumerate(row)}
    assert cells["지원금액"].value == 30_000_000 and cells["지원금액"].number_format == "#,##0"
    assert cells["시작일"].value == datetime(2018, 1, 10) and cells["시작일"].number_format == "yyyy-mm-dd"
    assert cells["단계"].value == 1 and cells["스마트공장 구축"].value == "예"
    assert cells["담당 컨설턴트"].value == "박전문" and cells["지원분야"].value == "생산성"
    assert workbook["kpis"]["D2"].data_type == "n"  # a KPI value is a number cell
    assert max(engagements.column_dimensions[c].width for c in "ABCDEFGHIJKL") > 8
    workbook.close()


def test_libreoffice_shows_the_office_workbook_as_the_office_reads_it(filled, tmp_path):
    export_path(filled, tmp_path / "book.xlsx", form=Form.OFFICE)
    shown = libreoffice.workbook_to_csvs(tmp_path / "book.xlsx", tmp_path / "lo", as_shown=True)
    engagements = _csv(shown["engagements"])
    assert engagements[0] == OFFICE_HEADERS["engagements"]
    assert [dashed(A), "1", "1", "생산성", "30,000,000", "2018-01-10", "2018-10-30", "박전문", "50,000,000", "2",
            "예", "2"] in engagements


# -- round trips ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", list(Form))
@pytest.mark.parametrize("target", ["out", "book.xlsx"])
def test_every_sheet_and_column_comes_back_exactly_in_either_form(filled, tmp_path, form, target):
    export_path(filled, tmp_path / target, form=form)
    with Store.open(tmp_path / "fresh", actor="tester") as fresh:
        assert import_path(fresh, tmp_path / target).problems == []
        assert _stored(fresh) == _stored(filled)
        export_path(fresh, tmp_path / f"again-{target}", form=form)
    if target == "out":
        for name in SHEETS:
            assert (tmp_path / "out" / f"{name}.csv").read_bytes() == \
                (tmp_path / "again-out" / f"{name}.csv").read_bytes()
    else:
        first, second = load_workbook(tmp_path / target), load_workbook(tmp_path / f"again-{target}")
        for name in SHEETS:
            assert list(first[name].values) == list(second[name].values)


@pytest.mark.parametrize("target", ["out", "book.xlsx"])
def test_an_office_export_imported_into_its_own_store_changes_nothing(filled, tmp_path, target):
    export_path(filled, tmp_path / target, form=Form.OFFICE)
    before = counts(filled)
    result = import_path(filled, tmp_path / target)
    assert sum(result.created.values()) == sum(result.updated.values()) == 0 and not result.written
    assert counts(filled) == before


def test_an_office_export_replaces_a_codes_export_in_the_same_folder_and_reads_back(filled, tmp_path):
    export_path(filled, tmp_path / "out", form=Form.CODES)
    export_path(filled, tmp_path / "out", form=Form.OFFICE)  # the same file names: no stale sheet left beside
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{n}.csv" for n in SHEETS)
    with Store.open(tmp_path / "fresh", actor="tester") as fresh:
        import_path(fresh, tmp_path / "out")
        assert _stored(fresh) == _stored(filled)


# -- the consultant column -----------------------------------------------------------------------------------------


def _consultant_gaps(store: Store) -> dict[tuple[str, int], bool]:
    catalogue = default_catalogue()
    with store.session() as session:
        return {(s.business_no, s.year): any(m.gap is Gap.NO_CONSULTANT for m in certificate_gaps(s, catalogue))
                for s in certificate_sources(session=session)}


@pytest.mark.parametrize("written", ["담당 컨설턴트", "담당컨설턴트", "컨설턴트", "담당자", "consultant"])
def test_an_imported_consultant_is_what_the_certificate_batch_no_longer_misses(store, tmp_path, written):
    import_path(store, write_csvs(tmp_path / "without", sample()))
    assert _consultant_gaps(store) == {(A, 1): True, (A, 2): True, (B, 1): True}
    sheets = with_consultants()
    sheets["engagements"][0][-1] = written
    result = import_path(store, write_csvs(tmp_path / "with", sheets))
    assert result.updated["engagements"] == 2 and result.problems == []
    assert _consultant_gaps(store) == {(A, 1): False, (A, 2): True, (B, 1): False}
    # Journalled like every imported change: old and new value, in the audit log and the outbox.
    changes = [json.loads(c) for (c,) in query(store, "SELECT changes FROM outbox WHERE entity = 'engagements' "
                                                      "AND action = 'update'")]
    assert sorted(c["consultant"][1] for c in changes) == ["박전문", "최현장"]
    assert all(c["consultant"][0] is None for c in changes)


def test_a_sheet_without_the_consultant_column_leaves_the_consultants_alone(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "with", with_consultants()))
    import_path(store, write_csvs(tmp_path / "without", sample()))
    assert sorted(c for (c,) in query(store, "SELECT consultant FROM engagements WHERE consultant IS NOT NULL")) == \
        ["박전문", "최현장"]


def test_the_consultant_is_exported_in_both_forms(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "with", with_consultants()))
    export_path(store, tmp_path / "codes", form=Form.CODES)
    export_path(store, tmp_path / "office", form=Form.OFFICE)
    codes = _csv(tmp_path / "codes" / "engagements.csv")
    office = _csv(tmp_path / "office" / "engagements.csv")
    assert codes[0][7] == "consultant" and office[0][7] == "담당 컨설턴트"
    assert [row[7] for row in codes[1:]] == [row[7] for row in office[1:]] == ["박전문", "", "최현장"]


# -- choosing the form on the command line --------------------------------------------------------------------------


def test_the_command_line_exports_the_office_form_unless_told_codes(filled, tmp_path, capsys):
    data_dir = str(filled.data_dir)
    filled.close()
    assert cli.main(["--data-dir", data_dir, "export", str(tmp_path / "office")]) == 0
    assert cli.main(["--data-dir", data_dir, "--lang", "en", "export", str(tmp_path / "codes"), "--form", "codes"]) == 0
    assert _csv(tmp_path / "office" / "companies.csv")[0] == OFFICE_HEADERS["companies"]
    assert _csv(tmp_path / "codes" / "companies.csv")[0][:2] == ["business_no", "name"]
    output = capsys.readouterr().out
    assert "내보내기" in output and "Exported" in output
    assert cli.main(["--data-dir", data_dir, "export", str(tmp_path / "x"), "--form", "ko"]) == 2
