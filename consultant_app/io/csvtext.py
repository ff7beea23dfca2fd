"""CSV text as the office's programs save it: its encoding, its delimiter, and where a record cannot be split."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from typing import Any

from consultant_app.domain.validation import Rule
from consultant_app.io.columns import SheetSpec, normalize_header
from consultant_app.io.problems import SourceUnreadable

# Byte order marks, longest first: UTF-32 LE's begins with UTF-16 LE's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
DELIMITERS = (",", ";", "\t", "|")  # in order of preference when two split the header equally well
SNIFF_CHARS = 64 * 1024  # the start of the file the delimiter is chosen from
SNIFF_LINES = 10  # lines looked at for the header (title lines above it are tolerated, as in readers)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the start looks like UTF-16 without its mark (ASCII with a NUL each second byte)."""
    head = data[:512]
    if len(head) < 8 or len(head) % 2:
        return None
    odd, even = head[1::2], head[0::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode_csv(data: bytes, name: str) -> str:
    """UTF-16 or UTF-32 with a byte order mark (Excel's "Unicode text"), UTF-8 with or without one, else CP949 as
    Korean Excel saves CSV."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode(data, codec, label, name)
    bomless = _bomless_utf16(data)
    if bomless is not None:
        return _decode(data, bomless, "UTF-16", name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")
    except UnicodeDecodeError:
        raise SourceUnreadable(f"{name}: 글자 인코딩을 알 수 없습니다 (UTF-8 또는 CP949로 저장하세요).",
                               f"{name}: unknown text encoding (save it as UTF-8 or CP949).") from None


def _decode(data: bytes, codec: str, label: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceUnreadable(f"{name}: {label} 글자가 {exc.start + 1:,}번째 바이트에서 손상되었습니다.",
                               f"{name}: the {label} text is damaged at byte {exc.start + 1:,}.") from None


def _known_columns(spec: SheetSpec, cells: list[str]) -> int:
    return len({spec.by_header.get(normalize_header(cell)) for cell in cells} - {None})


def sniff_delimiter(text: str, spec: SheetSpec) -> str:
    """The delimiter that splits a header line into the most of the sheet's columns (a comma when none does)."""
    # csv.Sniffer guesses from character counts and picks wrongly on Korean headers and short files; the header
    # names themselves tell for certain.
    head = text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES]
    best, best_known = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        if not any(delimiter in line for line in head):
            continue
        try:
            known = max((_known_columns(spec, cells) for cells in csv.reader(head, delimiter=delimiter)), default=0)
        except csv.Error:
            continue
        if known > best_known:
            best, best_known = delimiter, known
    return best


@dataclass(frozen=True)
class Fault:
    """Where a CSV file stops being splittable: the record (row) and field it is in, the rule, and the records read
    before it."""

    row: int
    field: int | None
    rule: Rule
    params: dict[str, Any]
    records: list[list[str]] = field(repr=False)


def locate_fault(text: str, delimiter: str, error: csv.Error) -> Fault:
    """The record a strict csv.reader failed in (it tells only "unexpected end of data"), and the field."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    start_line = 1  # the physical line the failing record begins on
    try:
        for record in reader:
            records.append(record)
            start_line = reader.line_num + 1
    except csv.Error:
        pass
    offset = sum(len(line) for _, line in zip(range(start_line - 1), io.StringIO(text, newline="")))
    index, unclosed = _scan(text, offset, delimiter)
    row = len(records) + 1
    message = str(error)
    if unclosed is not None:
        return Fault(row, index, unclosed, {}, records)
    if "field limit" in message:
        return Fault(row, None, Rule.CELL_TOO_LARGE, {"limit": csv.field_size_limit()}, records)
    return Fault(row, index, Rule.CSV_UNREADABLE, {"detail": message}, records)


def _scan(text: str, start: int, delimiter: str) -> tuple[int | None, Rule | None]:
    """From a record's start: the field with the first quoting fault and what it is, as csv's strict mode reads."""
    position, end, index, at_start = start, len(text), 0, True
    while position < end:
        char = text[position]
        if at_start and char == '"':
            while True:  # inside quotes: jump from quote to quote, a doubled one staying inside
                close = text.find('"', position + 1)
                if close < 0:
                    return index, Rule.UNCLOSED_QUOTE
                if text.startswith('""', close):
                    position = close + 1
                    continue
                position = close + 1
                break
            if position < end and text[position] not in (delimiter, "\r", "\n"):
                return index, Rule.TEXT_AFTER_QUOTE
            at_start = False
            continue
        if char == delimiter:
            index, at_start = index + 1, True
        elif char in "\r\n":
            return None, None
        else:
            at_start = False
        position += 1
    return None, None
