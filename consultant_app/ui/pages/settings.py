"""Settings: the language (the same path as the Language menu), the data folder, the attachment size limit."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consultant_app import __version__
from consultant_app.store.attachments import MAX_ATTACHMENT_BYTES
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.pages.base import Page

# Each language named in itself, as the Language menu does.
LANGUAGE_CHOICES = (("ko", "한국어"), ("en", "English"))


class SettingsPage(Page):
    """Preferences and where the data lives."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_CHOICES:
            self.language.addItem(name, code)
        self._show_language(ctx.lang)
        self.language.activated.connect(self._language_chosen)
        preferences = QGroupBox(translate("SettingsPage", "환경 설정"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(translate("SettingsPage", "언어"), self.language)
        box = QVBoxLayout(preferences)
        box.addLayout(form)
        box.addWidget(self._note(translate("SettingsPage", "언어를 바꾸면 창을 새 언어로 다시 엽니다.")))

        store = ctx.store
        self.data_dir = self._path_field("data_dir", str(store.data_dir))
        self.data_file = self._path_field("data_file", str(store.path))
        self.open_data_dir_button = QPushButton(translate("SettingsPage", "폴더 열기"))
        self.open_data_dir_button.setObjectName("open_data_dir")
        self.open_data_dir_button.clicked.connect(self.open_data_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_dir, 1)
        folder_row.addWidget(self.open_data_dir_button)
        limit_mb = MAX_ATTACHMENT_BYTES / 1_048_576
        self.attachment_limit = QLabel(translate("SettingsPage", "파일 하나에 %1MB까지")
                                       .replace("%1", format_number(limit_mb, 0 if limit_mb.is_integer() else 1)))
        self.attachment_limit.setObjectName("attachment_limit")
        data = QGroupBox(translate("SettingsPage", "데이터"))
        form = QFormLayout()
        form.addRow(translate("SettingsPage", "데이터 폴더"), folder_row)
        form.addRow(translate("SettingsPage", "데이터 파일"), self.data_file)
        form.addRow(translate("SettingsPage", "첨부 파일 크기 제한"), self.attachment_limit)
        box = QVBoxLayout(data)
        box.addLayout(form)
        box.addWidget(self._note(translate(
            "SettingsPage", "데이터 폴더에는 데이터 파일, 첨부 파일(attachments)과 백업(backups)이 있습니다. "
            "다른 폴더를 쓰려면 환경 변수 CONSULTANT_APP_DATA_DIR 을 설정하거나 --data-dir 옵션으로 실행하세요.")))

        version = QLabel(translate("SettingsPage", "버전 %1").replace("%1", __version__))
        version.setObjectName("version")
        content = QWidget()
        content.setMaximumWidth(900)  # long lines on a wide screen are hard to read
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(preferences)
        column.addWidget(data)
        column.addWidget(version)
        layout = QVBoxLayout(self)
        layout.addWidget(content)
        layout.addStretch(1)

    @staticmethod
    def _note(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        return label

    @staticmethod
    def _path_field(name: str, text: str) -> QLineEdit:
        field = QLineEdit(text)
        field.setObjectName(name)
        field.setReadOnly(True)
        field.setCursorPosition(0)
        return field

    def _show_language(self, lang: str) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))

    def _language_chosen(self, index: int) -> None:
        code = self.language.itemData(index)
        if code == self.ctx.lang:
            return
        window = self.window()
        requested = getattr(window, "language_requested", None)
        if requested is not None:
            # The Language menu's path: the controller asks about unsaved edits and rebuilds the window.
            requested.emit(code)
        if requested is None or window.isVisible():  # not switched (edits kept): show the language in use
            self._show_language(self.ctx.lang)

    def open_data_folder(self) -> None:
        """Show the data folder in the system's file manager."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.store.data_dir)))
