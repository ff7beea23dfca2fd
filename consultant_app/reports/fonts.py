"""The bundled Korean TrueType font, registered with reportlab once, and made every default.

CID fonts are never embedded, so a PDF that uses one looks different on every reader; a TrueType font is
embedded (as a subset of the glyphs used). reportlab also has Helvetica defaults of its own, for the canvas's
first font, for graphics (charts, labels) and for table cells (set before every cell, even one holding a
Paragraph), each of which would put an un-embedded font in the file: all of them point here.
"""

from __future__ import annotations

from functools import lru_cache

from consultant_app.errors import AppError
from consultant_app.paths import resource_path

REGULAR = "NanumGothic"
BOLD = "NanumGothic-Bold"
FONT_FILES = {REGULAR: "NanumGothic.ttf", BOLD: "NanumGothicBold.ttf"}


class FontMissing(AppError):
    """The bundled font file is missing or unreadable."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"PDF용 글꼴 파일을 읽을 수 없습니다: {path} ({reason})",
                         f"The font for PDFs cannot be read: {path} ({reason})")


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the regular and bold faces (once per process); returns the regular font's name."""
    from reportlab import rl_config
    from reportlab.graphics import shapes
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont
    from reportlab.platypus.tables import CellStyle

    for name, file_name in FONT_FILES.items():
        path = resource_path("fonts", file_name)
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as exc:
            raise FontMissing(str(path), str(exc)) from exc
    # <b> in a Paragraph picks the bold face through this family mapping.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    rl_config.canvas_basefontname = REGULAR
    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    CellStyle.fontname = REGULAR
    return REGULAR
