"""One typed wrapper over QSettings: every key with its default; preferences apart from window state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

SETTINGS_FILE = "ui-settings.ini"
LANGUAGES = ("ko", "en")


class Settings:
    """The app's settings, kept in an INI file in the data folder (one instance per thread)."""

    def __init__(self, data_dir: Path):
        self._qs = QSettings(str(Path(data_dir) / SETTINGS_FILE), QSettings.Format.IniFormat)

    # -- preferences ---------------------------------------------------------------------------------------
    @property
    def language(self) -> str:
        value = str(self._qs.value("preferences/language", "ko"))
        return value if value in LANGUAGES else "ko"

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue("preferences/language", value if value in LANGUAGES else "ko")

    @property
    def last_page(self) -> str:
        return str(self._qs.value("preferences/last_page", "companies"))

    @last_page.setter
    def last_page(self, value: str) -> None:
        self._qs.setValue("preferences/last_page", value)

    @property
    def export_folder(self) -> str:
        """Where the last PDF (certificate, report) was saved: the next save dialog starts there."""
        return str(self._qs.value("preferences/export_folder", ""))

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self._qs.setValue("preferences/export_folder", value)

    @property
    def backup_folder(self) -> str:
        """Where the last manual backup went (a USB stick): the next folder dialog starts there."""
        return str(self._qs.value("preferences/backup_folder", ""))

    @backup_folder.setter
    def backup_folder(self, value: str) -> None:
        self._qs.setValue("preferences/backup_folder", value)

    # -- window state --------------------------------------------------------------------------------------
    def state(self, name: str) -> QByteArray | None:
        """Saved geometry or state of a window, splitter or header, by name."""
        value = self._qs.value(f"window/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_state(self, name: str, value: QByteArray) -> None:
        self._qs.setValue(f"window/{name}", value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._qs.sync()
