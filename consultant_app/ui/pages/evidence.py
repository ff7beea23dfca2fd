"""The evidence panel of the visits tab: an engagement's photos and documents, with thumbnails."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from consultant_app.errors import AppError
from consultant_app.services import visits as service
from consultant_app.services.visits import AttachmentRow, VisitRow
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import format_date, format_number, translate
from consultant_app.ui.tasks import TaskHandle, TaskState
from consultant_app.ui.thumbnails import ThumbnailCache, square_thumbnail

THUMBNAIL_ROLE = Qt.ItemDataRole.UserRole + 1  # True once an item shows its image's thumbnail
ERROR_STYLE = "color: #b00020;"


class EvidencePanel(QWidget):
    """Files kept as evidence of an engagement or one of its visits; copying runs in the background."""

    changed = Signal()  # files were added or removed

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.engagement_id: str | None = None
        self.visit_id: str | None = None
        self._visit_dates: dict[str, date] = {}
        self._to_engagement = False  # the user chose the engagement over the visit in the form
        self.attach_task: TaskHandle | None = None
        self.thumbnails = ThumbnailCache(ctx.tasks, parent=self)
        self.thumbnails.ready.connect(self._thumbnail_ready)

        self.target_combo = QComboBox()
        self.target_combo.setObjectName("attach_target")
        self.target_combo.activated.connect(lambda index: setattr(self, "_to_engagement", index == 0))
        self.attach_button = self._button("attach_files", translate("EvidencePanel", "파일 첨부…"), self.choose_files)
        self.open_button = self._button("open_attachment", translate("EvidencePanel", "열기"), self.open_selected)
        self.remove_button = self._button("delete_attachment", translate("EvidencePanel", "첨부 삭제"),
                                          self.delete_selected)
        self.progress = QProgressBar()
        self.progress.setObjectName("attach_progress")
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.list = QListWidget()
        self.list.setObjectName("evidence_list")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        size = self.thumbnails.size
        self.list.setIconSize(QSize(size, size))
        self.list.setGridSize(QSize(size + 56, size + 60))
        self.list.setMinimumHeight(size + 72)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(True)
        self.list.itemDoubleClicked.connect(lambda item: self.open_attachment(item.data(Qt.ItemDataRole.UserRole)))
        self.message = QLabel()
        self.message.setObjectName("evidence_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        top = QHBoxLayout()
        hint = QLabel(translate("EvidencePanel", "증빙 자료 (사진·문서, 파일을 여기로 끌어다 놓아도 됩니다)"))
        top.addWidget(hint, 1)
        top.addWidget(self.progress)
        top.addWidget(QLabel(translate("EvidencePanel", "첨부 대상")))
        top.addWidget(self.target_combo)
        top.addWidget(self.attach_button)
        top.addWidget(self.open_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        return button

    # -- what is shown -------------------------------------------------------------------------------------
    def set_scope(self, engagement_id: str | None, visits: list[VisitRow], visit_id: str | None) -> None:
        """Show the files of ``engagement_id``; new files go to ``visit_id`` (when saved) by default."""
        if engagement_id != self.engagement_id:
            self.message.hide()
        self.engagement_id = engagement_id
        self._visit_dates = {v.id: v.visit_date for v in visits}
        self.set_visit(visit_id)
        self.reload()

    def set_visit(self, visit_id: str | None) -> None:
        """Offer the engagement, and the visit in the form once it is saved (the default, unless the user chose)."""
        self.visit_id = visit_id if visit_id in self._visit_dates else None
        self.target_combo.clear()
        self.target_combo.addItem(translate("EvidencePanel", "참여 전체"), "")
        if self.visit_id is not None:
            day = format_date(self._visit_dates[self.visit_id])
            self.target_combo.addItem(translate("EvidencePanel", "선택한 방문 (%1)").replace("%1", day), self.visit_id)
            self.target_combo.setCurrentIndex(0 if self._to_engagement else 1)

    def attach_target(self) -> str | None:
        """The visit new files go to, or None for the engagement itself."""
        return self.target_combo.currentData() or None

    def reload(self) -> None:
        self.list.clear()
        if self.engagement_id is None:
            return
        files = service.list_attachments(self.ctx.store, self.engagement_id)
        for row in files:
            if row.visit_id in self._visit_dates:
                scope = format_date(self._visit_dates[row.visit_id])
            else:
                scope = translate("EvidencePanel", "참여 전체")
            item = QListWidgetItem(f"{row.file_name}\n{scope}")
            item.setData(Qt.ItemDataRole.UserRole, row)
            item.setToolTip(f"{row.file_name}\n{scope}\n{format_number(row.size_bytes)} B\nSHA-256 {row.sha256}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self._set_icon(item, row)
            self.list.addItem(item)
        self.thumbnails.request([(r.sha256, str(r.path)) for r in files if r.is_image and r.path.exists()])

    def _set_icon(self, item: QListWidgetItem, row: AttachmentRow) -> None:
        pixmap = self.thumbnails.get(row.sha256) if row.is_image else None
        if pixmap is not None:
            item.setIcon(QIcon(square_thumbnail(pixmap, self.thumbnails.size)))
            item.setData(THUMBNAIL_ROLE, True)
        else:
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
            item.setData(THUMBNAIL_ROLE, False)

    def _thumbnail_ready(self, sha256: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            row: AttachmentRow = item.data(Qt.ItemDataRole.UserRole)
            if row.sha256 == sha256:
                self._set_icon(item, row)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- adding files --------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        if self.engagement_id is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self, translate("EvidencePanel", "첨부할 파일"), "",
            translate("EvidencePanel", "사진·문서 (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.pdf *.hwp *.hwpx *.docx "
                                       "*.xlsx *.pptx *.txt);;모든 파일 (*)"))
        if paths:
            self.attach_paths([Path(p) for p in paths])

    def attach_paths(self, paths: list[Path]) -> None:
        """Keep ``paths`` as evidence: files over the limit are refused first, the rest copied in the background."""
        if self.engagement_id is None or not paths:
            return
        limit = service.attachment_limit()
        refused = service.oversized(paths, max_bytes=limit)
        self._say("\n".join(error.message(self.ctx.lang) for error in refused))
        refused_paths = {error.path for error in refused}
        accepted = [p for p in paths if p not in refused_paths]
        if not accepted:
            return
        store, engagement_id, visit_id = self.ctx.store, self.engagement_id, self.attach_target()
        self.progress.setRange(0, len(accepted))
        self.progress.setValue(0)
        self.progress.show()
        self.attach_button.setEnabled(False)

        def work(state: TaskState) -> list[str]:
            return service.attach_files(store, accepted, engagement_id=engagement_id, visit_id=visit_id,
                                        max_bytes=limit, progress=state.report, cancelled=state.cancelled)

        self.attach_task = self.ctx.tasks.start(work, on_done=self._attached, on_error=self._attach_failed,
                                                on_progress=lambda done, _total: self.progress.setValue(done))

    def _attach_finished(self) -> None:
        self.attach_task = None
        self.progress.hide()
        self.attach_button.setEnabled(True)

    def _attached(self, _ids: list[str]) -> None:
        self._attach_finished()
        self.changed.emit()

    def _attach_failed(self, error: BaseException) -> None:
        self._attach_finished()
        text = error.message(self.ctx.lang) if isinstance(error, AppError) else str(error)
        self._say(translate("EvidencePanel", "첨부하지 못했습니다: %1").replace("%1", text))
        self.changed.emit()  # files copied before the failure are saved

    # -- opening and removing ------------------------------------------------------------------------------
    def selected(self) -> AttachmentRow | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_attachment(row)

    def open_attachment(self, row: AttachmentRow) -> None:
        """Open the kept file with the system's viewer."""
        if not row.path.exists():
            self._say(translate("EvidencePanel", "이 컴퓨터에 파일이 없습니다: %1").replace("%1", row.file_name))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(row.path)))

    def delete_selected(self) -> None:
        """Tombstone the selected file, after asking."""
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, translate("EvidencePanel", "첨부 삭제"),
            translate("EvidencePanel", "첨부 파일 %1을(를) 삭제할까요?").replace("%1", row.file_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            service.delete_attachment(self.ctx.store, row.id)
            self.changed.emit()


def local_files(urls: list[QUrl]) -> list[Path]:
    """The existing local files among dropped URLs."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and Path(u.toLocalFile()).is_file()]
