"""Reading a folder of CSV files or one workbook into rows numbered as a person sees them."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from consultant_app.errors import AppError
from consultant_app.io.columns import SheetSpec, match_headers, sheet_for
from consultant_app.io.problems import ImportCancelled

CHECK_EVERY = 2000  # rows between two looks at the cancel flag
HEADER_SEARCH_ROWS = 10  # title lines tolerated above the header


@dataclass
class RawSheet:
    """A sheet as read: where it came from, its header row and its non-blank data rows."""

    spec: SheetSpec
    label: str  # file name (kpis.csv) or sheet name (kpis), as problems name it
    header_row: int
    headers: list[Any]
    rows: list[tuple[int, Sequence[Any]]]


class SourceUnreadable(AppError):
    """The path is not a folder of CSV files or a workbook we can read."""


def _is_blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _collect(spec: SheetSpec, label: str, *, numbered: Iterable[tuple[int, Sequence[Any]]],
             cancelled: Callable[[], bool]) -> RawSheet | None:
    """Non-blank rows, numbered as the sheet shows them; the header is found among the first few."""
    rows = []
    for number, cells in numbered:
        if number % CHECK_EVERY == 0 and cancelled():
            raise ImportCancelled()
        if not _is_blank(cells):
            rows.append((number, cells))
    if not rows:
        return None
    # Office sheets often open with a title line ("2018년 참여기업 현황"): the header is the first row that
    # has every required column, else simply the first row (and the missing columns are reported).
    candidates = rows[:HEADER_SEARCH_ROWS]
    start = next((i for i, (_, cells) in enumerate(candidates) if not match_headers(spec, list(cells)).missing), 0)
    header_row, headers = rows[start]
    return RawSheet(spec, label, header_row, list(headers), rows[start + 1:])


def decode_csv(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else CP949 as Korean Excel saves CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")
    except UnicodeDecodeError:
        raise SourceUnreadable(f"{name}: 글자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949로 저장하세요).",
                               f"{name}: unknown text encoding (save it as UTF-8 or CP949).") from None


def read_csv(path: Path, spec: SheetSpec, *, cancelled: Callable[[], bool]) -> RawSheet | None:
    """One CSV file; row numbers count records as a spreadsheet shows them."""
    text = decode_csv(path.read_bytes(), path.name)
    records = csv.reader(io.StringIO(text, newline=""))
    return _collect(spec, path.name, numbered=enumerate(records, start=1), cancelled=cancelled)


def read_folder(folder: Path, cancelled: Callable[[], bool]) -> list[RawSheet]:
    """The CSV files of a folder whose names are sheet names (``companies.csv`` …); others are ignored."""
    sheets: dict[str, RawSheet] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".csv" or not path.is_file():
            continue
        spec = sheet_for(path.stem)
        if spec is None or spec.name in sheets:
            continue
        sheet = read_csv(path, spec, cancelled=cancelled)
        if sheet is not None:
            sheets[spec.name] = sheet
    return list(sheets.values())


def read_workbook(path: Path, cancelled: Callable[[], bool]) -> list[RawSheet]:
    """The worksheets of a workbook whose names are sheet names, read in openpyxl's streaming mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceUnreadable(f"{path.name}: 엑셀 파일을 읽을 수 없습니다 ({exc}).",
                               f"{path.name}: cannot read the workbook ({exc}).") from exc
    try:
        sheets: dict[str, RawSheet] = {}
        for worksheet in workbook.worksheets:
            spec = sheet_for(worksheet.title)
            if spec is None or spec.name in sheets:
                continue
            worksheet.reset_dimensions()  # some writers record a wrong size; read to the real end
            numbered = enumerate(worksheet.iter_rows(values_only=True), start=1)
            sheet = _collect(spec, worksheet.title, numbered=numbered, cancelled=cancelled)
            if sheet is not None:
                sheets[spec.name] = sheet
        return list(sheets.values())
    finally:
        workbook.close()


def read_source(path: Path, cancelled: Callable[[], bool]) -> list[RawSheet]:
    """A folder of CSV files, one CSV file named after its sheet, or an .xlsx workbook."""
    path = Path(path)
    if path.is_dir():
        sheets = read_folder(path, cancelled)
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_workbook(path, cancelled)
    elif path.is_file() and path.suffix.lower() == ".csv" and sheet_for(path.stem):
        sheet = read_csv(path, sheet_for(path.stem), cancelled=cancelled)
        sheets = [sheet] if sheet else []
    elif not path.exists():
        raise SourceUnreadable(f"{path}: 파일이나 폴더가 없습니다.", f"{path}: no such file or folder.")
    else:
        raise SourceUnreadable(f"{path.name}: CSV 파일 폴더나 .xlsx 파일이어야 합니다.",
                               f"{path.name}: expected a folder of CSV files or an .xlsx workbook.")
    if not sheets:
        raise SourceUnreadable(
            f"{path.name}: companies, engagements, kpis, surveys 중 읽을 시트(파일)가 없습니다.",
            f"{path.name}: no companies, engagements, kpis or surveys sheet (file) to read.")
    return sheets
