"""The office's CSV folder or XLSX workbook imported into the central database, journalled by record_changes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from central_server.catalogue import catalogue_in_force
from central_server.changes import record_changes
from central_server.db import write_transaction
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.errors import AppError
from consultant_app.io.columns import SHEETS
from consultant_app.io.plan import MODELS, Plan, load_existing, write_plan
from consultant_app.io.problems import ImportFailed, ImportResult
from consultant_app.io.readers import read_source
from consultant_app.io.rows import Sheet
from consultant_app.io.sheets import Importing

SERVER_DEVICE = "central"


def import_into(engine: Engine, path: Path, *, actor: str, catalogue: KpiCatalogue | None = None) -> ImportResult:
    """Import all or nothing: any error raises ImportFailed listing every problem, and nothing is written.

    KPIs are judged by ``catalogue``, else by the catalogue in force in the database.
    """
    raw_sheets = read_source(Path(path), lambda: False)
    try:
        # One transaction from matching to writing (on SQLite holding the write lock throughout), so the rows
        # matched are the rows updated, judged by the catalogue in force at that moment.
        with write_transaction(engine) as connection:
            catalogue = catalogue or catalogue_in_force(connection)
            sheets = {raw.spec.name: Sheet(raw, catalogue) for raw in raw_sheets}
            existing = load_existing(connection, set(sheets))
            plan = Plan(engine.dialect)
            Importing(existing=existing, plan=plan, catalogue=catalogue, keep_good_rows=False,
                      tick=lambda *_: None).run(sheets)
            problems = [p for name in SHEETS if name in sheets for p in sheets[name].problems]
            if any(p.is_error for p in problems):
                raise ImportFailed(problems)
            write_plan(connection, plan, actor=actor, device_id=SERVER_DEVICE, step=lambda _n: None,
                       journal=lambda conn, changes: record_changes(conn, changes, actor=actor))
    except IntegrityError as exc:
        # On PostgreSQL a sync may create a clashing row after this import matched: nothing was saved.
        raise AppError("가져오는 동안 다른 작업이 같은 자료를 바꿨습니다. 아무것도 저장하지 않았으니 다시 가져오세요.",
                       "The data changed while importing (another task wrote the same records). "
                       "Nothing was saved; import again.") from exc
    return ImportResult(created={t: plan.created[t] for t in MODELS}, updated={t: plan.updated[t] for t in MODELS},
                        unchanged=plan.unchanged, problems=problems, written=plan.size > 0)
