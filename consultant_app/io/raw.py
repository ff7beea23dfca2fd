"""A sheet as read from a CSV file or a workbook, before its rows are checked: the rows and the header among them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from consultant_app.io.columns import SheetSpec, match_headers
from consultant_app.io.problems import ImportCancelled, ImportProblem

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
    problems: list[ImportProblem] = field(default_factory=list)  # warnings about the file (hidden rows …)
    # Whether every text cell must be screened for control characters; False only when the whole file was
    # scanned at once and has none (the fast path for CSV).
    screen: bool = True


def is_blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def collect_rows(spec: SheetSpec, label: str, *, numbered: Iterable[tuple[int, Sequence[Any]]],
             cancelled: Callable[[], bool]) -> RawSheet | None:
    """Non-blank rows, numbered as the sheet shows them; the header is found among the first few."""
    rows = []
    for number, cells in numbered:
        if number % CHECK_EVERY == 0 and cancelled():
            raise ImportCancelled()
        if not is_blank(cells):
            rows.append((number, cells))
    if not rows:
        return None
    start = header_index(spec, rows)
    header_row, headers = rows[start]
    return RawSheet(spec, label, header_row, list(headers), rows[start + 1:])


def header_index(spec: SheetSpec, rows: Sequence[tuple[int, Sequence[Any]]]) -> int:
    """Which of the non-blank rows is the header."""
    # Office sheets often open with a title line ("2018년 참여기업 현황"): the header is the first row that
    # has every required column, else simply the first row (and the missing columns are reported).
    candidates = rows[:HEADER_SEARCH_ROWS]
    return next((i for i, (_, cells) in enumerate(candidates) if not match_headers(spec, list(cells)).missing), 0)
