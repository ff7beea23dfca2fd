"""What every PDF shares: A4 and margins, the named styles, number formats, page numbers and metadata."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from consultant_app.reports.fonts import BOLD, register_fonts

PAGE_SIZE = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
FRAME_HEIGHT = PAGE_SIZE[1] - 2 * MARGIN

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#1d3f6e")
RULE = colors.HexColor("#c8d0da")
SHADE = colors.HexColor("#eef2f7")
BASELINE_COLOUR = colors.HexColor("#9aa5b1")
TARGET_COLOUR = colors.HexColor("#e0a030")
POST_COLOUR = colors.HexColor("#1d6fb8")
WATERMARK_COLOUR = colors.Color(0.85, 0.15, 0.15, alpha=0.16)


@dataclass(frozen=True)
class Styles:
    """The named paragraph styles of our PDFs."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    header_cell: ParagraphStyle


def styles() -> Styles:
    """The stylesheet, in the bundled Korean font (registered on first use)."""
    font = register_fonts()
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13.5, textColor=INK, alignment=TA_LEFT,
                          wordWrap="CJK")  # Hangul has no spaces to break at in long names: break anywhere
    return Styles(
        title=ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=20, leading=26, alignment=TA_CENTER,
                             textColor=ACCENT),
        subtitle=ParagraphStyle("subtitle", parent=base, fontSize=10, leading=14, alignment=TA_CENTER,
                                textColor=MUTED),
        heading=ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=11.5, leading=16, spaceBefore=8,
                               spaceAfter=4, textColor=ACCENT),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=7.5, leading=10, textColor=MUTED),
        cell=ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        cell_right=ParagraphStyle("cell_right", parent=base, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER),
        header_cell=ParagraphStyle("header_cell", parent=base, fontName=BOLD, fontSize=8, leading=10.5,
                                   alignment=TA_CENTER, textColor=colors.white),
    )


# -- numbers as people read them ------------------------------------------------------------------------------

# NanumGothic has no U+2212 MINUS SIGN (it would print as a box): the formulas' minus becomes a hyphen-minus.
_FONT_FALLBACKS = str.maketrans({"−": "-"})


def font_safe(text: str) -> str:
    """``text`` with the characters the bundled font lacks replaced by ones it has."""
    return text.translate(_FONT_FALLBACKS)


def number(value: float | int | None, *, decimals: int = 4) -> str:
    """``1,234.5``; at most ``decimals`` places, trailing zeros dropped; ``–`` for None."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(round(value)):,}"
    else:
        text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text


def percent(value: float | None, *, decimals: int = 1, signed: bool = False) -> str:
    """``41.6%`` (``+41.6%`` when signed)."""
    if value is None:
        return "–"
    return f"{value:{'+' if signed else ''},.{decimals}f}%"


def points(value: float | None) -> str:
    """A change in percentage points: ``−1.22%p``."""
    if value is None:
        return "–"
    return f"{value:+,.2f}%p"


def won(value: int | float | None) -> str:
    """``12,000,000원``; ``–`` for None."""
    return "–" if value is None else f"{int(round(value)):,}원"


def day(value: date | None) -> str:
    """``2018-06-26``; ``–`` for None."""
    return value.isoformat() if value else "–"


def fit_text(text: str, width: float, font: str, size: float) -> str:
    """``text``, shortened with an ellipsis until it fits ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


CELL_PADDING = 12  # reportlab's default left + right padding of a table cell


def cell(text: str, style: ParagraphStyle, width: float):
    """A table cell: the plain string when it fits on one line (drawn directly, several times cheaper than a
    Paragraph), else a Paragraph that wraps. The table's FONT and ALIGN must match ``style`` for plain cells."""
    from html import escape

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    text = font_safe(text)
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= width - CELL_PADDING:
        return text
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def plain_cells(style: ParagraphStyle, area: tuple = ((0, 0), (-1, -1))) -> list[tuple]:
    """Table commands that set plain-string cells in ``area`` like ``style``."""
    align = {TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}.get(style.alignment, "LEFT")
    return [("FONT", *area, style.fontName, style.fontSize, style.leading), ("ALIGN", *area, align),
            ("TEXTCOLOR", *area, style.textColor)]


# -- pages ----------------------------------------------------------------------------------------------------

class NumberedCanvas(Canvas):
    """A canvas that prints "page X of Y" and the document's footer text on every page, and a watermark if asked."""

    footer_text = ""
    watermark = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initialFontName", register_fonts())
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        self.saveState()
        if self.watermark:
            draw_watermark(self, self.watermark)
        font = register_fonts()
        self.setFont(font, 7.5)
        self.setFillColor(MUTED)
        # The footer may name a company: a very long name is cut short rather than run off the page.
        self.drawString(MARGIN, MARGIN / 2, fit_text(self.footer_text, FRAME_WIDTH - 40, font, 7.5))
        self.drawRightString(PAGE_SIZE[0] - MARGIN, MARGIN / 2, f"{self._pageNumber} / {total}")
        self.restoreState()


def canvas_class(*, footer: str, watermark: str = "") -> type[NumberedCanvas]:
    """A NumberedCanvas subclass with this document's footer and watermark."""
    return type("DocumentCanvas", (NumberedCanvas,), {"footer_text": footer, "watermark": watermark})


def draw_watermark(canvas: Canvas, text: str) -> None:
    """Big diagonal text across the middle of the page, inside the margins."""
    width, height = PAGE_SIZE
    canvas.saveState()
    canvas.setFillColor(WATERMARK_COLOUR)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    size = 64
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -size / 3, text)
    canvas.restoreState()
