"""Reading a folder of CSV files or one workbook into rows numbered as a person sees them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from consultant_app.domain.validation import Issue, unstorable_character
from consultant_app.io.cells import ESCAPE, unescape_cells
from consultant_app.io.columns import SheetSpec, sheet_for
from consultant_app.io.csvtext import Fault, decode_csv, locate_fault, sniff_delimiter
from consultant_app.io.problems import ImportFailed, ImportProblem, SourceUnreadable
from consultant_app.io.raw import CHECK_EVERY, RawSheet, collect_rows, header_index, is_blank

__all__ = ["CHECK_EVERY", "RawSheet", "SourceUnreadable", "decode_csv", "read_csv", "read_folder", "read_source",
           "read_workbook"]
TEXT_SUFFIXES = (".csv", ".txt")  # .txt: Excel's "Unicode text" (UTF-16, tab separated) saved under a sheet's name


def read_csv(path: Path, spec: SheetSpec, *, cancelled: Callable[[], bool]) -> RawSheet | None:
    """One CSV (or tab separated .txt) file; row numbers count records as a spreadsheet shows them.

    A record that cannot be split into cells (an unclosed quote, a cell over csv's size limit) raises ImportFailed
    naming the row: what follows it cannot be trusted, so nothing of the file is read.
    """
    text = decode_csv(path.read_bytes(), path.name)
    delimiter = sniff_delimiter(text, spec)
    # strict: an unclosed quote is an error, not one cell that swallows every following line.
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    if ESCAPE in text:  # undo the export's formula escape (cells.escape_text) before any cell is read
        records = map(unescape_cells, records)
    try:
        sheet = collect_rows(spec, path.name, numbered=enumerate(records, start=1), cancelled=cancelled)
    except csv.Error as exc:
        raise ImportFailed([_fault_problem(spec, path.name, locate_fault(text, delimiter, exc))]) from None
    if sheet is not None:
        sheet.screen = unstorable_character(text) is not None  # one scan of the whole text spares one per cell
    return sheet


def _fault_problem(spec: SheetSpec, label: str, fault: Fault) -> ImportProblem:
    """The fault placed at its row and, when the header was read before it, its column as written."""
    rows = [(n, cells) for n, cells in enumerate(fault.records, start=1) if not is_blank(cells)]
    column = None
    if rows and fault.field is not None:
        header_row, headers = rows[header_index(spec, rows)]
        if header_row < fault.row and fault.field < len(headers) and headers[fault.field].strip():
            column = headers[fault.field].strip()
    return ImportProblem(label, fault.row, column, Issue(fault.rule, "", fault.params))


def read_folder(folder: Path, cancelled: Callable[[], bool]) -> list[RawSheet]:
    """The CSV (or .txt) files of a folder whose names are sheet names (``companies.csv`` …); others are ignored.

    Files that cannot be split into cells are all reported together (ImportFailed)."""
    sheets: dict[str, RawSheet] = {}
    broken: list[ImportProblem] = []
    for path in sorted(folder.iterdir(), key=lambda p: (p.suffix.lower() != ".csv", p.name)):  # .csv before .txt
        if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
            continue
        spec = sheet_for(path.stem)
        if spec is None or spec.name in sheets:
            continue
        try:
            sheet = read_csv(path, spec, cancelled=cancelled)
        except ImportFailed as failed:
            broken += failed.problems
            continue
        if sheet is not None:
            sheets[spec.name] = sheet
    if broken:
        raise ImportFailed(broken)
    return list(sheets.values())


def read_workbook(path: Path, cancelled: Callable[[], bool]) -> list[RawSheet]:
    """The worksheets of a workbook whose names are sheet names (see ``workbook.read_workbook``)."""
    from consultant_app.io.workbook import read_workbook as read  # openpyxl only when a workbook is read

    return read(path, cancelled)


def read_source(path: Path, cancelled: Callable[[], bool]) -> list[RawSheet]:
    """A folder of CSV files, one CSV file named after its sheet, or an .xlsx workbook."""
    path = Path(path)
    if path.is_dir():
        sheets = read_folder(path, cancelled)
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_workbook(path, cancelled)
    elif path.is_file() and path.suffix.lower() in TEXT_SUFFIXES and sheet_for(path.stem):
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
