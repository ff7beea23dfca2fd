"""Files the GUI hands the user: where save dialogs start, and opening them in the system's viewer.

Writing them whole or not at all is ``consultant_app.files.write_atomically``, shared with the command line.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_with_system(path: Path) -> bool:
    """Open a file or folder with the program the system uses for it (the PDF viewer, the file manager)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def with_suffix(chosen: str, suffix: str = ".pdf") -> Path:
    """The path a save dialog returned, with ``suffix`` added when the user typed a name without it."""
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def save_start(folder: str, file_name: str) -> str:
    """Where a save dialog starts: ``file_name`` in the folder used last (the home folder at first)."""
    start = Path(folder) if folder and Path(folder).is_dir() else Path.home()
    return str(start / file_name)
