"""The batch certificates page on the demo programme: the list, its filters, writing them all, cancel."""

from __future__ import annotations

import threading

import pypdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from consultant_app.domain.certificate import certificate_file_name, missing_lines
from consultant_app.domain.kpi import default_catalogue
from consultant_app.services.certificates import certificate_sources, eligibility
from consultant_app.ui.pages.certificates import CertificatesPage
from consultant_app.ui.tasks import TaskState

TIMEOUT = 180_000  # worker processes start from nothing on a busy two-core machine


@pytest.fixture
def sources(demo_store):
    with demo_store.session() as session:
        return eligibility(certificate_sources(session=session), default_catalogue())


@pytest.fixture
def page(demo_store, app_ctx, qtbot) -> CertificatesPage:
    widget = CertificatesPage(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.activated()
    qtbot.waitUntil(lambda: widget.loads == 1, timeout=30_000)
    return widget


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def table_texts(view) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def choose_folder(monkeypatch, folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))


def pdfs(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf")


def test_the_table_lists_every_engagement_with_its_status(page, sources):
    rows = table_texts(page.table)
    assert len(rows) == len(sources) == 56
    assert [row[-1] for row in rows].count("발급 가능") == 55
    source, missing = next((s, m) for s, m in sources if m)
    [row] = [r for r in rows if r[0] == source.company_name and r[2] == f"{source.year}차년도"]
    assert row[-1] == "; ".join(missing_lines(missing, "ko"))
    assert row[4] == source.consultant and row[3] == source.sponsor
    assert page.count_label.text() == "참여 56건 중 발급 가능 55건"


def test_the_filters_offer_what_is_in_the_data_and_narrow_the_list(page, sources):
    assert [page.year_combo.itemData(i) for i in range(page.year_combo.count())] == [None, 1, 2, 3, 4]
    consultants = sorted({s.consultant for s, _ in sources if s.consultant})
    assert [page.consultant_combo.itemText(i) for i in range(page.consultant_combo.count())] == [
        "전체 컨설턴트", *consultants]
    sponsors = sorted({s.sponsor for s, _ in sources if s.sponsor})
    assert [page.sponsor_combo.itemData(i) for i in range(1, page.sponsor_combo.count())] == sponsors
    choose(page.year_combo, 2)
    choose(page.consultant_combo, consultants[0])
    expected = [s for s, _ in sources if s.year == 2 and s.consultant == consultants[0]]
    assert {r.engagement_id for r in page.shown_rows()} == {s.engagement_id for s in expected}
    assert all(row[2] == "2차년도" and row[4] == consultants[0] for row in table_texts(page.table))


def test_writing_the_eligible_certificates_of_a_year_with_a_merged_file(page, qtbot, sources, tmp_path, monkeypatch):
    out = tmp_path / "certificates"
    choose_folder(monkeypatch, out)
    choose(page.year_combo, 2)
    # on the box itself, at the left (a check box reacts only there and on its text)
    qtbot.mouseClick(page.merged_check, Qt.MouseButton.LeftButton, pos=QPoint(8, page.merged_check.height() // 2))
    assert page.merged_check.isChecked()
    year_two = [(s, m) for s, m in sources if s.year == 2]
    eligible = [s for s, m in year_two if not m]
    skipped = [(s, m) for s, m in year_two if m]
    assert len(eligible) >= 6 and len(skipped) == 1  # enough for the worker processes; one left out

    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.progress.isVisible() and not page.export_button.isEnabled()
    qtbot.waitUntil(lambda: not page.progress.running, timeout=TIMEOUT)

    result = page.last_result
    assert not result.cancelled and len(result.written) == len(eligible)
    certificates = sorted(certificate_file_name(s) for s in eligible)
    assert pdfs(out) == sorted([*certificates, result.merged.name])
    assert not any(p.suffix == ".part" for p in out.iterdir())
    assert len(pypdf.PdfReader(result.merged).pages) == sum(len(pypdf.PdfReader(out / n).pages) for n in certificates)
    summary = page.summary.text()
    assert f"확인서 {len(eligible)}건을 저장했습니다: {out}" in summary
    assert f"합본 PDF: {result.merged}" in summary and "건너뜀 1건" in summary
    source, missing = skipped[0]
    [row] = table_texts(page.skipped)
    assert row[0] == source.company_name and row[-1] == "; ".join(missing_lines(missing, "ko"))
    assert page.skipped.isVisible() and page.export_button.isEnabled()

    opened = []
    page.open_file = opened.append
    qtbot.mouseClick(page.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [out]


@pytest.fixture
def held_after_first_certificates(monkeypatch):
    """Hold the batch at its first report of finished certificates until Cancel is pressed (a very big batch)."""
    original = TaskState.report
    reached = threading.Event()

    def report(self, done, total):
        original(self, done, total)
        if done > 0 and not reached.is_set():
            reached.set()
            self._cancel.wait(60)

    monkeypatch.setattr(TaskState, "report", report)
    return reached


def test_cancel_stops_the_batch_and_says_how_many_were_written(page, qtbot, tmp_path, monkeypatch,
                                                               held_after_first_certificates):
    out = tmp_path / "all"
    choose_folder(monkeypatch, out)
    assert page.export_all() is not None  # every year: 55 certificates
    qtbot.waitUntil(held_after_first_certificates.is_set, timeout=TIMEOUT)
    # The worker reported from its thread; the bar moves when that queued signal reaches the GUI thread.
    qtbot.waitUntil(lambda: page.progress.bar.value() >= 1, timeout=TIMEOUT)
    qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.progress.running, timeout=TIMEOUT)

    result = page.last_result
    assert result.cancelled and result.merged is None
    assert 0 < len(result.written) < 55
    assert pdfs(out) == sorted(p.name for p in result.written)  # every file whole: none half-written
    assert not any(p.suffix == ".part" for p in out.iterdir())
    first, *rest = page.summary.text().splitlines()
    assert first == f"취소했습니다. 취소하기 전에 확인서 {len(result.written)}건을 저장했습니다: {out}"
    assert rest == ["건너뜀 1건: 확인서에 필요한 값이 빠졌습니다 (아래 목록)."]  # known before the first was made
    assert page.export_button.isEnabled()


def test_no_folder_chosen_starts_nothing(page, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    assert page.export_all() is None and not page.progress.running


def test_saved_changes_refresh_the_list(page, qtbot, demo_store, app_ctx, sources):
    from sqlmodel import select

    from consultant_app.store.models import Company

    source = next(s for s, m in sources if not m)
    with demo_store.transaction() as session:
        company = session.exec(select(Company).where(Company.business_no == source.business_no)).one()
        company.representative = ""
    app_ctx.data_changed.emit()
    qtbot.waitUntil(lambda: page.loads == 2, timeout=30_000)
    [row] = [r for r in page.shown_rows() if r.engagement_id == source.engagement_id]
    assert row.missing == ("기업 대표자 이름이 없습니다.",)
    same_company = sum(1 for s, m in sources if s.business_no == source.business_no and not m)
    assert page.count_label.text() == f"참여 56건 중 발급 가능 {55 - same_company}건"


def test_the_batch_page_is_in_the_navigation_before_import_and_export(main_window):
    from consultant_app.ui.main_window import PAGES

    keys = [spec.key for spec in PAGES]
    assert keys.index("certificates") == keys.index("data") - 1
    assert main_window.nav.item(keys.index("certificates")).text() == "확인서 일괄 발급"
    assert main_window.show_page("certificates")
    assert isinstance(main_window.page("certificates"), CertificatesPage)
