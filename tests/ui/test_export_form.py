"""The data page's export form choice, and control characters refused in a form as they are pasted."""

from __future__ import annotations

import csv

from PySide6.QtWidgets import QApplication

from tests.ui.test_data_page import page  # noqa: F401 (the data page fixture)

TIMEOUT = 30_000


def _header(path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def test_the_export_is_in_the_offices_form_unless_codes_are_chosen(demo_store, page, qtbot, tmp_path):
    assert page.export_form.currentText() == "형식: 사무국 양식(한글)"
    assert [page.export_form.itemData(i) for i in range(page.export_form.count())] == ["office", "codes"]
    page.export_folder(tmp_path / "office")
    qtbot.waitUntil(lambda: not page.progress.running, timeout=TIMEOUT)
    assert _header(tmp_path / "office" / "companies.csv")[:2] == ["사업자등록번호", "기업명"]

    page.export_form.setCurrentIndex(page.export_form.findData("codes"))
    page.export_folder(tmp_path / "codes")
    qtbot.waitUntil(lambda: not page.progress.running, timeout=TIMEOUT)
    assert _header(tmp_path / "codes" / "companies.csv")[:2] == ["business_no", "name"]
    assert "내보냈습니다" in page.result_label.text()


def test_a_pasted_control_character_is_shown_at_its_field_and_blocks_saving(main_window, qtbot):
    main_window.show_page("companies")
    main_window.page("companies").new_button.click()
    form = main_window.page("workspace").tab_widgets["company"]
    editor = form.fields["business_no"].editor
    editor.setFocus()
    editor.insert("124-81-00998")
    name = form.fields["name"].editor
    name.setFocus()
    QApplication.clipboard().setText("대명\x00정밀")
    name.paste()
    assert form.fields["name"].error() == "기업명에 저장할 수 없는 제어 문자(U+0000)가 3번째 글자에 있습니다."
    assert not form.save_button.isEnabled()
