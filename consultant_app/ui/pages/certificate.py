"""The certificate tab: the selected engagement's improvement certificate, previewed, saved, opened or printed,
and issued (or corrected) by the central office through the laptop's kept sync login.

An engagement that lacks what a certificate prints shows the list of what is missing instead. The PDF is made and
its pages rasterised in the background; the tab only turns the finished images into pixmaps. Asking the office to
issue runs in the background too (it syncs, asks, and syncs again), then the tab shows what came down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPageSize, QShowEvent, QUndoStack
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.certificate import CertificateSource, CertificateView, Issued, certificate_file_name
from consultant_app.errors import error_text
from consultant_app.files import write_atomically
from consultant_app.ui.context import AppContext
from consultant_app.ui.files import open_with_system, save_start, with_suffix
from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.pages.base import Tab
from consultant_app.ui.progress import InlineProgress, run_with_dialog
from consultant_app.ui.tasks import TaskHandle, TaskState
from consultant_app.ui.widgets.page_preview import PagePreview

CERTIFICATES_FOLDER = "certificates"  # under the data folder: what 열기 writes before opening
MIN_SCALE, MAX_SCALE = 2.0, 3.0  # preview pixels per PDF point: sharp when fit to a wide window, bounded memory
A4_WIDTH_POINTS = 595
MAX_MISSING_ROWS = 20
ERROR_STYLE = "color: #b00020;"


@dataclass(frozen=True)
class Rendered:
    """An eligible engagement's certificate: its view, its PDF and its pages as images; ``issued`` is the office's
    valid certificate as this laptop last pulled it, even when the view is a draft (values changed here since)."""

    engagement_id: str
    view: CertificateView
    pdf: bytes
    images: list[QImage]
    issued: Issued | None = None


@dataclass(frozen=True)
class Ineligible:
    """An engagement without a certificate, and what it lacks (already in the user's language)."""

    engagement_id: str
    source: CertificateSource
    lines: list[str]


def make_certificate(store, engagement_id: str, *, lang: str, scale: float,
                     cancelled: Callable[[], bool]) -> Rendered | Ineligible | None:
    """The certificate and its page images, or what it lacks; None when cancelled (runs on a worker thread)."""
    from consultant_app.domain.certificate import NotEligible, missing_lines
    from consultant_app.services.certificates import certificate_view, issued_for, render_pdf
    from consultant_app.ui.pdf_pages import render_pages

    try:
        view = certificate_view(store, engagement_id)
    except NotEligible as exc:
        return Ineligible(engagement_id, exc.source, missing_lines(exc.missing, lang))
    if cancelled():
        return None
    pdf = render_pdf(view)
    if cancelled():
        return None
    images = render_pages(pdf, scale=scale, cancelled=cancelled)
    issued = view.issued or issued_for(store, engagement_id)
    return None if cancelled() else Rendered(engagement_id, view, pdf, images, issued)


def _write_pdf(path: Path, data: bytes) -> tuple[Path, BaseException | None]:
    """Write the PDF whole (worker thread); the error comes back as a value."""
    try:
        return write_atomically(path, data), None
    except OSError as exc:
        return path, exc


class CertificateTab(Tab):
    """What the engagement's certificate looks like, or what it still lacks; with save, open and print."""

    MESSAGE, MISSING, PREVIEW = range(3)

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        # How 열기 shows a file: the system's PDF viewer (tests put a recorder here).
        self.open_file: Callable[[Path], object] = open_with_system
        self.engagement_id: str | None = None
        self.result: Rendered | Ineligible | None = None
        self.task: TaskHandle | None = None
        self.print_task: TaskHandle | None = None
        self.renders = 0  # results shown (tests wait on it)
        self.issues = 0  # issue requests ended, well or not (tests wait on it)
        # What an issue request ended with (its engagement, text, whether it failed, the number issued), said once
        # the tab shows that engagement's certificate made from the records the request brought.
        self._notice: tuple[str, str, bool, str | None] | None = None
        self._actions_enabled = False
        self._issuing: str | None = None  # the engagement of the issue request under way (or that ended last)
        self._generation = 0
        self._stale = True

        self.message = QLabel()
        self.message.setObjectName("certificate_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)

        self.missing_heading = QLabel()
        self.missing_heading.setObjectName("certificate_missing_heading")
        self.missing_heading.setWordWrap(True)
        font = self.missing_heading.font()
        font.setBold(True)
        self.missing_heading.setFont(font)
        self.missing_list = QListWidget()
        self.missing_list.setObjectName("certificate_missing_list")
        self.missing_list.setStyleSheet("QListWidget { color: #8a1c1c; }")
        self.missing_hint = QLabel(translate(
            "CertificateTab", "참여 정보·KPI 탭에서 빠진 값을 채우고 저장하면 이곳에 확인서 미리보기가 나타납니다."))
        self.missing_hint.setObjectName("certificate_missing_hint")
        self.missing_hint.setWordWrap(True)
        self.missing_hint.setStyleSheet("color: #4a5563;")
        self.missing_notice = QLabel()  # an issue request refused because of what is missing
        self.missing_notice.setObjectName("certificate_missing_notice")
        self.missing_notice.setWordWrap(True)
        self.missing_notice.setStyleSheet(ERROR_STYLE)
        self.missing_notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing_notice.hide()
        missing = QWidget()
        column = QVBoxLayout(missing)
        column.addWidget(self.missing_notice)
        column.addWidget(self.missing_heading)
        column.addWidget(self.missing_list)
        column.addWidget(self.missing_hint)
        column.addStretch(1)

        self.title = QLabel()
        self.title.setObjectName("certificate_title")
        self.title.setFont(font)
        self.draft_note = QLabel(translate(
            "CertificateTab", "초안 / DRAFT: 중앙추진본부가 발급하기 전의 확인서입니다. 공식 확인서로 쓸 수 없습니다."))
        self.draft_note.setObjectName("certificate_draft_note")
        self.draft_note.setWordWrap(True)
        self.draft_note.setStyleSheet("background: #fff4ce; color: #6b4e00; border: 1px solid #e0c872;"
                                      " border-radius: 4px; padding: 4px 8px;")
        self.save_button = QPushButton(translate("CertificateTab", "저장…"))
        self.save_button.setObjectName("certificate_save")
        self.save_button.clicked.connect(lambda: self.save())
        self.open_button = QPushButton(translate("CertificateTab", "열기"))
        self.open_button.setObjectName("certificate_open")
        self.open_button.setToolTip(translate("CertificateTab", "데이터 폴더의 certificates 폴더에 저장하고 PDF 뷰어로 엽니다"))
        self.open_button.clicked.connect(lambda: self.open_in_viewer())
        self.print_button = QPushButton(translate("CertificateTab", "인쇄…"))
        self.print_button.setObjectName("certificate_print")
        self.print_button.clicked.connect(lambda: self.print_certificate())
        self.issue_button = QPushButton(translate("CertificateTab", "발급 요청"))
        self.issue_button.setObjectName("certificate_issue")
        self.issue_button.clicked.connect(lambda: self.request_issue())
        self.correct_button = QPushButton(translate("CertificateTab", "정정 발급"))
        self.correct_button.setObjectName("certificate_correct")
        self.correct_button.clicked.connect(lambda: self.request_issue(correct=True))
        self.correct_button.hide()
        self.issue_progress = InlineProgress(ctx.tasks)
        self.issue_progress.setObjectName("certificate_issue_progress")
        self.status = QLabel()
        self.status.setObjectName("certificate_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()  # shown with a message: an empty line would push the pages down
        self.preview = PagePreview()
        self.preview.setObjectName("certificate_preview")
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.title, 1)
        for button in (self.issue_button, self.correct_button, self.save_button, self.open_button, self.print_button):
            toolbar.addWidget(button)
        shown = QWidget()
        column = QVBoxLayout(shown)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(toolbar)
        column.addWidget(self.issue_progress)
        column.addWidget(self.draft_note)
        column.addWidget(self.status)
        column.addWidget(self.preview, 1)

        self.stack = QStackedWidget()
        self.stack.setObjectName("certificate_stack")
        for widget in (self.message, missing, shown):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self._show_message(translate("CertificateTab", "참여 차수를 고르면 확인서를 볼 수 있습니다."))
        ctx.data_changed.connect(self._on_data_changed)

    # -- what to show --------------------------------------------------------------------------------------
    def set_engagement(self, engagement_id: str | None) -> None:
        self.engagement_id = engagement_id
        self._invalidate()

    def _on_data_changed(self) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        self._stale = True
        self._generation += 1  # a result under way belongs to data or an engagement no longer shown
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()  # a hidden tab makes no PDFs: each save elsewhere would cost a render
        else:
            self._update_issue_actions()  # a login or log-out on the sync page meanwhile

    def refresh(self) -> None:
        """Make the certificate (or find what it lacks) in the background, then show it."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        if self.task is not None and self.task.running:
            self.task.cancel()
        engagement_id = self.engagement_id
        if engagement_id is None:
            self.result = None
            self._show_message(translate("CertificateTab", "참여 차수를 고르거나 새 참여를 저장하면 확인서를 볼 수 있습니다."))
            return
        if self.result is not None and self.result.engagement_id == engagement_id:
            # the old one stays meanwhile
            self._say(translate("CertificateTab", "바뀐 내용으로 다시 만드는 중…"), tone="busy")
        else:
            self.result = None
            self._show_message(translate("CertificateTab", "확인서를 만드는 중…"))
        self._set_actions_enabled(False)
        store, lang = self.ctx.store, self.ctx.lang
        ratio = self.devicePixelRatioF()
        scale = min(max(self.preview.viewport().width() * ratio / A4_WIDTH_POINTS, MIN_SCALE), MAX_SCALE)

        def work(state: TaskState):
            try:
                return generation, make_certificate(store, engagement_id, lang=lang, scale=scale,
                                                    cancelled=state.cancelled)
            except Exception as exc:  # noqa: BLE001 - shown in the tab, as a value
                return generation, exc

        self.task = self.ctx.tasks.start(work, on_done=self._on_result)

    def _on_result(self, result) -> None:
        generation, outcome = result
        if generation != self._generation or outcome is None:
            return  # a newer request is on its way
        self.renders += 1
        if isinstance(outcome, BaseException):
            self.result = None
            self._notice = None
            self._show_message(translate("CertificateTab", "확인서를 만들지 못했습니다: %1")
                               .replace("%1", error_text(outcome, self.ctx.lang)), failed=True)
            return
        self.result = outcome
        if isinstance(outcome, Ineligible):
            self._show_missing(outcome)
        else:
            self._show_preview(outcome)

    def _show_message(self, text: str, *, failed: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if failed else "color: #4a5563;")
        self.stack.setCurrentIndex(self.MESSAGE)
        self.preview.clear()

    def _show_missing(self, outcome: Ineligible) -> None:
        source = outcome.source
        self.missing_heading.setText(
            translate("CertificateTab", "%1 %2차년도: 아직 확인서를 만들 수 없습니다. 빠진 것 %3가지:")
            .replace("%1", source.company_name).replace("%2", str(source.year))
            .replace("%3", format_number(len(outcome.lines))))
        self.missing_list.clear()
        self.missing_list.addItems(outcome.lines)
        # As tall as its lines (a few), not the whole tab; a long list scrolls past MAX_MISSING_ROWS.
        rows = min(max(len(outcome.lines), 1), MAX_MISSING_ROWS)
        frame = 2 * self.missing_list.frameWidth() + 6
        self.missing_list.setFixedHeight(rows * max(self.missing_list.sizeHintForRow(0), 16) + frame)
        # The records an issue request brought can make the engagement ineligible (another laptop emptied a value):
        # the office's refusal is said above the list.
        notice, self._notice = self._notice, None
        self.missing_notice.setText(notice[1] if notice and notice[0] == outcome.engagement_id else "")
        self.missing_notice.setVisible(bool(self.missing_notice.text()))
        self.stack.setCurrentIndex(self.MISSING)
        self.preview.clear()

    def _show_preview(self, outcome: Rendered) -> None:
        view = outcome.view
        self.title.setText(translate("CertificateTab", "%1 %2차년도 개선 확인서 · 번호 %3 · %4쪽")
                           .replace("%1", view.source.company_name).replace("%2", str(view.source.year))
                           .replace("%3", view.number).replace("%4", format_number(len(outcome.images))))
        self.draft_note.setVisible(view.is_draft)
        self.status.clear()
        self.status.hide()
        self.stack.setCurrentIndex(self.PREVIEW)
        self.preview.set_images(outcome.images)
        self._set_actions_enabled(True)
        notice, self._notice = self._notice, None  # for the engagement asked about, not one chosen meanwhile
        if notice is not None and notice[0] == outcome.engagement_id:
            _engagement_id, text, failed, number = notice
            if number is not None and view.is_draft:
                text, failed = translate(
                    "CertificateTab", "확인서 %1이(가) 발급되었지만 이 컴퓨터의 기록이 확인된 값과 달라 초안만 인쇄할 수 "
                                      "있습니다. 동기화 페이지에서 남은 변경을 확인하세요.").replace("%1", number), True
            self._say(text, failed=failed)

    def _set_actions_enabled(self, enabled: bool) -> None:
        self._actions_enabled = enabled
        for button in (self.save_button, self.open_button):
            button.setEnabled(enabled)
        self.print_button.setEnabled(enabled and self.print_task is None)
        self._update_issue_actions()

    def _say(self, text: str, *, failed: bool = False, tone: str = "done") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if failed else "color: #4a5563;" if tone == "busy" else "color: #1b7f3b;")
        self.status.show()

    def rendered(self) -> Rendered | None:
        """The certificate shown now, if any."""
        return self.result if isinstance(self.result, Rendered) else None

    # -- save and open -------------------------------------------------------------------------------------
    def save(self, path: Path | None = None) -> TaskHandle | None:
        """Write the PDF to ``path`` (None: ask with a save dialog), whole or not at all."""
        shown = self.rendered()
        if shown is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, translate("CertificateTab", "확인서 저장"),
                save_start(self.ctx.settings.export_folder, certificate_file_name(shown.view.source)),
                translate("CertificateTab", "PDF 문서 (*.pdf)"))
            if not chosen:
                return None
            path = with_suffix(chosen)
            self.ctx.settings.export_folder = str(path.parent)
        data = shown.pdf
        target = Path(path)
        return self.ctx.tasks.start(lambda _state: _write_pdf(target, data), on_done=self._saved)

    def _saved(self, result: tuple[Path, BaseException | None]) -> None:
        path, error = result
        if error is not None:
            self._say(translate("CertificateTab", "저장하지 못했습니다: %1").replace(
                "%1", error_text(error, self.ctx.lang)), failed=True)
        else:
            self._say(translate("CertificateTab", "저장했습니다: %1").replace("%1", str(path)))

    def open_in_viewer(self) -> TaskHandle | None:
        """Write the PDF into the data folder's certificates folder and open it in the system's viewer."""
        shown = self.rendered()
        if shown is None:
            return None
        path = self.ctx.store.data_dir / CERTIFICATES_FOLDER / certificate_file_name(shown.view.source)
        data = shown.pdf
        return self.ctx.tasks.start(lambda _state: _write_pdf(path, data), on_done=self._written_for_viewer)

    def _written_for_viewer(self, result: tuple[Path, BaseException | None]) -> None:
        path, error = result
        if error is not None:
            self._saved(result)
        elif self.open_file(path) is False:
            self._say(translate("CertificateTab", "PDF를 열 프로그램을 찾지 못했습니다. 파일은 여기 있습니다: %1")
                      .replace("%1", str(path)), failed=True)
        else:
            self._say(translate("CertificateTab", "열었습니다: %1").replace("%1", str(path)))

    # -- issue ---------------------------------------------------------------------------------------------
    def sync_account(self) -> tuple[str, str] | None:
        """The server and user of this laptop's last whole sync, when their login token is kept here."""
        from consultant_app.sync.account import kept_account

        return kept_account(self.ctx.store)

    def _update_issue_actions(self) -> None:
        """발급 요청, or 정정 발급 when an issued certificate's values were changed here (only a draft prints)."""
        shown = self.rendered()
        official = shown is not None and not shown.view.is_draft
        correcting = shown is not None and shown.issued is not None and not official
        self.issue_button.setVisible(not correcting)
        self.correct_button.setVisible(correcting)
        if shown is None or not self._actions_enabled or self.issue_progress.running:
            self.issue_button.setEnabled(False)
            self.correct_button.setEnabled(False)
            return
        account = self.sync_account()
        if account is None:
            tip = translate("CertificateTab", "동기화 페이지에서 먼저 로그인해 동기화하세요. 발급 요청은 저장된 로그인으로 보냅니다.")
            self.issue_button.setToolTip(tip)
            self.correct_button.setToolTip(tip)
        else:
            who = f"{account[1]} @ {account[0]}"
            self.issue_button.setToolTip(
                translate("CertificateTab", "발급된 확인서입니다: %1").replace("%1", shown.view.number) if official else
                translate("CertificateTab", "중앙추진본부에 확인서 발급을 요청합니다 (먼저 동기화합니다): %1").replace("%1", who))
            self.correct_button.setToolTip(
                translate("CertificateTab", "발급된 확인서 %1의 확인된 값이 이 컴퓨터에서 바뀌었습니다. 바뀐 값을 정정으로 "
                                            "보내 다음 판을 발급받습니다: %2")
                .replace("%1", shown.issued.number if shown.issued else "").replace("%2", who))
        self.issue_button.setEnabled(account is not None and not official)
        self.correct_button.setEnabled(account is not None)

    def request_issue(self, *, correct: bool = False) -> TaskHandle | None:
        """Ask the office to issue (or, with ``correct``, correct) the shown certificate, in the background."""
        shown = self.rendered()
        button = self.correct_button if correct else self.issue_button
        if shown is None or self.issue_progress.running or not button.isEnabled():
            return None
        account = self.sync_account()
        if account is None:
            self._update_issue_actions()
            return None
        from consultant_app.sync.account import issue_with_kept_login

        store, engagement_id = self.ctx.store, shown.engagement_id
        self._notice, self._issuing = None, engagement_id
        handle = self.issue_progress.run(
            lambda _state: issue_with_kept_login(store, engagement_id, correct=correct),
            label=translate("CertificateTab", "정정 발급을 요청하는 중… (동기화 포함)") if correct else
            translate("CertificateTab", "발급을 요청하는 중… (동기화 포함)"),
            on_done=self._issued, on_error=self._issue_failed, cancellable=False)
        self._update_issue_actions()
        return handle

    def _issued(self, certificate: dict) -> None:
        self.issues += 1
        number = str(certificate.get("number", ""))
        text = translate("CertificateTab", "발급받았습니다: 확인서 %1 제%2판").replace("%1", number).replace(
            "%2", str(certificate.get("version", "")))
        self._notice = (self._issuing, text, False, number)
        self._after_issue()

    def _issue_failed(self, error: BaseException) -> None:
        self.issues += 1
        self._notice = (self._issuing, translate("CertificateTab", "발급받지 못했습니다: %1").replace(
            "%1", error_text(error, self.ctx.lang)), True, None)
        self._after_issue()

    def _after_issue(self) -> None:
        # The syncs brought records (the issued certificate among them): every page refreshes, this tab too, and
        # the notice is said once the certificate shown is the one made from them.
        self._update_issue_actions()
        self.ctx.data_changed.emit()

    # -- print ---------------------------------------------------------------------------------------------
    def print_certificate(self) -> TaskHandle | None:
        """Ask for a printer, then print every page."""
        shown = self.rendered()
        if shown is None or self.print_task is not None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(certificate_file_name(shown.view.source)[:-4])
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("certificate_print_dialog")
        dialog.setWindowTitle(translate("CertificateTab", "확인서 인쇄"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> TaskHandle | None:
        """Paint each page, rendered at the printer's resolution, onto ``printer`` in the background."""
        from consultant_app.ui.pdf_pages import print_pages

        shown = self.rendered()
        if shown is None or self.print_task is not None:
            return None
        data = shown.pdf
        self._printer = printer  # the worker paints on it: it lives until the task ends
        self.print_button.setEnabled(False)
        self.print_task = run_with_dialog(
            self.ctx.tasks, lambda state: print_pages(data, printer, cancelled=state.cancelled, progress=state.report),
            parent=self, title=translate("CertificateTab", "확인서 인쇄"),
            label=translate("CertificateTab", "인쇄하는 중…"), on_done=self._printed, on_error=self._print_failed)
        return self.print_task

    def _print_ended(self) -> None:
        self.print_task = None
        self._printer = None
        self.print_button.setEnabled(self.rendered() is not None)

    def _printed(self, pages: int) -> None:
        total = len(self.rendered().images) if self.rendered() else pages
        self._print_ended()
        if pages < total:
            self._say(translate("CertificateTab", "인쇄를 취소했습니다."))
        else:
            self._say(translate("CertificateTab", "인쇄로 보냈습니다: %1쪽").replace("%1", format_number(pages)))

    def _print_failed(self, error: BaseException) -> None:
        self._print_ended()
        self._say(translate("CertificateTab", "인쇄하지 못했습니다: %1").replace("%1", error_text(error, self.ctx.lang)),
                  failed=True)
