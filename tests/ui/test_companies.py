"""The company list as a user meets it: search as you type, filters, sorting, opening, 10,000 companies."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlmodel import select

from consultant_app.services.companies import CompanyDraft, save_company
from consultant_app.store.models import Engagement
from consultant_app.store.queries import list_companies
from consultant_app.ui.models.companies import COLUMNS
from tests.benchmarks.bench_company_list import insert_companies
from tests.ui.test_forms import type_text

FILTER_LIMIT_S = 0.050
COLUMN = {spec.key: n for n, spec in enumerate(COLUMNS)}


def make_page(ctx, qtbot):
    from consultant_app.ui.pages.companies import CompaniesPage

    page = CompaniesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.loading)
    return page


@pytest.fixture
def page(demo_store, app_ctx, qtbot):
    return make_page(app_ctx, qtbot)


def shown_ids(page) -> set[str]:
    return {page.model.company_id(row) for row in range(page.model.rowCount())}


def shown(page, key: str) -> list:
    return [getattr(page.model.row(row), key) for row in range(page.model.rowCount())]


def search_ids(store, text: str) -> set[str]:
    """What the store's own SQL search finds: the independent answer to compare with."""
    with store.session() as session:
        return {row.id for row in list_companies(session=session, search=text)}


def type_search(page, qtbot, text: str) -> None:
    page.search.setFocus()
    type_text(qtbot, page.search, text)
    qtbot.waitUntil(lambda: page.model.filter.text == page.search.text())  # after the short typing pause


def click_header(qtbot, page, column: int) -> None:
    header = page.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_the_list_shows_every_company_by_name(page, demo_store):
    assert page.model.rowCount() == 30 and page.count_label.text() == "기업 30개"
    names = shown(page, "name")
    assert names == sorted(names)
    first = page.model.index(0, COLUMN["business_no"])
    assert page.model.data(first).count("-") == 2  # 123-45-67890
    assert page.model.headerData(COLUMN["latest_status"], Qt.Orientation.Horizontal) == "최근 상태"


def test_typing_in_the_search_box_filters_by_name_region_sponsor_and_number(page, demo_store, qtbot):
    type_search(page, qtbot, "정밀")
    assert shown_ids(page) == search_ids(demo_store, "정밀") and 0 < page.model.rowCount() < 30
    assert all("정밀" in name for name in shown(page, "name"))
    assert page.count_label.text() == f"기업 30개 중 {page.model.rowCount()}개"

    page.search.clear()
    number = shown(page, "business_no")[0]
    dashed = f"{number[:3]}-{number[3:5]}-{number[5:7]}"
    type_search(page, qtbot, dashed)
    assert number in shown(page, "business_no")
    assert shown_ids(page) == search_ids(demo_store, dashed)

    page.search.clear()
    type_search(page, qtbot, "창원")
    assert set(shown(page, "region")) == {"경남 창원"}
    page.search.clear()
    type_search(page, qtbot, "없는회사")
    assert page.model.rowCount() == 0


def test_filters_by_year_status_and_sponsor(page, demo_store, qtbot):
    with demo_store.session() as session:
        year4 = set(session.exec(select(Engagement.company_id).where(Engagement.year == 4)))
        in_progress = set(session.exec(select(Engagement.company_id).where(Engagement.status == "in_progress")))
    years = page.year_filter
    assert [years.itemText(i) for i in range(years.count())] == ["모든 차수", "1차년도", "2차년도", "3차년도", "4차년도"]
    years.setCurrentIndex(years.findData(4))
    assert shown_ids(page) == year4

    years.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("in_progress"))
    assert shown_ids(page) == in_progress and len(in_progress) == 1

    page.status_filter.setCurrentIndex(0)
    sponsor = page.sponsor_filter.itemText(1)
    page.sponsor_filter.setCurrentIndex(1)
    assert set(shown(page, "sponsor")) == {sponsor}
    with_sponsor = page.model.rowCount()
    type_search(page, qtbot, "정밀")
    sponsors = {r.id: r.sponsor for r in page.model.all_rows}
    assert shown_ids(page) == {i for i in search_ids(demo_store, "정밀") if sponsors[i] == sponsor}
    assert page.model.rowCount() <= with_sponsor


def test_clicking_a_header_sorts_and_clicking_again_reverses(page, qtbot):
    click_header(qtbot, page, COLUMN["business_no"])
    numbers = shown(page, "business_no")
    assert numbers == sorted(numbers)
    click_header(qtbot, page, COLUMN["business_no"])
    assert shown(page, "business_no") == sorted(numbers, reverse=True)
    click_header(qtbot, page, COLUMN["engagements"])
    counts = shown(page, "engagements")
    assert counts == sorted(counts)


def test_the_selection_follows_its_company_through_a_sort(page, qtbot):
    page.table.selectRow(3)
    chosen = page.selected_company_id()
    click_header(qtbot, page, COLUMN["region"])
    assert page.selected_company_id() == chosen


def test_double_click_and_enter_open_the_company(demo_store, main_window, qtbot):
    main_window.show_page("companies")
    page = main_window.page("companies")
    qtbot.waitUntil(lambda: page.model.rowCount() == 30)
    row = 5
    rect = page.table.visualRect(page.model.index(row, COLUMN["name"]))
    # A double click is a click and a second press: QTest's mouseDClick alone skips the first click, and
    # the first double click of a run would then be lost.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.current_key == "workspace"
    assert main_window.ctx.company_id == page.model.company_id(row)
    assert main_window.page("workspace").tab_widgets["company"].fields["name"].state() == page.model.row(row).name

    main_window.show_page("companies")
    page.table.setFocus()
    page.table.selectRow(7)
    page.table.setCurrentIndex(page.model.index(7, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert main_window.current_key == "workspace"
    assert main_window.ctx.company_id == page.model.company_id(7)


def test_new_company_opens_an_empty_form(demo_store, main_window, qtbot):
    main_window.show_page("companies")
    page = main_window.page("companies")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert main_window.current_key == "workspace"
    form = main_window.page("workspace").tab_widgets["company"]
    assert all(f.state() == "" for f in form.group) and main_window.ctx.company_id is None


def test_the_list_reloads_when_data_changes(page, demo_store, app_ctx, qtbot):
    company_id = save_company(demo_store, CompanyDraft(business_no="124-81-00998", name="가나다정밀"))
    with qtbot.waitSignal(page.loaded):
        app_ctx.data_changed.emit()
    assert company_id in shown_ids(page) and page.model.rowCount() == 31


def test_column_widths_and_sort_are_kept_for_the_next_start(page, app_ctx, qtbot):
    page.table.setColumnWidth(COLUMN["name"], 333)
    click_header(qtbot, page, COLUMN["region"])
    click_header(qtbot, page, COLUMN["region"])
    page.save_state()
    again = make_page(app_ctx, qtbot)
    assert again.table.columnWidth(COLUMN["name"]) == 333
    assert again.model.sort_order == (COLUMN["region"], True)
    regions = shown(again, "region")
    assert regions == sorted(regions, reverse=True)


def test_searching_10000_companies_stays_fast(store, app_ctx, qtbot):
    insert_companies(store, 10_000)
    page = make_page(app_ctx, qtbot)
    assert page.model.rowCount() == 10_000
    timings: list[float] = []
    original = page.model.set_filter

    def timed(flt):
        started = time.perf_counter()
        original(flt)
        timings.append(time.perf_counter() - started)

    page.model.set_filter = timed
    for text in ("(주)한빛", "123"):
        page.search.clear()
        page.apply_filter()
        for char in text:  # every keystroke, waiting for its filter to run
            expected = page.search.text() + char
            type_text(qtbot, page.search, char)
            qtbot.waitUntil(lambda text=expected: page.model.filter.text == text)
        assert shown_ids(page) == search_ids(store, text)
        assert 0 < page.model.rowCount() < 10_000
    assert max(timings) < FILTER_LIMIT_S, [f"{t * 1000:.1f} ms" for t in timings]

    page.year_filter.setCurrentIndex(page.year_filter.findData(2))
    page.status_filter.setCurrentIndex(page.status_filter.findData("completed"))
    started = time.perf_counter()
    click_header(qtbot, page, COLUMN["business_no"])
    assert time.perf_counter() - started < 0.5
    numbers = shown(page, "business_no")
    assert numbers == sorted(numbers) and all((2, "completed") in page.model.row(r).years
                                              for r in range(page.model.rowCount()))


def test_the_company_list_benchmark_runs_at_a_tiny_scale(qapp, capsys):
    from tests.benchmarks import bench_company_list, run

    assert "company_list" in run.discover()
    figures = bench_company_list.main(scale=0.01)
    assert figures["companies"] == 100 and figures["name_keystrokes"] > 0
    assert "per keystroke" not in capsys.readouterr().out  # the verdict is printed at full scale only
