"""Document pages one under another in a scroll area, each fit to the width (images made elsewhere)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

MARGIN = 16
BORDER = 1


class PagePreview(QScrollArea):
    """Pages as pixmaps, scaled to the view's width when it changes; scroll for the next page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Always there: a bar that came and went with the pages' height would change the width they fit to.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pixmaps: list[QPixmap] = []
        self._labels: list[QLabel] = []
        self._fitted_width = 0
        self.body = QWidget()
        self.body.setObjectName("preview_body")
        self.body.setStyleSheet("QWidget#preview_body { background: #8a9099; }")
        self._layout = QVBoxLayout(self.body)
        self._layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self._layout.setSpacing(MARGIN)
        self._layout.addStretch(1)
        self.setWidget(self.body)

    def set_images(self, images: list[QImage]) -> None:
        """Show these pages (GUI thread: the pixmaps are made here)."""
        self.clear()
        for number, image in enumerate(images, start=1):
            self._pixmaps.append(QPixmap.fromImage(image))
            label = QLabel()
            label.setObjectName(f"preview_page_{number}")
            label.setStyleSheet(f"border: {BORDER}px solid #5f6368; background: #ffffff;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.insertWidget(self._layout.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter)
            self._labels.append(label)
        self._fitted_width = 0
        self._fit()
        self.verticalScrollBar().setValue(0)

    def clear(self) -> None:
        for label in self._labels:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._labels.clear()
        self._pixmaps.clear()

    def page_count(self) -> int:
        return len(self._pixmaps)

    def page_labels(self) -> list[QLabel]:
        return list(self._labels)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = max(self.viewport().width() - 2 * MARGIN - 2 * BORDER, 50)
        if width == self._fitted_width or not self._pixmaps:
            return
        self._fitted_width = width
        ratio = self.devicePixelRatioF()
        for pixmap, label in zip(self._pixmaps, self._labels):
            scaled = pixmap.scaledToWidth(round(width * ratio), Qt.TransformationMode.SmoothTransformation)
            scaled.setDevicePixelRatio(ratio)
            label.setPixmap(scaled)
