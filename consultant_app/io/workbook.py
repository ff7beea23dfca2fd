"""Reading an .xlsx workbook without trusting it: the zip checked against limits before openpyxl unpacks anything,
XML read with entity declarations refused, damage reported by file, sheet and part, hidden rows and sheets named."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from consultant_app.domain.validation import Issue, Rule
from consultant_app.io.columns import sheet_for
from consultant_app.io.problems import ImportProblem, SourceUnreadable
from consultant_app.io.raw import RawSheet, collect_rows

MB = 1_000_000
# Limits: generous for the office's real files, far below what would stall a laptop. The whole programme (10,000
# engagements, 66,000 rows) saved by LibreOffice unpacks to about 30 MB; its KPI sheet (40,000 rows × 8 columns) is
# 18 MB of XML, about 57 bytes a cell, packed 10:1. Tests lower these with monkeypatch.
MAX_MEMBERS = 10_000  # parts in the zip: a workbook has a dozen or two, pictures and comments add a few
MAX_UNPACKED_BYTES = 300 * MB  # all parts unpacked: about ten times the whole programme
MAX_SHARED_STRINGS_BYTES = 64 * MB  # openpyxl holds the shared strings in memory whole, so they get less
MAX_RATIO = 100  # unpacked ÷ packed for a part over RATIO_FROM_BYTES; real sheets measure 10–18, even identical rows
RATIO_FROM_BYTES = 1 * MB  # smaller parts may pack as well as they like: unpacked they are harmless
MAX_ROWS = 200_000  # one sheet's rows, to its last (blank rows count: openpyxl walks them all)
MAX_CELLS = 5_000_000  # cells read over all sheets: about 285 MB of XML at 57 bytes a cell
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, and any password-protected Office file
CHUNK = 1 << 20
_HIDDEN_MARK = re.compile(rb"""hidden\s*=\s*["'](?:1|true)["']""")
# Excel writes a character XML cannot hold as _xHHHH_ (a carriage return as _x000D_); openpyxl leaves it so.
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"


def _refuse(name: str, ko: str, en: str) -> SourceUnreadable:
    return SourceUnreadable(f"{name}: {ko}", f"{name}: {en}")


def _open_zip(path: Path) -> zipfile.ZipFile:
    """The workbook's zip, or SourceUnreadable saying what the file is instead."""
    try:
        return zipfile.ZipFile(path)
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise
    except Exception:  # noqa: BLE001 - a damaged or foreign file fails in many ways, each meaning "not a workbook"
        with open(path, "rb") as handle:
            head = handle.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        raise _refuse(path.name, "암호가 걸린 엑셀 파일이거나 옛 .xls 형식입니다. 암호를 풀고 .xlsx로 저장하세요.",
                      "a password-protected workbook or an old .xls file; remove the password and save it as .xlsx.")
    raise _refuse(path.name, "엑셀(.xlsx) 파일이 아니거나 손상되었습니다 (zip 형식이 아님).",
                  "not an Excel (.xlsx) workbook, or a damaged one (not a zip file).")


def check_archive(path: Path) -> None:
    """Refuse a zip whose parts unpack beyond the limits, before anything is unpacked."""
    name = path.name
    with _open_zip(path) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _refuse(name, f"압축 안의 부분이 {len(members):,}개로 한도 {MAX_MEMBERS:,}개를 넘어 읽지 않습니다.",
                      f"it holds {len(members):,} parts, over the limit of {MAX_MEMBERS:,}; not read.")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(name, f"압축을 풀면 {_mb(total)}로 한도 {_mb(MAX_UNPACKED_BYTES)}를 넘어 읽지 않습니다. "
                            "파일을 나누어 가져오세요.",
                      f"it unpacks to {_mb(total)}, over the limit of {_mb(MAX_UNPACKED_BYTES)}; not read. "
                      "Split it into smaller files.")
    for member in members:
        part, size = member.filename, member.file_size
        if member.flag_bits & 0x1:
            raise _refuse(name, f"{part}에 암호가 걸려 있어 읽을 수 없습니다.", f"{part} is encrypted; cannot read it.")
        if "sharedstrings" in part.lower() and size > MAX_SHARED_STRINGS_BYTES:
            raise _refuse(name, f"공유 문자열({part})이 {_mb(size)}로 한도 {_mb(MAX_SHARED_STRINGS_BYTES)}를 넘어 "
                                "읽지 않습니다.",
                          f"its shared strings ({part}) unpack to {_mb(size)}, over the limit of "
                          f"{_mb(MAX_SHARED_STRINGS_BYTES)}; not read.")
        if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(member.compress_size, 1):
            ratio = size / max(member.compress_size, 1)
            raise _refuse(name, f"{part}이(가) {ratio:,.0f}배로 압축되어 있습니다 (한도 {MAX_RATIO}배, 엑셀 파일은 "
                                "보통 20배 이하). 압축 폭탄일 수 있어 읽지 않습니다.",
                          f"{part} is packed {ratio:,.0f} to 1 (limit {MAX_RATIO}; workbooks pack about 20 to 1 at "
                          "most); it may be a zip bomb, so it is not read.")


def read_workbook(path: Path, cancelled: Callable[[], bool]) -> list[RawSheet]:
    """The worksheets whose names are sheet names, read in openpyxl's streaming mode after ``check_archive``."""
    check_archive(path)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl meets in a damaged file, the file is unreadable
        part, sheet, cause = _damaged_part(path)
        raise _unreadable(path.name, cause or exc, part=part, sheet=sheet) from None
    try:
        sheets: dict[str, RawSheet] = {}
        cells = [0]  # over all sheets
        for worksheet in workbook.worksheets:
            spec = sheet_for(worksheet.title)
            if spec is None or spec.name in sheets:
                continue
            declared = worksheet.max_row
            worksheet.reset_dimensions()  # some writers record a wrong size; read to the real end
            numbered = _rows(path, worksheet, cells, declared)
            sheet = collect_rows(spec, worksheet.title, numbered=numbered, cancelled=cancelled)
            if sheet is not None:
                sheet.problems += _hidden(path, worksheet, sheet)
                sheets[spec.name] = sheet
        return list(sheets.values())
    finally:
        workbook.close()


def _rows(path: Path, worksheet: Any, cells: list[int], declared: int | None) -> Iterator[tuple[int, Sequence[Any]]]:
    """The sheet's rows numbered from 1, within MAX_ROWS and MAX_CELLS; a damaged sheet is SourceUnreadable."""
    rows = iter(worksheet.iter_rows(values_only=True))
    name, number = path.name, 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - bad XML, bad deflate data, values openpyxl cannot convert
            part, sheet, cause = _damaged_part(path)  # damaged packing reads as bad XML before its CRC is checked
            raise _unreadable(path.name, cause or exc, part=part or _part(worksheet),
                              sheet=sheet if part else worksheet.title) from None
        number += 1
        cells[0] += len(values)
        if number > MAX_ROWS:
            size = f" (시트에 적힌 크기: {declared:,}행)" if declared else ""
            size_en = f" (the sheet declares {declared:,} rows)" if declared else ""
            raise _refuse(name, f"시트 '{worksheet.title}'의 행이 한도 {MAX_ROWS:,}개를 넘어 읽지 않습니다{size}. "
                                "빈 행을 지우거나 파일을 나누세요.",
                          f"sheet '{worksheet.title}' has more than {MAX_ROWS:,} rows, the limit{size_en}; not read. "
                          "Delete blank rows or split the file.")
        if cells[0] > MAX_CELLS:
            raise _refuse(name, f"칸이 한도 {MAX_CELLS:,}개를 넘어 읽지 않습니다 (시트 '{worksheet.title}' {number:,}행까지). "
                                "파일을 나누어 가져오세요.",
                          f"more than {MAX_CELLS:,} cells, the limit (up to row {number:,} of sheet "
                          f"'{worksheet.title}'); not read. Split it into smaller files.")
        if any(value.__class__ is str and "_x" in value for value in values):
            values = tuple(_ESCAPED.sub(_unescape, value) if value.__class__ is str else value for value in values)
        yield number, values


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match[1], 16))


def _part(worksheet: Any) -> str | None:
    return getattr(worksheet, "_worksheet_path", None)  # openpyxl's name for the sheet's part, when it has one


# --- hidden rows and sheets ----------------------------------------------------------------------------------


def _hidden(path: Path, worksheet: Any, sheet: RawSheet) -> list[ImportProblem]:
    """Warnings for a hidden sheet and for hidden rows that hold data: both are imported, and a person may not
    know they are there (rows hidden by a filter too)."""
    problems = []
    if worksheet.sheet_state != "visible":
        problems.append(ImportProblem(sheet.label, None, None, Issue(Rule.HIDDEN_SHEET, "")))
    part = _part(worksheet)
    if part is None:
        return problems
    try:
        with zipfile.ZipFile(path) as archive:
            hidden = hidden_rows(archive, part)
    except Exception as exc:  # noqa: BLE001 - openpyxl read the part just now; a failure here is damage all the same
        raise _unreadable(path.name, exc, part=part, sheet=worksheet.title) from None
    read = {sheet.header_row, *(number for number, _ in sheet.rows)}
    shown = sorted(read.intersection(hidden))
    if shown:
        problems.append(ImportProblem(sheet.label, None, None,
                                      Issue(Rule.HIDDEN_ROWS, "", {"count": len(shown), "rows": _ranges(shown)})))
    return problems


def hidden_rows(archive: zipfile.ZipFile, part: str) -> list[int]:
    """The numbers of the rows a sheet part marks ``hidden``."""
    # openpyxl's streaming reader keeps no row attributes, so the part is read again: first a quick scan for any
    # hidden mark (LibreOffice writes hidden="false" on every row), then, only when there is one, an XML pass.
    if not _mentions_hidden(archive, part):
        return []
    hidden: list[int] = []
    counter = 0

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal counter
        if tag == "row" or tag.endswith(":row"):
            written = attributes.get("r", "")
            counter = int(written) if written.isdigit() else counter + 1
            if attributes.get("hidden") in ("1", "true"):
                hidden.append(counter)

    with archive.open(part) as stream:
        _parse(stream, start)
    return hidden


def _mentions_hidden(archive: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            if _HIDDEN_MARK.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _ranges(numbers: list[int], most: int = 10) -> str:
    """``3, 5–9, 12`` (at most ``most`` ranges, then ``…``)."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans[:most])
    return text + (", …" if len(spans) > most else "")


# --- damage ---------------------------------------------------------------------------------------------------


def _forbid(*_: Any) -> None:
    raise DefusedXmlException("entity declarations are not allowed")


def _parse(stream: IO[bytes], start: Callable[[str, dict[str, str]], None] | None = None) -> None:
    """Parse XML from ``stream`` with expat, entity declarations refused (as defusedxml does)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    if start is not None:
        parser.StartElementHandler = start
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        error = ParseError(expat.ErrorString(exc.code))
        error.position = (exc.lineno, exc.offset)
        raise error from None


def _damaged_part(path: Path) -> tuple[str | None, str | None, BaseException | None]:
    """After openpyxl failed: the first part that does not unpack, else the first that does not parse, its sheet,
    and why (or Nones)."""
    def unpack(stream: IO[bytes]) -> None:
        while stream.read(CHUNK):  # to the end, where zipfile checks the CRC
            pass

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            xml = [m for m in members if m.filename.endswith((".xml", ".rels"))]
            # Damaged deflate data often unpacks to garbage that fails as XML before its CRC is reached.
            for check, checked in ((unpack, members), (_parse, xml)):
                for member in checked:
                    try:
                        with archive.open(member) as stream:
                            check(stream)
                    except Exception as exc:  # noqa: BLE001 - this is the damage being looked for
                        return member.filename, _sheet_of(archive, member.filename), exc
    except Exception:  # noqa: BLE001 - no better answer than openpyxl's own error
        pass
    return None, None, None


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_of(archive: zipfile.ZipFile, part: str) -> str | None:
    """The name of the sheet stored in ``part``, from the workbook and its relationships (None when not a sheet)."""
    try:
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {}
        for relation in relations:
            target = relation.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[relation.get("Id")] = target
        for sheet in fromstring(archive.read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
            if targets.get(sheet.get(_RELATIONSHIP)) == part:
                return sheet.get("name")
    except Exception:  # noqa: BLE001 - the workbook part may be the damaged one; then the part's name must do
        return None
    return None


def _unreadable(name: str, error: BaseException, *, part: str | None, sheet: str | None) -> SourceUnreadable:
    """The file, sheet and part that failed, and why, as one line."""
    where_ko = where_en = name
    if sheet:
        where_ko, where_en = f"{where_ko} 시트 '{sheet}'", f"{where_en}, sheet '{sheet}'"
    if part:
        where_ko, where_en = f"{where_ko} ({part})", f"{where_en} ({part})"
    ko, en = _reason(error)
    return SourceUnreadable(f"{where_ko}: 엑셀 파일을 읽을 수 없습니다. {ko}", f"{where_en}: cannot read the workbook: {en}")


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__


def _reason(error: BaseException) -> tuple[str, str]:
    """What is wrong, in Korean and English."""
    if isinstance(error, DefusedXmlException):
        return ("엑셀이 쓰지 않는 XML 엔터티 선언이 있습니다. 악성 파일일 수 있어 읽지 않습니다.",
                "it declares XML entities, which Excel never writes; it may be malicious, so it is not read.")
    if isinstance(error, ParseError):
        line, column = getattr(error, "position", (0, 0))
        detail = str(error).split(": line ")[0]  # expat's words; the position is said once, below
        return (f"XML이 손상되었습니다 ({line}번째 줄 {column + 1}번째 글자: {detail}). 엑셀에서 열어 다시 저장해 보세요.",
                f"its XML is damaged (line {line}, column {column + 1}: {detail}). "
                "Try opening it in Excel and saving it again.")
    if isinstance(error, (zlib.error, zipfile.BadZipFile, EOFError)):
        return (f"압축된 데이터가 손상되었습니다 ({_short(error)}).", f"its packed data is damaged ({_short(error)}).")
    if isinstance(error, NotImplementedError):
        return (f"지원하지 않는 압축 방식입니다 ({_short(error)}).", f"it is packed in a way not supported ({_short(error)}).")
    if isinstance(error, KeyError):
        return (f"필요한 부분이 없습니다 ({_short(error)}).", f"a part it needs is missing ({_short(error)}).")
    if isinstance(error, MemoryError):
        return ("메모리가 모자랍니다.", "not enough memory.")
    return (f"형식이 올바르지 않습니다 ({_short(error)}).", f"it is not a valid workbook ({_short(error)}).")
