"""Exporting the live rows as the four sheets the importer reads: a folder of CSV files or one workbook."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.engine import Connection

from consultant_app.io.cells import format_text
from consultant_app.io.columns import SPECS, Column, Kind, SheetSpec
from consultant_app.store.database import Store
from consultant_app.store.models import Company, Engagement, KpiMeasurement, Outcome, Sponsor, SurveyResponse

_T = {m.__tablename__: m.__table__ for m in (Company, Engagement, KpiMeasurement, Outcome, SurveyResponse)}
_SPONSORS = Sponsor.__table__
_COMPANIES, _ENGAGEMENTS = _T["companies"], _T["engagements"]
DATE_FORMAT = "yyyy-mm-dd"


def _source(column: Column):
    """Where a sheet column's value comes from in the database."""
    if column.name == "sponsor":
        return _SPONSORS.c.name
    if column.name == "business_no":
        return _COMPANIES.c.business_no
    if column.name == "year":
        return _ENGAGEMENTS.c.year
    return _T[column.table].c[column.attr]


def _query(spec: SheetSpec) -> Select:
    """The live rows of one sheet, one labelled column per spec column, in a stable order."""
    query = select(*[_source(c).label(c.name) for c in spec.columns])
    live = [_COMPANIES.c.deleted == False]  # noqa: E712
    if spec.name == "companies":
        query = query.select_from(_COMPANIES.outerjoin(_SPONSORS, _SPONSORS.c.id == _COMPANIES.c.sponsor_id))
        return query.where(*live).order_by(_COMPANIES.c.business_no)
    joined = _ENGAGEMENTS.join(_COMPANIES, _COMPANIES.c.id == _ENGAGEMENTS.c.company_id)
    live.append(_ENGAGEMENTS.c.deleted == False)  # noqa: E712
    order = [_COMPANIES.c.business_no, _ENGAGEMENTS.c.year]
    if spec.name == "engagements":
        outcomes = _T["outcomes"]
        joined = joined.outerjoin(outcomes, and_(outcomes.c.engagement_id == _ENGAGEMENTS.c.id,
                                                 outcomes.c.deleted == False))  # noqa: E712
    else:
        child = _T["kpi_measurements" if spec.name == "kpis" else "survey_responses"]
        joined = joined.join(child, child.c.engagement_id == _ENGAGEMENTS.c.id)
        live.append(child.c.deleted == False)  # noqa: E712
        if spec.name == "kpis":
            order.append(child.c.kpi_code)
    return query.select_from(joined).where(*live).order_by(*order)


def sheet_rows(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows as Python values, columns in spec order."""
    return {name: [tuple(row) for row in connection.execute(_query(spec))] for name, spec in SPECS.items()}


def _replace(target: Path, write) -> None:
    """Write beside the target and rename, so a failed export never leaves half a file."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_folder(folder: Path, data: dict[str, list[tuple]]) -> None:
    """One CSV per sheet, UTF-8 with a BOM so Excel shows Hangul."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        headers = [c.name for c in SPECS[name].columns]

        def write(path: Path, rows=rows, headers=headers) -> None:
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows([format_text(v) for v in row] for row in rows)

        _replace(folder / f"{name}.csv", write)


def write_workbook(path: Path, data: dict[str, list[tuple]]) -> None:
    """One worksheet per sheet, written in openpyxl's streaming mode; dates as date cells shown ISO."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def write(target: Path) -> None:
        workbook = Workbook(write_only=True)
        for name, rows in data.items():
            worksheet = workbook.create_sheet(name)
            worksheet.append([c.name for c in SPECS[name].columns])
            dates = [i for i, c in enumerate(SPECS[name].columns) if c.kind is Kind.DATE]
            for row in rows:
                cells = list(row)
                for i in dates:
                    if cells[i] is not None:
                        cell = WriteOnlyCell(worksheet, value=cells[i])
                        cell.number_format = DATE_FORMAT
                        cells[i] = cell
                worksheet.append(cells)
        workbook.save(target)

    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, write)


def export_path(store: Store, path: Path) -> dict[str, int]:
    """Export the live rows: ``*.xlsx`` writes a workbook, any other path a folder of CSVs; rows per sheet."""
    path = Path(path)
    with store.engine.connect() as connection:
        data = sheet_rows(connection)
    if path.suffix.lower() == ".xlsx":
        write_workbook(path, data)
    else:
        write_folder(path, data)
    return {name: len(rows) for name, rows in data.items()}
