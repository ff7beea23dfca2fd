"""The visits & evidence tab: the selected engagement's visit log and its photos and documents."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.validation import ValidationFailed
from consultant_app.errors import AppError
from consultant_app.io.cells import format_number as plain_number
from consultant_app.services import visits as service
from consultant_app.services.visits import VisitRow
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import format_date, format_number, translate
from consultant_app.ui.pages.base import Tab
from consultant_app.ui.pages.evidence import ERROR_STYLE, EvidencePanel, local_files

FIELDS = ("visit_date", "hours", "activities", "notes")


class VisitTableModel(QAbstractTableModel):
    """The visit log: one row per visit, newest first."""

    COLUMNS = (
        ("visit_date", lambda: translate("VisitsTab", "방문일")),
        ("hours", lambda: translate("VisitsTab", "시간")),
        ("activities", lambda: translate("VisitsTab", "활동 내용")),
        ("attachments", lambda: translate("VisitsTab", "첨부")),
    )

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[VisitRow] = []

    def set_rows(self, rows: list[VisitRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section][1]()
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, key = self.rows[index.row()], self.COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "visit_date":
                return format_date(row.visit_date)
            if key == "hours":
                return "" if row.hours is None else format_number(row.hours, 0 if row.hours.is_integer() else 1)
            if key == "activities":
                return (row.activities or "").replace("\n", " ")
            return format_number(row.attachments) if row.attachments else ""
        if role == Qt.ItemDataRole.ToolTipRole and key == "activities":
            return "\n\n".join(t for t in (row.activities, row.notes) if t) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("hours", "attachments"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FieldEdit(QUndoCommand):
    """One field's text changed in the visit form; consecutive typing in the same field merges into one step."""

    def __init__(self, tab: VisitsTab, field: str, old: str, new: str):
        super().__init__(translate("VisitsTab", "방문 기록 편집"))
        self.tab, self.field, self.old, self.new = tab, field, old, new
        self.record = tab.record_key
        self._applied = True  # pushed after the widget already shows the new text

    def id(self) -> int:
        return 0x5649_0000 + FIELDS.index(self.field)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, FieldEdit) or other.field != self.field or other.record != self.record:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)

    def _apply(self, text: str) -> None:
        # The form shows another visit now: this step no longer means anything, so it leaves the stack.
        if self.tab.record_key != self.record:
            self.setObsolete(True)
            return
        self.tab.set_field_text(self.field, text)


class VisitsTab(Tab):
    """Visit log with a validated form, and evidence files kept in the data folder by SHA-256."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.engagement_id: str | None = None
        self.visit_id: str | None = None  # the visit in the form; None for a new one
        self.record_key = ""
        self._new_counter = 0
        self._loading = False
        self._announcing = False
        self._snapshot: tuple[str, ...] = ("", "", "", "")
        self._last: dict[str, str] = dict.fromkeys(FIELDS, "")
        self.setAcceptDrops(True)

        self.placeholder = QLabel(translate("VisitsTab", "먼저 참여 차수를 선택하거나 새로 만드세요."))
        self.placeholder.setObjectName("visits_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        ctx.data_changed.connect(self._on_data_changed)
        self.set_engagement(None)

    # -- building ------------------------------------------------------------------------------------------
    def _build_content(self) -> QWidget:
        self.model = VisitTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("visit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        self.new_button = self._button("visit_new", translate("VisitsTab", "새 방문"), self.new_visit)
        self.delete_button = self._button("visit_delete", translate("VisitsTab", "방문 삭제"), self.delete_visit)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(translate("VisitsTab", "방문 기록")))
        left_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self._build_form())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.setObjectName("visits_splitter")
        vertical.addWidget(splitter)
        self.evidence = EvidencePanel(self.ctx)
        self.evidence.changed.connect(self._files_changed)
        vertical.addWidget(self.evidence)
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        return vertical

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        return button

    def _build_form(self) -> QWidget:
        self.form_title = QLabel()
        self.form_title.setObjectName("visit_form_title")
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("2018-06-26")
        self.hours_edit = QLineEdit()
        self.hours_edit.setPlaceholderText(translate("VisitsTab", "0–24시간"))
        self.activities_edit = QPlainTextEdit()
        self.notes_edit = QPlainTextEdit()
        for edit in (self.activities_edit, self.notes_edit):
            edit.setTabChangesFocus(True)
        self.activities_edit.setMinimumHeight(60)
        self.notes_edit.setMinimumHeight(60)
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {
            "visit_date": self.date_edit, "hours": self.hours_edit,
            "activities": self.activities_edit, "notes": self.notes_edit}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        labels = {"visit_date": translate("VisitsTab", "방문일 *"), "hours": translate("VisitsTab", "시간"),
                  "activities": translate("VisitsTab", "활동 내용"), "notes": translate("VisitsTab", "메모")}
        for key, editor in self.editors.items():
            editor.setObjectName(f"visit_{key}")
            error = QLabel()
            error.setObjectName(f"visit_{key}_error")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            self.errors[key] = error
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(error)
            form.addRow(labels[key], box)
            if isinstance(editor, QLineEdit):
                editor.textChanged.connect(lambda _t, k=key: self._on_field_changed(k))
            else:
                editor.textChanged.connect(lambda k=key: self._on_field_changed(k))
        self.save_button = self._button("visit_save", translate("VisitsTab", "저장"), self.save_changes)
        self.revert_button = self._button("visit_revert", translate("VisitsTab", "되돌리기"), self.discard_changes)
        self.form_status = QLabel()
        self.form_status.setObjectName("visit_form_status")
        self.form_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form_title)
        layout.addLayout(form, 1)
        layout.addLayout(buttons)
        return panel

    # -- the Tab protocol ----------------------------------------------------------------------------------
    def undo_stack(self) -> QUndoStack:
        return self.undo

    def set_engagement(self, engagement_id: str | None) -> None:
        self.engagement_id = engagement_id
        self.pages.setCurrentIndex(0 if engagement_id is None else 1)
        if engagement_id is None:
            self.model.set_rows([])
            self._load_form(None)
            self.evidence.set_scope(None, [], None)
            return
        self._reload(select_id=None)

    def has_unsaved_changes(self) -> bool:
        return self.engagement_id is not None and self._form_texts() != self._snapshot

    def save_changes(self) -> bool:
        """Validate the form and save the visit; inline messages and False when the input is wrong."""
        if self.engagement_id is None or not self.has_unsaved_changes():
            return True
        self._show_issues({})
        texts = dict(zip(FIELDS, self._form_texts()))
        try:
            values = service.parse_visit(**texts)
            visit_id = service.save_visit(self.ctx.store, self.engagement_id, visit_id=self.visit_id, values=values)
        except ValidationFailed as failed:
            self._show_issues({i.field: i.message(self.ctx.lang) for i in failed.errors})
            self.form_status.setText(translate("VisitsTab", "입력값을 확인하세요. 저장하지 않았습니다."))
            return False
        except AppError as error:
            self.form_status.setText(error.message(self.ctx.lang))
            self._reload(select_id=None)
            return False
        self.visit_id = visit_id
        self._snapshot = self._form_texts()
        self._reload(select_id=visit_id, keep_form=True)
        self._update_header()
        self.form_status.setText(translate("VisitsTab", "저장했습니다."))
        self._announce()
        return True

    def discard_changes(self) -> None:
        row = next((r for r in self.model.rows if r.id == self.visit_id), None)
        self._load_form(row, keep_record=True)

    # -- visits --------------------------------------------------------------------------------------------
    def _reload(self, *, select_id: str | None, keep_form: bool = False) -> None:
        """Read the visits and files again; select ``select_id`` (or keep the form's visit)."""
        assert self.engagement_id is not None
        rows = service.list_visits(self.ctx.store, self.engagement_id)
        wanted = select_id or self.visit_id
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        row_index = next((i for i, r in enumerate(rows) if r.id == wanted), None)
        if row_index is not None:
            self.table.selectRow(row_index)
            self.table.setCurrentIndex(self.model.index(row_index, 0))
        self.table.selectionModel().blockSignals(False)
        if not keep_form:
            self._load_form(rows[row_index] if row_index is not None else None)
        self.evidence.set_scope(self.engagement_id, rows, self.visit_id)

    def _on_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.model.rows[current.row()]
        if row.id == self.visit_id:
            return
        if self.has_unsaved_changes() and not self._confirm_leave_form():
            self._select_visit_row(self.visit_id)  # stay on the edited visit
            return
        target = next((r for r in self.model.rows if r.id == row.id), None)
        self._select_visit_row(row.id)
        self._load_form(target)
        self.evidence.set_visit(self.visit_id)

    def _select_visit_row(self, visit_id: str | None) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        index = next((i for i, r in enumerate(self.model.rows) if r.id == visit_id), None)
        if index is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(index)
            self.table.setCurrentIndex(self.model.index(index, 0))
        selection.blockSignals(False)

    def _confirm_leave_form(self) -> bool:
        confirm = getattr(self.window(), "confirm_leave", None)
        return confirm(self) if confirm else self.save_changes()

    def new_visit(self) -> None:
        """An empty form for a new visit, dated today."""
        if self.engagement_id is None:
            return
        if self.has_unsaved_changes() and not self._confirm_leave_form():
            return
        self._select_visit_row(None)
        self._load_form(None)
        self.evidence.set_visit(None)
        self.date_edit.setFocus()

    def delete_visit(self) -> None:
        """Tombstone the selected visit and its files, after asking."""
        if self.visit_id is None:
            self._load_form(None)
            return
        row = next((r for r in self.model.rows if r.id == self.visit_id), None)
        if row is None:
            return
        question = translate("VisitsTab", "%1 방문 기록을 삭제할까요? 이 방문에 첨부한 파일 %2개도 함께 삭제됩니다.")
        question = question.replace("%1", format_date(row.visit_date)).replace("%2", format_number(row.attachments))
        answer = QMessageBox.question(self, translate("VisitsTab", "방문 삭제"), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        service.delete_visit(self.ctx.store, row.id)
        self.visit_id = None
        self._snapshot = self._form_texts()  # the form's edits went with the visit
        self._reload(select_id=None)
        self.form_status.setText(translate("VisitsTab", "삭제했습니다."))
        self._announce()

    def _announce(self) -> None:
        """Tell the other pages something was saved (this tab has already reloaded itself)."""
        self._announcing = True
        try:
            self.ctx.data_changed.emit()
        finally:
            self._announcing = False

    def _files_changed(self) -> None:
        if self.engagement_id is not None:
            self._reload(select_id=None, keep_form=True)  # the visits' file counts
        self._announce()

    def _on_data_changed(self) -> None:
        if self.engagement_id is not None and not self._announcing:
            self._reload(select_id=None, keep_form=self.has_unsaved_changes())

    # -- the form ------------------------------------------------------------------------------------------
    def _form_texts(self) -> tuple[str, ...]:
        return tuple(self._text(key) for key in FIELDS)

    def _text(self, key: str) -> str:
        editor = self.editors[key]
        return editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()

    def set_field_text(self, key: str, text: str) -> None:
        """Show ``text`` in a field without recording an undo step (used by undo and redo)."""
        self._loading = True
        editor = self.editors[key]
        if isinstance(editor, QLineEdit):
            editor.setText(text)
        else:
            editor.setPlainText(text)
        self._last[key] = text
        self._loading = False
        editor.setFocus()

    def _load_form(self, row: VisitRow | None, *, keep_record: bool = False) -> None:
        self._loading = True
        self.visit_id = row.id if row else None
        if not keep_record or not self.record_key:
            self._new_counter += 1
            self.record_key = row.id if row else f"new-{self._new_counter}"
        texts = {
            "visit_date": row.visit_date.isoformat() if row else date.today().isoformat(),
            "hours": plain_number(row.hours) if row and row.hours is not None else "",
            "activities": (row.activities or "") if row else "",
            "notes": (row.notes or "") if row else "",
        }
        for key, text in texts.items():
            editor = self.editors[key]
            editor.setText(text) if isinstance(editor, QLineEdit) else editor.setPlainText(text)
        self._last = dict(texts)
        self._snapshot = self._form_texts()
        self._loading = False
        self._show_issues({})
        self.form_status.clear()
        self._update_header()

    def _update_header(self) -> None:
        row = next((r for r in self.model.rows if r.id == self.visit_id), None)
        if row is None:
            self.form_title.setText(translate("VisitsTab", "새 방문 기록"))
        else:
            self.form_title.setText(translate("VisitsTab", "%1 방문 기록").replace("%1", format_date(row.visit_date)))
        self.delete_button.setEnabled(row is not None)

    def _on_field_changed(self, key: str) -> None:
        if self._loading:
            return
        new = self._text(key)
        old = self._last.get(key, "")
        if new == old:
            return
        self._last[key] = new
        self.undo.push(FieldEdit(self, key, old, new))
        if self.errors[key].isVisible():  # the message was about the old text
            self.errors[key].hide()

    def _show_issues(self, messages: dict[str, str]) -> None:
        for key, label in self.errors.items():
            text = messages.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))
            self.editors[key].setProperty("invalid", bool(text))
            self.editors[key].setStyleSheet("border: 1px solid #b00020;" if text else "")

    # -- drag and drop -------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self.engagement_id is not None and local_files(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = local_files(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.evidence.attach_paths(paths)
