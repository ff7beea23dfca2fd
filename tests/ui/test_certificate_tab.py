"""The certificate tab on the demo programme: preview pages, what is missing, save, open, print."""

from __future__ import annotations

import io

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog
from sqlmodel import select

from consultant_app.domain.certificate import certificate_file_name, missing_lines
from consultant_app.domain.kpi import default_catalogue
from consultant_app.services.certificates import certificate_sources, certificate_view, eligibility, render_pdf
from consultant_app.store.models import Company, Engagement
from consultant_app.ui.pages import certificate as certificate_module
from consultant_app.ui.pages.certificate import CertificateTab

TIMEOUT = 30_000


@pytest.fixture
def sources(demo_store):
    """Each demo engagement with what its certificate lacks."""
    with demo_store.session() as session:
        return eligibility(certificate_sources(session=session), default_catalogue())


@pytest.fixture
def eligible(sources):
    return next(source for source, missing in sources if not missing)


@pytest.fixture
def ineligible(sources):
    """The demo's engagement still in progress: no post values yet."""
    return next((source, missing) for source, missing in sources if missing)


@pytest.fixture
def started(app_ctx, monkeypatch) -> list:
    """Every function the tab hands to ctx.tasks (still run by the real task runner)."""
    calls: list = []
    original = app_ctx.tasks.start
    monkeypatch.setattr(app_ctx.tasks, "start", lambda fn, **kw: calls.append(fn) or original(fn, **kw))
    return calls


def make_tab(app_ctx, qtbot, engagement_id: str) -> CertificateTab:
    tab = CertificateTab(app_ctx, QUndoStack())
    qtbot.addWidget(tab)
    tab.resize(1000, 800)
    tab.set_engagement(engagement_id)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.renders == 1, timeout=TIMEOUT)
    return tab


@pytest.fixture
def tab(app_ctx, qtbot, eligible, started) -> CertificateTab:
    return make_tab(app_ctx, qtbot, eligible.engagement_id)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def page_count(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_an_eligible_engagement_shows_its_pages_made_in_the_background(tab, demo_store, eligible, started):
    expected = render_pdf(certificate_view(demo_store, eligible.engagement_id))
    assert tab.stack.currentIndex() == tab.PREVIEW
    assert tab.preview.page_count() == page_count(expected) == len(tab.rendered().images) >= 1
    assert page_count(tab.rendered().pdf) == page_count(expected)
    assert eligible.company_name in pdf_text(tab.rendered().pdf)
    assert len(started) == 1  # the PDF and its images came from ctx.tasks, not the GUI thread
    # every page is drawn, fit to the view's width, in page shape
    width = tab.preview.viewport().width()
    for label in tab.preview.page_labels():
        pixmap = label.pixmap()
        assert not pixmap.isNull()
        assert width - 40 < pixmap.width() <= width
        assert pixmap.height() == pytest.approx(pixmap.width() * 842 / 595, rel=0.01)
    assert tab.draft_note.isVisible() and "DRAFT" in tab.draft_note.text()
    assert eligible.company_name in tab.title.text() and tab.rendered().view.number in tab.title.text()
    assert all(b.isEnabled() for b in (tab.save_button, tab.open_button, tab.print_button))


def test_the_preview_fits_the_new_width_when_the_tab_is_resized(tab, qtbot):
    before = tab.preview.page_labels()[0].pixmap().width()
    tab.resize(700, 800)
    qtbot.waitUntil(lambda: tab.preview.page_labels()[0].pixmap().width() < before)
    assert tab.preview.page_labels()[0].pixmap().width() <= tab.preview.viewport().width()


def test_an_ineligible_engagement_lists_what_is_missing(app_ctx, qtbot, ineligible):
    source, missing = ineligible
    tab = make_tab(app_ctx, qtbot, source.engagement_id)
    assert tab.stack.currentIndex() == tab.MISSING
    shown = [tab.missing_list.item(i).text() for i in range(tab.missing_list.count())]
    assert shown == missing_lines(missing, "ko")
    assert any("개선값" in line for line in shown)
    assert source.company_name in tab.missing_heading.text()
    assert tab.missing_hint.isVisible() and tab.preview.page_count() == 0
    assert tab.rendered() is None


def test_the_missing_list_is_in_the_language_of_the_window(app_ctx, qtbot, ineligible):
    source, missing = ineligible
    app_ctx.lang = "en"
    tab = make_tab(app_ctx, qtbot, source.engagement_id)
    shown = [tab.missing_list.item(i).text() for i in range(tab.missing_list.count())]
    assert shown == missing_lines(missing, "en")
    assert all(line.endswith("missing") for line in shown)


def test_saved_changes_refresh_the_tab(tab, qtbot, demo_store, app_ctx, eligible):
    with demo_store.transaction() as session:
        company = session.exec(select(Company).where(Company.business_no == eligible.business_no)).one()
        company.representative = None
    app_ctx.data_changed.emit()
    qtbot.waitUntil(lambda: tab.renders == 2, timeout=TIMEOUT)
    assert tab.stack.currentIndex() == tab.MISSING
    assert [tab.missing_list.item(i).text() for i in range(tab.missing_list.count())] == ["기업 대표자 이름이 없습니다."]


def test_another_engagement_replaces_the_shown_one(tab, qtbot, ineligible):
    source, _missing = ineligible
    tab.set_engagement(source.engagement_id)
    qtbot.waitUntil(lambda: tab.renders == 2, timeout=TIMEOUT)
    assert tab.stack.currentIndex() == tab.MISSING
    tab.set_engagement(None)
    assert tab.stack.currentIndex() == tab.MESSAGE and tab.rendered() is None


def test_a_hidden_tab_renders_only_when_shown_again(tab, qtbot, app_ctx, started):
    tab.hide()
    app_ctx.data_changed.emit()
    app_ctx.data_changed.emit()
    assert len(started) == 1
    tab.show()
    qtbot.waitUntil(lambda: tab.renders == 2, timeout=TIMEOUT)
    assert len(started) == 2 and tab.stack.currentIndex() == tab.PREVIEW


def test_save_writes_the_pdf_where_the_user_chose(tab, qtbot, eligible, tmp_path, monkeypatch):
    asked = []
    chosen = tmp_path / "out" / "my certificate"  # typed without .pdf
    chosen.parent.mkdir()

    def get_save_file_name(_parent, _title, start, _filter, *args, **kwargs):
        asked.append(start)
        return str(chosen), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    saved = chosen.with_name("my certificate.pdf")
    qtbot.waitUntil(lambda: "저장했습니다" in tab.status.text(), timeout=TIMEOUT)
    assert asked[0].endswith(certificate_file_name(eligible))
    assert saved.exists() and not saved.with_name(saved.name + ".part").exists()
    assert eligible.company_name in pdf_text(saved.read_bytes())
    assert str(saved) in tab.status.text()
    # the next save starts in the folder used last
    tab.save()
    qtbot.waitUntil(lambda: len(asked) == 2)
    assert asked[1] == str(saved.parent / certificate_file_name(eligible))


def test_cancelling_the_save_dialog_writes_nothing(tab, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert tab.save() is None
    assert tab.status.text() == ""


def test_open_writes_into_the_data_folder_and_opens_it(tab, qtbot, eligible, demo_store):
    opened = []
    tab.open_file = opened.append
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT)
    path = demo_store.data_dir / "certificates" / certificate_file_name(eligible)
    assert opened == [path]
    assert eligible.company_name in pdf_text(path.read_bytes())
    assert "열었습니다" in tab.status.text()


def test_open_says_where_the_file_is_when_no_viewer_opens_it(tab, qtbot, demo_store, eligible):
    tab.open_file = lambda _path: False
    tab.open_in_viewer()
    qtbot.waitUntil(lambda: "찾지 못했습니다" in tab.status.text(), timeout=TIMEOUT)
    assert str(demo_store.data_dir / "certificates" / certificate_file_name(eligible)) in tab.status.text()


@pytest.fixture
def print_to_pdf(monkeypatch, tmp_path):
    """The print dialog, accepted with "print to file" chosen: the printer writes this PDF."""
    out = tmp_path / "printed.pdf"
    shown = []

    class PrintToFile:
        def __init__(self, printer, parent=None):
            self.printer = printer
            shown.append(printer)

        def setObjectName(self, _name):  # noqa: N802 - Qt's names
            pass

        def setWindowTitle(self, _title):  # noqa: N802
            pass

        def exec(self):
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(out))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(certificate_module, "QPrintDialog", PrintToFile)
    return out, shown


def test_print_paints_every_page_onto_the_printer(tab, qtbot, print_to_pdf):
    out, shown = print_to_pdf
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and tab.print_task is not None
    qtbot.waitUntil(lambda: tab.print_task is None, timeout=TIMEOUT)
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == tab.preview.page_count() == page_count(tab.rendered().pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (width, height) == pytest.approx((595.3, 841.9), abs=1)  # A4, as the certificate
    assert "인쇄로 보냈습니다" in tab.status.text()
    assert tab.print_button.isEnabled()


def test_a_refused_print_dialog_prints_nothing(tab, monkeypatch):
    class Refused:
        def __init__(self, *_args):
            pass

        def setObjectName(self, _name):  # noqa: N802
            pass

        def setWindowTitle(self, _title):  # noqa: N802
            pass

        def exec(self):
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(certificate_module, "QPrintDialog", Refused)
    assert tab.print_certificate() is None and tab.print_task is None


def test_the_workspace_has_the_certificate_tab_for_the_chosen_year(main_window, demo_store, qtbot, ineligible):
    source, missing = ineligible
    with demo_store.session() as session:
        company_id = session.get(Engagement, source.engagement_id).company_id
    main_window.open_company(company_id)
    workspace = main_window.page("workspace")
    workspace.year_picker.setCurrentIndex(workspace.year_picker.findData(source.engagement_id))
    tab = workspace.tab_widgets["certificate"]
    assert workspace.tabs.tabText(workspace.tabs.indexOf(tab)) == "확인서"
    assert tab.renders == 0  # hidden until chosen: nothing rendered yet
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.renders >= 1, timeout=TIMEOUT)
    assert tab.stack.currentIndex() == tab.MISSING
    assert tab.missing_list.count() == len(missing_lines(missing, "ko"))
