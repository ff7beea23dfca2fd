"""The bundled Korean font, registered at start so Hangul renders on any machine."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from consultant_app.paths import resource_path

FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
FALLBACK_FAMILY = "NanumGothic"


def register_fonts(app: QApplication, *, point_size: int = 10) -> str:
    """Register the bundled fonts and make them the application font; returns the family name."""
    family = FALLBACK_FAMILY
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            family = families[0]
    font = QFont(family, point_size)
    app.setFont(font)
    return family
