"""Import and export the office's spreadsheets, back up now, and restore a backup; slow work in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from consultant_app.errors import AppError, local_fault
from consultant_app.io import ImportCancelled, ImportFailed, ImportResult
from consultant_app.report_text import table_label
from consultant_app.services.data_files import export_from_own_store, import_in_own_store, live_row_counts
from consultant_app.store.backup import BackupInfo, list_backups
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.pages.base import Page
from consultant_app.ui.problem_list import ProblemList
from consultant_app.ui.progress import InlineProgress
from consultant_app.ui.tasks import TaskHandle, TaskState

PATH_ROLE = Qt.ItemDataRole.UserRole


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _size_text(size: int) -> str:
    if size >= 1_048_576:
        return f"{format_number(size / 1_048_576, 1)} MB"
    return f"{format_number(max(1, round(size / 1024)))} KB"


class DataPage(Page):
    """Import, export, backup and restore; one background task at a time, with progress and Cancel."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data_summary = QLabel()
        self.data_summary.setObjectName("data_summary")

        self.import_file_button = QPushButton(translate("DataPage", "엑셀·CSV 파일에서 가져오기…"))
        self.import_file_button.setObjectName("import_file")
        self.import_file_button.clicked.connect(lambda: self.import_files())
        self.import_folder_button = QPushButton(translate("DataPage", "CSV 폴더에서 가져오기…"))
        self.import_folder_button.setObjectName("import_folder")
        self.import_folder_button.clicked.connect(lambda: self.import_folder())
        self.keep_good_rows = QCheckBox(translate("DataPage", "문제 있는 행은 건너뛰고 나머지는 저장"))
        self.keep_good_rows.setObjectName("keep_good_rows")
        import_box = QGroupBox(translate("DataPage", "가져오기"))
        box = QVBoxLayout(import_box)
        box.addWidget(_wrapped(translate(
            "DataPage", "사업단 양식의 CSV 파일이 든 폴더나 엑셀(.xlsx) 파일에서 기업·참여·KPI·만족도 자료를 가져옵니다. "
            "이미 있는 자료는 바뀐 값만 고칩니다. 오류가 하나라도 있으면 기본적으로 아무것도 저장하지 않습니다.")))
        box.addWidget(self.keep_good_rows)
        box.addLayout(self._row(self.import_file_button, self.import_folder_button))

        self.export_xlsx_button = QPushButton(translate("DataPage", "엑셀 파일로 내보내기…"))
        self.export_xlsx_button.setObjectName("export_xlsx")
        self.export_xlsx_button.clicked.connect(lambda: self.export_files())
        self.export_folder_button = QPushButton(translate("DataPage", "CSV 폴더로 내보내기…"))
        self.export_folder_button.setObjectName("export_folder")
        self.export_folder_button.clicked.connect(lambda: self.export_folder())
        # Which form the files take; import reads either, so the choice is only about who reads them.
        self.export_form = QComboBox()
        self.export_form.setObjectName("export_form")
        self.export_form.addItem(translate("DataPage", "형식: 사무국 양식(한글)"), "office")
        self.export_form.addItem(translate("DataPage", "형식: 원본 코드(영문)"), "codes")
        self.export_form.setToolTip(translate(
            "DataPage", "사무국 양식: 한글 머리글과 낱말, 예/아니오, 123-45-67890. "
            "원본 코드: 영문 머리글과 코드. 어느 쪽이든 그대로 다시 가져올 수 있습니다."))
        export_box = QGroupBox(translate("DataPage", "내보내기"))
        box = QVBoxLayout(export_box)
        box.addWidget(_wrapped(translate(
            "DataPage", "모든 자료를 사업단 양식으로 내보냅니다. 내보낸 파일은 고친 뒤 그대로 다시 가져올 수 있습니다.")))
        box.addStretch(1)
        box.addWidget(self.export_form)
        box.addLayout(self._row(self.export_xlsx_button, self.export_folder_button))

        self.progress = InlineProgress(ctx.tasks)
        self.progress.setObjectName("task_progress")

        self.result_label = _wrapped("")
        self.result_label.setObjectName("result_summary")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problems = ProblemList()
        self.problems.setObjectName("problem_list")
        self.problems.hide()
        result_box = QGroupBox(translate("DataPage", "결과"))
        box = QVBoxLayout(result_box)
        box.addWidget(self.result_label)
        box.addWidget(self.problems, 1)
        box.addStretch(0)

        self.backup_button = QPushButton(translate("DataPage", "지금 백업…"))
        self.backup_button.setObjectName("backup_now")
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.restore_button = QPushButton(translate("DataPage", "선택한 백업으로 복원…"))
        self.restore_button.setObjectName("restore_backup")
        self.restore_button.clicked.connect(lambda: self.restore_backup())
        self.open_backups_button = QPushButton(translate("DataPage", "백업 폴더 열기"))
        self.open_backups_button.setObjectName("open_backups")
        self.open_backups_button.clicked.connect(self.open_backups_folder)
        self.backup_list = QTableWidget(0, 4)
        self.backup_list.setObjectName("backup_list")
        self.backup_list.setHorizontalHeaderLabels(
            [translate("DataPage", "만든 때"), translate("DataPage", "종류"), translate("DataPage", "크기"),
             translate("DataPage", "파일")])
        self.backup_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_list.setWordWrap(False)
        self.backup_list.verticalHeader().hide()
        header = self.backup_list.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        backup_box = QGroupBox(translate("DataPage", "백업·복원"))
        box = QVBoxLayout(backup_box)
        box.addWidget(_wrapped(translate(
            "DataPage", "지금 백업은 데이터 파일과 사진·문서를 한 파일(zip)로 고른 폴더(USB 등)에 저장합니다. 자동 백업은 "
            "매일, 동기화 후, 끝낼 때 backups 폴더에 합니다(최근 10개). 복원하면 백업 이후의 변경은 사라집니다. "
            "복원 전에 백업을 모두 검사하고 지금 파일을 자동으로 백업합니다.")))
        box.addLayout(self._row(self.backup_button, self.restore_button, self.open_backups_button))
        box.addWidget(self.backup_list, 1)

        # Left: what to do and what came of it (the problem list gets the width its messages need);
        # right: the backups.
        actions = QHBoxLayout()
        actions.addWidget(import_box, 3)
        actions.addWidget(export_box, 2)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(actions)
        column.addWidget(self.progress)
        column.addWidget(result_box, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("data_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(backup_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([760, 420])
        if (saved := ctx.settings.state("data_splitter")) is not None:
            self.splitter.restoreState(saved)
        layout = QVBoxLayout(self)
        layout.addWidget(self.data_summary)
        layout.addWidget(self.splitter, 1)

        ctx.data_changed.connect(self.refresh_summary)
        ctx.backups_changed.connect(self.refresh_backups)
        self.refresh_summary()
        self.refresh_backups()

    @staticmethod
    def _row(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    def save_state(self) -> None:
        """Called by the main window as it closes."""
        self.ctx.settings.set_state("data_splitter", self.splitter.saveState())

    # -- what the page shows -------------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh_summary()
        self.refresh_backups()

    def refresh_summary(self) -> None:
        """Live rows per table (a few COUNTs: fast enough for the GUI thread)."""
        with self.ctx.store.session() as session:
            counts = live_row_counts(session=session)
        parts = " · ".join(f"{table_label(t, self.ctx.lang)} {format_number(n)}" for t, n in counts.items())
        self.data_summary.setText(translate("DataPage", "현재 자료: %1").replace("%1", parts))

    def _backup_folders(self) -> list[Path]:
        """The automatic backups' folder, and the folder the last manual backup went to (when it is there)."""
        folders = [self.ctx.store.backups_dir]
        chosen = self.ctx.settings.backup_folder
        if chosen and Path(chosen).is_dir() and Path(chosen).resolve() != folders[0].resolve():
            folders.append(Path(chosen))
        return folders

    def refresh_backups(self) -> None:
        backups = sorted((b for folder in self._backup_folders() for b in list_backups(folder)),
                         key=lambda b: (b.modified, b.path.name), reverse=True)
        self.backup_list.setRowCount(len(backups))
        for row, backup in enumerate(backups):
            when = QTableWidgetItem(backup.modified.strftime("%Y-%m-%d %H:%M"))
            when.setData(PATH_ROLE, str(backup.path))
            size = QTableWidgetItem(_size_text(backup.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            name = QTableWidgetItem(backup.path.name)
            name.setToolTip(str(backup.path))
            for column, item in enumerate((when, QTableWidgetItem(self._backup_kind(backup)), size, name)):
                self.backup_list.setItem(row, column, item)

    @staticmethod
    def _backup_kind(backup: BackupInfo) -> str:
        if backup.kind == "manual":
            return translate("DataPage", "직접 백업") if backup.is_archive \
                else translate("DataPage", "직접 백업 (데이터 파일만)")
        if backup.is_archive:
            reason = {"daily": translate("DataPage", "매일"), "after-sync": translate("DataPage", "동기화 후"),
                      "quit": translate("DataPage", "끝낼 때")}.get(backup.reason, backup.reason)
            return translate("DataPage", "자동 백업 (%1)").replace("%1", reason)
        if backup.kind == "before-restore":
            return translate("DataPage", "복원 전 자동 백업")
        if backup.kind == "before-upgrade":
            return translate("DataPage", "업그레이드 전 자동 백업")
        return translate("DataPage", "자동 백업")

    def backup_paths(self) -> list[Path]:
        """The backups listed, newest first."""
        return [Path(self.backup_list.item(r, 0).data(PATH_ROLE)) for r in range(self.backup_list.rowCount())]

    def _set_busy(self, busy: bool) -> None:
        for button in (self.import_file_button, self.import_folder_button, self.export_xlsx_button,
                       self.export_folder_button, self.backup_button, self.restore_button):
            button.setEnabled(not busy)
        self.keep_good_rows.setEnabled(not busy)

    def _show_result(self, text: str, *, failed: bool = False, problems: list | None = None) -> None:
        self.result_label.setText(text)
        self.result_label.setProperty("failed", failed)
        self.result_label.setStyleSheet("color: #b00020;" if failed else "")
        self.problems.set_problems(problems or [], self.ctx.lang)
        self.problems.setVisible(bool(problems))

    def _run(self, function, *, label: str, on_done, on_error, cancellable: bool) -> TaskHandle | None:
        if self.progress.running:
            return None
        self._set_busy(True)
        self._show_result("")

        def done(result: object) -> None:
            self._set_busy(False)
            on_done(result)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            on_error(error)

        return self.progress.run(function, label=label, on_done=done, on_error=failed, cancellable=cancellable)

    # -- import ----------------------------------------------------------------------------------------------
    def import_files(self, path: Path | None = None) -> TaskHandle | None:
        """Import a CSV folder or an .xlsx workbook (None: ask with a file dialog; a .csv file means its folder)."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, translate("DataPage", "가져올 파일"), "",
                translate("DataPage", "엑셀 또는 CSV (*.xlsx *.csv);;모든 파일 (*)"))
            if not chosen:
                return None
            path = Path(chosen)
        path = Path(path)
        source = path.parent if path.suffix.lower() == ".csv" else path
        keep = self.keep_good_rows.isChecked()
        store = self.ctx.store
        data_dir, actor = store.data_dir, store.actor

        def work(state: TaskState) -> ImportResult:
            return import_in_own_store(data_dir, source, actor=actor, keep_good_rows=keep,
                                       progress=state.report, cancelled=state.cancelled)

        return self._run(work, label=translate("DataPage", "가져오는 중: %1").replace("%1", source.name),
                         on_done=lambda result: self._imported(source, result),
                         on_error=lambda error: self._import_failed(source, error), cancellable=True)

    def import_folder(self, folder: Path | None = None) -> TaskHandle | None:
        """Import a folder of CSV files (None: ask with a folder dialog)."""
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, translate("DataPage", "CSV 파일이 든 폴더"))
            if not chosen:
                return None
            folder = Path(chosen)
        return self.import_files(Path(folder))

    def _imported(self, source: Path, result: ImportResult) -> None:
        lang = self.ctx.lang
        if result.written:
            lines = [translate("DataPage", "가져왔습니다: %1").replace("%1", str(source))]
        else:
            lines = [translate("DataPage", "바뀐 내용이 없어 저장하지 않았습니다: %1").replace("%1", str(source))]
        for table, created in result.created.items():
            updated = result.updated.get(table, 0)
            if created or updated:
                lines.append(translate("DataPage", "%1: 새로 %2건, 변경 %3건").replace("%1", table_label(table, lang))
                             .replace("%2", format_number(created)).replace("%3", format_number(updated)))
        lines.append(translate("DataPage", "변경 없음: %1행").replace("%1", format_number(result.unchanged)))
        if result.errors:
            lines.append(translate("DataPage", "오류가 있는 %1건은 건너뛰었습니다. 아래 목록을 확인하세요.")
                         .replace("%1", format_number(len(result.errors))))
        self._show_result("\n".join(lines), problems=result.problems)
        if result.written:
            self.ctx.data_changed.emit()

    def _import_failed(self, source: Path, error: BaseException) -> None:
        if isinstance(error, ImportCancelled):
            self._show_result(translate("DataPage", "가져오기를 취소했습니다. 아무것도 저장하지 않았습니다."))
        elif isinstance(error, ImportFailed):
            errors = sum(1 for p in error.problems if p.is_error)
            self._show_result(
                translate("DataPage", "오류가 %1건 있어 아무것도 저장하지 않았습니다: %2. 고친 뒤 다시 가져오거나 "
                          "'문제 있는 행은 건너뛰고 나머지는 저장'을 켜세요.")
                .replace("%1", format_number(errors)).replace("%2", str(source)),
                failed=True, problems=error.problems)
        else:
            self._show_failure(error)

    def _show_failure(self, error: BaseException) -> None:
        fault = None if isinstance(error, AppError) else local_fault(error, self.ctx.store.data_dir)
        if isinstance(error, AppError):
            text = error.message(self.ctx.lang)
        elif fault is not None:  # a read-only folder, a full disk: what to do, not SQLAlchemy's statement
            text = fault.message(self.ctx.lang)
        elif isinstance(error, OSError):
            text = translate("DataPage", "파일 작업에 실패했습니다: %1").replace(
                "%1", f"{error.filename or ''} {error.strerror or error}".strip())
        else:
            text = translate("DataPage", "예기치 않은 오류: %1").replace("%1", f"{type(error).__name__}: {error}")
        self._show_result(text, failed=True)

    # -- export ----------------------------------------------------------------------------------------------
    def export_files(self, path: Path | None = None) -> TaskHandle | None:
        """Export to ``path``: ``*.xlsx`` a workbook, anything else a CSV folder (None: ask for a workbook)."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, translate("DataPage", "내보낼 엑셀 파일"), "consultant-export.xlsx",
                translate("DataPage", "엑셀 통합 문서 (*.xlsx)"))
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() != ".xlsx":
                path = path.with_name(path.name + ".xlsx")
        target = Path(path)
        store = self.ctx.store
        data_dir, actor, form = store.data_dir, store.actor, self.export_form.currentData()
        return self._run(lambda _state: export_from_own_store(data_dir, target, actor=actor, form=form),
                         label=translate("DataPage", "내보내는 중: %1").replace("%1", target.name),
                         on_done=lambda counts: self._exported(target, counts),
                         on_error=self._show_failure, cancellable=False)

    def export_folder(self, folder: Path | None = None) -> TaskHandle | None:
        """Export CSV files into a folder (None: ask with a folder dialog)."""
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, translate("DataPage", "CSV 파일을 저장할 폴더"))
            if not chosen:
                return None
            folder = Path(chosen)
        return self.export_files(Path(folder))

    def _exported(self, target: Path, counts: dict[str, int]) -> None:
        lines = [translate("DataPage", "내보냈습니다: %1").replace("%1", str(target))]
        lines += [translate("DataPage", "%1: %2행").replace("%1", table_label(name, self.ctx.lang))
                  .replace("%2", format_number(n)) for name, n in counts.items()]
        self._show_result("\n".join(lines))

    # -- backup and restore ----------------------------------------------------------------------------------
    def backup_now(self, folder: Path | None = None) -> TaskHandle | None:
        """Write a whole backup (data file, photos, documents) into ``folder`` (None: ask, e.g. a USB stick)."""
        if folder is None:
            start = self.ctx.settings.backup_folder
            if not (start and Path(start).is_dir()):
                start = str(self.ctx.store.backups_dir)
            chosen = QFileDialog.getExistingDirectory(
                self, translate("DataPage", "백업을 저장할 폴더 (USB 등)"), start)
            if not chosen:
                return None
            folder = Path(chosen)
        folder, data_dir = Path(folder), self.ctx.store.data_dir
        if folder.resolve() != self.ctx.store.backups_dir.resolve():
            self.ctx.settings.backup_folder = str(folder)  # listed here, and where the next dialog starts

        def work(state: TaskState):
            from consultant_app.store.archive import free_archive_path, write_archive

            return write_archive(data_dir, free_archive_path(folder), progress=state.report, cancelled=state.cancelled)

        return self._run(work, label=translate("DataPage", "백업하는 중: %1").replace("%1", str(folder)),
                         on_done=self._backed_up, on_error=self._show_failure, cancellable=True)

    def _backed_up(self, result) -> None:
        lines = [translate("DataPage", "백업했습니다: %1").replace("%1", str(result.path)),
                 translate("DataPage", "데이터 파일과 첨부 파일 %1개, %2").replace("%1", format_number(result.files))
                 .replace("%2", _size_text(result.size))]
        if result.missing:
            lines.append(translate("DataPage", "이 노트북에 아직 없는 첨부 파일 %1개는 들어 있지 않습니다 (동기화로 받은 뒤 "
                                               "다시 백업하세요).").replace("%1", format_number(len(result.missing))))
        if result.damaged:
            lines.append(translate("DataPage", "이미 손상된 첨부 파일 %1개는 표시해 두었고 복원하지 않습니다.")
                         .replace("%1", format_number(len(result.damaged))))
        self._show_result("\n".join(lines), failed=bool(result.damaged))
        self.refresh_backups()
        self._select_backup(result.path)
        self.ctx.backups_changed.emit()  # the status bar shows the latest backup

    def _select_backup(self, path: Path) -> None:
        for row, listed in enumerate(self.backup_paths()):
            if listed == path:
                self.backup_list.selectRow(row)

    def selected_backup(self) -> Path | None:
        rows = self.backup_list.selectionModel().selectedRows()
        return Path(self.backup_list.item(rows[0].row(), 0).data(PATH_ROLE)) if rows else None

    def restore_backup(self, path: Path | None = None) -> bool:
        """Restore ``path`` (None: the selected backup, else one chosen in a file dialog) after asking."""
        if path is None:
            path = self.selected_backup()
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, translate("DataPage", "복원할 백업"), str(self.ctx.store.backups_dir),
                translate("DataPage", "백업 파일 (*.zip *.sqlite3);;모든 파일 (*)"))
            if not chosen:
                return False
            path = Path(chosen)
        answer = QMessageBox.question(
            self, translate("DataPage", "백업으로 복원"),
            translate("DataPage", "%1 백업으로 되돌릴까요?\n\n이 백업 이후에 바뀐 내용은 모두 사라집니다. "
                      "지금 파일은 복원 전에 자동으로 백업합니다.").replace("%1", Path(path).name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        # The controller closes the store, restores, reopens it and rebuilds the window (this page with it).
        self.ctx.restore_requested.emit(str(path))
        return True

    def open_backups_folder(self) -> None:
        folder = self.ctx.store.backups_dir
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
