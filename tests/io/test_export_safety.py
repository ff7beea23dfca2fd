"""Exports never plant a formula and read back exactly; a value no spreadsheet can hold refuses the export whole.

LibreOffice itself opens the files: openpyxl would read a formula back as the text it was written from.
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from consultant_app.io import ExportRefused, Form, export_path, import_path
from consultant_app.io.cells import escape_text, format_text, unescape_cells
from consultant_app.services.companies import load_company, load_engagement, save_company, save_engagement
from consultant_app.store import Store
from tests.io import libreoffice
from tests.io.sample import A, B, dashed, query, sample, write_csvs

# Text a spreadsheet would run as a formula, each in a field entry accepts it in.
DANGEROUS_A = {"name": '=HYPERLINK("http://x","y")', "region": "=1+1", "representative": "+1+1",
               "industry": "@SUM(1)", "sponsor": "-2+3"}
DANGEROUS_B = {"name": "'=1+1", "region": "#N/A", "representative": "줄\r바꿈", "industry": "'인용_x000D_",
               "sponsor": "=cmd|' /C calc'!A0"}
CONSULTANT = "=1+2"
FORMS = [Form.OFFICE, Form.CODES]


def _set_texts(store: Store, business_no: str, texts: dict[str, str]) -> None:
    company_id = query(store, "SELECT id FROM companies WHERE business_no = ?", business_no)[0][0]
    with store.session() as session:
        draft = load_company(session=session, company_id=company_id)
    save_company(store, replace(draft, **texts), company_id=company_id)


@pytest.fixture
def dangerous(store, tmp_path):
    """The sample, its texts changed through the app's own forms' service into formula look-alikes."""
    import_path(store, write_csvs(tmp_path / "sample", sample()))
    _set_texts(store, A, DANGEROUS_A)
    _set_texts(store, B, DANGEROUS_B)
    engagement_id = query(store, "SELECT e.id FROM engagements e JOIN companies c ON c.id = e.company_id "
                                 "WHERE c.business_no = ? AND e.year = 1", A)[0][0]
    with store.session() as session:
        company_id, draft = load_engagement(session=session, engagement_id=engagement_id)
    save_engagement(store, replace(draft, consultant=CONSULTANT), company_id=company_id, engagement_id=engagement_id)
    return store


def _number(form: Form, business_no: str) -> str:
    return dashed(business_no) if form is Form.OFFICE else business_no


def _rows(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _by_number(rows: list[list[str]], number: str) -> dict[str, str]:
    header = rows[0]
    [row] = [r for r in rows[1:] if r[0] == number]
    return dict(zip(header, row))


def _company_texts(store: Store, business_no: str) -> dict[str, str]:
    [(name, representative, region, industry, sponsor)] = query(
        store, "SELECT c.name, c.representative, c.region, c.industry, s.name FROM companies c "
               "LEFT JOIN sponsors s ON s.id = c.sponsor_id WHERE c.business_no = ?", business_no)
    return {"name": name, "representative": representative, "region": region, "industry": industry,
            "sponsor": sponsor}


# -- what LibreOffice makes of the files -----------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_libreoffice_shows_the_workbooks_text_exactly_as_stored(dangerous, tmp_path, form):
    export_path(dangerous, tmp_path / "book.xlsx", form=form)
    sheets = libreoffice.workbook_to_csvs(tmp_path / "book.xlsx", tmp_path / "lo")
    companies = _rows(sheets["companies"])
    headers = dict(zip(["business_no", "name", "representative", "region", "industry"], companies[0]))
    for number, texts in ((A, DANGEROUS_A), (B, DANGEROUS_B)):
        row = _by_number(companies, _number(form, number))
        for field in ("name", "representative", "region", "industry"):
            # Not "y", not 2, not #N/A as an error; the CR kept, a written "_x000D_" kept as written.
            assert row[headers[field]] == texts[field]
    engagements = _rows(sheets["engagements"])
    consultant = engagements[0].index("담당 컨설턴트" if form is Form.OFFICE else "consultant")
    assert CONSULTANT in [row[consultant] for row in engagements[1:]]


@pytest.mark.parametrize("form", FORMS)
def test_libreoffice_opening_the_exported_csv_makes_no_formula(dangerous, tmp_path, form):
    export_path(dangerous, tmp_path / "out", form=form)
    for name in ("companies", "engagements"):
        converted = libreoffice.csv_to_workbook(tmp_path / "out" / f"{name}.csv", tmp_path / f"lo-{name}")
        workbook = load_workbook(converted)  # formulas kept as formulas
        cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value is not None]
        workbook.close()
        assert [c.value for c in cells if c.data_type == "f"] == []
        texts = {c.value for c in cells}
        if name == "companies":
            assert "'" + DANGEROUS_A["name"] in texts and "'=1+1" in texts  # the escape quote shows; nothing runs
        else:
            assert "'" + CONSULTANT in texts


# -- the escape rule -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'", "'=1", "''a"])
def test_csv_text_that_starts_like_a_formula_or_a_quote_gets_one_quote_that_import_removes(text):
    assert format_text(text) == escape_text(text) == "'" + text
    assert unescape_cells([format_text(text)]) == [text]


@pytest.mark.parametrize("text", ["", "a=1", "1-2", "(주)한빛", "a'b", " =x"])
def test_other_text_is_written_as_it_is(text):
    assert format_text(text) == text
    assert unescape_cells([text]) == [text]


def test_numbers_dates_and_booleans_are_never_escaped():
    assert [format_text(v) for v in (-5, -2.5, True)] == ["-5", "-2.5", "true"]


# -- round trips -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("target", ["out", "book.xlsx"])
def test_export_then_import_gives_back_exactly_the_text(dangerous, tmp_path, form, target):
    export_path(dangerous, tmp_path / target, form=form)
    with Store.open(tmp_path / "fresh", actor="tester") as fresh:
        result = import_path(fresh, tmp_path / target)
        assert result.problems == []
        for number, texts in ((A, DANGEROUS_A), (B, DANGEROUS_B)):
            assert _company_texts(fresh, number) == texts
        assert CONSULTANT in [c for (c,) in query(fresh, "SELECT consultant FROM engagements")]
        # Exported again from the copy: the same files.
        export_path(fresh, tmp_path / f"again-{target}", form=form)
    if target == "out":
        for name in ("companies", "engagements", "kpis", "surveys"):
            assert (tmp_path / target / f"{name}.csv").read_bytes() == \
                (tmp_path / f"again-{target}" / f"{name}.csv").read_bytes()


def test_a_csv_cell_written_by_hand_behind_a_quote_reads_without_it(store, tmp_path):
    sheets = sample()
    sheets["companies"][2][3] = "'부산"
    import_path(store, write_csvs(tmp_path / "in", sheets))
    assert _company_texts(store, B)["region"] == "부산"


# -- values no spreadsheet can hold ----------------------------------------------------------------------------


def _plant(store: Store, sql: str, *args) -> None:
    """Write straight into the file, as a pull from a server that let it through would."""
    with sqlite3.connect(store.path) as connection:
        connection.execute(sql, args)


def _snapshot(path):
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return path.read_bytes()


@pytest.mark.parametrize("target", ["out", "book.xlsx"])
def test_a_stored_nul_refuses_the_export_names_the_place_and_leaves_the_old_files(store, tmp_path, target):
    import_path(store, write_csvs(tmp_path / "sample", sample()))
    export_path(store, tmp_path / target, form=Form.OFFICE)
    before = _snapshot(tmp_path / target)
    _plant(store, "UPDATE companies SET region = '부' || char(0) || '산' WHERE business_no = ?", B)
    with pytest.raises(ExportRefused) as refused:
        export_path(store, tmp_path / target, form=Form.OFFICE)
    assert refused.value.message("ko") == (
        f"내보내지 않았습니다: companies 시트 3행(사업자등록번호 {dashed(B)})의 '지역' 열에 엑셀·CSV 파일에 담을 수 없는 "
        "제어 문자(U+0000)가 있습니다. 앱에서 그 값을 고친 뒤 다시 내보내세요.")
    assert "sheet companies, row 3" in refused.value.message("en") and "'지역'" in refused.value.message("en")
    assert _snapshot(tmp_path / target) == before  # nothing half-written, no temporary left behind


def test_a_nul_in_a_later_sheet_leaves_every_csv_file_as_it_was(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "sample", sample()))
    export_path(store, tmp_path / "out")
    before = _snapshot(tmp_path / "out")
    _plant(store, "UPDATE companies SET name = '새 이름' WHERE business_no = ?", A)  # companies.csv would change
    _plant(store, "UPDATE engagements SET consultant = 'a' || char(1) WHERE year = 2")
    with pytest.raises(ExportRefused) as refused:
        export_path(store, tmp_path / "out")
    assert "engagements" in refused.value.message("en") and "'consultant'" in refused.value.message("en")
    assert "U+0001" in refused.value.message("ko")
    assert _snapshot(tmp_path / "out") == before


def test_a_refused_export_to_a_new_path_creates_nothing(store, tmp_path):
    import_path(store, write_csvs(tmp_path / "sample", sample()))
    _plant(store, "UPDATE companies SET industry = char(0) WHERE business_no = ?", A)
    for target in ("book.xlsx", "out"):
        with pytest.raises(ExportRefused):
            export_path(store, tmp_path / target)
        assert not (tmp_path / target).exists()
