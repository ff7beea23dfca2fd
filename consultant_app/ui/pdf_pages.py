"""PDF pages as images (pypdfium2) for a preview or a printer; QImage only, so it runs on a worker thread.

PDFium is not thread-safe: every use goes through one lock, so a preview and a print can run at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from consultant_app.errors import AppError

POINTS_PER_INCH = 72
MAX_PRINT_DPI = 300  # a printer at 1,200 dpi would need ~560 MB per A4 page image; 300 dpi is print quality

_PDFIUM = threading.Lock()

Cancelled = Callable[[], bool]
Progress = Callable[[int, int], None]


class PrintFailed(AppError):
    """The printer (or the PDF file it prints to) could not be started."""

    def __init__(self, name: str):
        super().__init__(f"인쇄를 시작하지 못했습니다: {name}", f"Printing could not start: {name}")


def _image(page, scale: float) -> QImage:
    # RGB (3 bytes a pixel, rows padded to ``stride``) is a format QImage reads as it is; the converted copy owns
    # its pixels, so the bitmap can be freed right after.
    bitmap = page.render(scale=scale, rev_byteorder=True)
    try:
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
        return image.convertToFormat(QImage.Format.Format_RGB32)
    finally:
        bitmap.close()


def render_pages(data: bytes, *, scale: float, cancelled: Cancelled | None = None) -> list[QImage]:
    """Every page of the PDF ``data`` as an image, ``scale`` pixels per point; stops early when cancelled."""
    import pypdfium2

    images: list[QImage] = []
    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(data)
        try:
            for index in range(len(pdf)):
                if cancelled and cancelled():
                    break
                page = pdf[index]
                try:
                    images.append(_image(page, scale))
                finally:
                    page.close()
        finally:
            pdf.close()
    return images


def _fit(image: QImage, area: QRectF) -> QRectF:
    """The largest rectangle of the image's shape inside ``area``, centred."""
    size = QSizeF(image.size()).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    return QRectF(area.x() + (area.width() - size.width()) / 2, area.y() + (area.height() - size.height()) / 2,
                  size.width(), size.height())


def print_pages(data: bytes, printer: QPrinter, *, cancelled: Cancelled | None = None,
                progress: Progress | None = None) -> int:
    """Paint each page of the PDF onto ``printer``, rendered at its resolution; returns the pages printed.

    Safe on a worker thread (Qt paints onto a QPrinter from any thread) while nothing else uses the printer.
    The PDF carries its own margins, so the image fills the whole sheet.
    """
    import pypdfium2

    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    printer.setFullPage(True)
    printed = 0
    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(data)
        try:
            total = len(pdf)
            if progress:
                progress(0, total)
            painter = QPainter()
            if not painter.begin(printer):
                raise PrintFailed(printer.outputFileName() or printer.printerName())
            try:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                for index in range(total):
                    if cancelled and cancelled():
                        printer.abort()
                        break
                    if index:
                        printer.newPage()
                    page = pdf[index]
                    try:
                        image = _image(page, dpi / POINTS_PER_INCH)
                    finally:
                        page.close()
                    painter.drawImage(_fit(image, printer.paperRect(QPrinter.Unit.DevicePixel)), image)
                    printed += 1
                    if progress:
                        progress(printed, total)
            finally:
                painter.end()
        finally:
            pdf.close()
    return printed
