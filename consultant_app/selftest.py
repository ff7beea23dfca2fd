"""``consultant-app --self-test``: a headless check that an installed or frozen app really works.

It opens a new store in a temporary folder (running the Alembic migrations), builds the real main window
offscreen when there is no display, renders it and checks the picture is not blank and that the bundled
Korean font is the application font (with glyphs for Hangul), loads the demo programme and computes the
programme report. One line on stdout and exit 0 when all is well; one line on stderr and exit 1 on the first
failure. Set ``CONSULTANT_APP_SELFTEST_SHOT=FILE.png`` to keep the rendered window.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

SHOT_ENV = "CONSULTANT_APP_SELFTEST_SHOT"
EXPOSE_TIMEOUT_S = 10.0
FONT_FILE = "NanumGothic.ttf"
HANGUL_SAMPLE = "산업혁신운동 컨설턴트"


class SelfTestFailed(Exception):
    """A check did not hold."""


def check(condition: object, what: str) -> None:
    if not condition:
        raise SelfTestFailed(what)


def process_age() -> float | None:
    """Seconds since this process started (Linux: from /proc, 10 ms resolution); None elsewhere."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        # Field 22 (starttime, in clock ticks since boot) counted after the ")" that ends the command name.
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def use_offscreen_without_display() -> None:
    # Must happen before the QApplication exists; a real display (or an explicit choice) is left alone.
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


class Run:
    """The checks in order; ``step`` names the one running, for the failure line."""

    def __init__(self, root: Path):
        self.root = root
        self.step = "start"
        self.facts: dict[str, str] = {}

    def store(self):
        self.step = "store"
        from alembic.script import ScriptDirectory
        from sqlalchemy import text

        from consultant_app.store import Store
        from consultant_app.store.database import alembic_config

        store = Store.open(self.root / "data", actor="self-test")
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        with store.session() as session:
            current = session.exec(text("SELECT version_num FROM alembic_version")).scalar()
        check(head and current == head, f"schema at revision {current!r}, migrations' head is {head!r}")
        return store

    def application(self):
        self.step = "application"
        use_offscreen_without_display()
        from PySide6.QtCore import QtMsgType, qInstallMessageHandler
        from PySide6.QtGui import QFontDatabase, QFontInfo, QRawFont

        def quiet(kind: QtMsgType, _context, message: str) -> None:
            # Qt's chatter (e.g. the offscreen plugin's warnings) would break the one-line contract; a fatal
            # message is about to abort the process: it becomes the failure line and exit code 1 instead.
            if kind == QtMsgType.QtFatalMsg:
                line = " ".join(message.split())
                print(f"self-test FAILED at {self.step}: Qt: {line}", file=sys.stderr, flush=True)
                os._exit(1)

        qInstallMessageHandler(quiet)

        from consultant_app.paths import resource_path
        from consultant_app.ui.app import application

        app = application()
        self.step = "font"
        font_file = resource_path("fonts", FONT_FILE)
        check(font_file.is_file(), f"the bundled font is missing: {font_file}")
        bundled = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(font_file)))
        check(bundled, f"Qt cannot load the bundled font {font_file}")
        used = QFontInfo(app.font()).family()
        check(used in bundled, f"the application font is {used!r}, not the bundled {bundled[0]!r}")
        glyphs = QRawFont.fromFont(app.font()).glyphIndexesForString(HANGUL_SAMPLE.replace(" ", ""))
        check(glyphs and all(glyphs), f"the application font {used!r} has no glyphs for Hangul")
        self.facts["font"] = used
        self.step = "translations"
        from PySide6.QtCore import QLibraryInfo, QTranslator

        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        check(QTranslator().load("qtbase_ko", qt_folder), f"Qt's Korean translation is not in {qt_folder}")
        for qm in sorted(resource_path("translations").glob("*.qm")):
            check(QTranslator().load(str(qm)), f"the translation {qm} does not load")
        return app

    def window(self, app, store):
        self.step = "window"
        from consultant_app.ui.app import Controller

        controller = Controller(store, self.root / "data")
        window = controller.window
        window.show()
        deadline = time.monotonic() + EXPOSE_TIMEOUT_S
        while not (window.windowHandle() and window.windowHandle().isExposed()):
            check(time.monotonic() < deadline, f"the main window was not shown within {EXPOSE_TIMEOUT_S:g} s")
            app.processEvents()
        app.processEvents()
        age = process_age()
        if age is not None:
            self.facts["window"] = f"{age:.2f} s after start"
        return controller

    def render(self, controller) -> None:
        self.step = "render"
        from consultant_app import __version__

        window = controller.window
        check(__version__ in window.windowTitle(), f"the window title {window.windowTitle()!r} lacks the version")
        image = window.grab().toImage()
        size = f"{image.width()}x{image.height()}"
        check(image.width() >= 200 and image.height() >= 200, f"the window rendered as {size}")
        shot = os.environ.get(SHOT_ENV)
        if shot:
            image.save(shot)
        colours: dict[int, int] = {}
        for y in range(0, image.height(), 4):
            for x in range(0, image.width(), 4):
                pixel = image.pixel(x, y)
                colours[pixel] = colours.get(pixel, 0) + 1
        samples = sum(colours.values())
        check(len(colours) >= 4 and max(colours.values()) < 0.995 * samples,
              f"the rendered window is blank ({len(colours)} colours)")

    def demo_and_report(self, store) -> None:
        self.step = "demo"
        from consultant_app.demo import load_demo

        counts = load_demo(store)
        check(counts.get("companies", 0) > 0, f"the demo loaded no companies: {counts}")
        self.step = "report"
        from consultant_app.domain.aggregates import ReportFilter, programme_report
        from consultant_app.domain.kpi import default_catalogue
        from consultant_app.store.queries import engagement_records

        catalogue = default_catalogue()
        with store.session() as session:
            records = engagement_records(session=session)
        report = programme_report(records, catalogue, ReportFilter(), "ko")
        check(report.engagements > 0 and report.companies == counts["companies"],
              f"the report counts {report.engagements} engagements of {report.companies} companies")
        check(report.kpi_improvement_mean_pct is not None, "the report computed no KPI improvement")
        self.facts["report"] = f"{report.companies} companies, {report.engagements} engagements"

    def certificates(self, store) -> None:
        self.step = "certificates"
        import pypdf
        import pypdfium2

        from consultant_app.services.certificate_batch import export_certificates
        from consultant_app.services.certificates import CertificateFilter

        # Year 2's certificates are enough to start real worker processes: a bundle must start its own.
        result = export_certificates(store, self.root / "certificates", workers=2,
                                     certificate_filter=CertificateFilter(year=2))
        check(result.written and not result.cancelled, f"no certificates were written ({len(result.skipped)} skipped)")
        first = result.written[0]
        text = pypdf.PdfReader(first).pages[0].extract_text()
        check("개선 확인서" in text, f"the certificate {first.name} has no title text")
        document = pypdfium2.PdfDocument(first)
        try:
            bitmap = document[0].render(scale=0.5)
            check(bitmap.width > 200, "the certificate page did not render")
        finally:
            document.close()
        self.facts["certificates"] = f"{len(result.written)} written by 2 workers"

    def sync(self, store) -> None:
        """The sync stack (httpx, the keyring, Ed25519) as bundled, against a stand-in for the office on loopback
        that answers every op as applied: the real server is not part of the desktop bundle."""
        self.step = "sync"
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from consultant_app.domain.signing import public_key_pem
        from consultant_app.sync import credentials
        from consultant_app.sync.client import CentralClient, sync

        pem = public_key_pem(Ed25519PrivateKey.generate().public_key())

        class Office(BaseHTTPRequestHandler):
            def _send(self, body: bytes, kind: str = "application/json") -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path.startswith("/public-key.pem"):
                    self._send(pem, "application/x-pem-file")
                else:
                    self._send(b'{"rows": [], "cursor": 0, "more": false}')

            def do_POST(self) -> None:
                ops = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["ops"]
                self._send(json.dumps({"receipts": [{"op_id": op["op_id"], "status": "applied", "version": 1}
                                                    for op in ops]}).encode())

            def log_message(self, *_args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Office)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            credentials._keyring()  # the keyring's backends load (or the fallback file is chosen)
            with CentralClient(f"http://127.0.0.1:{server.server_port}", "self-test") as client:
                report = sync(store, client)
        finally:
            server.shutdown()
            server.server_close()
        check(report.pushed > 0 and report.applied == report.pushed, f"the sync sent {report.pushed} changes")
        check(list((store.data_dir / "office-keys").glob("*.pem")), "the office's public key was not kept")
        self.facts["sync"] = f"{report.pushed} changes sent over loopback"

    def frozen_contents(self) -> None:
        self.step = "bundle"
        import importlib.util

        if getattr(sys, "frozen", False):
            check(importlib.util.find_spec("central_server") is None, "the bundle contains central_server")


def main() -> int:
    """Run every check; 0 when all passed, 1 (with one line on stderr) at the first failure."""
    from consultant_app import APP_NAME, __version__

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="consultant-self-test-", ignore_cleanup_errors=True) as temporary:
        run = Run(Path(temporary))
        try:
            store = run.store()
            controller = None
            try:
                app = run.application()
                controller = run.window(app, store)
                run.render(controller)
                run.demo_and_report(store)
                run.certificates(store)
                run.sync(store)
                run.frozen_contents()
            finally:
                if controller is not None:
                    controller.window.close_confirmed()
                    controller.shutdown()  # closes the store too
                else:
                    store.close()
        except Exception as exc:  # noqa: BLE001 - every failure is one line, whatever it is
            reason = str(exc).replace("\n", " ").strip()
            detail = reason if isinstance(exc, SelfTestFailed) else f"{type(exc).__name__}: {reason}"
            print(f"self-test FAILED at {run.step}: {detail}", file=sys.stderr)
            return 1
    kind = "frozen" if getattr(sys, "frozen", False) else "from source"
    facts = "; ".join(f"{key}: {value}" for key, value in run.facts.items())
    print(f"self-test ok: {APP_NAME} {__version__} ({kind}); {facts}; {time.perf_counter() - started:.2f} s")
    return 0
