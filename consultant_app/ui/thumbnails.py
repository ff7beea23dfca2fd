"""Image thumbnails read off the GUI thread at their small size, kept by SHA-256 so each file is read once."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPainter, QPixmap

from consultant_app.ui.tasks import TaskRunner, TaskState

THUMBNAIL_SIZE = 112


def read_thumbnail(path: str, size: int = THUMBNAIL_SIZE) -> QImage | None:
    """The image at ``path`` decoded at most ``size`` pixels wide and high; None when it is not an image.

    Uses only QImage/QImageReader, which are safe on a worker thread (QPixmap is not). setScaledSize lets
    JPEG decoders skip most of a big photo's pixels instead of decoding it whole and shrinking it.
    """
    reader = QImageReader(path)
    reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
    if not reader.canRead():
        return None
    original = reader.size()
    if original.isValid() and (original.width() > size or original.height() > size):
        reader.setScaledSize(original.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return None
    if image.width() > size or image.height() > size:  # a format that ignored setScaledSize
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


def square_thumbnail(pixmap: QPixmap, size: int = THUMBNAIL_SIZE) -> QPixmap:
    """The thumbnail centred on a transparent square, so names line up under pictures of any shape."""
    canvas = QPixmap(size, size)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.drawPixmap((size - pixmap.width()) // 2, (size - pixmap.height()) // 2, pixmap)
    painter.end()
    return canvas


class ThumbnailCache(QObject):
    """Thumbnails by SHA-256; missing ones are read in one background task and announced by ``ready``."""

    ready = Signal(str)  # sha256 whose thumbnail (or lack of one) is now known

    def __init__(self, tasks: TaskRunner, *, size: int = THUMBNAIL_SIZE, parent: QObject | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self.size = size
        self._pixmaps: dict[str, QPixmap | None] = {}
        self._pending: set[str] = set()

    def get(self, sha256: str) -> QPixmap | None:
        """The thumbnail when it has been read (None also for files that are not images)."""
        return self._pixmaps.get(sha256)

    def known(self, sha256: str) -> bool:
        return sha256 in self._pixmaps

    def request(self, files: list[tuple[str, str]]) -> None:
        """Read thumbnails for (sha256, path) pairs not cached or pending yet."""
        wanted = []
        for sha256, path in files:
            if sha256 not in self._pixmaps and sha256 not in self._pending:
                self._pending.add(sha256)
                wanted.append((sha256, path))
        if not wanted:
            return
        size = self.size

        def work(state: TaskState) -> list[tuple[str, QImage | None]]:
            images = []
            for done, (sha256, path) in enumerate(wanted):
                if state.cancelled():
                    break
                images.append((sha256, read_thumbnail(path, size)))
                state.report(done + 1, len(wanted))
            return images

        self._tasks.start(work, on_done=self._store, on_error=lambda _e, w=wanted: self._forget(w))

    def _store(self, images: list[tuple[str, QImage | None]]) -> None:
        for sha256, image in images:
            self._pending.discard(sha256)
            self._pixmaps[sha256] = QPixmap.fromImage(image) if image is not None else None
            self.ready.emit(sha256)

    def _forget(self, wanted: list[tuple[str, str]]) -> None:
        for sha256, _path in wanted:
            self._pending.discard(sha256)
