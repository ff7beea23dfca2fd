"""Programme report PDF benchmark: records → view → PDF for 10,000 engagements, against a bare one-page table PDF."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.report_view import build_report_view
from consultant_app.io import import_path
from consultant_app.reports.fonts import register_fonts
from consultant_app.reports.programme_pdf import render_programme_report
from consultant_app.store import Store
from consultant_app.store.queries import engagement_records
from tests.benchmarks.programme import generate

ENGAGEMENTS = 10_000
RUNS = 5
AIM_SECONDS = 5.0
COLUMNS = 9  # the tables by year and by sponsor: name and eight figures


def median_seconds(work: Callable[[], object], runs: int = RUNS) -> tuple[float, object]:
    """Median wall time of ``runs`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bare_table_pdf(rows: int) -> bytes:
    """The least a PDF of our tables costs: one A4 page, the bundled font, one plain table of ``rows`` rows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    font = register_fonts()
    buffer = BytesIO()
    table = Table([[f"{r:,}", *(f"{r * c:,}" for c in range(1, COLUMNS))] for r in range(rows)])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 8)]))
    SimpleDocTemplate(buffer, pagesize=A4).build([table])
    return buffer.getvalue()


def main(scale: float = 1.0) -> dict[str, float]:
    """Generate and import a programme, time the report end to end against the bare PDF; print and return."""
    engagements = max(2, round(ENGAGEMENTS * scale))
    catalogue = default_catalogue()
    register_fonts()  # once per process in the app too: not part of any one report
    with tempfile.TemporaryDirectory(prefix="bench-report-pdf-") as temporary:
        root = Path(temporary)
        generate(root / "files", engagements)
        store = Store.open(root / "store", actor="bench")
        try:
            import_path(store, root / "files")

            def read() -> list:
                with store.session() as session:
                    return engagement_records(session=session)

            read_s, records = median_seconds(read)
        finally:
            store.close()
    view_s, view = median_seconds(lambda: build_report_view(records, catalogue, generated_on=date.today()))
    render_programme_report(view)  # warm: first use of each glyph and style
    render_s, pdf = median_seconds(lambda: render_programme_report(view))
    rows = len(view.by_year) + len(view.by_sponsor) + 4  # two tables: header and "all" row each
    baseline_s, _ = median_seconds(lambda: bare_table_pdf(rows))
    total_s = read_s + view_s + render_s
    figures = {
        "engagements": len(records), "table_rows": rows, "pdf_bytes": len(pdf),
        "records_ms": read_s * 1000, "view_ms": view_s * 1000, "render_ms": render_s * 1000,
        "total_ms": total_s * 1000, "baseline_ms": baseline_s * 1000,
        "render_ratio": render_s / baseline_s, "total_ratio": total_s / baseline_s,
    }
    print(f"report_pdf: {len(records):,} engagements, {len(view.by_year)} years, {len(view.by_sponsor)} sponsors "
          f"→ {len(pdf):,} bytes; median of {RUNS} runs")
    print(f"  engagement_records    {figures['records_ms']:8.1f} ms")
    print(f"  build_report_view     {figures['view_ms']:8.1f} ms")
    print(f"  render_programme_pdf  {figures['render_ms']:8.1f} ms  ratio {figures['render_ratio']:.1f}× bare")
    print(f"  end to end            {figures['total_ms']:8.1f} ms  ratio {figures['total_ratio']:.1f}× bare")
    print(f"  bare 1-page PDF, {rows}-row table  {figures['baseline_ms']:.1f} ms")
    if scale >= 1.0:
        verdict = "met" if total_s < AIM_SECONDS else "NOT MET"
        print(f"  aim < {AIM_SECONDS:.0f} s end to end: {verdict}")
    return figures


if __name__ == "__main__":
    main()
