"""Certificate benchmark: ms per certificate against a bare one-page PDF in the same font, and 1,000 in batch."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

from consultant_app.io import import_path
from consultant_app.reports.certificate_pdf import render_certificate
from consultant_app.reports.fonts import register_fonts
from consultant_app.services.certificate_batch import default_workers, export_certificates
from consultant_app.services.certificates import certificate_view
from consultant_app.store import Store
from tests.benchmarks.bench_report_pdf import median_seconds
from tests.benchmarks.programme import generate

BATCH = 1_000
RUNS = 20
AIM_RATIO = 5.0
AIM_BATCH_SECONDS = 30.0


def bare_page() -> bytes:
    """The least a one-page PDF with the bundled font costs: a canvas, a title and a few lines of Hangul."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    font = register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=font)
    canvas.setFont(font, 20)
    canvas.drawString(72, 760, "개선 확인서")
    canvas.setFont(font, 10)
    for line in range(20):
        canvas.drawString(72, 720 - 16 * line, f"공정불량률 2.93 → 1.71 개선율 41.6% · 줄 {line}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _programme(folder: Path, engagements: int) -> Store:
    """A store of ``engagements`` certificate-ready engagements (the sheets carry no consultant: set one)."""
    generate(folder / "sheets", engagements, kpis_per_engagement=4)
    store = Store.open(folder / "data", actor="bench")
    import_path(store, folder / "sheets")
    store.close()
    # Setting up the benchmark, not using the app: one UPDATE rather than 1,000 journalled saves.
    with sqlite3.connect(folder / "data" / "consultant.sqlite3") as connection:
        connection.execute("UPDATE engagements SET consultant = '박민준', status = 'completed'")
    return Store.open(folder / "data", actor="bench")


def main(scale: float = 1.0) -> dict[str, float]:
    batch = max(10, round(BATCH * scale))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = _programme(folder, batch)
        with store.session() as session:
            from sqlmodel import select

            from consultant_app.store.models import Engagement

            engagement_id = session.exec(select(Engagement.id)).first()
        view = certificate_view(store, engagement_id, printed_on=date(2024, 1, 1))
        render_certificate(view), bare_page()  # fonts registered, caches warm
        bare, _ = median_seconds(bare_page, RUNS)
        one, pdf = median_seconds(lambda: render_certificate(view), RUNS)
        workers = default_workers()
        started = time.perf_counter()
        result = export_certificates(store, folder / "out", workers=workers, printed_on=date(2024, 1, 1))
        batch_seconds = time.perf_counter() - started
        started = time.perf_counter()
        single = export_certificates(store, folder / "out1", workers=1, printed_on=date(2024, 1, 1))
        serial_seconds = time.perf_counter() - started
        store.close()
    ratio = one / bare
    print(f"certificates: one certificate ({len(view.kpis)} KPIs, {len(pdf):,} bytes), median of {RUNS}")
    print(f"  certificate              {one * 1000:7.1f} ms  ratio {ratio:.1f}× bare (aim ≤ {AIM_RATIO:g}×: "
          f"{'met' if ratio <= AIM_RATIO else 'NOT met'})")
    print(f"  bare one-page PDF, same font {bare * 1000:5.1f} ms")
    print(f"  batch of {len(result.written):,} on {workers} worker process(es) ({os.cpu_count()} cores): "
          f"{batch_seconds:.1f} s, {batch_seconds / max(1, len(result.written)) * 1000:.1f} ms each "
          f"(aim < {AIM_BATCH_SECONDS * batch / BATCH:g} s: {'met' if batch_seconds < AIM_BATCH_SECONDS * batch / BATCH else 'NOT met'})")
    print(f"  the same batch in this process alone: {serial_seconds:.1f} s "
          f"(workers speed-up {serial_seconds / batch_seconds:.2f}×); skipped {len(single.skipped)}")
    return {"certificate_ms": one * 1000, "bare_ms": bare * 1000, "ratio": ratio, "batch_s": batch_seconds}
