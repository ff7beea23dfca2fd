"""CSV and text files the importer must refuse, or read with a warning, as Excel and LibreOffice write them: each
refusal names the file, row and column and writes nothing."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from consultant_app.cli import main
from consultant_app.domain.validation import Rule
from consultant_app.io import ImportFailed, SourceUnreadable, import_path
from consultant_app.io.cells import CellError, parse_date
from tests.io.hostile import fods, libreoffice
from tests.io.sample import A, B, counts, query

UNCLOSED = "1298114411"  # a valid business number, on the row whose quote never closes


def companies_file(folder, lines: list[str], *, name: str = "companies.csv", encoding: str = "utf-8"):
    """``companies.csv`` from text lines, as a person's editor would leave it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def unclosed_quote(folder):
    return companies_file(folder, ["business_no,name,representative", f"{A},한빛정밀,김철수",
                                   f'{UNCLOSED},"단비화학,이재훈', f"{B},대성금속,이영희", f"{A[:-1]}0,없는기업,박"])


def only_problem(caught) -> tuple:
    (problem,) = caught.value.problems
    return problem.file, problem.row, problem.column, problem.issue.rule


# --- 1. an unclosed quote --------------------------------------------------------------------------------------


@pytest.mark.parametrize("keep_good_rows", [False, True])
def test_an_unclosed_quote_is_refused_at_the_row_where_it_opens_and_nothing_is_written(store, tmp_path,
                                                                                       keep_good_rows):
    # Before: csv's lenient mode made the rest of the file one company's name, and the import succeeded.
    folder = tmp_path / "files"
    unclosed_quote(folder)
    before = counts(store)
    with pytest.raises(ImportFailed) as caught:
        import_path(store, folder, keep_good_rows=keep_good_rows)
    assert only_problem(caught) == ("companies.csv", 3, "name", Rule.UNCLOSED_QUOTE)
    assert "companies.csv 3행 name" in caught.value.message("ko")
    assert "companies.csv row 3, name" in caught.value.message("en")
    assert counts(store) == before


def test_the_command_line_says_which_file_and_row_and_exits_1(tmp_path, capsys):
    data = tmp_path / "data"
    path = unclosed_quote(tmp_path / "files")
    assert main(["--data-dir", str(data), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "companies.csv 3행 name" in err and "따옴표" in err
    assert "예기치 않은" not in err
    assert main(["--data-dir", str(data), "--lang", "en", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "companies.csv row 3, name" in err and "never closed" in err
    assert query_companies(data) == []


def query_companies(data_dir) -> list[tuple]:
    from consultant_app.store import Store

    store = Store.open(data_dir, actor="tester")
    try:
        return query(store, "SELECT business_no FROM companies")
    finally:
        store.close()


def test_an_unclosed_quote_in_a_long_file_is_named_not_reported_as_a_cell_too_large(store, tmp_path):
    # The rest of the file passes csv's field limit before the end: it must still be named for what it is.
    rows = [f"{A},한빛정밀,김철수", f'{UNCLOSED},"단비화학,이재훈'] + [f"{B},대성금속{n},이영희" for n in range(8000)]
    companies_file(tmp_path / "files", ["business_no,name,representative", *rows])
    with pytest.raises(ImportFailed) as caught:
        import_path(store, tmp_path / "files")
    assert only_problem(caught) == ("companies.csv", 3, "name", Rule.UNCLOSED_QUOTE)


def test_text_after_a_closing_quote_is_refused(store, tmp_path):
    # Before: read silently as 한빛정밀 ("" inside a quoted cell is the way to write a quote).
    companies_file(tmp_path / "files", ["business_no,name,representative", f'{A},"한빛"정밀,김철수'])
    with pytest.raises(ImportFailed) as caught:
        import_path(store, tmp_path / "files")
    assert only_problem(caught) == ("companies.csv", 2, "name", Rule.TEXT_AFTER_QUOTE)
    assert counts(store)["companies"] == 0


def test_every_broken_file_of_a_folder_is_reported_at_once(store, tmp_path):
    folder = tmp_path / "files"
    unclosed_quote(folder)
    (folder / "kpis.csv").write_text(f'business_no,year,kpi\n{A},1,"oee\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_path(store, folder)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [("companies.csv", 3, "name"),
                                                                           ("kpis.csv", 2, "kpi")]


# --- 2. a cell over csv's field limit ----------------------------------------------------------------------------


def test_a_cell_over_the_csv_field_limit_is_refused_with_its_row(store, tmp_path):
    # Before: csv.Error "field larger than field limit (131072)", shown as an unexpected error.
    huge = "가" * (csv.field_size_limit() + 10)
    companies_file(tmp_path / "files", ["business_no,name,representative", f"{B},대성금속,이영희",
                                        f'{A},"{huge}",김철수'])
    with pytest.raises(ImportFailed) as caught:
        import_path(store, tmp_path / "files")
    assert only_problem(caught)[:2] == ("companies.csv", 3)
    assert caught.value.problems[0].issue.rule is Rule.CELL_TOO_LARGE
    assert f"{csv.field_size_limit():,}" in caught.value.message("en")
    assert counts(store)["companies"] == 0


# --- 4. a misspelt or unknown column ---------------------------------------------------------------------------


def test_a_misspelt_column_is_a_warning_naming_it_and_the_columns_expected(store, tmp_path):
    companies_file(tmp_path / "files", ["business_no,name,reprsentative,메모", f"{A},한빛정밀,김철수,확인 필요"])
    result = import_path(store, tmp_path / "files")
    assert result.created["companies"] == 1 and not result.errors
    misspelt, memo = result.warnings
    assert (misspelt.file, misspelt.row, misspelt.column, misspelt.issue.rule) == (
        "companies.csv", 1, "reprsentative", Rule.UNKNOWN_COLUMN)
    ko, en = misspelt.message("ko"), misspelt.message("en")
    assert "'reprsentative'" in ko and "혹시 '대표자'?" in ko and "사업자등록번호, 기업명, 대표자, 지역" in ko
    assert "did you mean 'representative'?" in en and "business_no, name, representative, region" in en
    assert memo.column == "메모" and "혹시" not in memo.message("ko")
    assert query(store, "SELECT representative FROM companies") == [(None,)]


def test_the_command_line_lists_the_warning_and_exits_0(tmp_path, capsys):
    path = companies_file(tmp_path / "files", ["business_no,name,reprsentative", f"{A},한빛정밀,김철수"])
    assert main(["--data-dir", str(tmp_path / "data"), "--lang", "en", "import", str(path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "1 warning(s):"
    assert err[1].startswith("  companies.csv row 1, reprsentative: Unknown column 'reprsentative' is not imported")


def test_a_column_given_twice_is_a_warning_and_the_first_is_read(store, tmp_path):
    companies_file(tmp_path / "files", ["business_no,name,기업명", f"{A},한빛정밀,다른이름"])
    result = import_path(store, tmp_path / "files")
    (warning,) = result.warnings
    assert (warning.column, warning.issue.rule) == ("기업명", Rule.DUPLICATE_COLUMN)
    assert query(store, "SELECT name FROM companies") == [("한빛정밀",)]


def test_a_misspelt_required_column_is_an_error_and_the_warning_says_what_was_meant(store, tmp_path):
    companies_file(tmp_path / "files", ["busines_no,name", f"{A},한빛정밀"])
    with pytest.raises(ImportFailed) as caught:
        import_path(store, tmp_path / "files")
    warning, error = caught.value.problems  # the file's own warnings come first
    assert (error.column, error.issue.rule) == ("business_no", Rule.REQUIRED)
    assert (warning.column, warning.issue.rule) == ("busines_no", Rule.UNKNOWN_COLUMN)
    assert "did you mean 'business_no'?" in warning.message("en")


# --- 5. semicolons and tabs --------------------------------------------------------------------------------------


COMPANIES = {"companies": [["사업자등록번호", "기업명", "대표자", "지역"], [A, "(주)한빛정밀", "김철수", "경기"],
                           [B, "대성금속; 부산공장", "이영희", "부산"]]}


@pytest.mark.parametrize("separator, token", [(";", 59), ("\t", 9)])
def test_files_libreoffice_saves_with_semicolons_or_tabs_are_read(store, tmp_path, separator, token):
    # Before: one column named "사업자등록번호;기업명;…", so "business_no is required".
    source = fods(tmp_path / "companies.fods", COMPANIES)
    (path,) = libreoffice([source], tmp_path / "out", f"csv:Text - txt - csv (StarCalc):{token},34,76,1")
    assert separator in path.read_text(encoding="utf-8").splitlines()[0]
    result = import_path(store, path)
    assert result.created["companies"] == 2 and not result.problems
    assert query(store, "SELECT name FROM companies ORDER BY name") == [("(주)한빛정밀",), ("대성금속; 부산공장",)]


def test_semicolons_inside_cells_do_not_make_a_comma_file_semicolon_separated(store, tmp_path):
    folder = tmp_path / "files"
    companies_file(folder, ["business_no,name", f"{A},한빛정밀;본사;공장;연구소"])
    (folder / "engagements.csv").write_text(f"business_no,year\n{A},1\n", encoding="utf-8")
    (folder / "surveys.csv").write_text(
        "business_no,year,improved\n" + "".join(f"{A},1,productivity;quality;delivery;safety\n" for _ in range(1)),
        encoding="utf-8")
    result = import_path(store, folder)
    assert not result.problems
    assert query(store, "SELECT improved FROM survey_responses") == [("productivity;quality;delivery;safety",)]


# --- 6. UTF-16 ("Unicode text") ----------------------------------------------------------------------------------


def unicode_text(rows: list[list[str]]) -> bytes:
    """What Excel's "Unicode text" save writes: UTF-16 LE with its byte order mark, TAB separated, CRLF."""
    return "\ufeff".encode("utf-16-le") + "".join("\t".join(r) + "\r\n" for r in rows).encode("utf-16-le")


@pytest.mark.parametrize("name", ["companies.csv", "companies.txt", "기업.txt"])
def test_utf16_unicode_text_is_read_under_a_csv_or_txt_name(store, tmp_path, name):
    # Before: "unknown text encoding" (and a .txt was no sheet at all).
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / name).write_bytes(unicode_text(COMPANIES["companies"]))
    for path in (folder, folder / name):
        result = import_path(store, path)
        assert not result.problems
    assert query(store, "SELECT name, region FROM companies ORDER BY name") == [
        ("(주)한빛정밀", "경기"), ("대성금속; 부산공장", "부산")]


def test_utf16_without_its_mark_and_damaged_utf16_are_told_apart(store, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "companies.csv").write_bytes(f"business_no\tname\r\n{A}\tHanbit\r\n".encode("utf-16-le"))
    assert import_path(store, folder).created["companies"] == 1
    (folder / "companies.csv").write_bytes(unicode_text(COMPANIES["companies"])[:-1])  # an odd number of bytes
    with pytest.raises(SourceUnreadable) as caught:
        import_path(store, folder)
    assert "companies.csv" in caught.value.message("en") and "UTF-16" in caught.value.message("en")


# --- 8. Korean long dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024년 3월 5일", "2024년3월5일", "2024 년 3 월 5 일", "2024년 03월 05일",
                                  "2024. 3. 5.", "2024-03-05"])
def test_korean_long_dates_are_dates(text):
    assert parse_date(text) == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["2024년 2월 30일", "2024년 3월", "24년 3월 5일", "2024년 3월 5"])
def test_impossible_or_partial_korean_dates_are_not(text):
    with pytest.raises(CellError):
        parse_date(text)


def test_a_kpi_sheet_with_korean_long_dates_imports(store, tmp_path):
    folder = tmp_path / "files"
    companies_file(folder, ["business_no,name", f"{A},한빛정밀"])
    (folder / "engagements.csv").write_text(f"business_no,year,start_date\n{A},1,2024년 3월 5일\n", encoding="utf-8")
    import_path(store, folder)
    assert query(store, "SELECT start_date FROM engagements") == [("2024-03-05",)]


# --- 9. control characters, length, numbers no column holds ------------------------------------------------------


@pytest.mark.parametrize("row, column, rule", [
    (f"{A},단비\x00화학,김철수,경기,", "name", Rule.CONTROL_CHARACTER),
    (f"{A},단비화학,김\x1b[31m철수,경기,", "representative", Rule.CONTROL_CHARACTER),
    (f"{A},단비화학,김철수,경기,basic\x07", "growth_stage", Rule.CONTROL_CHARACTER),
    (f"{A},{'가' * 301},김철수,경기,", "name", Rule.TOO_LONG),
])
def test_control_characters_and_overlong_text_are_refused_at_their_cell(store, tmp_path, row, column, rule):
    # Before: NUL and escape sequences went into the store, and text of any length.
    companies_file(tmp_path / "files", ["business_no,name,representative,region,growth_stage", row])
    with pytest.raises(ImportFailed) as caught:
        import_path(store, tmp_path / "files")
    assert only_problem(caught) == ("companies.csv", 2, column, rule)
    if rule is Rule.TOO_LONG:
        assert "301" in caught.value.message("en") and "300" in caught.value.message("en")
    else:
        assert "U+00" in caught.value.message("en")
    assert counts(store)["companies"] == 0


def test_a_whole_number_no_database_column_holds_is_refused_not_a_crash_at_the_write(store, tmp_path):
    # Before: OverflowError from SQLite, after every row had been checked.
    companies_file(tmp_path / "files", ["business_no,name,employees", f"{A},한빛정밀,99999999999999999999"])
    with pytest.raises(ImportFailed) as caught:
        import_path(store, tmp_path / "files")
    assert only_problem(caught) == ("companies.csv", 2, "employees", Rule.ABOVE_MAXIMUM)
