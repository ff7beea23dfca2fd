"""Exporting the live rows as the four sheets the importer reads: a folder of CSV files or one workbook.

Rules this module keeps:

* **Exact.** Export → import gives back every value as it was, in either form (``export_form``).
* **No formulas.** Text a spreadsheet could take for a formula (``=``, ``+``, ``-``, ``@``, tab, CR) is a text
  cell in a workbook, and in CSV it is written behind a single quote (``cells.escape_text``, which import undoes).
  A workbook writes a CR as ``_x000D_``, as Excel does (``xlsx_text``).
* **All or nothing.** A value no spreadsheet can hold (a control character such as NUL) refuses the whole
  export, naming sheet, row and column; files are written beside their targets and renamed at the end.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.engine import Connection

from consultant_app.domain.kpi import KpiCatalogue, default_catalogue
from consultant_app.domain.validation import format_business_no, unstorable_character
from consultant_app.errors import AppError
from consultant_app.io.cells import format_text, starts_like_formula
from consultant_app.io.columns import SPECS, Column, Kind, SheetSpec
from consultant_app.io.export_form import Form, column_widths, header, sheet_cells
from consultant_app.store.database import Store
from consultant_app.store.models import Company, Engagement, KpiMeasurement, Outcome, Sponsor, SurveyResponse

_T = {m.__tablename__: m.__table__ for m in (Company, Engagement, KpiMeasurement, Outcome, SurveyResponse)}
_SPONSORS = Sponsor.__table__
_COMPANIES, _ENGAGEMENTS = _T["companies"], _T["engagements"]
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0"
# Text openpyxl would store as an error value rather than as text.
ERROR_TEXTS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


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


class ExportRefused(AppError):
    """A stored value no spreadsheet can hold; nothing was written."""

    def __init__(self, *, sheet: str, row: int, column: str, business_no: str, char: str):
        number = format_business_no(business_no)
        super().__init__(
            f"내보내지 않았습니다: {sheet} 시트 {row}행(사업자등록번호 {number})의 '{column}' 열에 엑셀·CSV 파일에 담을 수 없는 "
            f"제어 문자({char})가 있습니다. 앱에서 그 값을 고친 뒤 다시 내보내세요.",
            f"Nothing was exported: sheet {sheet}, row {row} (business number {number}), column '{column}' holds a "
            f"control character ({char}) no spreadsheet can keep. Correct the value in the app and export again.")
        self.sheet, self.row, self.column, self.char = sheet, row, column, char


@dataclass
class SheetOut:
    """One sheet as it will be written: headers and cells in the chosen form."""

    spec: SheetSpec
    headers: list[str]
    cells: list[list[Any]]


def prepare(data: dict[str, list[tuple]], form: Form, catalogue: KpiCatalogue) -> list[SheetOut]:
    """Every sheet's cells in ``form``; raises ExportRefused before anything is written."""
    sheets = []
    for name, rows in data.items():
        spec = SPECS[name]
        headers = [header(c, form) for c in spec.columns]
        cells = sheet_cells(spec.columns, rows, form, catalogue)
        for number, (row, stored) in enumerate(zip(cells, rows), start=2):  # row 1 is the header
            for index, value in enumerate(row):
                if value.__class__ is str and (char := unstorable_character(value)) is not None:
                    raise ExportRefused(sheet=name, row=number, column=headers[index], business_no=stored[0],
                                        char=char)
        sheets.append(SheetOut(spec, headers, cells))
    return sheets


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp")


def _replace(target: Path, write) -> None:
    """Write beside the target and rename, so a failed export never leaves half a file."""
    temporary = _temporary(target)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_folder(folder: Path, sheets: list[SheetOut]) -> None:
    """One CSV per sheet, UTF-8 with a BOM so Excel shows Hangul; every file written before any is renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for sheet in sheets:
            target = folder / f"{sheet.spec.name}.csv"
            written.append((_temporary(target), target))
            with written[-1][0].open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(sheet.headers)
                writer.writerows([format_text(v) for v in row] for row in sheet.cells)
        # Renamed together at the end: an error on one sheet leaves the old files as they were, not half new.
        for temporary, target in written:
            os.replace(temporary, target)
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)


def _text_cell(worksheet, value: str):
    """A cell that holds ``value`` as text, also after someone edits it in Excel (the quote prefix)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=value)
    cell.data_type = "s"  # openpyxl would make "=…" a formula and "#N/A" an error
    cell.quotePrefix = True
    return cell


def xlsx_text(text: str) -> str:
    """Text as a workbook cell holds it: a CR as ``_x000D_``, and a written ``_x`` as ``_x005F_x``.

    Excel's own convention for characters XML cannot keep (an XML reader turns a bare CR into a line feed); the
    importer, Excel and LibreOffice read ``_xHHHH_`` back as the character, so an ``_x`` the text itself holds is
    escaped first and the round trip stays exact.
    """
    if "_x" in text:
        text = text.replace("_x", "_x005F_x")
    if "\r" in text:
        text = text.replace("\r", "_x000D_")
    return text


def _write_sheet(workbook, sheet: SheetOut) -> None:
    """One worksheet: frozen header, sized columns, text kept as text, dates and amounts formatted."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    worksheet = workbook.create_sheet(sheet.spec.name)
    worksheet.freeze_panes = "A2"  # views and column widths must be set before the first row
    for index, width in enumerate(column_widths(sheet.headers, sheet.cells), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.append(sheet.headers)
    formats = {i: DATE_FORMAT if c.kind is Kind.DATE else MONEY_FORMAT for i, c in enumerate(sheet.spec.columns)
               if c.kind in (Kind.DATE, Kind.MONEY)}
    for cells in sheet.cells:
        for i, value in enumerate(cells):
            if value.__class__ is str:
                if "_x" in value or "\r" in value:
                    cells[i] = xlsx_text(value)
                if starts_like_formula(value) or value in ERROR_TEXTS:
                    cells[i] = _text_cell(worksheet, cells[i])
        for i, number_format in formats.items():
            if cells[i] is not None:
                cell = WriteOnlyCell(worksheet, value=cells[i])
                cell.number_format = number_format
                cells[i] = cell
        worksheet.append(cells)


def write_workbook(path: Path, sheets: list[SheetOut]) -> None:
    """One worksheet per sheet, written in openpyxl's streaming mode."""
    from openpyxl import Workbook

    def write(target: Path) -> None:
        workbook = Workbook(write_only=True)
        for sheet in sheets:
            _write_sheet(workbook, sheet)
        workbook.save(target)

    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, write)


def export_path(store: Store, path: Path, *, form: Form | str = Form.CODES,
                catalogue: KpiCatalogue | None = None) -> dict[str, int]:
    """Export the live rows: ``*.xlsx`` writes a workbook, any other path a folder of CSVs; rows per sheet.

    ``form`` is ``office`` (Korean headers and words, 예/아니오, 123-45-67890) or ``codes`` (English headers and
    codes, as the database holds them); import reads both. Raises ExportRefused, writing nothing, for a stored
    value no spreadsheet can hold.
    """
    path = Path(path)
    with store.engine.connect() as connection:
        data = sheet_rows(connection)
    sheets = prepare(data, Form(form), catalogue or default_catalogue())
    if path.suffix.lower() == ".xlsx":
        write_workbook(path, sheets)
    else:
        write_folder(path, sheets)
    return {name: len(rows) for name, rows in data.items()}
