"""One cell to one value and back: dates, booleans, numbers with separators, codes, KPIs, business numbers."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from consultant_app.domain.codes import parse_code
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.validation import Rule, check_business_no, normalize_business_no
from consultant_app.io.columns import Column, Kind

Parser = Callable[[Any], Any]


class CellError(ValueError):
    """A cell that does not parse: the rule it breaks and the offending text."""

    def __init__(self, rule: Rule, value: Any = None):
        super().__init__(rule.value)
        self.rule = rule
        self.value = value


def cell_text(raw: Any) -> str:
    """A cell as text: Excel's whole-number floats without ``.0``."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


# 2018-06-26, 2018.06.26, 2018/06/26, Korean Excel's "2018. 6. 26.", a midnight time from CSV exports.
_DATE = re.compile(r"(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})\.?(?:[ T]00:00(?::00)?)?")
# 2024년 3월 5일, 2024년3월5일: the long date Korean Windows and Hangul documents write.
_KOREAN_DATE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")


def parse_date(raw: Any) -> date:
    """A date from a date cell or from text in one of the accepted spellings."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw)
    match = _DATE.fullmatch(text)
    if match is not None:
        year, month, day = match[1], match[3], match[4]
    elif (match := _KOREAN_DATE.fullmatch(text)) is not None:
        year, month, day = match[1], match[2], match[3]
    else:
        raise CellError(Rule.NOT_A_DATE, raw)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:  # 2018-02-30
        raise CellError(Rule.NOT_A_DATE, raw) from None


_TRUE = frozenset({"true", "t", "yes", "y", "1", "예", "네", "o", "○", "있음"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "아니오", "아니요", "x", "×", "없음"})


def parse_bool(raw: Any) -> bool:
    """true/false, yes/no, y/n, 1/0, 예/아니오, O/X in any case, or a boolean or 0/1 cell."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    folded = str(raw).strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(Rule.NOT_A_BOOLEAN, raw)


_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def _number(raw: Any, suffixes: tuple[str, ...]) -> float | int:
    """A finite number from a numeric cell or from text with thousands separators and a unit suffix."""
    if isinstance(raw, bool):
        raise CellError(Rule.NOT_A_NUMBER, raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(Rule.NOT_A_NUMBER, raw)
        return raw
    text = str(raw).strip()
    for suffix in suffixes:
        if text.endswith(suffix):
            text = text[: -len(suffix)].rstrip()
            break
    if "," in text:
        # Only real thousands groups: "1,234,000" yes, "1,5" (a decimal comma) no.
        if _GROUPED.fullmatch(text) is None:
            raise CellError(Rule.NOT_A_NUMBER, raw)
        text = text.replace(",", "")
    elif _PLAIN.fullmatch(text) is None:
        raise CellError(Rule.NOT_A_NUMBER, raw)
    if "." in text or "e" in text or "E" in text:
        value = float(text)
        if not math.isfinite(value):
            raise CellError(Rule.NOT_A_NUMBER, raw)
        return value
    return int(text)


def number_parser(suffixes: tuple[str, ...]) -> Parser:
    """A parser for decimal numbers (KPI values)."""
    def parse(raw: Any) -> float:
        return float(_number(raw, suffixes))
    return parse


def integer_parser(suffixes: tuple[str, ...], prefixes: tuple[str, ...] = ()) -> Parser:
    """A parser for whole numbers; ``12.0`` is 12, ``12.5`` is not an integer."""
    def parse(raw: Any) -> int:
        if prefixes and isinstance(raw, str):
            for prefix in prefixes:
                if raw.startswith(prefix):
                    raw = raw[len(prefix):].lstrip()
                    break
        value = _number(raw, suffixes)
        if isinstance(value, float):
            if not value.is_integer():
                raise CellError(Rule.NOT_AN_INTEGER, raw)
            return int(value)
        return value
    return parse


def parse_text(raw: Any) -> str:
    """Free text, trimmed."""
    return cell_text(raw).strip()


def parse_business_no(raw: Any) -> str:
    """A business registration number as 10 digits, its check digit verified."""
    return _business_no(cell_text(raw).strip())


@lru_cache(maxsize=1 << 16)
def _business_no(text: str) -> str:
    # Cached: every sheet names the same companies again and again.
    issues = check_business_no(text)
    if issues:
        raise CellError(issues[0].rule, text)
    return normalize_business_no(text)


@lru_cache(maxsize=4096)
def _code(enum: type[StrEnum], text: str) -> str | None:
    member = parse_code(enum, text)
    return member.value if member is not None else None


def code_parser(enum: type[StrEnum]) -> Parser:
    """A parser for one value of a code list, given as the English code or the Korean word."""
    def parse(raw: Any) -> str:
        text = cell_text(raw).strip()
        code = _code(enum, text)
        if code is None:
            raise CellError(Rule.UNKNOWN_CODE, text)
        return code
    return parse


_CODE_SEPARATORS = re.compile(r"[;,]")


def codes_parser(enum: type[StrEnum]) -> Parser:
    """A parser for a list of codes separated by ``;`` (or ``,``), stored ``;``-joined in the given order."""
    def parse(raw: Any) -> str:
        codes: list[str] = []
        for word in _CODE_SEPARATORS.split(cell_text(raw)):
            word = word.strip()
            if not word:
                continue
            code = _code(enum, word)
            if code is None:
                raise CellError(Rule.UNKNOWN_CODE, word)
            if code not in codes:
                codes.append(code)
        return ";".join(codes)
    return parse


def kpi_parser(catalogue: KpiCatalogue) -> Parser:
    """A parser for a KPI given by code or by its Korean or English name; returns the code."""
    cache: dict[str, str | None] = {}

    def parse(raw: Any) -> str:
        text = cell_text(raw).strip()
        if text not in cache:
            definition = catalogue.lookup(text)
            cache[text] = definition.code if definition else None
        code = cache[text]
        if code is None:
            raise CellError(Rule.UNKNOWN_KPI, text)
        return code
    return parse


def parser_for(column: Column, catalogue: KpiCatalogue) -> Parser:
    """The parser a column's kind calls for."""
    kind = column.kind
    if kind is Kind.TEXT:
        return parse_text
    if kind is Kind.INT:
        return integer_parser(column.suffixes)
    if kind is Kind.MONEY:
        return integer_parser(column.suffixes + ("원",), prefixes=("₩",))
    if kind is Kind.FLOAT:
        return number_parser(column.suffixes)
    if kind is Kind.DATE:
        return parse_date
    if kind is Kind.BOOL:
        return parse_bool
    if kind is Kind.BUSINESS_NO:
        return parse_business_no
    if kind is Kind.CODE:
        return code_parser(column.enum)
    if kind is Kind.CODES:
        return codes_parser(column.enum)
    if kind is Kind.KPI:
        return kpi_parser(catalogue)
    raise AssertionError(kind)


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float: ``100`` rather than ``100.0``."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_text(value: Any) -> str:
    """A value as a CSV cell: ISO dates, true/false, plain numbers, empty for None, text escaped (``escape_text``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# What a spreadsheet program may take for the start of a formula (OWASP, "CSV Injection"): such text is written
# behind a single quote. Text that itself begins with a quote gets one too, so the quote import removes is always
# the one export added: the round trip is exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet might run ``text`` as a formula."""
    return text.startswith(FORMULA_STARTS)


def escape_text(text: str) -> str:
    """Text as a CSV cell: ``=1+1`` → ``'=1+1``, ``'a`` → ``''a``, anything else as it is."""
    if text.startswith(FORMULA_STARTS) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


def unescape_cells(cells: list[str]) -> list[str]:
    """A CSV record's cells with the one leading quote of each removed (``escape_text`` undone)."""
    return [c[1:] if c.startswith(ESCAPE) else c for c in cells]
