"""Importing the programme office's spreadsheets: all or nothing by default, idempotent, journalled, fast.

Rules this module keeps:

* **Empty cells.** A column the file does not have leaves the stored values alone. A column the file has
  but whose cell is empty means "no value": the stored value becomes None (survey ``improved``: empty).
  So a sheet with only ``business_no, year, kpi, post`` fills in post values and touches nothing else,
  while an export re-imported after clearing a cell clears it in the store too.
* **Outcomes.** The engagement sheet's outcome columns go to the engagement's outcome row; a row whose
  outcome cells are all empty creates no outcome (but clears an existing one's values).
* **Matching.** Live rows are matched by natural key (company by business_no, sponsor by name, engagement by
  company and year, KPI by engagement and code, outcome and survey by engagement) and only fields that
  differ are written, as updates journalled with old and new values; importing the same data again writes
  nothing at all.
* **Checks.** The domain's rules run on the row as it would be stored (for an update: the stored values
  of columns the file lacks, overlaid with the file's), plus parse errors, duplicate keys within a file
  (the later row is the error) and rows naming a company or engagement that neither files nor store have.
* **Errors.** By default one error anywhere writes nothing (``ImportFailed`` lists every problem).
  With ``keep_good_rows`` the good rows are written; bad rows are reported, and so are otherwise good rows
  under a rejected parent the store does not have (atomic imports report only the parent's problem).
  Every row is checked either way, so all errors show at once. Warnings never block.
* **Speed.** Rows are parsed and validated in plain Python against a few bulk SELECTs, then written
  with Core ``executemany`` in one transaction together with the journal (audit + outbox per row).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from consultant_app.domain.kpi import KpiCatalogue, default_catalogue
from consultant_app.errors import AppError
from consultant_app.io.columns import SHEETS
from consultant_app.io.plan import MODELS, Plan, load_existing, write_plan
from consultant_app.io.problems import ImportCancelled, ImportFailed, ImportResult
from consultant_app.io.readers import CHECK_EVERY, read_source
from consultant_app.io.rows import Sheet
from consultant_app.io.sheets import Importing
from consultant_app.store.database import Store

Progress = Callable[[int, int], None]
CACHE_KIB = 64 * 1024  # SQLite page cache while an import writes
DEFAULT_CACHE_KIB = 2000  # SQLite's default, restored after


class _Ticker:
    """Counts work, calls ``progress`` now and then, and raises ImportCancelled when asked to stop."""

    def __init__(self, total: int, *, progress: Progress | None, cancelled: Callable[[], bool] | None):
        self.total = max(total, 1)
        self.done = 0
        self.progress = progress
        self.cancelled = cancelled or (lambda: False)
        self._next = CHECK_EVERY

    def __call__(self, amount: int = 1) -> None:
        self.done += amount
        if self.done >= self._next:
            self._next = self.done + CHECK_EVERY
            self.check()

    def check(self) -> None:
        if self.cancelled():
            raise ImportCancelled()
        if self.progress:
            self.progress(min(self.done, self.total), self.total)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the import, restoring it after."""
    # An import makes hundreds of thousands of long-lived small objects and no garbage cycles to speak of,
    # yet the collector kept re-scanning them all: measured, 40% of the time spent checking rows.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write(store: Store, plan: Plan, *, step: Callable[[int], None], check: Callable[[], None]) -> None:
    """Write the plan in one transaction, with a bigger page cache while it runs."""
    with store.engine.connect() as connection:
        # The journal's random-UUID indexes thrash SQLite's default 2 MB cache (measured: ~30% of the write).
        connection.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
        try:
            write_plan(connection, plan, actor=store.actor, device_id=store.device_id, step=step)
            check()  # a cancel during the last chunk still rolls everything back
            connection.commit()
        except IntegrityError as exc:
            # Rows were matched before this transaction: another writer (a sync) created a clashing row meanwhile.
            raise AppError("가져오는 동안 다른 작업이 같은 자료를 바꿨습니다. 아무것도 저장하지 않았으니 다시 가져오세요.",
                           "The data changed while importing (another task wrote the same records). "
                           "Nothing was saved; import again.") from exc
        finally:
            connection.rollback()  # nothing after a commit; everything after an error or a cancel
            connection.exec_driver_sql(f"PRAGMA cache_size=-{DEFAULT_CACHE_KIB}")
            connection.commit()


def import_path(store: Store, path: Path, *, keep_good_rows: bool = False, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None,
                catalogue: KpiCatalogue | None = None) -> ImportResult:
    """Import a folder of CSV files or an .xlsx workbook into the store (see the module's rules)."""
    with _gc_paused():
        return _import(store, Path(path), keep_good_rows=keep_good_rows, progress=progress, cancelled=cancelled,
                       catalogue=catalogue or default_catalogue())


def _import(store: Store, path: Path, *, keep_good_rows: bool, progress: Progress | None,
            cancelled: Callable[[], bool] | None, catalogue: KpiCatalogue) -> ImportResult:
    raw_sheets = read_source(path, cancelled or (lambda: False))
    sheets = {raw.spec.name: Sheet(raw, catalogue) for raw in raw_sheets}
    rows = sum(len(raw.rows) for raw in raw_sheets)
    # Half the bar for checking rows, half for writing them.
    ticker = _Ticker(2 * rows, progress=progress, cancelled=cancelled)
    with store.engine.connect() as connection:
        existing = load_existing(connection, set(sheets))
    plan = Plan(store.engine.dialect)
    Importing(existing=existing, plan=plan, catalogue=catalogue, keep_good_rows=keep_good_rows,
              tick=ticker).run(sheets)
    problems = [p for name in SHEETS if name in sheets for p in sheets[name].problems]
    if any(p.is_error for p in problems) and not keep_good_rows:
        raise ImportFailed(problems)
    ticker.done = rows
    ticker.check()
    if plan.size:
        scale = rows / plan.size
        _write(store, plan, step=lambda n: ticker(max(1, round(n * scale))), check=ticker.check)
    if progress:
        progress(ticker.total, ticker.total)
    return ImportResult(created={t: plan.created[t] for t in MODELS}, updated={t: plan.updated[t] for t in MODELS},
                        unchanged=plan.unchanged, problems=problems, written=plan.size > 0)
