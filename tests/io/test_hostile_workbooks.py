"""Workbooks the importer must refuse, or read with a warning, as Excel and LibreOffice write them and as damage or
malice leaves them: each refusal names the file (the sheet and part when known) and what is wrong, writes nothing,
and comes before the file is unpacked when its size alone tells."""

from __future__ import annotations

import time
import zipfile

import pytest

from consultant_app.cli import main
from consultant_app.domain.validation import Rule
from consultant_app.io import ImportFailed, SourceUnreadable, import_path, workbook
from tests.io.hostile import break_deflate, excel_parts, fods, laughs, libreoffice, read_parts, write_zip
from tests.io.sample import A, B, counts

COMPANIES = [["business_no", "name", "representative"], [A, "(주)한빛정밀", "김철수"], [B, "대성금속", "이영희"]]
KPIS = [["business_no", "year", "kpi"]]


def excel_book(path, sheets=None, **options):
    """A workbook as Excel writes it (by hand, part by part)."""
    return write_zip(path, excel_parts(sheets or {"companies": COMPANIES, "kpis": KPIS}, **options))


def refused(store, path) -> SourceUnreadable:
    before = counts(store)
    with pytest.raises(SourceUnreadable) as caught:
        import_path(store, path)
    assert counts(store) == before
    error = caught.value
    assert path.name in error.message("ko") and path.name in error.message("en")
    assert "\n" not in error.message("ko") and "\n" not in error.message("en")  # one line, wherever it is shown
    return error


def test_the_hand_built_excel_workbook_imports(store, tmp_path):
    result = import_path(store, excel_book(tmp_path / "book.xlsx"))
    assert result.created["companies"] == 2 and not result.problems


# --- 2. damaged parts, entity bombs -------------------------------------------------------------------------------


def with_part(path, source, part, data: bytes):
    parts = read_parts(source)
    parts[part] = data
    return write_zip(path, parts)


def test_bad_xml_in_the_shared_strings_names_the_part(store, tmp_path):
    # Before: "Unexpected error: ParseError …", neither file nor part named.
    good = excel_book(tmp_path / "good.xlsx")
    damaged = read_parts(good)["xl/sharedStrings.xml"][:-40]
    error = refused(store, with_part(tmp_path / "book.xlsx", good, "xl/sharedStrings.xml", damaged))
    assert "xl/sharedStrings.xml" in error.message("en") and "XML is damaged" in error.message("en")
    assert "XML이 손상되었습니다" in error.message("ko")


@pytest.mark.parametrize("where", ["start", "end"])
def test_bad_xml_in_a_sheet_names_the_sheet_and_the_part(store, tmp_path, where):
    # The start fails while openpyxl opens the workbook (it reads each sheet's size), the end while rows are read.
    good = excel_book(tmp_path / "good.xlsx")
    sheet = read_parts(good)["xl/worksheets/sheet1.xml"]
    damaged = sheet.replace(b"<dimension", b"<dimension <", 1) if where == "start" else sheet.replace(
        b"</sheetData>", b"</sheetDat>")
    error = refused(store, with_part(tmp_path / "book.xlsx", good, "xl/worksheets/sheet1.xml", damaged))
    assert "book.xlsx, sheet 'companies' (xl/worksheets/sheet1.xml)" in error.message("en")
    assert "book.xlsx 시트 'companies'" in error.message("ko")


def big_companies(rows: int = 400) -> list[list[object]]:
    return [COMPANIES[0]] + [[A, f"기업 {n} {n * 7919 % 1000}", f"대표 {n}"] for n in range(rows)]


@pytest.mark.parametrize("part, sheet", [("xl/worksheets/sheet1.xml", "companies"), ("xl/sharedStrings.xml", None)])
def test_bad_deflate_data_in_a_part_names_it(store, tmp_path, part, sheet):
    # Before: "Unexpected error: error: Error -3 while decompressing data …".
    path = break_deflate(excel_book(tmp_path / "book.xlsx", {"companies": big_companies()}), part)
    error = refused(store, path)
    assert part in error.message("en")
    assert "its packed data is damaged" in error.message("en") and "압축된 데이터가 손상" in error.message("ko")
    if sheet:
        assert f"sheet '{sheet}'" in error.message("en")


@pytest.mark.parametrize("part, root", [("xl/sharedStrings.xml", "sst"), ("xl/worksheets/sheet1.xml", "worksheet")])
def test_an_entity_bomb_in_a_part_is_refused_unexpanded(store, tmp_path, part, root):
    # Before: expat's own amplification guard stopped it, as "Unexpected error: ParseError …".
    good = excel_book(tmp_path / "good.xlsx")
    xml = read_parts(good)[part].decode()
    declaration, body = xml.split("\r\n", 1)
    if root == "sst":
        body = body.replace("<t>(주)한빛정밀</t>", "<t>&lol9;</t>")
    else:
        body = body.replace("</sheetData>", '<row r="4"><c r="B4" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                                            "</sheetData>")
    bomb = f"{declaration}\r\n{laughs(root)}{body}".encode()
    started = time.perf_counter()
    error = refused(store, with_part(tmp_path / "book.xlsx", good, part, bomb))
    assert time.perf_counter() - started < 5
    assert part in error.message("en") and "entities" in error.message("en")
    assert "엔터티" in error.message("ko")


@pytest.mark.parametrize("data, words", [
    (b"not a zip at all", "not an Excel (.xlsx) workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "password-protected workbook or an old .xls"),
    (b"PK\x03\x04" + bytes(100), "not an Excel (.xlsx) workbook"),
])
def test_files_that_are_no_workbook_say_what_they_are(store, tmp_path, data, words):
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    assert words in refused(store, path).message("en")


def test_a_zip_without_a_workbook_in_it_is_refused(store, tmp_path):
    error = refused(store, write_zip(tmp_path / "book.xlsx", {"readme.txt": b"hello"}))
    assert "cannot read the workbook" in error.message("en")


# --- 3. zip bombs and limits ---------------------------------------------------------------------------------------


def shared_strings_bomb(path, size: int):
    """A small workbook whose shared strings unpack to ``size`` bytes of one repeated string."""
    parts = excel_parts({"companies": COMPANIES})
    header, rest = parts["xl/sharedStrings.xml"].split(b"<si>", 1)
    filler = b"<si><t>" + b"lol" * 1000 + b"</t></si>"
    parts["xl/sharedStrings.xml"] = header + filler * (size // len(filler)) + b"<si>" + rest
    return write_zip(path, parts)


def test_a_workbook_packed_hundreds_to_one_is_refused_before_it_is_unpacked(store, tmp_path):
    # Before: the office's 1.2 MB file of 413 MB shared strings imported after 17.5 s using 609 MB.
    path = shared_strings_bomb(tmp_path / "book.xlsx", 40 * workbook.MB)
    assert path.stat().st_size < 1 * workbook.MB
    started = time.perf_counter()
    error = refused(store, path)
    assert time.perf_counter() - started < 1
    assert "xl/sharedStrings.xml is packed" in error.message("en") and "limit 100" in error.message("en")
    assert "압축 폭탄" in error.message("ko")


def test_over_the_unpacked_size_limit_says_both_sizes(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 100_000)
    path = excel_book(tmp_path / "book.xlsx", {"companies": big_companies(2000)})
    error = refused(store, path)
    total = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert f"unpacks to {total / 1e6:,.1f} MB, over the limit of 0.1 MB" in error.message("en")


def test_over_the_shared_strings_limit(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_SHARED_STRINGS_BYTES", 10_000)
    error = refused(store, excel_book(tmp_path / "book.xlsx", {"companies": big_companies(2000)}))
    assert "shared strings (xl/sharedStrings.xml)" in error.message("en") and "0.0 MB" in error.message("en")


def test_over_the_parts_limit(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_MEMBERS", 5)
    error = refused(store, excel_book(tmp_path / "book.xlsx"))
    assert "it holds 8 parts, over the limit of 5" in error.message("en")


def test_over_the_rows_limit_names_the_sheet_and_what_it_declares(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    parts = excel_parts({"companies": big_companies(10)})
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b'ref="A1"', b'ref="A1:C11"')
    error = refused(store, write_zip(tmp_path / "book.xlsx", parts))
    assert "sheet 'companies' has more than 5 rows, the limit (the sheet declares 11 rows)" in error.message("en")


def test_a_row_numbered_a_billion_is_refused_quickly(store, tmp_path):
    # Before: openpyxl yields every row up to it, a billion empty rows.
    parts = excel_parts({"companies": COMPANIES})
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="1000000000"><c r="A1000000000"><v>1</v></c></row></sheetData>')
    started = time.perf_counter()
    error = refused(store, write_zip(tmp_path / "book.xlsx", parts))
    assert time.perf_counter() - started < 10
    assert f"more than {workbook.MAX_ROWS:,} rows" in error.message("en")


def test_over_the_cells_limit(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_CELLS", 20)
    error = refused(store, excel_book(tmp_path / "book.xlsx", {"companies": big_companies(10)}))
    assert "more than 20 cells, the limit" in error.message("en") and "sheet 'companies'" in error.message("en")


def test_real_files_are_far_inside_the_limits(tmp_path):
    # A fifth of the benchmark programme (2,000 of its 10,000 engagements) as one openpyxl workbook.
    from openpyxl import Workbook

    from tests.benchmarks.programme import generate

    generate(tmp_path / "files", 2_000)
    book = Workbook(write_only=True)
    for csv_path in sorted((tmp_path / "files").glob("*.csv")):
        sheet = book.create_sheet(csv_path.stem)
        for line in csv_path.read_text(encoding="utf-8-sig").splitlines():
            sheet.append(line.split(","))
    book.save(tmp_path / "programme.xlsx")
    members = zipfile.ZipFile(tmp_path / "programme.xlsx").infolist()
    total = sum(m.file_size for m in members)
    assert total * 5 * 8 < workbook.MAX_UNPACKED_BYTES  # the whole programme, eight times over
    assert max(m.file_size / m.compress_size for m in members if m.file_size > workbook.RATIO_FROM_BYTES) * 4 \
        < workbook.MAX_RATIO
    workbook.check_archive(tmp_path / "programme.xlsx")


# --- 7. hidden rows and sheets ---------------------------------------------------------------------------------------


def assert_hidden_warnings(result, rows_label="companies", sheet_label="kpis"):
    assert result.created["companies"] == 2 and not result.errors  # hidden rows are imported all the same
    by_rule = {p.issue.rule: p for p in result.warnings}
    assert set(by_rule) == {Rule.HIDDEN_ROWS, Rule.HIDDEN_SHEET}
    rows = by_rule[Rule.HIDDEN_ROWS]
    assert (rows.file, rows.issue.params["rows"]) == (rows_label, "3")
    assert "숨겨진 행 1개(3행)도 가져옵니다" in rows.message("ko")
    assert "1 hidden row(s) (rows 3) are imported too" in rows.message("en")
    assert by_rule[Rule.HIDDEN_SHEET].file == sheet_label


def test_hidden_rows_and_sheets_from_excel_are_warned_about(store, tmp_path):
    # Before: imported without a word, though a person looking at the sheet does not see them.
    path = excel_book(tmp_path / "book.xlsx", {"companies": COMPANIES + [[None], [None]], "kpis": KPIS},
                      hidden_rows={"companies": {3, 5}}, hidden_sheets=("kpis",))  # row 5 is blank: not named
    assert_hidden_warnings(import_path(store, path))


def test_hidden_rows_and_sheets_from_openpyxl_are_warned_about(store, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "companies"
    for row in COMPANIES:
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    book.create_sheet("kpis").append(KPIS[0])
    book["kpis"].sheet_state = "hidden"
    book.save(tmp_path / "book.xlsx")
    assert_hidden_warnings(import_path(store, tmp_path / "book.xlsx"))


def test_hidden_rows_and_sheets_from_libreoffice_are_warned_about(store, tmp_path):
    # LibreOffice marks every row hidden="false" or hidden="true".
    source = fods(tmp_path / "book.fods", {"companies": COMPANIES, "notes": [["메모"]], "kpis": KPIS},
                  hidden_rows={"companies": {3}}, hidden_sheets=("kpis",))
    (path,) = libreoffice([source], tmp_path / "out")
    assert b'hidden="false"' in read_parts(path)["xl/worksheets/sheet1.xml"]
    assert_hidden_warnings(import_path(store, path))


def test_no_hidden_rows_no_warning_from_libreoffice(store, tmp_path):
    source = fods(tmp_path / "book.fods", {"companies": COMPANIES})
    (path,) = libreoffice([source], tmp_path / "out")
    assert not import_path(store, path).problems


# --- 9. control characters as Excel writes them -------------------------------------------------------------------


def test_a_control_character_excel_escaped_is_refused_at_its_cell(store, tmp_path):
    # Excel writes a character XML cannot hold as _xHHHH_; openpyxl hands it over as that text.
    sheets = {"companies": [COMPANIES[0], [A, "단비_x0000_화학", "김철수"], [B, "대성_x000D_\n금속", "이영희"]]}
    with pytest.raises(ImportFailed) as caught:
        import_path(store, excel_book(tmp_path / "book.xlsx", sheets))
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.issue.rule) == (
        "companies", 2, "name", Rule.CONTROL_CHARACTER)
    assert "U+0000" in problem.message("en")


def test_the_command_line_shows_a_damaged_workbook_as_one_line(tmp_path, capsys):
    good = excel_book(tmp_path / "good.xlsx")
    path = with_part(tmp_path / "book.xlsx", good, "xl/sharedStrings.xml", b"<sst")
    assert main(["--data-dir", str(tmp_path / "data"), "--lang", "en", "import", str(path)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("book.xlsx (xl/sharedStrings.xml): cannot read the workbook")
