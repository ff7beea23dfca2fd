"""Start-up probe, run as its own process: ``startup_probe.py bare`` or ``startup_probe.py app DATA_DIR``.

``app`` starts the real app through its command line (``consultant_app.cli.main``) on ``DATA_DIR``; ``bare`` shows
an empty QMainWindow of the same size. Both print one JSON line once the main window's first paint has been
handled (a zero-delay timer queued by that paint), then quit. Run them with QT_QPA_PLATFORM=offscreen.
"""

import time

STARTED = time.perf_counter()  # the first thing the script does: start-up cost before it is the interpreter's own

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def process_age() -> float | None:
    """Seconds since the process started, from /proc (10 ms resolution); None where there is no /proc."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
            return float(uptime.read().split()[0]) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def watch_first_paint(app) -> None:
    """Report and quit once a widget of a visible QMainWindow has been painted and the event loop comes round."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow, QWidget

    class FirstPaint(QObject):
        painted_at: float | None = None

        def eventFilter(self, watched, event):  # noqa: N802 - Qt override
            if (self.painted_at is None and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                    and isinstance(watched.window(), QMainWindow) and watched.window().isVisible()):
                self.painted_at = time.perf_counter()
                QTimer.singleShot(0, self.report)
            return False

        def report(self) -> None:
            now = time.perf_counter()
            print(json.dumps({
                "wall": time.time(),  # the caller subtracts the moment it started the process
                "since_script": now - STARTED,
                "first_paint_since_script": self.painted_at - STARTED,
                "process_age": process_age(),
                "modules": len(sys.modules),
            }), flush=True)
            app.quit()

    watcher = FirstPaint(app)
    app.installEventFilter(watcher)
    app._startup_probe = watcher  # kept alive with the application


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    watch_first_paint(app)
    window.show()
    return app.exec()


def real_app(data_dir: str) -> int:
    import consultant_app.ui.app as ui_app
    from consultant_app.cli import main

    make_application = ui_app.application

    def application(argv=None):
        app = make_application(argv)
        if not hasattr(app, "_startup_probe"):
            watch_first_paint(app)
        return app

    ui_app.application = application  # run() builds the QApplication through this module attribute
    return main(["--data-dir", data_dir])


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    if kind == "bare":
        sys.exit(bare())
    if kind == "app" and len(sys.argv) == 3:
        sys.exit(real_app(sys.argv[2]))
    sys.exit("usage: startup_probe.py bare | app DATA_DIR")
