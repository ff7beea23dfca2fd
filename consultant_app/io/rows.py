"""A sheet's rows parsed cell by cell, with problems placed at file, row and the column as written."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.messages import field_name
from consultant_app.domain.validation import Issue, Rule, check_text
from consultant_app.io.cells import CellError, Parser, parser_for
from consultant_app.io.columns import Column, HeaderMatch, Kind, SheetSpec, match_headers, normalize_header
from consultant_app.io.problems import ImportProblem
from consultant_app.io.raw import RawSheet

INTEGER_LIMIT = 2**63 - 1  # what a database integer holds (SQLite, PostgreSQL bigint)


class _Refused(CellError):
    """A cell refused with the parameters its rule's message needs (not only the value)."""

    def __init__(self, rule: Rule, value: Any, params: dict[str, Any]):
        super().__init__(rule, value)
        self.params = params


def _checked_text(parse: Parser, name: str, *, length: bool) -> Parser:
    """``parse`` after the domain's text check: no control character, and (``length``) within the field's limit."""
    def parse_checked(raw: Any) -> Any:
        if raw.__class__ is str:
            for issue in check_text(raw, name):
                if length or issue.rule is Rule.CONTROL_CHARACTER:
                    raise _Refused(issue.rule, raw, issue.params)
        return parse(raw)
    return parse_checked


def _bounded(parse: Parser) -> Parser:
    """``parse`` for whole numbers, refusing one no database column can hold (it would fail only at the write)."""
    def parse_bounded(raw: Any) -> Any:
        value = parse(raw)
        if -INTEGER_LIMIT <= value <= INTEGER_LIMIT:
            return value
        raise _Refused(Rule.ABOVE_MAXIMUM, raw, {"value": raw, "max": f"{INTEGER_LIMIT:,}"})
    return parse_bounded


def _parser(column: Column, catalogue: KpiCatalogue, *, screen: bool) -> Parser:
    """The column's parser, with the checks every cell the importer reads must pass."""
    parse = parser_for(column, catalogue)
    if column.kind in (Kind.INT, Kind.MONEY):
        parse = _bounded(parse)
    if column.kind is Kind.TEXT:  # stored as written: the domain's text rule, length included
        return _checked_text(parse, column.name, length=True)
    # Other kinds parse into numbers, dates and codes, or fail; screening names a control character as such.
    return _checked_text(parse, column.name, length=False) if screen else parse


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _shown(text: str, most: int = 60) -> str:
    """A header as a message can show it: control characters as ``\\x00``, cut to ``most`` characters."""
    text = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else "\ufffd", text)
    return text if len(text) <= most else text[:most] + "…"


def _expected(spec: SheetSpec, header: str) -> dict[str, str]:
    """The sheet's columns in both languages, and the one ``header`` was probably meant to be."""
    params = {"expected_ko": ", ".join(field_name(c.name, "ko") for c in spec.columns),
              "expected_en": ", ".join(c.name for c in spec.columns), "hint_ko": "", "hint_en": ""}
    close = difflib.get_close_matches(normalize_header(header), list(spec.by_header), n=1, cutoff=0.8)
    if close:
        column = spec.by_header[close[0]]
        params["hint_ko"] = f" (혹시 '{field_name(column.name, 'ko')}'?)"
        params["hint_en"] = f" (did you mean '{column.name}'?)"
    return params


class ParsedRow:
    """One data row: its number, the parsed values of the present columns, and the columns that failed."""

    __slots__ = ("number", "values", "bad")

    def __init__(self, number: int, values: dict[str, Any], bad: set[str]):
        self.number = number
        self.values = values
        self.bad = bad


class Sheet:
    """A raw sheet with its header matched and a parser per present column."""

    def __init__(self, raw: RawSheet, catalogue: KpiCatalogue):
        self.raw = raw
        self.spec = raw.spec
        self.label = raw.label
        self.match: HeaderMatch = match_headers(raw.spec, raw.headers)
        self.columns: list[tuple[Column, int, Parser]] = [
            (column, self.match.index[column.name], _parser(column, catalogue, screen=raw.screen))
            for column in raw.spec.columns if column.name in self.match.index]
        self.problems: list[ImportProblem] = [*raw.problems, *self._header_warnings()]

    def _header_warnings(self) -> list[ImportProblem]:
        """A warning for each header the import leaves out: unknown (misspelt?) or repeating an earlier column."""
        warnings = []
        for position, header in enumerate(self.raw.headers):
            text = "" if header is None else str(header).strip()
            if not text:
                continue
            column = self.spec.by_header.get(normalize_header(text))
            shown = _shown(text)
            if column is None:
                issue = Issue(Rule.UNKNOWN_COLUMN, "", {"value": shown, **_expected(self.spec, text)})
            elif self.match.index[column.name] != position:
                issue = Issue(Rule.DUPLICATE_COLUMN, "", {"value": shown, "first": self.match.written[column.name]})
            else:
                continue
            warnings.append(ImportProblem(self.label, self.raw.header_row, shown, issue))
        return warnings

    def present(self, name: str) -> bool:
        return name in self.match.index

    def header(self, name: str) -> str:
        """The column's header as the file writes it (its English name when the file has no such column)."""
        return self.match.written.get(name, name)

    def report(self, row: int | None, issue: Issue) -> None:
        self.problems.append(ImportProblem(self.label, row, self.header(issue.field), issue))

    def report_missing_columns(self) -> bool:
        """One problem per missing required column (row None); True when any is missing."""
        for name in self.match.missing:
            self.problems.append(ImportProblem(self.label, None, name, Issue(Rule.REQUIRED, name)))
        return bool(self.match.missing)

    def parse(self, number: int, cells: Any, *, only: tuple[str, ...] = ()) -> ParsedRow:
        """Parse the row's cells; a failed cell is reported, left out of ``values`` and named in ``bad``."""
        values: dict[str, Any] = {}
        bad: set[str] = set()
        width = len(cells)
        for column, index, parse in self.columns:
            if only and column.name not in only:
                continue
            raw = cells[index] if index < width else None
            if raw is None or (raw.__class__ is str and not (raw := raw.strip())):
                values[column.name] = column.empty
                continue
            try:
                values[column.name] = parse(raw)
            except CellError as exc:
                bad.add(column.name)
                self.report(number, Issue(exc.rule, column.name, getattr(exc, "params", None) or {"value": exc.value}))
        return ParsedRow(number, values, bad)

    def rows(self, *, only: tuple[str, ...] = ()) -> Iterator[ParsedRow]:
        for number, cells in self.raw.rows:
            yield self.parse(number, cells, only=only)

    def stored(self, row: ParsedRow, table: str) -> dict[str, Any]:
        """The row's values for one table, by table column, for the columns the file has."""
        return {column.attr: row.values[column.name] for column, _, _ in self.columns
                if column.table == table and column.name in row.values}

    def report_issues(self, row: ParsedRow, issues: list[Issue]) -> bool:
        """Report the domain's issues, except on cells already reported; True when any is an error."""
        failed = bool(row.bad)
        for issue in issues:
            if issue.field in row.bad:
                continue
            self.report(row.number, issue)
            failed = failed or issue.is_error
        return failed
