"""Company list benchmark: 10,000 companies in the real CompaniesPage, against a bare list of tuples."""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from consultant_app.domain.codes import EngagementStatus, GrowthStage, SupportField
from consultant_app.store import Store
from consultant_app.store.models import Company, Engagement, Sponsor, new_id, utc_now
from tests.benchmarks.programme import INDUSTRIES, REGIONS, SPONSORS, SYLLABLES, business_number

ROOT = Path(__file__).resolve().parents[2]
COMPANIES = 10_000
LIMIT_FILTER_MS = 50.0
NAME_PREFIX = "(주)한빛"
BARE_QUERY = """
SELECT c.id, c.business_no, c.name, s.name, c.region, c.industry, e.n, e.years
FROM companies c
LEFT JOIN sponsors s ON s.id = c.sponsor_id AND s.deleted = 0
LEFT JOIN (SELECT company_id, count(*) AS n, group_concat(year || ':' || status, ';') AS years
           FROM engagements WHERE deleted = 0 GROUP BY company_id) e ON e.company_id = c.id
WHERE c.deleted = 0
"""


def company_name(rng: random.Random, index: int) -> str:
    """A made-up company name: ``(주)`` and two syllables, a trade word and a number."""
    core = "".join(rng.choice(SYLLABLES) for _ in range(2))
    return f"(주){core}{rng.choice(('정밀', '산업', '테크', '기공', '전자'))} {index}"


def insert_companies(store: Store, count: int, *, seed: int = 2018) -> int:
    """Write ``count`` companies with 1–3 engagements each in one transaction (bare inserts, no journal).

    Fast test data for lists: the journal is not what a list reads. Returns the number of engagements.
    """
    rng = random.Random(seed)
    now = utc_now()
    base = {"created_at": now, "updated_at": now, "version": 0, "deleted": False}
    sponsors = [{**base, "id": new_id(), "name": name} for name in SPONSORS]
    used: set[str] = set()
    companies, engagements = [], []
    statuses = [s.value for s in EngagementStatus]
    for index in range(count):
        company_id = new_id()
        companies.append({
            **base, "id": company_id, "business_no": business_number(rng, used), "name": company_name(rng, index + 1),
            "representative": f"대표{index + 1}", "region": rng.choice(REGIONS), "industry": rng.choice(INDUSTRIES),
            "manufacturing": True, "employees": rng.randint(5, 300), "supplier_tier": rng.choice((2, 2, 3)),
            "sponsor_id": rng.choice(sponsors)["id"] if rng.random() < 0.95 else None,
            "growth_stage": rng.choice(list(GrowthStage)).value})
        for year in range(1, rng.choice((1, 1, 2, 3)) + 1):
            start = date(2013, 3, 1) + timedelta(days=365 * (year - 1) + rng.randint(0, 120))
            engagements.append({
                **base, "id": new_id(), "company_id": company_id, "year": year, "phase": 1,
                "field": rng.choice(list(SupportField)).value, "support_krw": rng.randrange(20, 41) * 1_000_000,
                "start_date": start, "end_date": start + timedelta(days=rng.randint(150, 300)),
                "status": rng.choice(statuses), "consultant": None})
    with store.transaction() as session:
        connection = session.connection()
        connection.execute(insert(Sponsor.__table__), sponsors)
        connection.execute(insert(Company.__table__), companies)
        connection.execute(insert(Engagement.__table__), engagements)
    return len(engagements)


BARE_COLUMNS = {"business_no": 1, "name": 2, "sponsor": 3, "region": 4, "industry": 5}


def build_store(data_dir: str, count: int) -> None:
    """A store in ``data_dir`` with ``count`` companies."""
    store = Store.open(Path(data_dir), actor="bench")
    try:
        insert_companies(store, count)
    finally:
        store.close()


def _rss_peak_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if os.uname().sysname == "Darwin" else peak / 1024


def _ms(seconds: float) -> float:
    return seconds * 1000


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def _prefixes(text: str) -> list[str]:
    return [text[: n + 1] for n in range(len(text))]


def _keystrokes(model, plain: list[tuple], text: str, column: int, *, digits: bool = False) -> dict[str, float]:
    """Each prefix of ``text`` as typed: the model's filter time against a bare list comprehension."""
    from consultant_app.services.companies import CompanyFilter

    model_times, bare_times = [], []
    for prefix in _prefixes(text):
        model_times.append(_timed(model.set_filter, CompanyFilter(text=prefix)))
        needle = prefix.replace("-", "") if digits else prefix
        bare_times.append(_timed(lambda n=needle: [r for r in plain if n in r[column]]))
    shown = model.rowCount()
    model.set_filter(CompanyFilter())
    return {"median_ms": _ms(statistics.median(model_times)), "max_ms": _ms(max(model_times)),
            "bare_median_ms": _ms(statistics.median(bare_times)), "bare_max_ms": _ms(max(bare_times)),
            "keystrokes": len(model_times), "shown": shown}


def main(scale: float = 1.0) -> dict[str, float]:
    """Build the store and the page offscreen; time load, keystrokes and sorts; measure memory; print ratios."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from consultant_app.ui.app import application

    count = max(100, round(COMPANIES * scale))
    app = application()
    app.processEvents()
    rss_app = _rss_peak_mib()  # the bare baseline: an empty QApplication with the app's font
    with tempfile.TemporaryDirectory(prefix="bench-company-list-") as temporary:
        data_dir = Path(temporary)
        # Generated in a child process, so making the rows does not raise this process's peak memory.
        code = ("import sys; sys.path.insert(0, sys.argv[1]); "
                "from tests.benchmarks.bench_company_list import build_store; build_store(sys.argv[2], int(sys.argv[3]))")
        subprocess.run([sys.executable, "-c", code, str(ROOT), str(data_dir), str(count)], check=True)
        store = Store.open(data_dir, actor="bench")
        try:
            figures = _measure(app, store, data_dir, count, rss_app)
        finally:
            store.close()
    _report(figures)
    return figures


def _measure(app, store: Store, data_dir: Path, count: int, rss_app: float) -> dict[str, float]:
    import sqlite3

    from PySide6.QtCore import Qt

    from consultant_app.services.companies import load_company_rows
    from consultant_app.ui.context import AppContext
    from consultant_app.ui.models.companies import COLUMNS, CompanyTableModel
    from consultant_app.ui.pages.companies import CompaniesPage
    from consultant_app.ui.settings import Settings
    from consultant_app.ui.tasks import TaskRunner

    # The page as the app builds it: rows loaded in the background, then shown in the table.
    tasks = TaskRunner()
    ctx = AppContext(store, Settings(data_dir), tasks, "ko")
    started = time.perf_counter()
    page = CompaniesPage(ctx)
    page.resize(1100, 700)
    page.show()
    while page.loading:
        app.processEvents()
        tasks.wait(5)
    page_load = time.perf_counter() - started
    assert page.model.rowCount() == count
    rss_page = _rss_peak_mib()

    # Load parts: the service's one query into rows, and the model taking them; against a bare fetch.
    loads, sets = [], []
    for _ in range(3):
        with store.session() as session:
            started = time.perf_counter()
            rows = load_company_rows(session=session)
            loads.append(time.perf_counter() - started)
        sets.append(_timed(page.model.set_rows, rows))
    # The bare baseline: the same rows fetched by the same SQL through the bare driver, as plain tuples.
    connection = sqlite3.connect(store.path)
    bare_fetch = min(_timed(lambda: connection.execute(BARE_QUERY).fetchall()) for _ in range(3))
    plain = connection.execute(BARE_QUERY).fetchall()
    model = page.model
    name_text = NAME_PREFIX if any(r.name.startswith(NAME_PREFIX) for r in rows) else rows[len(rows) // 2].name[:5]
    number = rows[len(rows) // 3].business_no
    number_text = f"{number[:3]}-{number[3:5]}-{number[5:7]}"
    name_keys = _keystrokes(model, plain, name_text, 2)
    number_keys = _keystrokes(model, plain, number_text, 1, digits=True)

    sort_times, bare_sorts = [], []
    for column, spec in enumerate(COLUMNS):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            sort_times.append(_timed(model.sort, column, order))
        index = BARE_COLUMNS.get(spec.key)
        if index is not None:
            bare_sorts.append(_timed(lambda i=index: sorted(plain, key=lambda r: (r[i] is None, r[i] or ""))))
    model.sort(1, Qt.SortOrder.AscendingOrder)

    # Python memory: the loaded rows and the model against the bare tuples (tracemalloc, a separate run).
    del rows
    tracemalloc.start()
    with store.session() as session:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        rows = load_company_rows(session=session)
        rows_size, load_peak = (m - base for m in tracemalloc.get_traced_memory())
    fresh = CompanyTableModel("ko")
    before = tracemalloc.get_traced_memory()[0]
    fresh.set_rows(rows)
    model_extra = tracemalloc.get_traced_memory()[0] - before
    before = tracemalloc.get_traced_memory()[0]
    bare = connection.execute(BARE_QUERY).fetchall()
    bare_size = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    connection.close()
    del bare, fresh
    page.close()
    tasks.wait()
    # Let the finished tasks' deleteLater run while their runner still exists (a runner collected with them
    # pending crashes the next event loop pass).
    app.processEvents()

    return {
        "companies": count, "engagements": sum(r.engagements for r in rows),
        "page_load_ms": _ms(page_load), "service_load_ms": _ms(min(loads)), "model_set_rows_ms": _ms(min(sets)),
        "bare_fetch_ms": _ms(bare_fetch), "load_ratio": min(loads) / bare_fetch,
        "name_prefix": name_text, "number_prefix": number_text,
        **{f"name_{k}": v for k, v in name_keys.items()}, **{f"number_{k}": v for k, v in number_keys.items()},
        "sort_median_ms": _ms(statistics.median(sort_times)), "sort_max_ms": _ms(max(sort_times)),
        "bare_sort_median_ms": _ms(statistics.median(bare_sorts)),
        "rows_mib": rows_size / 2**20, "load_peak_mib": load_peak / 2**20, "model_extra_mib": model_extra / 2**20,
        "bare_rows_mib": bare_size / 2**20, "rss_app_mib": rss_app, "rss_page_mib": rss_page,
    }


def _report(f: dict[str, float]) -> None:
    print(f"company list: {f['companies']:,} companies, {f['engagements']:,} engagements")
    print(f"  load    page built → rows shown {f['page_load_ms']:7.1f} ms (in the background)")
    print(f"          service query + rows   {f['service_load_ms']:7.1f} ms   bare fetch {f['bare_fetch_ms']:6.1f} ms"
          f"   ratio {f['load_ratio']:.1f}×")
    print(f"          model.set_rows         {f['model_set_rows_ms']:7.1f} ms")
    for label, key in (("name", "name"), ("number", "number")):
        print(f"  typing  {label} {f[key + '_prefix']!r} ({f[key + '_keystrokes']} keys, {f[key + '_shown']} shown): "
              f"filter median {f[key + '_median_ms']:.2f} ms, max {f[key + '_max_ms']:.2f} ms; bare list "
              f"median {f[key + '_bare_median_ms']:.2f} ms, max {f[key + '_bare_max_ms']:.2f} ms; "
              f"ratio {f[key + '_median_ms'] / max(f[key + '_bare_median_ms'], 1e-6):.1f}×")
    print(f"  sort    median {f['sort_median_ms']:.1f} ms, max {f['sort_max_ms']:.1f} ms; bare sorted() median "
          f"{f['bare_sort_median_ms']:.1f} ms; ratio {f['sort_median_ms'] / f['bare_sort_median_ms']:.1f}×")
    print(f"  memory  rows {f['rows_mib']:.1f} MiB (load peak {f['load_peak_mib']:.1f} MiB), model +"
          f"{f['model_extra_mib']:.2f} MiB; bare tuples {f['bare_rows_mib']:.1f} MiB; "
          f"ratio {f['rows_mib'] / f['bare_rows_mib']:.1f}×")
    print(f"          peak RSS: empty QApplication {f['rss_app_mib']:.0f} MiB, with the page and rows "
          f"{f['rss_page_mib']:.0f} MiB; ratio {f['rss_page_mib'] / f['rss_app_mib']:.2f}×")
    worst = max(f["name_max_ms"], f["number_max_ms"])
    if f["companies"] >= COMPANIES:
        verdict = "ok" if worst < LIMIT_FILTER_MS else "TOO SLOW"
        print(f"  limit {LIMIT_FILTER_MS:.0f} ms per keystroke's filter: {verdict} (worst {worst:.2f} ms)")


if __name__ == "__main__":
    main()
