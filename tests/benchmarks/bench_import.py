"""Import benchmark: a 10,000-engagement programme through ``import_path`` against raw ``sqlite3.executemany``."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from consultant_app.io import import_path
from consultant_app.io.importer import CACHE_KIB
from consultant_app.store import Store
from tests.benchmarks.programme import generate

DATA_TABLES = ("sponsors", "companies", "engagements", "kpi_measurements", "outcomes", "survey_responses")
JOURNAL_TABLES = ("audit_log", "outbox")
ENGAGEMENTS = 10_000
LIMIT_SECONDS = 10.0
LIMIT_RATIO = 5.0


def _rows(path: Path, tables: tuple[str, ...]) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f"SELECT * FROM {t}").fetchall() for t in tables}


def raw_insert_seconds(schema_dir: Path, rows: dict[str, list[tuple]]) -> float:
    """Seconds for bare ``executemany`` of ``rows`` into a fresh store file: same tables and pragmas, one commit."""
    Store.open(schema_dir, actor="bench").close()  # the real schema, indexes included
    path = next(schema_dir.glob("*.sqlite3"))
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # The store's pragmas, and the page cache the import uses while it writes.
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", f"cache_size=-{CACHE_KIB}"):
            connection.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        connection.execute("BEGIN")
        for table, table_rows in rows.items():
            if table_rows:
                marks = ",".join("?" * len(table_rows[0]))
                connection.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
        connection.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()


def main(scale: float = 1.0) -> dict[str, float]:
    """Generate, import, compare with raw inserts of the same rows; print and return the figures."""
    engagements = max(2, round(ENGAGEMENTS * scale))
    with tempfile.TemporaryDirectory(prefix="bench-import-") as temporary:
        root = Path(temporary)
        size = generate(root / "files", engagements)
        store = Store.open(root / "store", actor="bench")
        try:
            started = time.perf_counter()
            result = import_path(store, root / "files")
            import_seconds = time.perf_counter() - started
        finally:
            store.close()
        store_file = next((root / "store").glob("*.sqlite3"))
        data = _rows(store_file, DATA_TABLES)
        journal = _rows(store_file, JOURNAL_TABLES)
        raw_data = raw_insert_seconds(root / "raw-data", data)
        raw_all = raw_insert_seconds(root / "raw-all", {**data, **journal})
    data_rows = sum(len(r) for r in data.values())
    journal_rows = sum(len(r) for r in journal.values())
    figures = {
        "engagements": size.engagements, "kpi_rows": size.kpis, "file_rows": size.total,
        "data_rows": data_rows, "journal_rows": journal_rows, "problems": len(result.problems),
        "import_s": import_seconds, "import_rows_per_s": (data_rows + journal_rows) / import_seconds,
        "raw_all_s": raw_all, "raw_all_rows_per_s": (data_rows + journal_rows) / raw_all,
        "raw_data_s": raw_data, "raw_data_rows_per_s": data_rows / raw_data,
        "ratio_vs_raw_all": import_seconds / raw_all, "ratio_vs_raw_data": import_seconds / raw_data,
    }
    print(f"import: {size.engagements:,} engagements, {size.kpis:,} KPI rows, {size.total:,} file rows "
          f"→ {data_rows:,} data rows + {journal_rows:,} journal rows")
    print(f"  import_path        {import_seconds:7.2f} s  {figures['import_rows_per_s']:>10,.0f} rows/s "
          f"(data + journal)")
    print(f"  raw, data+journal  {raw_all:7.2f} s  {figures['raw_all_rows_per_s']:>10,.0f} rows/s  "
          f"ratio {figures['ratio_vs_raw_all']:.1f}×")
    print(f"  raw, data only     {raw_data:7.2f} s  {figures['raw_data_rows_per_s']:>10,.0f} rows/s  "
          f"ratio {figures['ratio_vs_raw_data']:.1f}×")
    if scale >= 1.0:
        verdict = "ok" if import_seconds < LIMIT_SECONDS else "TOO SLOW"
        print(f"  limit {LIMIT_SECONDS:.0f} s: {verdict}; aim ≤ {LIMIT_RATIO:.0f}× raw")
    return figures


if __name__ == "__main__":
    main()
