"""The data page shows a file the importer refuses as one clear line, or as a placed problem, never as an
unexpected error."""

from __future__ import annotations

from tests.io.hostile import excel_parts, write_zip
from tests.io.sample import A, B, counts
from tests.ui.test_data_page import page, shown_rows, wait_idle  # noqa: F401 (page: the data page fixture)


def test_a_damaged_workbook_is_one_line_naming_the_file_and_part(page, store, qtbot, tmp_path):
    parts = excel_parts({"companies": [["business_no", "name"], [A, "한빛정밀"]]})
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"][:-20]
    path = write_zip(tmp_path / "book.xlsx", parts)
    page.import_files(path)
    wait_idle(qtbot, page)
    text = page.result_label.text()
    assert text.startswith("book.xlsx (xl/sharedStrings.xml): 엑셀 파일을 읽을 수 없습니다.") and "\n" not in text
    assert "예기치 않은" not in text and page.result_label.property("failed")
    assert counts(store)["companies"] == 0


def test_an_unclosed_quote_is_listed_at_its_file_row_and_column(page, store, qtbot, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "companies.csv").write_text(f'business_no,name\n{A},한빛정밀\n1298114411,"단비화학\n{B},대성금속\n',
                                          encoding="utf-8")
    page.import_files(folder)
    wait_idle(qtbot, page)
    [(severity, file, row, column, reason)] = shown_rows(page)
    assert (severity, file, row, column) == ("오류", "companies.csv", "3", "name")
    assert "따옴표" in reason
    assert "아무것도 저장하지 않았습니다" in page.result_label.text()
    assert counts(store)["companies"] == 0
