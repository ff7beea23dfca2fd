"""The two forms an export takes: the office's (Korean headers and words) and the original codes (English).

Both read back exactly: every office header is one the importer's header matching accepts, every Korean word
one ``parse_code`` (or the KPI catalogue) turns back into its code.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from consultant_app.domain.codes import KOREAN
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.messages import FIELD_NAMES
from consultant_app.domain.validation import format_business_no
from consultant_app.io.columns import Column, Kind

YES, NO = "예", "아니오"
CODES_SEPARATOR = {"office": ", ", "codes": ";"}
WIDTH_SAMPLE_ROWS = 1000  # rows looked at to size a column: enough to be sensible, few enough to stay fast
MIN_WIDTH, MAX_WIDTH = 8, 50


class Form(StrEnum):
    """사무국 양식 (office): 한글 머리글과 낱말 · 원본 코드 (codes): English headers and codes."""

    OFFICE = "office"
    CODES = "codes"


Convert = Callable[[Any], Any]


def header(column: Column, form: Form) -> str:
    """The column's header in this form: the domain's Korean field name, or the English column name."""
    if form is Form.CODES:
        return column.name
    return FIELD_NAMES[column.name][0]


def _words(enum: Any) -> dict[str, str]:
    return {member.value: KOREAN.get(member, member.value) for member in enum}


def converter(column: Column, form: Form, catalogue: KpiCatalogue) -> Convert | None:
    """How a stored value (never None) becomes the cell's value in this form; None: as it is."""
    kind = column.kind
    if kind is Kind.CODES:
        # Stored ";"-joined; the office writes "생산성 혁신, 품질수준 향상".
        words = _words(column.enum) if form is Form.OFFICE else {}
        separator = CODES_SEPARATOR[form.value]
        return lambda value: separator.join(words.get(code, code) for code in value.split(";") if code)
    if form is Form.CODES:
        return None
    if kind is Kind.BOOL:
        return lambda value: YES if value else NO
    if kind is Kind.BUSINESS_NO:
        return format_business_no
    if kind is Kind.CODE:
        words = _words(column.enum)
        return lambda value: words.get(value, value)  # an unknown stored code stays as it is
    if kind is Kind.KPI:
        # Only names that lead back to the same KPI (a catalogue could give two KPIs one name).
        names = {d.code: d.name_ko for d in catalogue if d.name_ko and catalogue.lookup(d.name_ko) is d}
        return lambda value: names.get(value, value)
    return None


def sheet_cells(columns: tuple[Column, ...], rows: list[tuple], form: Form,
                catalogue: KpiCatalogue) -> list[list[Any]]:
    """The rows as this form writes their cells (None stays None)."""
    converters = [(i, convert) for i, column in enumerate(columns)
                  if (convert := converter(column, form, catalogue)) is not None]
    cells = [list(row) for row in rows]
    for i, convert in converters:
        for row in cells:
            if row[i] is not None:
                row[i] = convert(row[i])
    return cells


def display_width(value: Any) -> int:
    """Roughly how many character widths a spreadsheet needs to show ``value`` (Hangul counts double)."""
    if hasattr(value, "isoformat"):
        text = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"  # amounts show with thousands separators
    else:
        text = str(value)
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in longest)


def column_widths(headers: list[str], cells: list[list[Any]]) -> list[float]:
    """A width per column that shows its header and the values of the first rows, within sensible bounds."""
    widths = [display_width(h) for h in headers]
    for row in cells[:WIDTH_SAMPLE_ROWS]:
        for i, value in enumerate(row):
            if value is not None:
                widths[i] = max(widths[i], display_width(value))
    return [float(min(max(w + 2, MIN_WIDTH), MAX_WIDTH)) for w in widths]
